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

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from transparency.disclosure.facts import EX_CONVICT, INCUMBENT
from transparency.disclosure.rules import Ruleset
from transparency.listing import CandidateFilters, apply_filters
from transparency.models import Candidacy, DisclosureItem, Office, TrackRecordItem
from transparency.profiles.pages import Page, candidacy_rows
from transparency.visibility import listed, row_shown

FIRST_OFFICE = "DPR"
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


def _candidacies_where(condition: str) -> Select:
    """Ids of candidacies whose person's visible track record meets a rule condition."""
    if condition == EX_CONVICT:
        record = and_(
            TrackRecordItem.kind == "legal_case", TrackRecordItem.legal_status == "ex_convict"
        )
    elif condition == INCUMBENT:
        record = and_(TrackRecordItem.kind == "public_office", TrackRecordItem.end_year.is_(None))
    else:  # a condition this list cannot read: never claim the item is required
        return select(_with_condition.id).where(false())
    return (
        select(_with_condition.id)
        .join(TrackRecordItem, TrackRecordItem.person_id == _with_condition.person_id)
        .where(record, row_shown(TrackRecordItem))
        .correlate(None)
    )


def unchecked(requirement: Requirement) -> ColumnElement[bool]:
    """SQL: the candidacy must have this item and has no row for it."""
    probe = exists().where(
        DisclosureItem.candidacy_id == Candidacy.id,
        DisclosureItem.requirement == requirement.item,
    )
    clauses = [Candidacy.office_id.in_(requirement.office_ids), ~probe]
    clauses += [
        Candidacy.id.in_(_candidacies_where(condition))
        for condition in sorted(requirement.conditions)
    ]
    return and_(*clauses)


def task_query(
    session: Session, filters: CandidateFilters, needed: Sequence[Requirement]
) -> Select:
    """Listed candidacies with a required item not checked: (id, one flag per requirement),
    DPR first, then in ballot order."""
    checks = [unchecked(requirement) for requirement in needed]
    first = session.scalar(select(Office.id).where(Office.code == FIRST_OFFICE))
    columns = [case((check, 1), else_=0).label(f"gap_{n}") for n, check in enumerate(checks)]
    stmt = select(Candidacy.id, *columns).where(listed(), or_(false(), *checks))
    return apply_filters(session, stmt, filters).order_by(
        case((Candidacy.office_id == first, 0), else_=1),
        Candidacy.list_district,
        Candidacy.list_party,
        Candidacy.ballot_number,
        Candidacy.id,
    )


def task_page(session: Session, filters: CandidateFilters, ruleset: Ruleset, per_page: int) -> Page:
    """One page of tasks (Page.items are Task), with the total."""
    needed = requirements(session, ruleset)
    if not needed:
        return Page([], 0, filters.page, per_page)
    stmt = task_query(session, filters, needed)
    total = (
        session.scalar(
            select(func.count()).select_from(
                stmt.with_only_columns(Candidacy.id).order_by(None).subquery()
            )
        )
        or 0
    )
    rows = session.execute(stmt.limit(per_page).offset((filters.page - 1) * per_page)).all()
    candidacies = {c.id: c for c in candidacy_rows(session, [row[0] for row in rows])}
    tasks = []
    for row in rows:
        items = tuple(dict.fromkeys(r.item for r, gap in zip(needed, row[1:], strict=True) if gap))
        tasks.append(Task(candidacies[row[0]], items))
    return Page(tasks, total, filters.page, per_page)
