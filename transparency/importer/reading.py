"""Reading an official-list CSV: streamed, decoded strictly, one row at a time.

The file is read twice by the importer (validate everything, then write), so nothing here
keeps more than one row in memory. Problems with the bytes themselves (binary content,
Latin-1, an endless line) stop the reading with a `FileProblem` naming the line.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

REQUIRED = ("election", "office", "district_code", "party_number", "ballot_number", "full_name")
OPTIONAL = (
    "district_name",
    "region_code",
    "gender",
    "birth_date",
    "birth_place",
    "domicile",
    "education",
    "occupation",
    "biography",
    "program",
    "photo_url",
    "cv_status",
    "criminal_status",
    "lhkpn_status",
    "external_id",
    "source_url",
)
COLUMNS = REQUIRED + OPTIONAL

MAX_LINE_BYTES = 1024 * 1024  # a longer "line" is not a CSV row: binary data or no newlines
MAX_FIELD_CHARS = 512 * 1024
SNIFF_BYTES = 8192

Progress = Callable[[int], None]  # bytes read so far


class FileProblem(Exception):
    """The file cannot be read as a UTF-8 CSV at all; `line` is 0 for the whole file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int  # where the row starts in the file, 1-based, the header being line 1
    values: dict[str, str]
    fields: int
    expected_fields: int


@dataclass(frozen=True)
class Header:
    columns: tuple[str, ...]  # as normalised: stripped, lower case
    delimiter: str
    unknown: tuple[str, ...]
    missing: tuple[str, ...]


def _check_not_binary(raw: BinaryIO) -> None:
    start = raw.read(SNIFF_BYTES)
    raw.seek(0)
    if not start:
        raise FileProblem(0, "the file is empty")
    if b"\x00" in start:
        raise FileProblem(0, "this is a binary file, not a CSV text file")


class CsvRows:
    """Iterate (line number, {column: stripped value}) over a CSV file on disk."""

    def __init__(self, path: Path, progress: Progress | None = None) -> None:
        self.path = path
        self.progress = progress
        self.bytes_read = 0
        self.sha256 = hashlib.sha256()
        self.header: Header | None = None

    def _lines(self, raw: BinaryIO) -> Iterator[str]:
        number = 0
        while True:
            chunk = raw.readline(MAX_LINE_BYTES)
            if not chunk:
                return
            number += 1
            if len(chunk) == MAX_LINE_BYTES and not chunk.endswith(b"\n"):
                raise FileProblem(number, "line is longer than 1 MB: this is not a CSV file")
            self.sha256.update(chunk)
            self.bytes_read += len(chunk)
            if b"\x00" in chunk:
                raise FileProblem(number, "binary content (a NUL byte): not a CSV text file")
            try:
                text = chunk.decode("utf-8")
            except UnicodeDecodeError as error:
                raise FileProblem(
                    number,
                    f"not valid UTF-8 (byte 0x{chunk[error.start]:02X} at character "
                    f"{error.start + 1}); save the file as UTF-8 — Latin-1 and Windows-1252 "
                    "are not accepted",
                ) from None
            if number == 1:
                text = text.removeprefix("\ufeff")
            if self.progress is not None and number % 1000 == 0:
                self.progress(self.bytes_read)
            yield text

    def __iter__(self) -> Iterator[RawRow]:
        csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
        with self.path.open("rb") as raw:
            _check_not_binary(raw)
            lines = self._lines(raw)
            first = next(lines, "")
            if not first.strip():
                raise FileProblem(1, "the header row is missing (the first line is empty)")
            delimiter = ";" if first.count(";") > first.count(",") else ","
            reader = csv.reader(_chain(first, lines), delimiter=delimiter)
            try:
                header_row = next(reader)
            except csv.Error as error:
                raise FileProblem(1, f"the header row cannot be read: {error}") from None
            self.header = _header(header_row, delimiter)
            width = len(header_row)
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    raise FileProblem(start, f"this row cannot be read as CSV: {error}") from None
                if not row or all(not cell.strip() for cell in row):
                    continue
                values = {
                    name: cell.strip()
                    for name, cell in zip(self.header.columns, row, strict=False)
                    if name
                }
                yield RawRow(start, values, len(row), width)
        if self.progress is not None:
            self.progress(self.bytes_read)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _header(row: list[str], delimiter: str) -> Header:
    columns = tuple(cell.strip().lower() for cell in row)
    seen: set[str] = set()
    for name in columns:
        if name in seen and name:
            raise FileProblem(1, f"column {name!r} appears twice in the header")
        seen.add(name)
    return Header(
        columns=columns,
        delimiter=delimiter,
        unknown=tuple(name for name in columns if name not in COLUMNS),
        missing=tuple(name for name in REQUIRED if name not in columns),
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
