"""The change channel: every writer reports what it changed once; derived data follows.

Derived data (the flag and its history, the list pages' sort keys, the search outbox, the
statistics snapshot) is brought up to date by *consumers*, registered in one place — the
`init_app` of their feature — with an order:

    derived.register(app, "search", consumer, order=derived.SEARCH)

A consumer is `consumer(session, change) -> result`; it runs inside the writer's transaction
(so what it writes commits or rolls back with the change) and may record further changes on
`change` for the consumers after it: the disclosure evaluation records the candidacies whose
flag moved, so the search outbox (later in the order) always receives them.

Writers report, they never call consumers themselves:

- ORM flushes are collected here (after_flush), from the same objects the revision hook
  records; the consumers run once, just before the transaction commits.
- Bulk writers (imports, demo data, reverts, reviews) call `refresh_after_bulk(session, ids)`
  after their rows are flushed: the consumers run at once, for those candidacies.
- `flask disclosure recompute` and `load-rules` report `reevaluate=True` (every flag may
  move, the candidacies' data did not) and `settle(session)` to get the evaluation's counts.

Nothing here commits: the unit of work (a request, a CLI command) does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from transparency.models import (
    Candidacy,
    DisclosureItem,
    Person,
    ProgrammeStatement,
    Reply,
    TrackRecordItem,
)
from transparency.models import Ruleset as RulesetRow

# The declared order of the consumers: evaluation first (it changes flags), then what reads
# the candidacy rows (sort keys, search), then what aggregates them (statistics).
EVALUATE = 100
LIST_KEYS = 200
SEARCH = 300
STATISTICS = 900

ID_CHUNK = 1000  # ids bound in one IN (...)
_EXTENSION = "transparency.derived"
_PENDING = "transparency.derived.pending"


@dataclass
class Change:
    """What one unit of work changed, as the consumers see it."""

    candidacy_ids: set[int] = field(default_factory=set)  # their own data changed
    person_ids: set[int] = field(default_factory=set)  # resolved to candidacies on settling
    all_candidacies: bool = False  # any candidacy may have changed (demo data, a rebuild)
    reevaluate: bool = False  # every flag must be evaluated again (new rules, time passed)
    bulk: bool = False  # reported by a bulk writer (an import, demo data), not an edit
    derived_ids: set[int] = field(default_factory=set)  # a consumer changed their derived data

    def __bool__(self) -> bool:
        return bool(
            self.candidacy_ids
            or self.person_ids
            or self.all_candidacies
            or self.reevaluate
            or self.derived_ids
        )

    def touched(self) -> set[int] | None:
        """Every candidacy whose stored row or derived data may differ; None for all."""
        if self.all_candidacies:
            return None
        return self.candidacy_ids | self.derived_ids

    def record_derived(self, candidacy_ids: Iterable[int]) -> None:
        """A consumer says it changed the derived data of these (for the ones after it)."""
        self.derived_ids.update(candidacy_ids)


Consumer = Callable[[Session, Change], Any]


@dataclass(frozen=True)
class Registration:
    order: int
    name: str
    consumer: Consumer


def register(app: Flask, name: str, consumer: Consumer, *, order: int) -> None:
    """Add (or replace, by name) a consumer of the app's changes, run in ascending order."""
    registry: dict[str, Registration] = app.extensions.setdefault(_EXTENSION, {})
    registry[name] = Registration(order, name, consumer)


def consumers(app: Flask) -> list[Registration]:
    registry: dict[str, Registration] = app.extensions.get(_EXTENSION, {})
    return sorted(registry.values(), key=lambda r: (r.order, r.name))


# -- writers ------------------------------------------------------------------------------


def _pending(session: Session) -> Change:
    change = session.info.get(_PENDING)
    if change is None:
        change = session.info[_PENDING] = Change()
    return change


def report(
    session: Session,
    candidacy_ids: Iterable[int] | None = (),
    *,
    person_ids: Iterable[int] = (),
    reevaluate: bool = False,
    bulk: bool = False,
) -> None:
    """Record changed candidacies (None: any of them) for the consumers of this transaction."""
    change = _pending(session)
    if candidacy_ids is None:
        change.all_candidacies = True
    else:
        change.candidacy_ids.update(i for i in candidacy_ids if i is not None)
    change.person_ids.update(i for i in person_ids if i is not None)
    change.reevaluate |= reevaluate
    change.bulk |= bulk


def settle(session: Session) -> dict[str, Any]:
    """Run the consumers now for what this transaction reported; {name: result}, in order."""
    results: dict[str, Any] = {}
    # A consumer's own ORM writes (rare) are collected again: settle until nothing is left.
    for _ in range(3):
        if session.new or session.dirty or session.deleted:
            session.flush()
        change = session.info.pop(_PENDING, None)
        if not change:
            return results
        if not has_app_context():
            raise RuntimeError(
                "data changed outside an app context: its derived data cannot follow "
                "(push app.app_context() around the unit of work)"
            )
        _resolve_people(session, change)
        for registration in consumers(current_app._get_current_object()):  # type: ignore[attr-defined]
            results[registration.name] = registration.consumer(session, change)
    return results


def refresh_after_bulk(session: Session, candidacy_ids: Sequence[int] | None = None) -> list[str]:
    """A bulk writer's rows are flushed: bring derived data up to date for these candidacies
    (all when None), in this transaction; returns the consumers that ran."""
    report(session, candidacy_ids, bulk=True)
    return list(settle(session))


def _resolve_people(session: Session, change: Change) -> None:
    if change.all_candidacies or not change.person_ids:
        change.person_ids.clear()
        return
    persons = sorted(change.person_ids)
    column = Candidacy.__table__.c
    for start in range(0, len(persons), ID_CHUNK):
        change.candidacy_ids.update(
            session.connection().scalars(
                select(column.id).where(column.person_id.in_(persons[start : start + ID_CHUNK]))
            )
        )
    change.person_ids.clear()


# -- the ORM path -------------------------------------------------------------------------


def _changed(obj: object) -> bool:
    return any(attr.history.has_changes() for attr in inspect(obj).attrs)


def _collect(session: Session, _context: Any) -> None:
    dirty = (obj for obj in session.dirty if _changed(obj))
    candidacies: set[int] = set()
    persons: set[int] = set()
    rules = False
    for obj in chain(session.new, dirty, session.deleted):
        if isinstance(obj, Candidacy):
            candidacies.add(obj.id)
        elif isinstance(obj, DisclosureItem | ProgrammeStatement | Reply):
            candidacies.add(obj.candidacy_id)
        elif isinstance(obj, Person):
            persons.add(obj.id)
        elif isinstance(obj, TrackRecordItem):
            persons.add(obj.person_id)
        elif isinstance(obj, RulesetRow):
            rules = True
    if candidacies or persons or rules:
        report(session, candidacies, person_ids=persons, reevaluate=rules)


def _settle_before_commit(session: Session) -> None:
    settle(session)


def _forget(session: Session, previous: SessionTransaction) -> None:
    # A savepoint's rollback keeps what was reported before it: settling too much is harmless.
    if not previous.nested:
        session.info.pop(_PENDING, None)


def init_app(_app: Flask) -> None:
    """Hooks on every Session: the app, the CLI and the tests report the same way."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "before_commit", _settle_before_commit)
        event.listen(Session, "after_soft_rollback", _forget)
