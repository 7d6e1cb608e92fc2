"""The official-list import: round trip, re-import, corrections, withdrawal, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from transparency.extensions import db
from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    ImportBatch,
    Person,
    ProgrammeStatement,
    Revision,
    Stage,
    TrackRecordItem,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "official-list.csv"
HEADER = "election,office,district_code,party_number,ballot_number,full_name,cv_status,external_id"


def write(tmp_path: Path, *lines: str, name: str = "list.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")
    return path


def run(runner: FlaskCliRunner, path: Path, *args: str) -> Result:
    return runner.invoke(args=["import-candidates", str(path), *args])


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def table_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: count(model)
            for model in (Person, Candidacy, DisclosureItem, ProgrammeStatement, Revision, District)
        }


def test_example_file_round_trip(app, runner, tmp_path):
    result = run(
        runner, EXAMPLE, "--source-url", "https://infopemilu.kpu.go.id/", "--user", "a@x.id"
    )
    assert result.exit_code == 0, result.output
    assert "created 7, updated 0, unchanged 0, withdrawn 0" in result.output
    with app.app_context():
        siti = db.session.scalars(select(Person).filter_by(gender="P").order_by(Person.id)).first()
        assert siti.full_name == "Dr. SITI RAHAYU CONTOH, S.H., M.H."  # capitals and titles kept
        candidacy = siti.candidacies[0]
        assert (candidacy.district.code, candidacy.party.number, candidacy.ballot_number) == (
            "3304",
            1,
            1,
        )
        statuses = {i.requirement: i.status for i in candidacy.disclosure_items}
        assert statuses == {
            "cv": "published",
            "criminal_record": "published",
            "lhkpn": "published",
            "programme": "published",
        }
        assert candidacy.programme[0].text.startswith("Air bersih")
        assert candidacy.source.url == "https://contoh.example/dct/dpr/3304"
        refused = db.session.scalars(
            select(DisclosureItem).where(DisclosureItem.status == "refused")
        ).all()
        assert {i.candidacy.person.full_name for i in refused} == {
            "Budi Santoso Fiktif",
            "Rina Wulandari Fiktif",
        }
        lhkpn = {
            i.candidacy.external_id: i.status
            for i in db.session.scalars(select(DisclosureItem).filter_by(requirement="lhkpn"))
        }
        assert lhkpn["FIKTIF-DPR-0002"] == "not_found"
        assert lhkpn["FIKTIF-DPR-0004"] == "not_applicable"
        dprd = db.session.scalars(select(District).filter_by(code="3306-01")).one()
        assert dprd.name == "PURWOREJO 1"
        batch = db.session.scalars(select(ImportBatch)).one()
        assert (batch.kind, batch.run_by, batch.file_name) == (
            "official-list",
            "a@x.id",
            EXAMPLE.name,
        )
        assert batch.counts["created"] == 7
        revisions = db.session.scalars(
            select(Revision).filter_by(entity_type="person", action="create")
        ).all()
        assert len(revisions) == 7
        assert {r.import_batch_id for r in revisions} == {batch.id}
        assert all(r.origin == "import" for r in revisions)
        assert {r.after["full_name"] for r in revisions} >= {siti.full_name}
        assert candidacy.created_at.year >= 2024 and siti.birth_date.isoformat() == "1975-03-14"


def test_reimport_changes_nothing_and_says_so(app, runner):
    assert run(runner, EXAMPLE).exit_code == 0
    before = table_counts(app)
    result = run(runner, EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, unchanged 7, withdrawn 0" in result.output
    assert "Nothing changed" in result.output
    assert table_counts(app) == before


def test_dry_run_reports_without_writing(app, runner):
    before = table_counts(app)
    result = run(runner, EXAMPLE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "created 7" in result.output and "Dry run" in result.output
    assert table_counts(app) == before


def test_a_refusal_without_a_source_is_refused_and_nothing_is_written(app, runner, tmp_path):
    before = table_counts(app)
    result = run(runner, write(tmp_path, "pemilu-2024,DPR,3304,1,1,Ani Fiktif,tidak_bersedia,E1"))
    assert result.exit_code != 0
    assert (
        "line 2, column cv_status, value 'tidak_bersedia': tidak_bersedia needs a source: "
        "give this row a source_url or the file a --source-url"
    ) in result.output
    assert table_counts(app) == before
    with_source = run(
        runner,
        write(tmp_path, "pemilu-2024,DPR,3304,1,1,Ani Fiktif,tidak_bersedia,E1", name="b.csv"),
        "--source-url",
        "https://contoh.example/dct",
    )
    assert with_source.exit_code == 0, with_source.output


def test_corrected_file_changes_only_what_differs(app, runner, tmp_path):
    rows = (
        "pemilu-2024,DPR,3304,1,1,Ani Fiktif,bersedia,E1",
        "pemilu-2024,DPR,3304,1,2,Bayu Fiktif,bersedia,E2",
    )
    assert run(runner, write(tmp_path, *rows)).exit_code == 0
    corrected = write(
        tmp_path,
        rows[0],
        "pemilu-2024,DPR,3304,1,2,Bayu Fiktif,tidak_bersedia,E2",
        name="corrected.csv",
    )
    result = run(runner, corrected, "--source-url", "https://contoh.example/dct")
    assert result.exit_code == 0, result.output
    assert "created 0, updated 1, unchanged 1, withdrawn 0" in result.output
    with app.app_context():
        batch = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
        changes = db.session.scalars(select(Revision).filter_by(import_batch_id=batch.id)).all()
        assert [(r.entity_type, r.before["status"], r.after["status"]) for r in changes] == [
            ("disclosure_item", "published", "refused")
        ]


def test_a_file_of_some_districts_withdraws_nothing_elsewhere(app, runner, tmp_path):
    """Lists are published per district: a file of one district is not the whole office."""
    rows = (
        "pemilu-2024,DPR,3304,1,1,Ani Fiktif,bersedia,E1",
        "pemilu-2024,DPR,3304,1,2,Bayu Fiktif,bersedia,E2",
        "pemilu-2024,DPR,3101,1,1,Citra Fiktif,bersedia,E3",
    )
    assert run(runner, write(tmp_path, *rows)).exit_code == 0
    result = run(runner, write(tmp_path, rows[0], name="purworejo-only.csv"))
    assert "unchanged 1, withdrawn 1" in result.output, result.output
    with app.app_context():
        stages = dict(db.session.execute(select(Candidacy.external_id, Candidacy.stage)).all())
    assert stages == {"E1": Stage.DCT, "E2": Stage.WITHDRAWN, "E3": Stage.DCT}


def test_missing_candidacy_is_withdrawn_not_deleted(app, runner, tmp_path):
    rows = (
        "pemilu-2024,DPR,3304,1,1,Ani Fiktif,bersedia,E1",
        "pemilu-2024,DPR,3304,1,2,Bayu Fiktif,bersedia,E2",
    )
    assert run(runner, write(tmp_path, *rows)).exit_code == 0
    result = run(runner, write(tmp_path, rows[0], name="later.csv"))
    assert "withdrawn 1" in result.output, result.output
    with app.app_context():
        bayu = db.session.scalars(select(Candidacy).filter_by(external_id="E2")).one()
        assert bayu.stage == Stage.WITHDRAWN
        revision = db.session.scalars(
            select(Revision).filter_by(
                entity_type="candidacy", candidacy_id=bayu.id, action="update"
            )
        ).one()
        assert (revision.before, revision.after) == ({"stage": "DCT"}, {"stage": "withdrawn"})
    # Back on a later list: back to the final list.
    result = run(runner, write(tmp_path, *rows, name="again.csv"))
    assert "updated 1, unchanged 1, withdrawn 0" in result.output, result.output
    with app.app_context():
        assert (
            db.session.scalars(select(Candidacy.stage).filter_by(external_id="E2")).one() == "DCT"
        )


def test_volunteer_data_survives_reimport(app, runner, make, tmp_path):
    candidacy = make.candidacy(
        "Ani Fiktif",
        district="3304",
        party_number=1,
        ballot_number=1,
        track_record=[{"kind": "legal_case", "title": "Perkara uji"}],
        programme=["Program dari relawan"],
    ).id
    db.session.commit()  # release SQLite's write lock before the command runs
    path = write(tmp_path, "pemilu-2024,DPR,3304,1,1,Ani Fiktif,tidak_bersedia,")
    assert run(runner, path, "--source-url", "https://contoh.example/dct").exit_code == 0
    result = run(
        runner, write(tmp_path, "pemilu-2024,DPR,3304,1,1,Ani Fiktif,bersedia,", name="b.csv")
    )
    assert "updated 1" in result.output, result.output
    with app.app_context():
        assert count(Candidacy) == 1  # matched by slot, not duplicated
        assert count(TrackRecordItem) == 1
        texts = db.session.scalars(
            select(ProgrammeStatement.text).filter_by(candidacy_id=candidacy, hidden=False)
        ).all()
        assert texts == ["Program dari relawan"]


def test_error_in_last_row_leaves_database_unchanged(app, runner, tmp_path):
    before = table_counts(app)
    rows = [f"pemilu-2024,DPR,3304,1,{n},Calon {n} Fiktif,bersedia,E{n}" for n in range(1, 50)]
    rows.append("pemilu-2024,DPR,3304,1,50,Calon 50 Fiktif,maybe,E50")
    result = run(runner, write(tmp_path, *rows))
    assert result.exit_code == 1
    assert "line 51, column cv_status, value 'maybe'" in result.output
    assert "nothing was written" in result.output
    assert table_counts(app) == before


@pytest.mark.parametrize(
    ("row", "line", "column"),
    [
        ("pemilu-2099,DPR,3304,1,1,A,,", 2, "election"),
        ("pemilu-2024,SENAT,3304,1,1,A,,", 2, "office"),
        ("pemilu-2024,DPR,9999,1,1,A,,", 2, "district_code"),
        ("pemilu-2024,DPRD_KABKOTA,3306-09,1,1,A,,", 2, "district_code"),
        ("pemilu-2024,DPR,3304,99,1,A,,", 2, "party_number"),
        ("pemilu-2024,DPR,3304,,1,A,,", 2, "party_number"),
        ("pemilu-2024,DPD,33,1,1,A,,", 2, "party_number"),
        ("pemilu-2024,DPR,3304,1,0,A,,", 2, "ballot_number"),
        ("pemilu-2024,DPR,3304,1,x,A,,", 2, "ballot_number"),
        ("pemilu-2024,DPR,3304,1,1,,,", 2, "full_name"),
        ("pemilu-2024,DPR,3304,1,1,A,ya,", 2, "cv_status"),
        ("pemilu-2024,DPR,3304,1,1,A,,,extra", 2, "-"),
    ],
)
def test_each_invalid_value_is_named(app, runner, tmp_path, row, line, column):
    result = run(runner, write(tmp_path, row))
    assert result.exit_code == 1
    assert f"line {line}, column {column}" in result.output, result.output


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("gender", "X", "must be L or P"),
        ("birth_date", "1980-02-30", "YYYY-MM-DD"),
        ("birth_date", "14/02/1980", "YYYY-MM-DD"),
        ("photo_url", "javascript:alert(1)", "http"),
        ("source_url", "ftp://contoh.example/x", "http"),
        ("lhkpn_status", "yes", "filed"),
        ("criminal_status", "tidak", "bukan"),
    ],
)
def test_optional_columns_are_checked(app, runner, tmp_path, column, value, message):
    path = write(tmp_path, f"pemilu-2024,DPR,3304,1,1,A,,,{value}", header=f"{HEADER},{column}")
    result = run(runner, path)
    assert result.exit_code == 1
    assert f"line 2, column {column}, value {value!r}" in result.output
    assert message in result.output


def test_duplicate_ballot_number_names_both_lines(app, runner, tmp_path):
    path = write(tmp_path, "pemilu-2024,DPR,3304,1,1,A,,", "pemilu-2024,DPR,3304,1,1,B,,")
    result = run(runner, path)
    assert result.exit_code == 1
    assert "line 3, column ballot_number, value '1': ballot number already used on line 2" in (
        result.output
    )


def test_problems_beyond_200_are_counted(app, runner, tmp_path):
    # Issue #15: the report lists the first 200 problems and counts the rest.
    rows = [f"pemilu-2024,DPR,3304,1,{n},A,bad,E{n}" for n in range(1, 231)]
    result = run(runner, write(tmp_path, *rows))
    assert result.exit_code == 1
    assert "... and 30 more problems" in result.output
    assert "230 problems" in result.output


def test_real_world_file_shapes(app, runner, tmp_path):
    """BOM, semicolons, CRLF, spaces around values, a quoted separator."""
    text = (
        "\ufeffelection ; office;district_code;party_number;ballot_number;FULL_NAME;gender\r\n"
        ' pemilu-2024 ;DPR;3304;1;1;"SITI; AMINAH, S.Pd." ; p \r\n'
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("utf-8"))
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        person = db.session.scalars(select(Person)).one()
        assert (person.full_name, person.gender) == ("SITI; AMINAH, S.Pd.", "P")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (HEADER.encode() + b"\n", "header but no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (HEADER.encode() + b"\npemilu-2024,DPR,3304,1,1,Jos\xe9,,\n", "line 2"),
        (b"election,office,full_name\npemilu-2024,DPR,A\n", "required columns are missing"),
    ],
)
def test_unreadable_files_are_refused(app, runner, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    before = table_counts(app)
    result = run(runner, path)
    assert result.exit_code == 1
    assert message in result.output
    assert table_counts(app) == before


def test_latin1_names_the_line_and_encoding(app, runner, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(HEADER.encode() + b"\npemilu-2024,DPR,3304,1,1,Jos\xe9,,\n")
    result = run(runner, path)
    assert "line 2" in result.output and "UTF-8" in result.output


def test_unknown_columns_are_warned_and_ignored(app, runner, tmp_path):
    path = write(tmp_path, "pemilu-2024,DPR,3304,1,1,A,,,42", header=f"{HEADER},shoe_size")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert "unknown column 'shoe_size' is ignored" in result.output


def test_new_dprd_district_needs_a_name_and_is_created_once(app, runner, tmp_path):
    header = f"{HEADER},district_name"
    rows = (
        "pemilu-2024,DPRD_KABKOTA,3306-02,1,1,A,,,PURWOREJO 2",
        "pemilu-2024,DPRD_KABKOTA,3306-02,1,2,B,,,PURWOREJO 2",
    )
    result = run(runner, write(tmp_path, *rows, header=header))
    assert "districts created 1" in result.output, result.output
    with app.app_context():
        district = db.session.scalars(select(District).filter_by(code="3306-02")).one()
        assert district.province.code == "33"


def test_example_file_is_fictional_and_valid(app, runner, tmp_path):
    copy = tmp_path / "copy.csv"
    shutil.copy(EXAMPLE, copy)
    result = run(runner, copy, "--dry-run")
    assert result.exit_code == 0, result.output
    names = EXAMPLE.read_text(encoding="utf-8")
    assert names.count("Fiktif") + names.count("CONTOH") >= 7


def test_external_id_follows_a_candidate_to_a_new_ballot_number(app, runner, tmp_path):
    assert (
        run(runner, write(tmp_path, "pemilu-2024,DPR,3304,1,1,Ani Fiktif,bersedia,E1")).exit_code
        == 0
    )
    moved = write(tmp_path, "pemilu-2024,DPR,3304,1,4,Ani Fiktif,bersedia,E1", name="moved.csv")
    result = run(runner, moved)
    assert "created 0, updated 1, unchanged 0, withdrawn 0" in result.output, result.output
    with app.app_context():
        candidacy = db.session.scalars(select(Candidacy)).one()
        assert candidacy.ballot_number == 4
        revision = db.session.scalars(
            select(Revision).filter_by(entity_type="candidacy", action="update")
        ).one()
        assert (revision.before, revision.after) == ({"ballot_number": 1}, {"ballot_number": 4})


def test_derived_data_is_refreshed_once_for_what_changed(app, runner, tmp_path):
    from transparency.derived import register

    calls: list[list[int]] = []
    register(
        app,
        "test-recorder",
        lambda _session, change: calls.append(sorted(change.candidacy_ids)),
        order=1000,
    )
    rows = (
        "pemilu-2024,DPR,3304,1,1,Ani Fiktif,bersedia,E1",
        "pemilu-2024,DPR,3304,1,2,Bayu Fiktif,bersedia,E2",
    )
    assert run(runner, write(tmp_path, *rows)).exit_code == 0
    assert len(calls) == 1 and len(calls[0]) == 2
    assert run(runner, write(tmp_path, *rows)).exit_code == 0
    assert len(calls) == 1  # nothing changed: nothing to refresh
    changed = write(tmp_path, rows[0], "pemilu-2024,DPR,3304,1,2,Bayu Fiktif,sebagian,E2")
    assert run(runner, changed).exit_code == 0
    with app.app_context():
        bayu = db.session.scalars(select(Candidacy.id).filter_by(external_id="E2")).one()
    assert calls[1] == [bayu]


def test_line_numbers_count_line_breaks_inside_quoted_values(app, runner, tmp_path):
    header = f"{HEADER},biography"
    path = write(
        tmp_path,
        'pemilu-2024,DPR,3304,1,1,A,,,"Baris satu\nbaris dua"',
        "pemilu-2024,DPR,3304,1,2,B,ya,,",
        header=header,
    )
    result = run(runner, path)
    assert "line 4, column cv_status, value 'ya'" in result.output, result.output
