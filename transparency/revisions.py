"""Every change to public data is recorded as a Revision, mechanically.

A write path declares where its change comes from with `provenance(session, origin=...)`;
an after-flush hook then writes one Revision per created or changed Revisioned row, with
the changed fields before and after. A change to public data without declared provenance,
or a DELETE of public data, is refused: deleting means hiding, with a record.

Bulk paths (the importer, demo data) write with Core statements through `transparency.bulk`,
which builds the same rows with `revision_row(...)` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from transparency.models import Candidacy, Revision, Revisioned
from transparency.models.base import Base, utcnow

_KEY = "transparency.provenance"

# Bookkeeping and derived columns: their changes are not changes to public data.
NOT_RECORDED = frozenset({"created_at", "updated_at"})
DERIVED = {
    Candidacy: frozenset(
        {
            "disclosure_score",
            "flagged",
            "flags",
            "ruleset_version",
            "flagged_since",
            "list_district",
            "list_party",
            "disclosure_statuses",
        }
    ),
}


class UnrecordedChange(RuntimeError):
    """Public data was changed without provenance, or deleted instead of hidden."""


@dataclass(frozen=True)
class Provenance:
    origin: str  # reference | demo | import | review | revert | admin | reply
    proposed_by_id: int | None = None
    approved_by_id: int | None = None
    source_id: int | None = None
    import_batch_id: int | None = None
    reverts_id: int | None = None
    reason: str | None = None


@contextmanager
def provenance(session: Session, origin: str, **fields: Any) -> Iterator[Provenance]:
    """Declare where the changes flushed inside this block come from."""
    previous = session.info.get(_KEY)
    current = Provenance(origin=origin, **fields)
    session.info[_KEY] = current
    try:
        yield current
    finally:
        if previous is None:
            session.info.pop(_KEY, None)
        else:
            session.info[_KEY] = previous


def jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@cache
def recorded_keys(model: type) -> tuple[str, ...]:
    """The fields of a Revisioned model that its revisions record (bulk.py uses the same)."""
    skip = NOT_RECORDED | DERIVED.get(model, frozenset())
    return tuple(attr.key for attr in inspect(model).column_attrs if attr.key not in skip)


def _recorded_keys(obj: Revisioned) -> tuple[str, ...]:
    return recorded_keys(type(obj))


def snapshot(obj: Revisioned) -> dict[str, Any]:
    """The recorded fields of a row, JSON-ready."""
    values = {key: jsonable(getattr(obj, key)) for key in _recorded_keys(obj)}
    state = inspect(obj)
    for rel in state.mapper.relationships:
        if rel.secondary is not None and rel.key not in state.unloaded:
            values[f"{rel.key}_ids"] = sorted(_primary_key(item) for item in getattr(obj, rel.key))
    return values


def _primary_key(obj: object) -> Any:
    # After a flush the key is on the row, though the identity map entry is not made yet.
    return inspect(obj).mapper.primary_key_from_instance(obj)[0]


def changed_fields(obj: Revisioned) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of the recorded fields this flush changes."""
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _recorded_keys(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            before[key] = jsonable(old)
            after[key] = jsonable(new)
    return before, after


def revision_row(
    entity_type: str,
    entity_id: int,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    source: Provenance,
    *,
    person_id: int | None = None,
    candidacy_id: int | None = None,
    source_id: int | None = None,
) -> dict[str, Any]:
    """One Revision row for a Core insert; the ORM path below builds the same rows."""
    row = asdict(source)
    if source_id is not None:
        row["source_id"] = source_id
    row.update(
        created_at=utcnow(),
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
        person_id=person_id,
        candidacy_id=candidacy_id,
    )
    return row


def change_action(before: dict[str, Any], after: dict[str, Any]) -> str:
    """update, or hide/unhide when only `hidden` changed."""
    if set(after) == {"hidden"}:
        return "hide" if after["hidden"] else "unhide"
    return "update"


def _pending(session: Session) -> Iterator[tuple[Revisioned, str]]:
    for obj in session.new:
        if isinstance(obj, Revisioned):
            yield obj, "create"
    for obj in session.dirty:
        if isinstance(obj, Revisioned) and session.is_modified(obj, include_collections=False):
            yield obj, "update"


def _check_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, Revisioned):
            raise UnrecordedChange(
                f"{type(obj).__name__} rows are public data: hide them, never delete them"
            )
    if _KEY not in session.info:
        for obj, action in _pending(session):
            if action == "create" or any(changed_fields(obj)):
                raise UnrecordedChange(
                    f"{action} of {type(obj).__name__} without provenance: "
                    "wrap the write in transparency.revisions.provenance(...)"
                )


def _record_after_flush(session: Session, _context: Any) -> None:
    source: Provenance | None = session.info.get(_KEY)
    if source is None:
        return
    rows = []
    for obj, action in _pending(session):
        if action == "create":
            before, after = None, snapshot(obj)
        else:
            before, after = changed_fields(obj)
            if not after:
                continue
            action = change_action(before, after)
        person_id, candidacy_id = obj.revision_scope()
        entity_id = _primary_key(obj)
        rows.append(
            revision_row(
                type(obj).__tablename__,
                entity_id,
                action,
                before,
                after,
                source,
                person_id=person_id,
                candidacy_id=candidacy_id,
                source_id=source.source_id or getattr(obj, "source_id", None),
            )
        )
    if rows:
        session.connection().execute(insert(Revision), rows)


def _keep_old_value(_target: Any, value: Any, _old: Any, _initiator: Any) -> Any:
    return value


def _load_old_values() -> None:
    """A recorded field set on a row whose attributes were expired (after a commit) would
    have no old value in its history, and its revision would say `before: null`: loading
    the old value first (SQLAlchemy's active_history) keeps the true `before`."""
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if not issubclass(model, Revisioned):
            continue
        for key in recorded_keys(model):
            attribute = getattr(model, key)
            if not event.contains(attribute, "set", _keep_old_value):
                event.listen(attribute, "set", _keep_old_value, active_history=True, retval=True)


def init_app(_app: object) -> None:
    """Hooks on every Session: the recording applies to the app, the CLI and the tests alike."""
    if not event.contains(Session, "before_flush", _check_before_flush):
        event.listen(Session, "before_flush", _check_before_flush)
        event.listen(Session, "after_flush", _record_after_flush)
    _load_old_values()
