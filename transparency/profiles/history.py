"""A profile's history: its revisions, newest first, and each one field by field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from transparency.models import (
    Candidacy,
    Revision,
    Source,
)
from transparency.profiles.pages import Page

HISTORY_PER_PAGE = 30


# Bookkeeping fields a reader does not need in a diff.
HIDDEN_DIFF_FIELDS = frozenset({"id", "list_district", "list_party"})


@dataclass
class HistoryPage:
    page: Page
    sources: dict[int, Source]


def revision_history(session: Session, candidacy: Candidacy, page: int) -> HistoryPage:
    """Revisions of this candidacy or its person, newest first, with their sources."""
    stmt = (
        select(Revision)
        .where(
            or_(Revision.candidacy_id == candidacy.id, Revision.person_id == candidacy.person_id)
        )
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    )
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(
        session.scalars(
            stmt.options(joinedload(Revision.proposed_by), joinedload(Revision.approved_by))
            .limit(HISTORY_PER_PAGE)
            .offset((page - 1) * HISTORY_PER_PAGE)
        )
    )
    source_ids = {row.source_id for row in rows if row.source_id}
    sources = (
        {s.id: s for s in session.scalars(select(Source).where(Source.id.in_(source_ids)))}
        if source_ids
        else {}
    )
    return HistoryPage(Page(rows, total, page, HISTORY_PER_PAGE), sources)


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str


def revision_diff(revision: Revision) -> list[FieldChange]:
    """Field by field, before -> after, as text (escaped by the template like any text)."""
    before = revision.before or {}
    after = revision.after or {}
    changes = []
    for name in sorted(set(before) | set(after)):
        if name in HIDDEN_DIFF_FIELDS:
            continue
        old, new = _as_text(before.get(name)), _as_text(after.get(name))
        if old != new:
            changes.append(FieldChange(name, old, new))
    return changes


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value)
    return str(value)
