"""Flag and disclosure status changes of listed candidacies: `changes.csv` and the feed.

Read from `StatusChange`, which the disclosure engine writes whenever a candidacy is newly
flagged, cleared, or one of its disclosure items changes status.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from transparency.exports.records import matching_ids
from transparency.exports.rows import Cell, safe_cell
from transparency.listing import CandidateFilters, FilterError, join_context
from transparency.models import (
    Candidacy,
    District,
    Election,
    Office,
    Party,
    Person,
    StatusChange,
)

BATCH_SIZE = 1000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
COLUMNS = (
    "changed_at",
    "candidacy_id",
    "profile_url",
    "name",
    "election",
    "office",
    "district_code",
    "district_name",
    "party",
    "change",
    "requirement",
    "old_value",
    "new_value",
    "ruleset_version",
)


def parse_since(value: str | None) -> date:
    """`since` is required and must be a real date written YYYY-MM-DD."""
    text = (value or "").strip()
    if not text:
        raise FilterError("since", "required: give a date as YYYY-MM-DD")
    if not _DATE.fullmatch(text):
        raise FilterError("since", f"{text[:40]!r} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError("since", f"{text!r} is not a real date") from None


@dataclass(frozen=True)
class ChangeRecord:
    id: int
    changed_at: datetime
    candidacy_id: int
    name: str
    election: str
    office: str
    district_code: str
    district_name: str
    party: str | None
    party_name: str | None
    kind: str
    requirement: str | None
    old_value: str | None
    new_value: str | None
    ruleset_version: str | None


def _changes(session: Session, filters: CandidateFilters) -> Select:
    listed = matching_ids(session, filters).order_by(None)
    return join_context(
        select(
            StatusChange.id,
            StatusChange.changed_at,
            StatusChange.candidacy_id,
            Person.full_name.label("name"),
            Election.slug.label("election"),
            Office.code.label("office"),
            District.code.label("district_code"),
            District.name.label("district_name"),
            Party.slug.label("party"),
            Party.name.label("party_name"),
            StatusChange.kind,
            StatusChange.requirement,
            StatusChange.old_value,
            StatusChange.new_value,
            StatusChange.ruleset_version,
        ).join(Candidacy, StatusChange.candidacy_id == Candidacy.id)
    ).where(StatusChange.candidacy_id.in_(listed))


def changes_since(
    session: Session, filters: CandidateFilters, since: date
) -> Iterator[ChangeRecord]:
    """Oldest first from the start of `since` (UTC), streamed."""
    start = datetime(since.year, since.month, since.day)
    stmt = (
        _changes(session, filters)
        .where(StatusChange.changed_at >= start)
        .order_by(StatusChange.changed_at, StatusChange.id)
        .execution_options(yield_per=BATCH_SIZE)
    )
    for row in session.execute(stmt):
        yield ChangeRecord(**row._asdict())


def recent_changes(session: Session, filters: CandidateFilters, limit: int) -> list[ChangeRecord]:
    """The newest `limit` changes, newest first: the feed."""
    stmt = (
        _changes(session, filters)
        .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())
        .limit(limit)
    )
    return [ChangeRecord(**row._asdict()) for row in session.execute(stmt)]


def change_row(change: ChangeRecord, profile_url: Callable[[int], str]) -> list[Cell]:
    cells: list[Cell] = [
        change.changed_at.replace(microsecond=0).isoformat() + "Z",
        change.candidacy_id,
        profile_url(change.candidacy_id),
        change.name,
        change.election,
        change.office,
        change.district_code,
        change.district_name,
        change.party,
        change.kind,
        change.requirement,
        change.old_value,
        change.new_value,
        change.ruleset_version,
    ]
    return [safe_cell(cell) for cell in cells]
