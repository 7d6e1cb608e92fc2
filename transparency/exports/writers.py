"""Writers for CSV and JSON: plain rows in, bytes out. Pure: no app, no database.

Both are generators of byte chunks, so a response can stream them and memory stays flat
however many rows there are. Excel is `transparency.exports.xlsx`. JSON is encoded by orjson
(UTF-8 as is, compact): the standard library's encoder took 17 s of CPU for the 250,000 rows
of a full export, about sixteen times as long.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import orjson

from transparency.exports.rows import Cell

BOM = "\ufeff"
CHUNK_ROWS = 500  # rows per yielded chunk: few, large writes without holding many rows


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
    yield b'{"metadata": ' + orjson.dumps(metadata)
    yield b', "rows": '
    digest = hashlib.sha256()
    parts: list[bytes] = [b"["]
    first = True
    for row in rows:
        parts.append((b"\n" if first else b",\n") + orjson.dumps(row))
        first = False
        if len(parts) >= CHUNK_ROWS:
            chunk = b"".join(parts)
            digest.update(chunk)
            yield chunk
            parts = []
    parts.append(b"\n]")
    chunk = b"".join(parts)
    digest.update(chunk)
    yield chunk
    yield b', "rows_sha256": "' + digest.hexdigest().encode("ascii") + b'"}\n'


def metadata_text(value: Any) -> str | int | float:
    """A metadata value as one cell: numbers as they are, structures as JSON."""
    if isinstance(value, int | float | str):
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
