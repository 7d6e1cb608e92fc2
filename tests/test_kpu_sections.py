"""Per-section consent as a reader sees it: the profile in both languages, /statistics, the
API and the exports, after importing the fictional commission files."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from transparency.extensions import db

FILES = Path(__file__).parent / "kpu_dct"
pytestmark = pytest.mark.areas


@pytest.fixture
def imported(app: Flask, runner, tmp_path) -> dict[str, int]:
    """Candidacy ids of the fixtures by person name, after one import of every level."""
    tree = tmp_path / "data"
    shutil.copytree(FILES, tree)
    args = ["import-candidates", "--format", "kpu-dct-json", "--as-of", "2024-01-18", str(tree)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = db.session.execute(
            text("SELECT pe.full_name, c.id FROM candidacy c JOIN person pe ON pe.id = c.person_id")
        )
        return dict(rows.all())


def page(client, path: str, lang: str) -> str:
    client.set_cookie("lang", lang)
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_profile_says_which_sections_are_withheld_in_both_languages(client, imported):
    # CONTOH FIKTIF DUA allowed datadiri, alamat, pekerjaan, hukum only.
    path = f"/candidates/{imported['CONTOH FIKTIF DUA']}"
    indonesian = page(client, path, "id")
    assert (
        "Tidak membuka: pasangan, riwayat pendidikan, riwayat pekerjaan, kursus dan pelatihan, "
        "riwayat organisasi, penghargaan, motivasi, program usulan" in indonesian
    )
    assert "Membuka: data diri, alamat, pekerjaan, status hukum" in indonesian
    assert "KPU, Daftar Calon Tetap DPR 3304 (dpr/3304.json, per 2024-01-18)" in indonesian
    assert 'href="https://infopemilu.kpu.go.id/Pemilu/Dct_dpr/Dct_dpr?kode_dapil=3304"' in (
        indonesian
    )
    english = page(client, path, "en")
    assert (
        "Not published: spouse, education history, employment history, courses and training, "
        "organisations, awards, motivation, proposed programme" in english
    )
    assert "Tidak membuka" not in english
    # "hukum" withheld: CONTOH FIKTIF LIMA allowed only datadiri
    lima = page(client, f"/candidates/{imported['CONTOH FIKTIF LIMA']}", "id")
    assert "Tidak membuka: alamat, pekerjaan, status hukum, pasangan" in lima


def test_profile_of_a_refusal_and_of_an_empty_profile(client, imported):
    refused = page(client, f"/candidates/{imported['CONTOH FIKTIF SEMBILAN']}", "en")
    assert "Not published:" not in refused
    empty = page(client, f"/candidates/{imported['CONTOH FIKTIF EMPAT']}", "en")
    assert "Not published:" not in empty
    assert "Refused" not in empty.split('id="disclosure-heading"')[1].split("</section>")[0]


def test_statistics_share_withholding_each_section(client, imported):
    body = page(client, "/statistics?item=cv", "en")
    assert "CV sections withheld" in body
    section = body.split('id="h-sections"')[1]
    # DPR 3304: 12 candidacies, 7 partial. Counted by hand from the fixture: datadiri is
    # withheld by 1 (PB no. 2), alamat by 4 (PB 1-3, PBB 3), pekerjaan and hukum by 3 (PB 1-3),
    # pasangan by 5 (PKB 2, PB 1-3, PBB 3). The DPR row of the office table:
    office_table = section.split('id="h-sections-office"')[1].split("</table>")[0]
    dpr_row = next(row for row in office_table.split("<tr>") if "House of Representatives" in row)
    cells = [cell.split("<")[0] for cell in dpr_row.split("<td>")[1:]]
    assert cells[0] == "12"
    assert cells[1:6] == ["8.3%", "33.3%", "25%", "25%", "41.7%"]


def test_api_and_exports_carry_the_sections(client, imported):
    client.set_cookie("lang", "en")
    api = client.get(f"/api/v1/candidates/{imported['CONTOH FIKTIF DUA']}").get_json()
    text_of_api = repr(api)
    assert "'withheld': ['pasangan', 'pendidikan'" in text_of_api
    assert "'published': ['datadiri', 'alamat', 'pekerjaan', 'hukum']" in text_of_api
    exported = client.get("/export/candidates.csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    by_name = {row["name"]: row for row in rows}
    assert by_name["CONTOH FIKTIF LIMA"]["cv_sections_withheld"] == (
        "alamat | pekerjaan | hukum | pasangan | pendidikan | riwayatpekerjaan | kursus | "
        "organisasi | penghargaan | motivasi | program"
    )
    assert by_name["CONTOH FIKTIF SATU"]["cv_sections_withheld"] == ""
    records = client.get("/export/candidates.json").get_data(as_text=True)
    assert '"sections_withheld":["alamat","pekerjaan","hukum"' in records.replace(" ", "")
