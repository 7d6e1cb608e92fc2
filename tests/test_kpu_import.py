"""`import-candidates --format kpu-dct-json`: the commission's directory imports, re-imports
without change, states per-section consent and stores nothing it must not republish."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import MetaData, select, text

from transparency.extensions import db

FILES = Path(__file__).parent / "kpu_dct"
AS_OF = "2024-01-18"
pytestmark = pytest.mark.areas  # the DPRD districts of the fixtures are reference data


def run(runner: FlaskCliRunner, *args: str, as_of: str = AS_OF) -> Result:
    return runner.invoke(
        args=["import-candidates", "--format", "kpu-dct-json", "--as-of", as_of, *args]
    )


def sql(app: Flask, query: str) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(text(query))]


def scalar(app: Flask, query: str) -> int:
    return sql(app, query)[0][0]


def counts(app: Flask) -> dict[str, int]:
    return {
        table: scalar(app, f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
        for table in ("person", "candidacy", "disclosure_item", "revision", "source")
    }


def copy_tree(tmp_path: Path, name: str = "data") -> Path:
    target = tmp_path / name
    shutil.copytree(FILES, target)
    return target


def cv_items(app: Flask) -> dict[tuple[str, int, int], tuple]:
    """(district code, party ballot number or 0, list position) -> (status, sections, note)."""
    rows = sql(
        app,
        "SELECT d.code, coalesce(p.number, 0), c.ballot_number, i.status, i.sections, i.note "
        "FROM candidacy c JOIN district d ON d.id = c.district_id "
        "LEFT JOIN party p ON p.id = c.party_id "
        "LEFT JOIN disclosure_item i ON i.candidacy_id = c.id AND i.requirement = 'cv'",
    )
    return {
        (code, party, ballot): (
            status,
            json.loads(sections) if isinstance(sections, str) else sections,
            note,
        )
        for code, party, ballot, status, sections, note in rows
    }


def test_directory_imports_every_level(app, runner, tmp_path):
    result = run(runner, str(copy_tree(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "4 files, 25 entries read" in result.output
    assert "created 25, updated 0, unchanged 0, withdrawn 0" in result.output
    by_office = dict(
        sql(
            app,
            "SELECT o.code, count(*) FROM candidacy c JOIN office o ON o.id = c.office_id "
            "GROUP BY o.code",
        )
    )
    assert by_office == {"DPR": 12, "DPD": 4, "DPRD_PROVINSI": 5, "DPRD_KABKOTA": 4}
    # PKB is the commission's party id 8 and ballot number 1
    assert sql(
        app,
        "SELECT p.short_name FROM candidacy c JOIN person pe ON pe.id = c.person_id "
        "JOIN party p ON p.id = c.party_id WHERE pe.full_name = 'CONTOH FIKTIF SATU'",
    ) == [("PKB",)]
    assert sql(
        app,
        "SELECT pe.domicile, pe.gender, c.external_id, pe.photo_url FROM person pe "
        "JOIN candidacy c ON c.person_id = pe.id WHERE pe.full_name = 'CONTOH DPD SATU'",
    ) == [("KAB. SRAGEN", "L", None, None)]


def test_every_status_maps_fairly(app, runner, tmp_path):
    assert run(runner, str(copy_tree(tmp_path))).exit_code == 0
    items = cv_items(app)
    assert items[("3304", 1, 1)] == ("published", None, None)
    status, sections, note = items[("3304", 1, 2)]
    assert status == "partial"
    assert sections["published"] == ["datadiri", "alamat", "pekerjaan", "hukum"]
    assert sections["withheld"][:3] == ["pasangan", "pendidikan", "riwayatpekerjaan"]
    assert note == "Bersedia Sebagian (pilihan_publikasi di dpr/3304.json, per 2024-01-18)"
    assert items[("3304", 1, 3)][1]["withheld"] == []  # all twelve, still "Sebagian"
    assert items[("3304", 1, 4)] == (
        "not_found",
        None,
        "Tidak dipublikasikan di portal KPU per 2024-01-18 (profil kosong di dpr/3304.json)",
    )
    assert items[("3304", 13, 1)] == (
        "refused",
        None,
        "Tidak Bersedia (status_publikasi di dpr/3304.json, per 2024-01-18)",
    )
    assert items[("3304", 13, 2)] == (None, None, None)  # no status: not checked, no item
    assert items[("33", 0, 4)] == (None, None, None)
    assert items[("33", 0, 1)][0] == "published"
    assert items[("33", 0, 2)][0] == "not_found"
    assert items[("330401", 8, 2)][1]["withheld"] == []
    # Every stated item names the commission's page of the district, dated.
    dated = sql(
        app,
        "SELECT DISTINCT s.url, s.title, s.accessed_on, i.checked_at FROM disclosure_item i "
        "JOIN source s ON s.id = i.source_id JOIN candidacy c ON c.id = i.candidacy_id "
        "JOIN district d ON d.id = c.district_id WHERE d.code = '3304'",
    )
    assert [
        (url, title, str(accessed), str(checked)) for url, title, accessed, checked in dated
    ] == [
        (
            "https://infopemilu.kpu.go.id/Pemilu/Dct_dpr/Dct_dpr?kode_dapil=3304",
            "KPU, Daftar Calon Tetap DPR 3304 (dpr/3304.json, per 2024-01-18)",
            "2024-01-18",
            "2024-01-18",
        )
    ]
    assert scalar(app, "SELECT count(*) FROM disclosure_item WHERE source_id IS NULL") == 0


def test_reimport_and_other_spelling_change_nothing(app, runner, tmp_path):
    tree = copy_tree(tmp_path)
    assert run(runner, str(tree)).exit_code == 0
    before = counts(app)
    again = run(runner, str(tree))
    assert again.exit_code == 0, again.output
    assert "unchanged 25" in again.output
    assert "Nothing changed" in again.output
    assert counts(app) == before
    for path in tree.rglob("*.json"):
        content = path.read_text(encoding="utf-8")
        content = content.replace("Bersedia Sebagian", "BersediaSebagian")
        content = content.replace("Tidak Bersedia", "TidakBersedia").replace("%20", "")
        path.write_text(content, encoding="utf-8")
    assert "BersediaSebagian" in (tree / "dpr" / "3304.json").read_text(encoding="utf-8")
    other = run(runner, str(tree))
    assert other.exit_code == 0, other.output
    assert "created 0, updated 0, unchanged 25, withdrawn 0" in other.output
    assert counts(app) == before


def test_dry_run_writes_nothing(app, runner, tmp_path):
    before = counts(app)
    result = run(runner, "--dry-run", str(copy_tree(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "created 25" in result.output and "Dry run" in result.output
    assert counts(app) == before


def test_files_with_office(app, runner):
    result = run(runner, "--office", "DPR", str(FILES / "dpr" / "3304.json"))
    assert result.exit_code == 0, result.output
    assert scalar(app, "SELECT count(*) FROM candidacy") == 12
    wrong = run(runner, "--office", "DPD", str(FILES / "dpr" / "3304.json"))
    assert wrong.exit_code != 0
    assert "3304.json: it is in a dpr/ folder, but --office says DPD" in wrong.output


def test_as_of_is_required(app, runner):
    result = runner.invoke(
        args=["import-candidates", "--format", "kpu-dct-json", str(FILES / "dpr")]
    )
    assert result.exit_code != 0
    assert "--as-of YYYY-MM-DD is required" in result.output


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda c: c[9].update(id_partai=99),
            "dpr/3304.json, entry 10 (nomor_urut 2, id_partai 99), field id_partai: "
            "unknown party id 99",
        ),
        (
            lambda c: c[11].update(nomor_urut=3),
            "dpr/3304.json, entry 12 (nomor_urut 3, id_partai 74), field nomor_urut: "
            "list position 3 of this party is already entry 11 of the file",
        ),
        (
            lambda c: c[4].update(kode_dapil="3305"),
            "dpr/3304.json, entry 5 (nomor_urut 1, id_partai 41), field kode_dapil: "
            "says '3305', but the file is named 3304.json",
        ),
    ],
)
def test_bad_entry_refuses_everything(app, runner, tmp_path, edit, expected):
    tree = copy_tree(tmp_path)
    path = tree / "dpr" / "3304.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    edit(content)
    path.write_text(json.dumps(content, indent=2), encoding="utf-8")
    before = counts(app)
    result = run(runner, str(tree))
    assert result.exit_code == 1
    assert expected in result.output
    assert "nothing was written" in result.output
    assert counts(app) == before  # the three good files are not written either


def test_a_file_named_for_another_district_is_refused(app, runner, tmp_path):
    tree = copy_tree(tmp_path)
    (tree / "dpr" / "3304.json").rename(tree / "dpr" / "3305.json")
    result = run(runner, str(tree))
    assert result.exit_code == 1
    assert "dpr/3305.json, entry 1 (nomor_urut 1, id_partai 8), field kode_dapil" in result.output
    assert scalar(app, "SELECT count(*) FROM candidacy") == 0


def test_a_candidacy_left_off_is_withdrawn(app, runner, tmp_path):
    tree = copy_tree(tmp_path)
    assert run(runner, str(tree)).exit_code == 0
    path = tree / "dpr" / "3304.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(content[:-1], indent=2), encoding="utf-8")
    result = run(runner, str(tree))
    assert "created 0, updated 0, unchanged 24, withdrawn 1" in result.output
    assert sql(app, "SELECT stage FROM candidacy WHERE stage = 'withdrawn'") == [("withdrawn",)]


def test_a_later_capture_updates_only_dated_statements(app, runner, tmp_path):
    tree = copy_tree(tmp_path)
    assert run(runner, str(tree)).exit_code == 0
    revisions = scalar(app, "SELECT count(*) FROM revision")
    result = run(runner, str(tree), as_of="2024-02-01")
    assert result.exit_code == 0, result.output
    # refused, not_found and partial items carry the date in their words; published none
    dated = scalar(
        app,
        "SELECT count(*) FROM disclosure_item WHERE requirement = 'cv' "
        "AND status IN ('refused', 'not_found', 'partial')",
    )
    assert scalar(app, "SELECT count(*) FROM revision") == revisions + dated
    assert (
        scalar(app, "SELECT count(*) FROM disclosure_item WHERE note LIKE '%per 2024-02-01%'")
        == dated
    )


CSV_FIRST = (
    "election,office,district_code,party_number,ballot_number,full_name,gender,birth_date,"
    "education,occupation,program,cv_status\n"
    "pemilu-2024,DPR,3304,1,1,Contoh Fiktif Satu,P,1980-05-17,S2,Guru,"
    "Sekolah gratis di setiap kecamatan.,bersedia\n"
)


def test_the_commissions_file_keeps_what_it_does_not_carry(app, runner, tmp_path):
    """A candidacy first imported from our CSV (birth date, education, occupation, programme)
    and then from the commission's JSON, which has none of these: the name changes to the
    file's spelling, and nothing the file does not carry is emptied or hidden."""
    path = tmp_path / "list.csv"
    path.write_text(CSV_FIRST, encoding="utf-8")
    first = runner.invoke(args=["import-candidates", str(path)])
    assert first.exit_code == 0, first.output
    result = run(runner, str(copy_tree(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "created 24, updated 1, unchanged 0" in result.output
    assert sql(
        app,
        "SELECT pe.full_name, pe.gender, CAST(pe.birth_date AS TEXT), pe.education, pe.occupation, "
        "pe.domicile FROM person pe JOIN candidacy c ON c.person_id = pe.id "
        "JOIN party p ON p.id = c.party_id JOIN district d ON d.id = c.district_id "
        "WHERE d.code = '3304' AND p.number = 1 AND c.ballot_number = 1",
    ) == [("CONTOH FIKTIF SATU", "P", "1980-05-17", "S2", "Guru", "KOTA ADM. JAKARTA TIMUR")]
    assert sql(
        app,
        "SELECT ps.text, ps.hidden FROM programme_statement ps "
        "JOIN candidacy c ON c.id = ps.candidacy_id JOIN party p ON p.id = c.party_id "
        "WHERE p.number = 1 AND c.ballot_number = 1 AND c.office_id = "
        "(SELECT id FROM office WHERE code = 'DPR')",
    ) == [("Sekolah gratis di setiap kecamatan.", False)]


def dump_text(app: Flask) -> str:
    """Every value of every table, as text: what a database dump would hold."""
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(bind=db.engine)
        parts = []
        for table in metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                parts.append(repr(tuple(row)))
        return "\n".join(parts)


def test_no_photo_address_portal_id_or_16_digit_number_is_stored_or_shown(
    app, runner, client, tmp_path
):
    assert run(runner, str(copy_tree(tmp_path))).exit_code == 0
    dump = dump_text(app)
    assert "CONTOH FIKTIF SATU" in dump  # the dump holds the import
    assert "contoh.example" not in dump
    assert "pas_foto" not in dump
    assert "Q09OVE9I" not in dump  # the portal's token (base64 part)
    numbers = set()
    for path in FILES.rglob("*.json"):
        numbers |= set(re.findall(r"(?<!\d)\d{16}(?!\d)", path.read_text(encoding="utf-8")))
    assert "0000000000000002" in numbers  # a photo's file name in the fixtures
    assert [number for number in numbers if number in dump] == []
    assert re.search(r"(?<!\w)\d{16}(?!\w)", dump) is None  # no stand-alone one either
    candidacy_ids = [row[0] for row in sql(app, "SELECT id FROM candidacy")]
    pages = [client.get(f"/candidates/{i}") for i in candidacy_ids]
    pages += [client.get(f"/api/v1/candidates/{i}") for i in candidacy_ids]
    pages += [client.get("/candidates"), client.get("/statistics"), client.get("/flagged")]
    for page in pages:
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        assert "contoh.example" not in body
        assert [number for number in numbers if number in body] == []


def zipped(tree: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(tree.rglob("*.json")):
            archive.write(path, f"data/{path.relative_to(tree).as_posix()}")
    return buffer.getvalue()


def admin_upload(app: Flask, client, content: bytes, name: str, **fields: str) -> dict:
    """Upload as an admin, wait for the check; the job's status and page."""
    from tests.test_import_admin import job_of, log_in, upload

    log_in(app, client)
    job_id = job_of(upload(client, content, name=name, format="kpu-dct-json", **fields))
    status = client.get(f"/admin/import/jobs/{job_id}.json").get_json()
    page = client.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    return {"id": job_id, "state": status["state"], "page": page}


def test_admin_imports_a_zip_of_the_directory(app, client, tmp_path):
    from tests.test_import_admin import job_of

    job = admin_upload(app, client, zipped(copy_tree(tmp_path)), "dct.zip", as_of=AS_OF)
    assert job["state"] == "checked", job["page"][-3000:]
    assert scalar(app, "SELECT count(*) FROM candidacy") == 0  # the check writes nothing
    job_of(client.post(f"/admin/import/jobs/{job['id']}/confirm"))
    assert scalar(app, "SELECT count(*) FROM candidacy") == 25
    assert scalar(app, "SELECT count(*) FROM disclosure_item WHERE status = 'refused'") == 1


def test_admin_imports_one_district_file_with_its_office(app, client):
    content = (FILES / "dpd" / "33.json").read_bytes()
    job = admin_upload(app, client, content, "33.json", as_of=AS_OF, office="DPD")
    assert job["state"] == "checked", job["page"][-3000:]


def test_admin_upload_names_the_file_and_entry_of_a_problem(app, client, tmp_path):
    tree = copy_tree(tmp_path)
    path = tree / "dprdkk" / "330401.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    content[2]["id_partai"] = 999
    path.write_text(json.dumps(content), encoding="utf-8")
    job = admin_upload(app, client, zipped(tree), "dct.zip", as_of=AS_OF)
    assert job["state"] == "failed"
    assert "dprdkk/330401.json: id_partai" in job["page"]
    assert "unknown party id 999" in job["page"]


def test_admin_upload_of_json_needs_a_date_and_an_office(app, client):
    from tests.test_import_admin import upload

    content = (FILES / "dpd" / "33.json").read_bytes()
    job = admin_upload(app, client, content, "33.json", as_of=AS_OF)
    assert job["state"] == "failed"
    assert "choose the office of this district file" in job["page"]
    response = upload(client, content, name="33.json", format="kpu-dct-json")
    assert response.status_code == 400
    assert "Give the date the files were captured." in response.get_data(as_text=True)


def test_demo_writes_fictional_files_that_import(app, runner, tmp_path):
    folder = tmp_path / "demo-kpu"
    written = runner.invoke(args=["demo-data", "--kpu-json", str(folder), "--candidates", "3000"])
    assert written.exit_code == 0, written.output
    assert sorted(p.name for p in folder.iterdir()) == ["dpd", "dpr", "dprdkk", "dprdprov"]
    assert len(list(folder.rglob("*.json"))) == 2748  # every district of 2024
    sample = json.loads((folder / "dpr" / "3304.json").read_text(encoding="utf-8"))
    assert all(entry["nama"].endswith(" FIKTIF") for entry in sample)
    assert list(sample[0]) == [
        "nomor_urut",
        "foto",
        "nama",
        "jenis_kelamin",
        "alamat_kabko",
        "profile",
        "id_partai",
        "kode_dapil",
    ]
    result = run(runner, "--dry-run", str(folder / "dpr"), str(folder / "dpd"))
    assert result.exit_code == 0, result.output
    assert "122 files" in result.output  # 84 DPR districts and 38 provinces
