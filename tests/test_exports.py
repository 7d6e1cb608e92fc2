"""/export/*: the filtered list as files, the same rows as the list, bad input refused."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from transparency.exports.records import count, iter_records
from transparency.exports.rows import neutralise
from transparency.extensions import db
from transparency.listing import candidacy_query, parse_filters
from transparency.models import Candidacy, Stage, StatusChange, utcnow
from transparency.search import sync
from transparency.search.store import index_root

# What the default rules store for a CV refused on 14 November 2023 (transparency.disclosure).
CV_FLAG = {
    "rule_id": "R-CV",
    "requirement": "cv",
    "status": "refused",
    "checked_at": "2023-11-14",
    "reason_id": "Tidak bersedia membuka data diri (per 14 November 2023)",
    "reason_en": "Declined to make personal data public (as of November 14, 2023)",
    "source_url": "https://contoh.example/sumber",
}


def flag(candidacy: Candidacy) -> None:
    """The rules flag a refused CV when it is written; exports read what they stored."""
    assert candidacy.flagged, candidacy.flags
    assert candidacy.flags[0].items() >= CV_FLAG.items()


@pytest.fixture
def listed(make):
    """Three listed candidacies (one flagged, hostile name), one hidden, one withdrawn."""
    hostile = make.candidacy(
        '=HYPERLINK("http://evil.example","x") "Budi"\nbaris',
        party_number=1,
        disclosure={"cv": "refused", "criminal_record": "published", "lhkpn": "published"},
    )
    flag(hostile)
    clean = make.candidacy(
        "Siti Rahayu",
        party_number=2,
        disclosure={"cv": "published", "criminal_record": "published"},
    )
    clean.disclosure_score, clean.ruleset_version = 100, "2024.1"
    other = make.candidacy("Andi", district="3301", party_number=1)
    hidden = make.candidacy("Tersembunyi", party_number=1)
    withdrawn = make.candidacy("Mundur", party_number=1)
    from transparency.revisions import provenance

    with provenance(db.session, origin="test"):
        hidden.hidden = True
        withdrawn.stage = Stage.WITHDRAWN
        db.session.flush()
    ids = {
        "hostile": hostile.id,
        "clean": clean.id,
        "other": other.id,
        "hidden": hidden.id,
        "withdrawn": withdrawn.id,
    }
    db.session.commit()  # reading ids after a commit would hold SQLite's write lock
    return ids


def read_csv(response) -> list[dict[str, str]]:
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_export_is_an_inert_attachment_with_the_list(client, listed):
    response = client.get("/export/candidates.csv")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="jejak-terbuka-candidates-20')
    assert disposition.endswith('.csv"')
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    rows = read_csv(response)
    ids = {int(row["candidacy_id"]) for row in rows}
    assert ids == {listed["hostile"], listed["clean"], listed["other"]}
    assert response.headers["X-Export-Row-Count"] == "3"
    hostile = next(row for row in rows if int(row["candidacy_id"]) == listed["hostile"])
    assert hostile["name"] == neutralise('=HYPERLINK("http://evil.example","x") "Budi"\nbaris')
    assert hostile["flagged"] == "true"
    assert hostile["flag_rule_ids"] == "R-CV"
    assert hostile["flag_reasons_id"] == CV_FLAG["reason_id"]
    assert hostile["status_cv"] == "refused"
    assert hostile["checked_at_cv"] == "2023-11-14"
    assert hostile["status_lhkpn"] == "published"
    assert CV_FLAG["source_url"] in hostile["source_urls"]
    assert hostile["profile_url"].endswith(f"/candidates/{listed['hostile']}")


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/export/candidates.csv", "text/csv; charset=utf-8"),
        ("/export/candidates.csv.sha256", "text/plain; charset=utf-8"),
        ("/export/candidates.json", "application/json; charset=utf-8"),
        ("/export/popolo.json", "application/json; charset=utf-8"),
        ("/export/changes.csv?since=2023-01-01", "text/csv; charset=utf-8"),
        (
            "/export/candidates.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_every_export_has_one_content_type_and_its_row_count(client, listed, url, content_type):
    with client.get(url) as response:
        response.get_data()
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Export-Row-Count"].isdigit()
    if "changes" not in url:
        assert response.headers["X-Export-Row-Count"] == "3"


@pytest.mark.parametrize(
    ("query", "stem"),
    [
        ("", "jejak-terbuka-candidates"),
        ("?status=flagged&party=pkb", "jejak-terbuka-flagged-pkb"),
        ("?office=DPRD_KABKOTA&district=3304", "jejak-terbuka-candidates-dprd-kabkota-3304"),
        ("?election=pemilu-2024&status=disclosed", "jejak-terbuka-disclosed-pemilu-2024"),
        ("?q=Guru%20Honorer", "jejak-terbuka-candidates-search-guru-honorer"),
    ],
)
def test_file_names_say_what_the_file_holds(client, listed, query, stem):
    response = client.get("/export/candidates.json" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    day = response.headers["X-Export-Generated-At"][:10]
    expected = f'attachment; filename="{stem}-{day}.json"'
    assert response.headers["Content-Disposition"] == expected


def test_csv_names_party_office_province_beside_their_codes(client, listed):
    rows = {int(row["candidacy_id"]): row for row in read_csv(client.get("/export/candidates.csv"))}
    row = rows[listed["other"]]
    assert (row["party"], row["party_name"]) == ("pkb", "Partai Kebangkitan Bangsa")
    assert (row["office"], row["office_name_id"], row["office_name_en"]) == (
        "DPR",
        "Dewan Perwakilan Rakyat",
        "House of Representatives",
    )
    assert (row["province"], row["province_name"]) == ("33", "Jawa Tengah")
    assert (row["district_code"], row["district_name"]) == ("3301", "JAWA TENGAH I")
    json_rows = client.get("/export/candidates.json").get_json()["rows"]
    other = next(r for r in json_rows if r["candidacy_id"] == listed["other"])
    assert other["party_name"] == "Partai Kebangkitan Bangsa"
    assert other["office_name_en"] == "House of Representatives"


def test_flagged_filter_agrees_with_the_list_query(client, listed, make):
    """Each filter gives the fixture's candidacies it names, in ballot order (district 3301
    before 3304, then party number); a hidden person's flagged candidacy is in none."""
    hidden_person = make.candidacy(
        "Orang Tersembunyi",
        party_number=1,
        disclosure={"cv": "refused", "criminal_record": "published"},
    )
    make.hide(hidden_person.person)
    expected = {
        (): [listed["other"], listed["hostile"], listed["clean"]],
        (("status", "flagged"),): [listed["hostile"]],
        (("party", "pkb"),): [listed["other"], listed["hostile"]],
        (("district", "3301"),): [listed["other"]],
        (("stage", "withdrawn"),): [listed["withdrawn"]],
    }
    for args, ids in expected.items():
        response = client.get("/export/candidates.csv", query_string=dict(args))
        rows = read_csv(response)
        assert [int(row["candidacy_id"]) for row in rows] == ids, args
        assert response.headers["X-Export-Row-Count"] == str(len(ids)), args


