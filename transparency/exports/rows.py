"""Export rows as plain data: one record in, a list of cells (or a JSON object) out.

Pure: no app, no database. `tabular_values` gives each cell its own type (numbers, dates,
text exactly as stored) for Excel, whose text cells are never evaluated. A CSV cell has no
type, and spreadsheet programs execute one that starts with a formula character, so
`tabular_row` writes dates in ISO 8601 and puts every text cell through `neutralise`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

Cell = str | int | float | bool | None

# A leading character that makes a spreadsheet evaluate the cell (OWASP's list, plus LF,
# the full-width forms some programs normalise, and the Unicode minus sign).
FORMULA_STARTS = frozenset("=+-@\t\r\n\0＝＋－＠−")
# What a spreadsheet skips before looking for a formula: spaces and invisible format marks.
_SKIPPED_CATEGORIES = frozenset({"Zs", "Cf"})
LIST_SEPARATOR = " | "


def neutralise(value: str) -> str:
    """Make a text cell inert: prefix a single quote when it could start a formula.

    The quote is what spreadsheet programs themselves use to mark "this is text"; the
    original text follows it unchanged, so nothing is lost.
    """
    if not value or value[0].isalnum():  # the common case, decided by one character
        return value
    for char in value:
        if char in FORMULA_STARTS:
            return "'" + value
        if char == " " or unicodedata.category(char) in _SKIPPED_CATEGORIES:
            continue
        return value
    return value


def safe_cell(value: Cell) -> Cell:
    """Numbers and booleans stay as they are; text is neutralised."""
    if type(value) is str:
        return neutralise(value)
    return value


@dataclass(frozen=True, slots=True)
class DisclosureCell:
    requirement: str
    status: str
    checked_at: date | None = None
    source_url: str | None = None
    # CV per-section consent: the sections withheld, in the commission's order; None: not
    # recorded (statuses other than partial, or a source without sections).
    withheld: tuple[str, ...] | None = None


@dataclass(slots=True)
class ExportRecord:
    """Everything an export says about one candidacy, as plain values."""

    candidacy_id: int
    profile_url: str
    name: str
    gender: str | None
    election: str
    office: str
    province: str | None
    district_code: str
    district_name: str
    party: str | None
    ballot_number: int
    disclosure_score: int | None
    flagged: bool
    ruleset_version: str | None
    flagged_since: datetime | None = None
    last_change: datetime | None = None
    flags: tuple[Mapping[str, Any], ...] = ()
    disclosure: Mapping[str, DisclosureCell] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    # The names beside the codes above, for readers who do not know the codes.
    office_name_id: str | None = None
    office_name_en: str | None = None
    province_name: str | None = None
    party_name: str | None = None
    # Wikidata items (Q...), where volunteers have given them with a source.
    person_wikidata_id: str | None = None
    party_wikidata_id: str | None = None
    # For Popolo's memberships: the person's id, the candidacy's stage and the commission's id.
    person_id: int | None = None
    stage: str | None = None
    external_id: str | None = None


FIXED_COLUMNS = (
    "candidacy_id",
    "profile_url",
    "name",
    "person_wikidata_id",
    "gender",
    "election",
    "office",
    "office_name_id",
    "office_name_en",
    "province",
    "province_name",
    "district_code",
    "district_name",
    "party",
    "party_name",
    "party_wikidata_id",
    "ballot_number",
    "disclosure_score",
    "flagged",
    "flag_rule_ids",
    "flag_reasons_id",
    "flag_reasons_en",
)
TRAILING_COLUMNS = (
    "ruleset_version",
    "flagged_since",
    "source_urls",
    "last_change",
    "cv_sections_withheld",
)
# The kind of each column's cells (transparency.exports.xlsx writes them by their values'
# types; the data dictionary states these): anything not named here is text.
COLUMN_KINDS = {
    "candidacy_id": "integer",
    "profile_url": "url",
    "ballot_number": "integer",
    "disclosure_score": "integer",
    "flagged": "boolean",
    "flag_rule_ids": "list",
    "flag_reasons_id": "list",
    "flag_reasons_en": "list",
    "flagged_since": "datetime",
    "source_urls": "list",
    "last_change": "datetime",
    "cv_sections_withheld": "list",
}


def columns(requirements: Sequence[str]) -> list[str]:
    """The header: fixed columns, a status and a checked-at column per requirement, the rest."""
    per_rule = []
    for requirement in requirements:
        per_rule += [f"status_{requirement}", f"checked_at_{requirement}"]
    return [*FIXED_COLUMNS, *per_rule, *TRAILING_COLUMNS]


def column_kind(column: str) -> str:
    if column.startswith("checked_at_"):
        return "date"
    return COLUMN_KINDS.get(column, "text")


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + ("Z" if value.tzinfo is None else "")
    return value.isoformat()


def _joined(values: Sequence[object]) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values if value not in (None, ""))


def tabular_values(record: ExportRecord, requirements: Sequence[str]) -> list[Any]:
    """One row in the order of `columns(requirements)`, each cell of its own type: numbers,
    booleans, dates and date-times (UTC, naive) as such, text exactly as stored."""
    flags = record.flags
    per_rule: list[Any] = []
    for requirement in requirements:
        item = record.disclosure.get(requirement)
        per_rule += [item.status, item.checked_at] if item else [None, None]
    return [
        record.candidacy_id,
        record.profile_url,
        record.name,
        record.person_wikidata_id,
        record.gender,
        record.election,
        record.office,
        record.office_name_id,
        record.office_name_en,
        record.province,
        record.province_name,
        record.district_code,
        record.district_name,
        record.party,
        record.party_name,
        record.party_wikidata_id,
        record.ballot_number,
        record.disclosure_score,
        record.flagged,
        _joined([flag.get("rule_id") for flag in flags]),
        _joined([flag.get("reason_id") for flag in flags]),
        _joined([flag.get("reason_en") for flag in flags]),
        *per_rule,
        record.ruleset_version,
        record.flagged_since,
        _joined(record.sources),
        record.last_change,
        _withheld(record),
    ]


def _withheld(record: ExportRecord) -> str | None:
    item = record.disclosure.get("cv")
    if item is None or item.withheld is None:
        return None
    return _joined(item.withheld)


def _csv_cell(cell: Any) -> Cell:
    kind = type(cell)
    if kind is datetime or kind is date:
        return _iso(cell)
    return cell  # type: ignore[no-any-return]


def tabular_row(record: ExportRecord, requirements: Sequence[str]) -> list[Cell]:
    """One CSV row: dates in ISO 8601 (date-times in UTC, `Z`), every text cell inert."""
    # Once per cell of a 250,000-row export: text, the common case, is decided inline.
    return [
        neutralise(cell) if type(cell) is str else _csv_cell(cell)
        for cell in tabular_values(record, requirements)
    ]


def json_record(record: ExportRecord) -> dict[str, Any]:
    """One JSON row: the same facts, nested where JSON can say more than a cell.

    JSON is not opened by spreadsheet programs, so text is left exactly as stored.
    """
    return {
        "candidacy_id": record.candidacy_id,
        "profile_url": record.profile_url,
        "name": record.name,
        "person_wikidata_id": record.person_wikidata_id,
        "gender": record.gender,
        "election": record.election,
        "office": record.office,
        "office_name_id": record.office_name_id,
        "office_name_en": record.office_name_en,
        "province": record.province,
        "province_name": record.province_name,
        "district_code": record.district_code,
        "district_name": record.district_name,
        "party": record.party,
        "party_name": record.party_name,
        "party_wikidata_id": record.party_wikidata_id,
        "ballot_number": record.ballot_number,
        "disclosure_score": record.disclosure_score,
        "flagged": record.flagged,
        "flags": [dict(flag) for flag in record.flags],
        "disclosure": {
            requirement: {
                "status": item.status,
                "checked_at": _iso(item.checked_at),
                "source_url": item.source_url,
                **({} if item.withheld is None else {"sections_withheld": list(item.withheld)}),
            }
            for requirement, item in sorted(record.disclosure.items())
        },
        "ruleset_version": record.ruleset_version,
        "flagged_since": _iso(record.flagged_since),
        "source_urls": list(record.sources),
        "last_change": _iso(record.last_change),
    }
