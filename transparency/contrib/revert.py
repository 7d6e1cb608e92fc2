"""Reverting a revision: a new revision that puts the fields back, with a reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from transparency.contrib.audit import AuditKind, record
from transparency.contrib.review import Conflict, ReviewRefused
from transparency.models import (
    Candidacy,
    DisclosureItem,
    Person,
    ProgrammeStatement,
    Reply,
    Revision,
    TrackRecordItem,
    User,
)
from transparency.revisions import jsonable, provenance

MODELS: dict[str, type] = {
    model.__tablename__: model
    for model in (Person, Candidacy, ProgrammeStatement, TrackRecordItem, DisclosureItem, Reply)
}


def _python_value(model: type, key: str, value: Any) -> Any:
    if value is None:
        return None
    column = inspect(model).columns[key]
    python_type = column.type.python_type
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    return value


def revert_target(revision: Revision) -> tuple[type, dict[str, Any], dict[str, Any]]:
    """(model, values to restore, values the fields must have now)."""
    model = MODELS.get(revision.entity_type)
    if model is None:
        raise ReviewRefused(_("This kind of record cannot be reverted here."))
    columns = set(inspect(model).columns.keys())
    if revision.action == "create":
        if "hidden" not in columns:
            raise ReviewRefused(
                _("This record cannot be hidden; propose a corrected status instead.")
            )
        return model, {"hidden": True}, {"hidden": False}
    before = {k: v for k, v in (revision.before or {}).items() if k in columns}
    after = {k: v for k, v in (revision.after or {}).items() if k in columns}
    if not before and not after:
        raise ReviewRefused(_("This revision changed nothing that can be put back."))
    return model, before, after


def revert(
    session: Session, revision: Revision, reviewer: User, reason: str, address: str = ""
) -> None:
    model, restore, expected = revert_target(revision)
    row = session.get(model, revision.entity_id)
    if row is None:
        raise ReviewRefused(_("The record of this revision no longer exists."))
    changed_since = sorted(
        key for key, value in expected.items() if jsonable(getattr(row, key)) != value
    )
    if changed_since:
        raise Conflict(
            _(
                "These fields changed again after this revision: %(fields)s. Revert the later "
                "revision first, or propose a correction.",
                fields=", ".join(changed_since),
            )
        )
    with provenance(
        session,
        origin="revert",
        approved_by_id=reviewer.id,
        reverts_id=revision.id,
        reason=reason,
    ):
        for key, value in restore.items():
            setattr(row, key, _python_value(model, key, value))
        session.flush()
    record(
        session,
        AuditKind.REVERTED,
        user=reviewer,
        address=address,
        revision_id=revision.id,
        entity=f"{revision.entity_type}#{revision.entity_id}",
    )
    # The flush above reported the restored rows to the change channel: derived data follows.