def test_sha256_sidecar_matches_the_csv_body(client, listed):
    import hashlib

    body = client.get("/export/candidates.csv?status=flagged").get_data()
    sidecar = client.get("/export/candidates.csv.sha256?status=flagged")
    digest, name = sidecar.get_data(as_text=True).split()
    assert digest == hashlib.sha256(body).hexdigest()
    assert name.endswith(".csv")


def test_json_export_has_metadata_then_rows(client, listed):
    response = client.get("/export/candidates.json?status=flagged")
    assert response.headers["Content-Disposition"].endswith('.json"')
    document = json.loads(response.get_data())
    assert document["metadata"]["row_count"] == 1
    assert document["metadata"]["filters"] == {"status": "flagged"}
    assert "generated_at" in document["metadata"] and "ruleset_version" in document["metadata"]
    (row,) = document["rows"]
    assert row["name"] == '=HYPERLINK("http://evil.example","x") "Budi"\nbaris'
    assert row["flags"][0]["reason_en"] == CV_FLAG["reason_en"]
    assert row["disclosure"]["cv"] == {
        "status": "refused",
        "checked_at": "2023-11-14",
        "source_url": "https://contoh.example/sumber",
    }


def read_excel(body: bytes, tmp_path) -> tuple[list[dict], list, dict]:
    """Rows keyed by the codes of the dictionary sheet, the raw header, the metadata."""
    path = tmp_path / "export.xlsx"
    path.write_bytes(body)
    workbook = load_workbook(path)
    sheet = workbook["candidates"]
    header = [cell.value for cell in sheet[1]]
    code_of = {row[0]: row[1] for row in workbook["dictionary"].iter_rows(2, values_only=True)}
    codes = [code_of[label] for label in header]
    rows = [dict(zip(codes, row, strict=True)) for row in sheet.iter_rows(2)]
    metadata = {row[0].value: row[1].value for row in workbook["metadata"].iter_rows(2)}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(rows) + 1}"
    return rows, header, metadata


