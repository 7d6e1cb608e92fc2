"""Volunteers' tasks: listed candidacies whose required disclosure items nobody has checked.

"Not checked" means no disclosure item row at all for a requirement that a required rule in
force applies to the candidacy (its office, and its conditions: an ex-convict or an
incumbent, read from the visible track record as transparency.disclosure.facts does).
An item with any status, `not_applicable` included, has been checked.

One SQL statement finds a page: the listed candidacies (transparency.visibility.listed) with
the list filters (transparency.listing.apply_filters), each required item a NOT EXISTS probe
into disclosure_item's (candidacy_id, requirement) key, DPR first and then the ballot order
of the covering index ix_candidacy_ballot_order. The conditions enter as uncorrelated
subqueries of candidacy ids (few rows, run once), so a row is judged from the index alone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from transparency.disclosure.facts import EX_CONVICT, INCUMBENT
from transparency.disclosure.rules import Ruleset
from transparency.listing import CandidateFilters, apply_filters
from transparency.models import Candidacy, DisclosureItem, Office, Revision, TrackRecordItem
from transparency.profiles.pages import Page, candidacy_rows
from transparency.visibility import hidden_people_stamp, listed, row_shown

FIRST_OFFICE = "DPR"
# Up to this many rows skipped, a page reads its rows' conditions one by one (see _meets).
PER_ROW_UP_TO = 2_000
_with_condition = aliased(Candidacy, name="with_condition")


@dataclass(frozen=True)
class Requirement:
    """One required item and where the rules require it: offices and conditions."""

    item: str
    office_ids: tuple[int, ...]
    conditions: frozenset[str]


@dataclass(frozen=True)
class Task:
    candidacy: Candidacy
    items: tuple[str, ...]  # the required items not checked, in the rules' order


def requirements(session: Session, ruleset: Ruleset) -> list[Requirement]:
    """The required rules in force, one entry per (item, conditions), offices merged."""
    office_ids = {code: ident for code, ident in session.execute(select(Office.code, Office.id))}
    merged: dict[tuple[str, frozenset[str]], set[int]] = {}
    for rule in ruleset.rules:
        if not rule.required:
            continue
        ids = {office_ids[code] for code in rule.offices if code in office_ids}
        merged.setdefault((rule.item, rule.conditions), set()).update(ids)
    return [
        Requirement(item, tuple(sorted(ids)), conditions)
        for (item, conditions), ids in merged.items()
        if ids
    ]


def _record_meets(condition: str) -> ColumnElement[bool]:
    """SQL on TrackRecordItem: a visible item that makes a rule condition hold."""
    if condition == EX_CONVICT:
        record = and_(
            TrackRecordItem.kind == "legal_case", TrackRecordItem.legal_status == "ex_convict"
        )
    elif condition == INCUMBENT:
        record = and_(TrackRecordItem.kind == "public_office", TrackRecordItem.end_year.is_(None))
    else:  # a condition this list cannot read: never claim the item is required
        return false()
    return and_(record, row_shown(TrackRecordItem))


def _meets(condition: str, per_row: bool) -> ColumnElement[bool]:
    """SQL: the candidacy's person meets the condition. `per_row`: a correlated probe (the
    person id is read from the row: cheap for a page's few hundred rows); otherwise the ids
    of every such candidacy, a list built once per statement (for a count of them all)."""
    if per_row:
        return exists().where(
            TrackRecordItem.person_id == Candidacy.person_id, _record_meets(condition)
        )
    return Candidacy.id.in_(
        select(_with_condition.id)
        .join(TrackRecordItem, TrackRecordItem.person_id == _with_condition.person_id)
        .where(_record_meets(condition))
        .correlate(None)
    )


def unchecked(requirement: Requirement, *, per_row: bool = False) -> ColumnElement[bool]:
    """SQL: the candidacy must have this item and has no row for it. The office first, then
    the probe into disclosure_item's key, then the conditions (see _meets)."""
    probe = exists().where(
        DisclosureItem.candidacy_id == Candidacy.id,
        DisclosureItem.requirement == requirement.item,
    )
    clauses = [Candidacy.office_id.in_(requirement.office_ids), ~probe]
    clauses += [_meets(condition, per_row) for condition in sorted(requirement.conditions)]
    return and_(*clauses)


BALLOT_ORDER = (
    Candidacy.list_district,
    Candidacy.list_party,
    Candidacy.ballot_number,
    Candidacy.id,
)


