"""Deciding on submissions, and applying an approval to public data with its revision."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.contrib.audit import AuditKind, record
from transparency.contrib.forms import GRAVE_LEGAL_STATUSES
from transparency.contrib.submissions import (
    check_new_candidacy,
    current_base,
    disclosure_item,
)
from transparency.disclosure.replies import ReplyInput, record_reply
from transparency.models import (
    Candidacy,
    DisclosureItem,
    Party,
    Person,
    ProgrammeStatement,
    Source,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    TrackRecordItem,
    TrackRecordKind,
    User,
)
from transparency.models.base import utcnow
from transparency.requests.answers import apply_answer
from transparency.requests.recording import REQUESTED, close_when_disclosed
from transparency.revisions import provenance

OPEN_STATUSES = (SubmissionStatus.PENDING, SubmissionStatus.SECOND_REVIEW)


class ReviewRefused(ValueError):
    """A user-facing reason a decision was refused; nothing public changed."""


class Conflict(ReviewRefused):
    """The public data changed since the submission was made: re-review the new diff."""


def is_legal_case(submission: Submission) -> bool:
    return (
        submission.kind == SubmissionKind.TRACK_RECORD
        and submission.payload.get("kind") == TrackRecordKind.LEGAL_CASE
    )


def needs_second_review(submission: Submission) -> bool:
    """A legal case is an accusation about a real person: two different reviewers publish
    it (a conviction also needs its court reference)."""
    return is_legal_case(submission)


def needs_court_reference(submission: Submission) -> bool:
    return is_legal_case(submission) and (
        submission.payload.get("legal_status") in GRAVE_LEGAL_STATUSES
    )


def _check_can_decide(submission: Submission, reviewer: User) -> None:
    if submission.status not in OPEN_STATUSES:
        raise ReviewRefused(_("This submission was already decided."))
    if submission.submitter_id == reviewer.id:
        if submission.kind == SubmissionKind.REPLY:
            raise ReviewRefused(
                _("You entered this reply: a second, different reviewer must approve it.")
            )
        if submission.kind == SubmissionKind.REVERT:
            raise ReviewRefused(
                _("You asked for this: a second, different reviewer must confirm it.")
            )
        raise ReviewRefused(_("You cannot review your own submission."))


def reject(
    session: Session, submission: Submission, reviewer: User, reason: str, address: str = ""
) -> None:
    _check_can_decide(submission, reviewer)
    submission.status = SubmissionStatus.REJECTED.value
    submission.reviewer_id = reviewer.id
    submission.reviewed_at = utcnow()
    submission.review_reason = reason
    session.flush()
    record(session, AuditKind.REJECTED, user=reviewer, address=address, submission_id=submission.id)


def approve(
    session: Session, submission: Submission, reviewer: User, reason: str, address: str = ""
) -> SubmissionStatus:
    """Approve; returns APPROVED when public now, SECOND_REVIEW when one more is needed.
    Raises Conflict (after re-basing the submission, which the caller commits)."""
    _check_can_decide(submission, reviewer)
    if submission.status == SubmissionStatus.SECOND_REVIEW and (
        submission.first_reviewer_id == reviewer.id
    ):
        raise ReviewRefused(_("A second, different reviewer must approve this submission."))
    base = current_base(session, submission.kind, submission.candidacy, submission.payload)
    if base != submission.base_revision_id:
        # Re-base on the version the reviewer will now see; an earlier first approval was
        # given to a different diff, so it no longer counts.
        submission.base_revision_id = base
        submission.status = SubmissionStatus.PENDING.value
        submission.first_reviewer_id = None
        submission.first_reviewed_at = None
        session.flush()
        record(
            session,
            AuditKind.CONFLICT,
            user=reviewer,
            address=address,
            submission_id=submission.id,
            base_revision_id=base,
        )
        raise Conflict(
            _(
                "The public data changed after this submission was made. Nothing was "
                "changed: look at the updated comparison below and decide again."
            )
        )
    if submission.kind == SubmissionKind.REVERT:
        raise ReviewRefused(_("Confirm a revert from its revision, or reject it here."))
    if needs_second_review(submission) and submission.status == SubmissionStatus.PENDING:
        if needs_court_reference(submission) and not submission.payload.get("court_reference"):
            raise ReviewRefused(_("A conviction needs the court reference before approval."))
        submission.status = SubmissionStatus.SECOND_REVIEW.value
        submission.first_reviewer_id = reviewer.id
        submission.first_reviewed_at = utcnow()
        session.flush()
        record(
            session,
            AuditKind.FIRST_APPROVAL,
            user=reviewer,
            address=address,
            submission_id=submission.id,
        )
        return SubmissionStatus.SECOND_REVIEW
    apply(session, submission, reviewer, reason)
    submission.status = SubmissionStatus.APPROVED.value
    submission.reviewer_id = reviewer.id
    submission.reviewed_at = utcnow()
    submission.review_reason = reason
    session.flush()
    record(session, AuditKind.APPROVED, user=reviewer, address=address, submission_id=submission.id)
    return SubmissionStatus.APPROVED


def _sources(session: Session, submission: Submission) -> list[Source]:
    rows = [
        Source(
            url=item["url"],
            title=item["title"],
            accessed_on=date.fromisoformat(item["accessed_on"]),
        )
        for item in submission.sources
    ]
    session.add_all(rows)
    session.flush()
    return rows


def _apply_reply(session: Session, submission: Submission, reviewer: User) -> None:
    """A reply a reviewer entered, approved by another: public with both names."""
    payload = submission.payload
    source = submission.sources[0]
    if submission.candidacy is None:
        raise Conflict(_("The candidacy of this reply no longer exists."))
    record_reply(
        session,
        submission.candidacy,
        ReplyInput(
            text=payload["text"],
            replied_on=date.fromisoformat(payload["replied_on"]),
            author_kind=payload["author_kind"],
            author_name=payload["author_name"],
            source_url=source["url"],
            source_title=source["title"],
            rule_id=payload.get("rule_id") or None,
        ),
        submission.submitter_id,
        approved_by_id=reviewer.id,
    )


def apply(session: Session, submission: Submission, reviewer: User, reason: str) -> None:
    """Write the approved change to public data; the revision hook records it."""
    if submission.kind == SubmissionKind.REPLY:
        _apply_reply(session, submission, reviewer)
        return
    sources = _sources(session, submission)
    payload: dict[str, Any] = submission.payload
    candidacy = submission.candidacy
    with provenance(
        session,
        origin="review",
        proposed_by_id=submission.submitter_id,
        approved_by_id=reviewer.id,
        source_id=sources[0].id,
        reason=reason,
    ):
        kind = submission.kind
        if kind == SubmissionKind.PROFILE and candidacy is not None:
            person = candidacy.person
            for key, value in payload.items():
                setattr(person, key, value)
            person.source_id = sources[0].id
        elif kind == SubmissionKind.PROGRAMME and candidacy is not None:
            last = session.scalar(
                select(func.max(ProgrammeStatement.position)).filter_by(candidacy_id=candidacy.id)
            )
            session.add(
                ProgrammeStatement(
                    candidacy=candidacy,
                    kind=payload["kind"],
                    text=payload["text"],
                    position=(last if last is not None else -1) + 1,
                    source=sources[0],
                )
            )
        elif kind == SubmissionKind.TRACK_RECORD and candidacy is not None:
            last = session.scalar(
                select(func.max(TrackRecordItem.position)).filter_by(person_id=candidacy.person_id)
            )
            session.add(
                TrackRecordItem(
                    person_id=candidacy.person_id,
                    position=(last if last is not None else -1) + 1,
                    sources=sources,
                    **payload,
                )
            )
        elif kind == SubmissionKind.DISCLOSURE and candidacy is not None:
            item = disclosure_item(session, candidacy.id, payload["requirement"])
            if item is None:
                item = DisclosureItem(candidacy=candidacy, requirement=payload["requirement"])
                session.add(item)
            item.status = payload["status"]
            item.checked_at = date.fromisoformat(payload["checked_at"])
            item.note = submission.note
            item.source = sources[0]
            if item.status != REQUESTED:
                item.respond_by = None
                close_when_disclosed(session, candidacy, item.checked_at)
        elif kind == SubmissionKind.ANSWER:
            apply_answer(session, submission, sources, reviewer.id)
        elif kind == SubmissionKind.PARTY:
            party = session.get(Party, payload["party_id"])
            if party is None:
                raise Conflict(_("This party no longer exists."))
            party.wikidata_id = payload["wikidata_id"]
        elif kind == SubmissionKind.CANDIDACY:
            try:
                slot = check_new_candidacy(session, payload)
            except ValueError as error:
                raise Conflict(str(error)) from error
            person = Person(
                full_name=payload["full_name"],
                gender=payload.get("gender"),
                birth_place=payload.get("birth_place"),
                source=sources[0],
            )
            candidacy = Candidacy(
                person=person,
                election_id=payload["election_id"],
                office_id=payload["office_id"],
                district_id=slot["district_id"],
                party_id=slot["party_id"],
                ballot_number=payload["ballot_number"],
                source=sources[0],
            )
            session.add(candidacy)
        else:
            raise ReviewRefused(_("This submission cannot be applied."))
        session.flush()
    if submission.kind == SubmissionKind.CANDIDACY and candidacy is not None:
        submission.candidacy_id = candidacy.id
    # Derived data follows through the change channel: the flush above reported the rows.
