"""`flask export`: the same files offline, bad filters named, no partial file."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

from tests.test_exports import flag


def test_export_writes_the_flagged_csv(runner, make, tmp_path):
    flag(
        make.candidacy("Siti Rahayu", disclosure={"cv": "refused", "criminal_record": "published"})
    )
    make.candidacy("Andi")
    target = tmp_path / "flagged.csv"
    result = runner.invoke(args=["export", "--status", "flagged", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Wrote 1 rows" in result.output and "sha256" in result.output
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [row["name"] for row in rows] == ["Siti Rahayu"]
    assert rows[0]["status_cv"] == "refused"


def test_export_leaves_out_hidden_people_and_gives_withdrawn_ones_on_request(
    runner, make, tmp_path
):
    make.candidacy("Siti Rahayu")
    make.hide(make.candidacy("Orang Tersembunyi").person)
    make.update(make.candidacy("Sudah Mundur"), stage="withdrawn")
    names = {}
    for stage in ("", "withdrawn"):
        target = tmp_path / f"list-{stage or 'current'}.csv"
        result = runner.invoke(args=["export", "--stage", stage, "-o", str(target)])
        assert result.exit_code == 0, result.output
        rows = csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines())
        names[stage] = [row["name"] for row in rows]
    assert names == {"": ["Siti Rahayu"], "withdrawn": ["Sudah Mundur"]}


def test_export_writes_json_xlsx_and_popolo(runner, make, tmp_path):
    make.candidacy("Siti Rahayu", party_number=1)
    make.candidacy("Andi", party_number=2)
    for fmt in ("json", "xlsx", "popolo"):
        target = tmp_path / f"out.{fmt}"
        result = runner.invoke(
            args=["export", "--format", fmt, "--party", "pkb", "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
    assert [r["name"] for r in json.loads((tmp_path / "out.json").read_text())["rows"]] == [
        "Siti Rahayu"
    ]
    workbook = load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert [row[2] for row in workbook["candidates"].iter_rows(min_row=2, values_only=True)] == [
        "Siti Rahayu"
    ]
    workbook.close()
    popolo = json.loads((tmp_path / "out.popolo").read_text())
    assert [person["name"] for person in popolo["persons"]] == ["Siti Rahayu"]


def test_bad_filter_names_the_option_and_writes_nothing(runner, make, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.csv"
    result = runner.invoke(args=["export", "--party", "nope", "-o", str(target)])
    assert result.exit_code != 0
    assert "--party" in result.output and "nope" in result.output
    assert not target.exists()
    assert list(folder.iterdir()) == []