def task_query(
    session: Session,
    filters: CandidateFilters,
    needed: Sequence[Requirement],
    *,
    per_row: bool = True,
) -> Select:
    """Listed candidacies with a required item not checked: (id, one 0/1 per requirement),
    unordered. Callers order it by BALLOT_ORDER within one office segment (DPR, the rest).
    The 0/1 columns are worked out for the rows returned only (per row)."""
    checks = [unchecked(requirement, per_row=per_row) for requirement in needed]
    columns = [
        case((unchecked(requirement, per_row=True), 1), else_=0).label(f"gap_{n}")
        for n, requirement in enumerate(needed)
    ]
    stmt = select(Candidacy.id, *columns).where(listed(), or_(false(), *checks))
    return apply_filters(session, stmt, filters)


class TaskCounts:
    """The sizes of a filter set's two segments, kept while the data does not change.

    Counting walks every listed candidacy of the filters with its probes (seconds at 250,000
    on a busy machine); a page without it is a short index walk. The data version is read from
    indexes alone: the newest revision (every change to public data writes one, hides and
    track-record conditions included), the newest disclosure item, the newest candidacy
    change, and the hidden people (transparency.visibility.hidden_people_stamp)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._counts: OrderedDict[Hashable, tuple[Any, tuple[int, int]]] = OrderedDict()

    def get(self, key: Hashable, version: Any) -> tuple[int, int] | None:
        found = self._counts.get(key)
        if found is None or found[0] != version:
            return None
        self._counts.move_to_end(key)
        return found[1]

    def put(self, key: Hashable, version: Any, sizes: tuple[int, int]) -> None:
        self._counts[key] = (version, sizes)
        self._counts.move_to_end(key)
        while len(self._counts) > self.size:
            self._counts.popitem(last=False)


def data_version(session: Session) -> tuple:
    return tuple(
        session.execute(
            select(
                select(func.max(Revision.id)).scalar_subquery(),
                select(func.max(DisclosureItem.id)).scalar_subquery(),
                select(func.max(Candidacy.updated_at)).scalar_subquery(),
                *hidden_people_stamp(),
            )
        ).one()
    )


def task_page(
    session: Session,
    filters: CandidateFilters,
    ruleset: Ruleset,
    per_page: int,
    counts: TaskCounts | None = None,
) -> Page:
    """One page of tasks (Page.items are Task), with the total: DPR first, then the others,
    each segment in ballot order. A segment is a walk of the covering index that stops at
    the page's last row (no sort of every match); one grouped count gives both sizes, kept in
    `counts` while the data does not change."""
    needed = requirements(session, ruleset)
    if not needed:
        return Page([], 0, filters.page, per_page)
    stmt = task_query(session, filters, needed)
    first = session.scalar(select(Office.id).where(Office.code == FIRST_OFFICE))
    in_first = Candidacy.office_id == first if first is not None else false()
    key = (ruleset.version, tuple(sorted(filters.as_args(page="").items())))
    version = data_version(session) if counts is not None else None
    found = counts.get(key, version) if counts is not None else None
    if found is None:
        every = task_query(session, filters, needed, per_row=False)
        grouped = every.with_only_columns(in_first.label("first"), func.count())
        sizes = {
            bool(is_first): number
            for is_first, number in session.execute(grouped.group_by(in_first))
        }
        found = (sizes.get(True, 0), sizes.get(False, 0))
        if counts is not None:
            counts.put(key, version, found)
    firsts, others = found
    offset = (filters.page - 1) * per_page
    if offset > PER_ROW_UP_TO:  # a deep page walks most rows: the lists pay off
        stmt = task_query(session, filters, needed, per_row=False)
    rows: list = []
    if offset < firsts:
        segment = stmt.where(in_first).order_by(*BALLOT_ORDER)
        rows += session.execute(segment.limit(per_page).offset(offset)).all()
    wanted = per_page - len(rows)
    if wanted > 0 and offset + len(rows) < firsts + others:
        segment = stmt.where(~in_first).order_by(*BALLOT_ORDER)
        rows += session.execute(segment.limit(wanted).offset(max(0, offset - firsts))).all()
    candidacies = {c.id: c for c in candidacy_rows(session, [row[0] for row in rows])}
    tasks = []
    for row in rows:
        items = tuple(dict.fromkeys(r.item for r, gap in zip(needed, row[1:], strict=True) if gap))
        tasks.append(Task(candidacies[row[0]], items))
    return Page(tasks, firsts + others, filters.page, per_page)
