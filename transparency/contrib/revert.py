"""Reverting a revision: a new revision that puts the fields back, with a reason."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from transparency.contrib.audit import AuditKind, record
from transparency.contrib.review import OPEN_STATUSES, Conflict, ReviewRefused
from transparency.models import (
    Candidacy,
    DisclosureItem,
    Person,
    ProgrammeStatement,
    Reply,
    Revision,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    TrackRecordItem,
    TrackRecordKind,
    User,
)
from transparency.models.base import utcnow
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


class Outcome(StrEnum):
    DONE = "done"
    PENDING = "pending"  # recorded; a second, different reviewer must confirm


def needs_two_reviewers(revision: Revision, row: Any) -> bool:
    """Hiding or reverting a legal-case item takes two reviewers, as publishing it does:
    the item is a legal case now, or was one before or after this revision."""
    if revision.entity_type != TrackRecordItem.__tablename__:
        return False
    kinds = {
        getattr(row, "kind", None),
        (revision.before or {}).get("kind"),
        (revision.after or {}).get("kind"),
    }
    return TrackRecordKind.LEGAL_CASE in kinds


def pending_revert(session: Session, revision: Revision) -> Submission | None:
    """The open request, by a first reviewer, to revert this revision."""
    return session.scalars(
        select(Submission)
        .where(
            Submission.kind == SubmissionKind.REVERT,
            Submission.status.in_([status.value for status in OPEN_STATUSES]),
            Submission.payload["revision_id"].as_integer() == revision.id,
        )
        .order_by(Submission.id)
    ).first()


def _check_revertible(session: Session, revision: Revision) -> tuple[type, dict[str, Any], Any]:
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
    return model, restore, row


def _candidacy_of(session: Session, revision: Revision) -> int | None:
    """The candidacy a reviewer sees the request under (a track-record item is a person's)."""
    if revision.candidacy_id is not None:
        return revision.candidacy_id
    return session.scalar(
        select(Candidacy.id)
        .where(Candidacy.person_id == revision.person_id)
        .order_by(Candidacy.id)
        .limit(1)
    )


def _restore(
    session: Session,
    revision: Revision,
    model: type,
    restore: dict[str, Any],
    row: Any,
    *,
    approved_by: User,
    proposed_by_id: int | None,
    reason: str,
) -> None:
    with provenance(
        session,
        origin="revert",
        proposed_by_id=proposed_by_id,
        approved_by_id=approved_by.id,
        reverts_id=revision.id,
        reason=reason,
    ):
        for key, value in restore.items():
            setattr(row, key, _python_value(model, key, value))
        session.flush()
    # The flush above reported the restored rows to the change channel: derived data follows.


def revert(
    session: Session, revision: Revision, reviewer: User, reason: str, address: str = ""
) -> Outcome:
    """Revert now, or, for a legal-case item, record the first reviewer's request (PENDING)
    or confirm another reviewer's (DONE). The same reviewer twice is refused; nothing is
    written then."""
    model, restore, row = _check_revertible(session, revision)
    entity = f"{revision.entity_type}#{revision.entity_id}"
    action = "hide" if restore == {"hidden": True} else "revert"
    if not needs_two_reviewers(revision, row):
        _restore(
            session,
            revision,
            model,
            restore,
            row,
            approved_by=reviewer,
            proposed_by_id=None,
            reason=reason,
        )
        record(
            session,
            AuditKind.REVERTED,
            user=reviewer,
            address=address,
            revision_id=revision.id,
            entity=entity,
        )
        return Outcome.DONE
    pending = pending_revert(session, revision)
    if pending is not None:
        confirm_revert(session, pending, reviewer, reason, address)
        return Outcome.DONE
    now = utcnow()
    request = Submission(
        kind=SubmissionKind.REVERT.value,
        status=SubmissionStatus.SECOND_REVIEW.value,
        submitter_id=reviewer.id,
        candidacy_id=_candidacy_of(session, revision),
        payload={"revision_id": revision.id, "action": action, "entity": entity},
        sources=[],
        note=reason,
        created_at=now,
        first_reviewer_id=reviewer.id,
        first_reviewed_at=now,
    )
    session.add(request)
    session.flush()
    record(
        session,
        AuditKind.REVERT_REQUESTED,
        user=reviewer,
        address=address,
        revision_id=revision.id,
        entity=entity,
        action=action,
        submission_id=request.id,
    )
    return Outcome.PENDING


def confirm_revert(
    session: Session, request: Submission, reviewer: User, reason: str, address: str = ""
) -> None:
    """The second reviewer confirms a first reviewer's request to hide or revert."""
    if request.kind != SubmissionKind.REVERT or request.status not in OPEN_STATUSES:
        raise ReviewRefused(_("This submission was already decided."))
    if reviewer.id in (request.submitter_id, request.first_reviewer_id):
        raise ReviewRefused(_("You asked for this: a second, different reviewer must confirm it."))
    revision = session.get(Revision, request.payload["revision_id"])
    if revision is None:
        raise ReviewRefused(_("The record of this revision no longer exists."))
    model, restore, row = _check_revertible(session, revision)
    _restore(
        session,
        revision,
        model,
        restore,
        row,
        approved_by=reviewer,
        proposed_by_id=request.submitter_id,
        reason=request.note or reason,
    )
    request.status = SubmissionStatus.APPROVED.value
    request.reviewer_id = reviewer.id
    request.reviewed_at = utcnow()
    request.review_reason = reason
    session.flush()
    record(
        session,
        AuditKind.REVERTED,
        user=reviewer,
        address=address,
        revision_id=revision.id,
        entity=request.payload.get("entity"),
        submission_id=request.id,
        requested_by_id=request.submitter_id,
    )
