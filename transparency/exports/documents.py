"""Whole export files from a filtered list: metadata, CSV, JSON and Excel bodies.

Shared by the web views and the `flask export` command so both give the same files.
Functions here read the session and never write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy.orm import Session

from transparency.exports import dictionary, records, xlsx
from transparency.exports.rows import (
    ExportRecord,
    column_kind,
    columns,
    json_record,
    tabular_row,
    tabular_values,
)
from transparency.exports.writers import csv_chunks, json_chunks, metadata_text
from transparency.listing import CandidateFilters
from transparency.models.base import utcnow

FORMATS = ("csv", "xlsx", "json")
# Full Content-Type values: give them as `content_type`, never as `mimetype`, which would
# append a second charset.
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "popolo": "application/json; charset=utf-8",
}
FILE_PREFIX = "jejak-terbuka"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


_NOT_IN_NAME = re.compile(r"[^a-z0-9]+")
MAX_NAME_PART = 40


def _name_part(value: str) -> str:
    return _NOT_IN_NAME.sub("-", value.lower()).strip("-")[:MAX_NAME_PART].strip("-")


def file_stem(filters: CandidateFilters, kind: str | None = None) -> str:
    """The file name before its date: the list it is (flagged, disclosed, all candidates,
    or `kind`), then each filter's value in a fixed order, then the text query."""
    if kind is None:
        kind = filters.status.value if filters.status else "candidates"
    parts = [FILE_PREFIX, kind]
    for value in (filters.election, filters.office, filters.province, filters.district):
        parts.append(_name_part(value))
    parts.append(_name_part(filters.party))
    if filters.q:
        parts += ["search", _name_part(filters.q)]
    if kind not in ("flagged", "disclosed") and filters.status:
        parts.append(filters.status.value)
    return "-".join(part for part in parts if part)


def profile_urls(base_url: str) -> Callable[[int], str]:
    base = base_url.rstrip("/")
    return lambda candidacy_id: f"{base}/candidates/{candidacy_id}"


def filter_args(filters: CandidateFilters) -> dict[str, str]:
    """The filters that shaped the file: an export is the whole list, so no page."""
    args = filters.as_args()
    args.pop("page", None)
    return args


@dataclass(frozen=True)
class ExportPlan:
    """What one export will contain, settled before the first byte is sent."""

    filters: CandidateFilters
    row_count: int
    ruleset_version: str | None
    requirements: list[str]
    profile_url: Callable[[int], str]
    generated_at: datetime = field(default_factory=utcnow)

    def metadata(self, fmt: str) -> dict[str, Any]:
        return {
            "title": "Jejak Terbuka: candidates",
            "format": fmt,
            "generated_at": self.generated_at.replace(microsecond=0).isoformat() + "Z",
            "filters": filter_args(self.filters),
            "ruleset_version": self.ruleset_version,
            "row_count": self.row_count,
            "columns": columns(self.requirements),
            "license": LICENSE,
        }

    def filename(self, fmt: str, kind: str | None = None) -> str:
        """What the file holds, e.g. jejak-terbuka-flagged-pkb-2026-12-01.csv."""
        extension = "json" if fmt == "popolo" else fmt
        return f"{file_stem(self.filters, kind)}-{self.generated_at.date().isoformat()}.{extension}"


def plan(
    session: Session, filters: CandidateFilters, base_url: str, now: datetime | None = None
) -> ExportPlan:
    """Check the filters (FilterError on unknown values) and count the rows, cheaply."""
    return ExportPlan(
        filters=filters,
        row_count=records.count(session, filters),
        ruleset_version=records.ruleset_version(session),
        requirements=records.requirements(session),
        profile_url=profile_urls(base_url),
        generated_at=now or utcnow(),
    )


Records = Iterable[ExportRecord]


def export_records(session: Session, export: ExportPlan) -> Iterator[ExportRecord]:
    """The records of an export, streamed in batches (`records.iter_records`)."""
    return records.iter_records(session, export.filters, export.profile_url)


def csv_body(session: Session, export: ExportPlan, rows: Records | None = None) -> Iterator[bytes]:
    """The CSV of `rows` (the export's records, read here if None)."""
    rows = export_records(session, export) if rows is None else rows
    return csv_chunks(
        columns(export.requirements),
        (tabular_row(record, export.requirements) for record in rows),
    )


def json_body(session: Session, export: ExportPlan, rows: Records | None = None) -> Iterator[bytes]:
    rows = export_records(session, export) if rows is None else rows
    return json_chunks(export.metadata("json"), (json_record(record) for record in rows))


# Excel column widths by the kind of cell (in characters); names and reasons are wider.
_WIDTHS = {"integer": 10, "boolean": 9, "date": 12, "datetime": 20, "url": 40, "list": 40}
_WIDE = {
    "name": 30,
    "office_name_id": 28,
    "office_name_en": 28,
    "district_name": 24,
    "party_name": 32,
    "province_name": 20,
}


def xlsx_file(
    session: Session,
    export: ExportPlan,
    target: str | IO[bytes],
    requirement_labels: dict[str, str] | None = None,
) -> None:
    """Rows with typed cells under headers in the current language (frozen, filterable),
    then the `dictionary` sheet (each header's code and meaning) and the `metadata` sheet."""
    for _step in xlsx_steps(export, export_records(session, export), target, requirement_labels):
        pass


def xlsx_steps(
    export: ExportPlan,
    rows: Records,
    target: str | IO[bytes],
    requirement_labels: dict[str, str] | None = None,
) -> Iterator[None]:
    """`xlsx_file` of these records, pausing after each chunk of rows (the dump)."""
    names = columns(export.requirements)
    labels = requirement_labels or {}
    values = (tabular_values(record, export.requirements) for record in rows)
    return xlsx.workbook_steps(
        target,
        [
            xlsx.Sheet(
                "candidates",
                dictionary.headers(names, labels),
                values,
                widths=[_WIDE.get(n) or _WIDTHS.get(column_kind(n), 16) for n in names],
                autofilter=True,
            ),
            xlsx.Sheet(
                "dictionary",
                dictionary.dictionary_header(),
                dictionary.dictionary_rows(names, labels),
                widths=[28, 22, 18, 80],
            ),
            xlsx.Sheet(
                "metadata",
                ["key", "value"],
                [[key, metadata_text(value)] for key, value in export.metadata("xlsx").items()],
                widths=[18, 80],
            ),
        ],
    )