def test_excel_export_has_typed_cells_and_headers_in_the_visitors_language(
    client, listed, tmp_path
):
    import hashlib

    with client.get("/export/candidates.xlsx?party=pkb") as response:
        body = response.get_data()
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    rows, header, metadata = read_excel(body, tmp_path)
    assert header[:3] == ["Nomor pencalonan", "Profil", "Nama"]
    assert "Status: Daftar riwayat hidup" in header
    assert "Diperiksa pada: Daftar riwayat hidup" in header
    by_id = {row["candidacy_id"].value: row for row in rows}
    assert set(by_id) == {listed["hostile"], listed["other"]}
    hostile = by_id[listed["hostile"]]
    # text exactly as imported: no quote added, stored as text, never a formula
    assert hostile["name"].value == '=HYPERLINK("http://evil.example","x") "Budi"\nbaris'
    assert hostile["name"].data_type == "s"
    assert hostile["checked_at_cv"].is_date
    assert hostile["checked_at_cv"].value == datetime(2023, 11, 14)
    assert hostile["flagged_since"].is_date
    assert hostile["flagged"].value is True
    assert hostile["ballot_number"].data_type == "n"
    assert hostile["party_name"].value == "Partai Kebangkitan Bangsa"
    assert hostile["office_name_id"].value == "Dewan Perwakilan Rakyat"
    assert all(cell.data_type != "f" for row in rows for cell in row.values())
    assert metadata["row_count"] == 2
    assert json.loads(metadata["filters"]) == {"party": "pkb"}


def test_excel_headers_in_english_on_request(client, listed, tmp_path):
    with client.get("/export/candidates.xlsx?lang=en") as response:
        rows, header, _metadata = read_excel(response.get_data(), tmp_path)
    assert header[:3] == ["Candidacy id", "Profile", "Name"]
    assert "Checked on: CV" in header
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("url", "word"),
    [
        ("/export/candidates.csv?party=nope", "party"),
        ("/export/candidates.json?status=maybe", "status"),
        ("/export/candidates.xlsx?province=99x", "province"),
        ("/export/candidates.pdf", "format"),
        ("/export/changes.csv?since=2024-13-45", "since"),
        ("/export/changes.csv?since=last-week", "since"),
        ("/export/changes.csv", "since"),
        ("/export/popolo.json?office=KING", "office"),
    ],
)
def test_bad_input_is_a_400_saying_what_is_wrong(client, listed, url, word):
    response = client.get(url)
    assert response.status_code == 400
    assert word in response.get_json()["error"]["message"]


def test_text_query_narrows_every_surface_to_what_search_finds(app, client, make):
    fishers = make.candidacy("Sahabat Laut", party_number=1, programme=["Asuransi nelayan"])
    both = make.candidacy("Dua Minat", party_number=2, programme=["Nelayan dan guru honorer"])
    make.candidacy("Guru Saja", party_number=1, programme=["Guru honorer sejahtera"])
    hidden = make.candidacy("Nelayan Tersembunyi", party_number=1, programme=["nelayan"])
    from transparency.revisions import provenance

    with provenance(db.session, origin="test"):
        hidden.hidden = True
        db.session.flush()
    ids = {fishers.id, both.id}
    db.session.commit()
    sync.drain(db.session, index_root(app), wait=True)

    rows = read_csv(client.get("/export/candidates.csv?q=nelayan"))
    assert {int(row["candidacy_id"]) for row in rows} == ids
    assert client.get("/export/candidates.csv?q=nelayan").headers["X-Export-Row-Count"] == "2"
    found = client.get("/export/candidates.json?q=nelayan&party=pkb").get_json()["rows"]
    assert [row["candidacy_id"] for row in found] == [fishers.id]
    api = client.get("/api/v1/candidates?q=nelayan").get_json()
    assert {item["id"] for item in api["data"]} == ids
    # Two words that never meet fall back to either word, as the search page does.
    either = client.get("/export/candidates.json?q=asuransi+sejahtera").get_json()
    assert len(either["rows"]) == 2
    assert client.get("/export/candidates.json?q=zzzzqqq").get_json()["rows"] == []


def test_an_over_long_text_query_is_a_400_naming_q(client, listed):
    response = client.get("/export/candidates.csv?q=" + "a" * 201)
    assert response.status_code == 400
    assert "q" in response.get_json()["error"]["message"]


