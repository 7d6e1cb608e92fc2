"""Flag and disclosure status changes of listed candidacies: `changes.csv` and the feed.

Read from `StatusChange`, which the disclosure engine writes whenever a candidacy is newly
flagged, cleared, or one of its disclosure items changes status. `changes.csv` also says when
a candidacy was hidden (itself or through its person): a `removed` row holding its id and the
time, and nothing of the removed data (visibility.public_record).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, false, func, not_, or_, select, union_all
from sqlalchemy.orm import Session

from transparency.exports.records import matching_ids
from transparency.exports.rows import LIST_SEPARATOR, Cell, safe_cell
from transparency.listing import CandidateFilters, FilterError, apply_filters, join_context
from transparency.models import (
    Candidacy,
    District,
    Election,
    Office,
    Party,
    Person,
    Revision,
    StatusChange,
    StatusChangeKind,
)
from transparency.visibility import public_record

BATCH_SIZE = 1000
REMOVED = "removed"  # the change of a row saying a candidacy was hidden
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
COLUMNS = (
    "changed_at",
    "candidacy_id",
    "profile_url",
    "name",
    "election",
    "office",
    "office_name_id",
    "office_name_en",
    "district_code",
    "district_name",
    "party",
    "party_name",
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
    office_name_id: str
    office_name_en: str
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
            Office.name_id.label("office_name_id"),
            Office.name_en.label("office_name_en"),
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


def _day_start(since: date) -> datetime:
    return datetime(since.year, since.month, since.day)


def _removals(session: Session, filters: CandidateFilters, since: date) -> Select:
    """(revision id, changed_at, candidacy_id) of each hiding since `since` of a candidacy
    hidden now, directly or through its person, among the candidacies the filters name
    (the text query finds no hidden candidacy: with q there are none)."""
    removed = apply_filters(session, select(Candidacy.id).where(not_(public_record())), filters)
    if filters.q:
        removed = removed.where(false())
    return (
        select(
            Revision.id.label("id"),
            Revision.created_at.label("changed_at"),
            Candidacy.id.label("candidacy_id"),
        )
        .join(
            Candidacy,
            or_(
                and_(Revision.entity_type == "candidacy", Candidacy.id == Revision.entity_id),
                and_(Revision.entity_type == "person", Candidacy.person_id == Revision.entity_id),
            ),
        )
        .where(
            Revision.action == "hide",
            Revision.created_at >= _day_start(since),
            Candidacy.id.in_(removed),
        )
    )


def count_since(session: Session, filters: CandidateFilters, since: date) -> int:
    """How many rows changes_since will give (the file's X-Export-Row-Count)."""
    listed = matching_ids(session, filters).order_by(None)
    changes = select(StatusChange.id).where(
        StatusChange.candidacy_id.in_(listed), StatusChange.changed_at >= _day_start(since)
    )
    rows = union_all(changes, _removals(session, filters, since).with_only_columns(Revision.id))
    return session.scalar(select(func.count()).select_from(rows.subquery())) or 0


def changes_since(
    session: Session, filters: CandidateFilters, since: date
) -> Iterator[ChangeRecord]:
    """Oldest first from the start of `since` (UTC), streamed; removals among them."""
    stmt = (
        _changes(session, filters)
        .where(StatusChange.changed_at >= _day_start(since))
        .order_by(StatusChange.changed_at, StatusChange.id)
        .execution_options(yield_per=BATCH_SIZE)
    )
    changes = (ChangeRecord(**row._asdict()) for row in session.execute(stmt))
    removals = session.execute(
        _removals(session, filters, since).order_by(Revision.created_at, Revision.id)
    ).all()
    yield from heapq.merge(
        changes, (_removal(*row) for row in removals), key=lambda change: change.changed_at
    )


def _removal(revision_id: int, changed_at: datetime, candidacy_id: int) -> ChangeRecord:
    """A removed candidacy: its id and when, nothing else."""
    return ChangeRecord(
        id=revision_id,
        changed_at=changed_at,
        candidacy_id=candidacy_id,
        name="",
        election="",
        office="",
        office_name_id="",
        office_name_en="",
        district_code="",
        district_name="",
        party=None,
        party_name=None,
        kind=REMOVED,
        requirement=None,
        old_value=None,
        new_value=None,
        ruleset_version=None,
    )


def recent_changes(
    session: Session, filters: CandidateFilters, limit: int, candidacy_id: int | None = None
) -> list[ChangeRecord]:
    """The newest `limit` changes, newest first (of one candidacy if given): the feeds."""
    stmt = _changes(session, filters)
    if candidacy_id is not None:
        stmt = stmt.where(StatusChange.candidacy_id == candidacy_id)
    stmt = stmt.order_by(StatusChange.changed_at.desc(), StatusChange.id.desc()).limit(limit)
    return [ChangeRecord(**row._asdict()) for row in session.execute(stmt)]


# The engine stores the rule ids of a flag change comma-joined; files join lists with " | ".
_STORED_SEPARATOR = ","


def rule_ids(value: str | None) -> list[str]:
    """The rule ids a flagged/cleared change names (its new or old value)."""
    return [part.strip() for part in (value or "").split(_STORED_SEPARATOR) if part.strip()]


def change_values(change: ChangeRecord) -> tuple[str | None, str | None]:
    """old_value and new_value as the files show them: for a flag change the rule ids,
    joined like every list in the files; for a disclosure change the two statuses."""
    if change.kind in (StatusChangeKind.FLAGGED, StatusChangeKind.CLEARED):
        return (
            LIST_SEPARATOR.join(rule_ids(change.old_value)) or None,
            LIST_SEPARATOR.join(rule_ids(change.new_value)) or None,
        )
    return change.old_value, change.new_value


def change_row(change: ChangeRecord, profile_url: Callable[[int], str]) -> list[Cell]:
    old_value, new_value = change_values(change)
    cells: list[Cell] = [
        change.changed_at.replace(microsecond=0).isoformat() + "Z",
        change.candidacy_id,
        "" if change.kind == REMOVED else profile_url(change.candidacy_id),
        change.name,
        change.election,
        change.office,
        change.office_name_id,
        change.office_name_en,
        change.district_code,
        change.district_name,
        change.party,
        change.party_name,
        change.kind,
        # for a disclosure change only: a flag change is stored with its first rule's item,
        # which would read as the only one (its rule ids are in the values)
        change.requirement if change.kind == StatusChangeKind.DISCLOSURE else None,
        old_value,
        new_value,
        change.ruleset_version,
    ]
    return [safe_cell(cell) for cell in cells]
