"""Recompute inside the commit that caused it: collect in after_flush, recompute in
before_commit, forget on rollback (see docs/methodology-engine.md for why not after commit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from transparency.disclosure.store import _PENDING, ID_CHUNK, recompute
from transparency.models import (
    Candidacy,
    DisclosureItem,
    Person,
    ProgrammeStatement,
    TrackRecordItem,
)
from transparency.models import Ruleset as RulesetRow

_c = Candidacy.__table__.c


@dataclass
class _Pending:
    candidacies: set[int] = field(default_factory=set)
    persons: set[int] = field(default_factory=set)
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.candidacies or self.persons or self.everything)


def refresh(session: Session, candidacy_ids: Sequence[int] | None = None) -> None:
    """The bulk refresher (transparency.derived): imports and demo data call it."""
    pending = _pending(session)
    if candidacy_ids is not None:
        pending.candidacies.difference_update(candidacy_ids)
    recompute(session, candidacy_ids)


def _pending(session: Session) -> _Pending:
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = _Pending()
    return pending


def _collect(session: Session, _context: Any) -> None:
    pending = _pending(session)
    for obj in chain(session.new, session.dirty):
        if isinstance(obj, Candidacy):
            pending.candidacies.add(obj.id)
        elif isinstance(obj, DisclosureItem | ProgrammeStatement):
            pending.candidacies.add(obj.candidacy_id)
        elif isinstance(obj, Person):
            pending.persons.add(obj.id)
        elif isinstance(obj, TrackRecordItem):
            pending.persons.add(obj.person_id)
        elif isinstance(obj, RulesetRow):
            pending.everything = True


def _recompute_before_commit(session: Session) -> None:
    if session.new or session.dirty:
        session.flush()
    pending = session.info.get(_PENDING)
    if not pending:
        return
    session.info.pop(_PENDING, None)
    if pending.everything:
        recompute(session, None)
        return
    ids = set(pending.candidacies)
    if pending.persons:
        persons = sorted(pending.persons)
        for start in range(0, len(persons), ID_CHUNK):
            ids.update(
                session.connection().scalars(
                    select(_c.id).where(_c.person_id.in_(persons[start : start + ID_CHUNK]))
                )
            )
    ids.discard(None)  # type: ignore[arg-type]
    if ids:
        recompute(session, sorted(ids))


def _forget(session: Session, _previous: Any = None) -> None:
    session.info.pop(_PENDING, None)


def install_hooks() -> None:
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "before_commit", _recompute_before_commit)
        event.listen(Session, "after_soft_rollback", _forget)
