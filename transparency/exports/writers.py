"""Writers for CSV, JSON and Excel: plain rows in, bytes out. Pure: no app, no database.

CSV and JSON are generators of byte chunks, so a response can stream them and memory stays
flat however many rows there are. Excel is written in openpyxl's write-only mode, which
keeps rows on disk, not in memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from transparency.exports.rows import Cell, safe_cell

BOM = "\ufeff"
CHUNK_ROWS = 500  # rows per yielded chunk: few, large writes without holding many rows
REPLACEMENT = "\ufffd"


_BOOLEANS = {True: "true", False: "false"}


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (spreadsheets then read Indonesian text right), RFC 4180:
    CRLF line ends, fields with quotes, commas or line breaks quoted, quotes doubled."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write(BOM)
    writer.writerow(header)
    # The header goes out before the first query's rows: the download starts at once.
    yield buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    for row in rows:
        writer.writerow([_BOOLEANS[cell] if type(cell) is bool else cell for cell in row])
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def json_chunks(metadata: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    """One JSON object: `metadata` first, then the `rows` array, streamed; it ends with
    `rows_sha256`, the SHA-256 of the exact bytes of the rows array as sent."""
    yield b'{"metadata": ' + json.dumps(metadata, ensure_ascii=False).encode("utf-8")
    yield b', "rows": '
    digest = hashlib.sha256()
    parts: list[str] = ["["]
    first = True
    for row in rows:
        parts.append(("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False))
        first = False
        if len(parts) >= CHUNK_ROWS:
            chunk = "".join(parts).encode("utf-8")
            digest.update(chunk)
            yield chunk
            parts = []
    parts.append("\n]")
    chunk = "".join(parts).encode("utf-8")
    digest.update(chunk)
    yield chunk
    yield b', "rows_sha256": "' + digest.hexdigest().encode("ascii") + b'"}\n'


def excel_text(cell: Cell) -> Cell:
    """Excel cannot hold control characters such as NUL: they become U+FFFD, visibly."""
    if isinstance(cell, str):
        return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, cell)
    return cell


def write_xlsx(
    target: str | IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    metadata: Mapping[str, Any],
    *,
    sheet_title: str = "candidates",
) -> None:
    """A workbook in write-only mode: the rows sheet, then a `metadata` sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    sheet.append(list(header))
    for row in rows:
        sheet.append([excel_text(cell) for cell in row])
    about = workbook.create_sheet("metadata")
    about.append(["key", "value"])
    for key, value in metadata.items():
        text = value if isinstance(value, int | float) else _metadata_text(value)
        about.append([key, excel_text(safe_cell(text))])
    workbook.save(target)


def _metadata_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def sha256_of(chunks: Iterable[bytes]) -> tuple[str, int]:
    """Hex digest and size of a body given as chunks (the CSV sidecar, the CLI)."""
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
