"""Names read from an official list come out of Excel exactly as the import stored them:
openpyxl (the reader pandas uses) sees text cells with nothing added, never a formula."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from transparency.extensions import db
from transparency.models import Person

HEADER = "election,office,district_code,party_number,ballot_number,full_name"
NAMES = (
    '=HYPERLINK("http://evil.example","klik")',
    "+62 812 3456",
    "-Budi",
    "@SUM(A1:A9)",
    "Siti \u200fRahayu",
)


def test_imported_names_are_excel_text_cells_exactly_as_stored(app, runner, client, tmp_path):
    lines = [HEADER] + [
        f'pemilu-2024,DPR,3304,1,{number},"{name.replace(chr(34), chr(34) * 2)}"'
        for number, name in enumerate(NAMES, start=1)
    ]
    path = tmp_path / "list.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import-candidates", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = set(db.session.scalars(select(Person.full_name)))
    assert stored == set(NAMES)
    with client.get("/export/candidates.xlsx") as response:
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.get_data()))["candidates"]
    header = [cell.value for cell in sheet[1]]
    names = [row[header.index("Nama")] for row in sheet.iter_rows(min_row=2)]
    assert {cell.value for cell in names} == set(NAMES)
    assert {cell.data_type for cell in names} == {"s"}