def test_changes_since_lists_old_and_new_values(app, client, listed):
    with app.app_context():
        # A history we control: the rules' own records of today are replaced by dated ones.
        db.session.execute(delete(StatusChange))
        db.session.add_all(
            [
                StatusChange(  # as the engine stores it: the flagging rules, comma-joined
                    candidacy_id=listed["hostile"],
                    changed_at=datetime(2023, 11, 14, 8),
                    kind="flagged",
                    old_value=None,
                    new_value="R-CV,R-LHKPN",
                    ruleset_version="2024.1",
                ),
                StatusChange(
                    candidacy_id=listed["other"],
                    changed_at=datetime(2023, 11, 15, 8),
                    kind="cleared",
                    old_value="R-CV",
                    new_value=None,
                    ruleset_version="2024.1",
                ),
                StatusChange(
                    candidacy_id=listed["clean"],
                    changed_at=datetime(2023, 11, 1),
                    kind="disclosure",
                    requirement="cv",
                    old_value="not_found",
                    new_value="published",
                ),
                StatusChange(
                    candidacy_id=listed["hidden"],
                    changed_at=datetime(2023, 11, 20),
                    kind="flagged",
                    new_value="R-CV",
                ),
            ]
        )
        db.session.commit()
    response = client.get("/export/changes.csv?since=2023-11-10&party=pkb")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    day = response.headers["X-Export-Generated-At"][:10]
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="jejak-terbuka-changes-since-2023-11-10-pkb-{day}.csv"'
    )
    rows = read_csv(response)
    # The candidacy hidden today: a row saying its id was removed, its flag change left out.
    assert response.headers["X-Export-Row-Count"] == "3"
    assert [(int(r["candidacy_id"]), r["change"]) for r in rows] == [
        (listed["hostile"], "flagged"),
        (listed["other"], "cleared"),
        (listed["hidden"], "removed"),
    ]
    removed = rows[2]
    assert {key for key, value in removed.items() if value} == {
        "changed_at",
        "candidacy_id",
        "change",
    }
    # lists joined as in every file and as the data dictionary says
    assert (rows[0]["old_value"], rows[0]["new_value"]) == ("", "R-CV | R-LHKPN")
    assert (rows[1]["old_value"], rows[1]["new_value"]) == ("R-CV", "")
    disclosure = read_csv(client.get("/export/changes.csv?since=2023-11-01"))[0]
    assert (disclosure["change"], disclosure["requirement"]) == ("disclosure", "cv")
    assert rows[0]["party_name"] == "Partai Kebangkitan Bangsa"
    assert rows[0]["office_name_en"] == "House of Representatives"
    everything = client.get("/export/changes.csv?since=2023-01-01")
    assert [int(r["candidacy_id"]) for r in read_csv(everything)] == [
        listed["clean"],
        listed["hostile"],
        listed["other"],
        listed["hidden"],
    ]
    assert everything.headers["X-Export-Row-Count"] == "4"


def test_records_iterate_in_batches_without_losing_rows(app, listed):
    with app.app_context():
        filters = parse_filters({})
        records = list(iter_records(db.session, filters, str, size=1))
        assert [r.candidacy_id for r in records] == list(
            db.session.scalars(candidacy_query(db.session, filters).with_only_columns(Candidacy.id))
        )
        assert count(db.session, filters) == len(records) == 3
        assert db.session.scalar(select(Candidacy.hidden).where(Candidacy.id == listed["hidden"]))


HOSTILE_NAMES = [
    "=cmd|' /C calc'!A0",
    "+62 812 3456",
    "-@SUM(1)",
    "  ＝1+1",
    'Kutip "ganda", koma',
    "Baris\r\nbaru",
    "\u202eRTL\u200f mark",
    "Emoji 😀🇮🇩",
]


def test_hostile_text_is_exported_safely_and_intact(client, make, tmp_path):
    names = list(HOSTILE_NAMES)
    if db.engine.dialect.name == "sqlite":  # PostgreSQL text cannot hold NUL at all
        names.append("NUL\0di tengah")
    for number, name in enumerate(names, start=1):
        make.candidacy(name, ballot_number=number)
    db.session.remove()
    rows = read_csv(client.get("/export/candidates.csv?sort=name"))
    assert sorted(row["name"] for row in rows) == sorted(neutralise(name) for name in names)
    document = json.loads(client.get("/export/candidates.json").get_data())
    assert sorted(row["name"] for row in document["rows"]) == sorted(names)
    with client.get("/export/candidates.xlsx") as response:
        (tmp_path / "x.xlsx").write_bytes(response.get_data())
    sheet = load_workbook(tmp_path / "x.xlsx")["candidates"]
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    # exactly as written; NUL, which XML cannot hold, as the format's own escape
    assert {cell.value for cell in cells} == {name.replace("\0", "_x0000_") for name in names}


def test_changes_rows_of_a_flag_name_no_requirement_as_the_dictionary_says(client, listed):
    """docs/exports.md: `requirement` is for disclosure changes, empty for flag changes; the
    rules store the first flagging rule's item with a flag change, which the file leaves out
    (the rule ids are the new value)."""
    today = utcnow().date().isoformat()  # the file's days are UTC days
    rows = read_csv(client.get(f"/export/changes.csv?since={today}"))
    flagged = [row for row in rows if row["change"] == "flagged"]
    assert [int(row["candidacy_id"]) for row in flagged] == [listed["hostile"]]
    assert (flagged[0]["requirement"], flagged[0]["new_value"]) == ("", "R-CV")
