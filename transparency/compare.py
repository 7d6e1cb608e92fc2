"""Side-by-side comparison: parsing the `ids` the URL carries, and aligning facts into rows.

Pure functions over plain data, so the rules can be tested without an app: the view loads
candidacies, turns each into a `Column`, and `align` lays them out one row per kind of fact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from transparency.inputs import MAX_ROW_ID, parse_int

MIN_COMPARED = 2
MAX_COMPARED = 4
MAX_IDS_LENGTH = 100  # "1234567,..." for four ids fits easily; anything longer is not a list

# Track-record kinds in the order a voter reads them; unknown kinds follow, alphabetically.
TRACK_RECORD_ORDER = (
    "education",
    "career",
    "organisation",
    "public_office",
    "legal_case",
    "wealth_report",
    "award",
    "dynasty_tie",
    "business_tie",
    "statement",
    "vote",
)
# Which disclosure requirement explains that a kind of fact is missing (e.g. no CV published).
EXPLAINED_BY = {
    "education": "cv",
    "career": "cv",
    "organisation": "cv",
    "public_office": "cv",
    "award": "cv",
    "programme": "programme",
    "wealth_report": "lhkpn",
    "legal_case": "criminal_record",
}


class CompareError(ValueError):
    """The `ids` cannot make a comparison; `message` says why, in English (translated later)."""

    def __init__(self, code: str, message: str, ids: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.ids = tuple(ids)  # what could be read, so the page can offer a way on


def parse_ids(raw: str | None, *, minimum: int = MIN_COMPARED) -> list[int]:
    """`"3, 1,2"` -> [3, 1, 2], in the order given; CompareError for anything else.

    `minimum` is 0 for the tray, which may hold a single candidate.
    """
    text = (raw or "").strip()
    if len(text) > MAX_IDS_LENGTH:
        raise CompareError("too_long", "The list of candidates is too long.")
    parts = [part.strip() for part in text.split(",")] if text else []
    parts = [part for part in parts if part]
    ids: list[int] = []
    for part in parts:
        number = parse_int(part, maximum=MAX_ROW_ID)
        if number is None:
            raise CompareError("not_a_number", "Candidate numbers must be whole numbers.")
        ids.append(number)
    if len(set(ids)) != len(ids):
        raise CompareError("duplicate", "The same candidate is listed twice.", unique(ids))
    if len(ids) > MAX_COMPARED:
        raise CompareError(
            "too_many", "At most four candidates can be compared at once.", ids[:MAX_COMPARED]
        )
    if len(ids) < minimum:
        raise CompareError("too_few", "Choose at least two candidates to compare.", ids)
    return ids


def unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def format_ids(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in ids)


def tray_add(ids: Sequence[int], new: int) -> list[int]:
    """The tray after adding one; the oldest drops out when it is full."""
    kept = [i for i in ids if i != new]
    return [*kept, new][-MAX_COMPARED:]


def tray_remove(ids: Sequence[int], old: int) -> list[int]:
    return [i for i in ids if i != old]


def read_tray(raw: str | None) -> list[int]:
    """The tray cookie, forgiving: a damaged cookie is an empty tray, never an error."""
    try:
        return parse_ids(raw, minimum=0)
    except CompareError as error:
        return list(error.ids)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """A local path to go back to; anything that could leave the site becomes `fallback`."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return fallback
    return target


@dataclass
class Cell:
    """What one candidate has for one kind of fact: items, or why there are none."""

    items: list[Any] = field(default_factory=list)
    # When empty: the disclosure status of the requirement that explains the gap, if any.
    missing_status: str | None = None
    missing_requirement: str | None = None


@dataclass
class Column:
    """One candidate's facts, by kind (e.g. "education", "programme", "replies")."""

    candidacy_id: int
    facts: dict[str, list[Any]]
    # requirement -> disclosure status, e.g. {"cv": "refused"}
    disclosure: dict[str, str] = field(default_factory=dict)


@dataclass
class Row:
    kind: str
    cells: list[Cell]

    @property
    def empty(self) -> bool:
        return all(not cell.items for cell in self.cells)


def row_kinds(
    columns: Sequence[Column], always: Sequence[str] = (), last: Sequence[str] = ()
) -> list[str]:
    """The kinds to show: `always` first, then the kinds any candidate has, then `last`."""
    present = {kind for column in columns for kind, items in column.facts.items() if items}
    fixed = {*always, *last}
    known = [kind for kind in TRACK_RECORD_ORDER if kind in present and kind not in fixed]
    other = sorted(present - fixed - set(TRACK_RECORD_ORDER))
    return [*always, *known, *other, *last]


def align(
    columns: Sequence[Column], always: Sequence[str] = (), last: Sequence[str] = ()
) -> list[Row]:
    """One row per kind of fact, one cell per candidate in column order.

    An empty cell carries the disclosure status that explains it (e.g. CV refused), so the
    page can say "No data — CV: refused" rather than a bare blank.
    """
    rows = []
    for kind in row_kinds(columns, always, last):
        cells = []
        for column in columns:
            items = list(column.facts.get(kind, []))
            cell = Cell(items=items)
            if not items:
                requirement = EXPLAINED_BY.get(kind)
                if requirement and requirement in column.disclosure:
                    cell.missing_requirement = requirement
                    cell.missing_status = column.disclosure[requirement]
            cells.append(cell)
        rows.append(Row(kind=kind, cells=cells))
    return rows
