"""`flask export dump DIR` and /data/: dated snapshots, whole or absent, with a manifest."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from transparency.exports import documents

FILES = {"candidates.csv", "candidates.json", "popolo.json", "candidates.xlsx"}


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "DUMPS_DIR": str(tmp_path / "dumps")}


@pytest.fixture
def dumps_dir(app_config) -> Path:
    path = Path(app_config["DUMPS_DIR"])
    path.mkdir()
    return path


@pytest.fixture
def people(make):
    make.candidacy("Siti Rahayu", party_number=1)
    make.candidacy("Andi", party_number=2, district="3301")
    hidden = make.candidacy("Tersembunyi", party_number=3)
    from transparency.extensions import db
    from transparency.revisions import provenance

    with provenance(db.session, origin="test"):
        hidden.hidden = True
        db.session.flush()
    db.session.commit()


def dump(runner, folder: Path):
    result = runner.invoke(args=["export", "dump", str(folder)])
    assert result.exit_code == 0, result.output
    (snapshot,) = [path for path in folder.iterdir() if path.name not in ("seen",)]
    return result, snapshot


def test_a_dump_writes_every_format_with_a_manifest_that_matches(runner, people, dumps_dir):
    result, snapshot = dump(runner, dumps_dir)
    assert snapshot.name[:2] == "20" and len(snapshot.name) == 10  # the UTC date
    assert {path.name for path in snapshot.iterdir()} == FILES | {"manifest.json", "SHA256SUMS"}
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["snapshot"] == snapshot.name
    assert manifest["row_count"] == 2
    assert {item["name"] for item in manifest["files"]} == FILES
    for item in manifest["files"]:
        body = (snapshot / item["name"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(body).hexdigest()
        assert item["bytes"] == len(body)
        assert item["rows"] == 2
    sums = (snapshot / "SHA256SUMS").read_text().splitlines()
    assert sorted(line.split("  ")[1] for line in sums) == sorted(FILES)
    rows = list(csv.DictReader((snapshot / "candidates.csv").read_text("utf-8-sig").splitlines()))
    assert sorted(row["name"] for row in rows) == ["Andi", "Siti Rahayu"]
    popolo = json.loads((snapshot / "popolo.json").read_text())
    assert len(popolo["memberships"]) == 2
    assert len(json.loads((snapshot / "candidates.json").read_text())["rows"]) == 2
    sheet = load_workbook(snapshot / "candidates.xlsx")["candidates"]
    assert sheet.max_row == 3  # the header and two rows
    assert "Wrote snapshot" in result.output


def test_a_second_dump_on_the_same_day_is_kept_beside_the_first(runner, people, dumps_dir):
    for _ in range(2):
        assert runner.invoke(args=["export", "dump", str(dumps_dir)]).exit_code == 0
    names = sorted(path.name for path in dumps_dir.iterdir())
    assert len(names) == 2 and names[1].startswith(names[0] + "-")


def test_a_failed_dump_leaves_nothing_behind(runner, people, dumps_dir, monkeypatch):
    def broken(*_args):
        yield b"{"
        raise RuntimeError("disk full")

    monkeypatch.setattr(documents, "json_body", broken)
    result = runner.invoke(args=["export", "dump", str(dumps_dir)])
    assert result.exit_code != 0
    assert list(dumps_dir.iterdir()) == []


def test_a_dump_into_a_missing_folder_names_it(runner, people, tmp_path):
    result = runner.invoke(args=["export", "dump", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "nope" in result.output and "not a directory" in result.output


def test_the_data_page_lists_snapshots_with_their_manifest(client, runner, people, dumps_dir):
    empty = client.get("/data/").get_data(as_text=True)
    assert "Belum ada cuplikan" in empty
    _, snapshot = dump(runner, dumps_dir)
    (dumps_dir / ".2020-01-01.partial").mkdir()  # an unfinished one is never listed
    page = client.get("/data/").get_data(as_text=True)
    assert f'href="/data/{snapshot.name}/manifest.json"' in page
    assert f'href="/data/{snapshot.name}/candidates.csv"' in page
    assert "2020-01-01" not in page
    manifest = json.loads((snapshot / "manifest.json").read_text())
    for item in manifest["files"]:
        assert item["sha256"] in page
    download = client.get(f"/data/{snapshot.name}/candidates.csv")
    assert download.status_code == 200
    assert hashlib.sha256(download.get_data()).hexdigest() == next(
        item["sha256"] for item in manifest["files"] if item["name"] == "candidates.csv"
    )
    assert download.headers["Content-Disposition"].startswith("attachment;")
    download.close()
    for path in (
        f"/data/{snapshot.name}/nothing.csv",
        "/data/2020-01-01/candidates.csv",
        f"/data/{snapshot.name}/..%2Fmanifest.json",
        "/data/..%2F..%2Fetc/passwd",
    ):
        assert client.get(path).status_code == 404, path


def test_the_data_page_in_english(client, dumps_dir):
    english = client.get("/data/?lang=en").get_data(as_text=True)
    assert "Data downloads" in english and "No snapshot has been published yet" in english


def test_every_download_the_data_page_links_answers(client, runner, people, dumps_dir):
    _, snapshot = dump(runner, dumps_dir)
    page = client.get("/data/").get_data(as_text=True)
    links = sorted(set(re.findall(rf'href="(/data/{snapshot.name}/[^"]+)"', page)))
    assert links == [
        f"/data/{snapshot.name}/{name}" for name in sorted(FILES | {"manifest.json", "SHA256SUMS"})
    ]
    for link in links:
        with client.get(link) as response:
            assert response.status_code == 200, link
            body = response.get_data()
        assert body == (snapshot / link.rsplit("/", 1)[1]).read_bytes(), link
    with client.get(f"/data/{snapshot.name}/SHA256SUMS") as sums:
        assert sums.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert sums.get_data(as_text=True).count("  candidates.") == 3
