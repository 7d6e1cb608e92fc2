"""Creating submissions: what the volunteer proposes, against which public version."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.contrib.audit import AuditKind, record
from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    Party,
    Revision,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    User,
)
from transparency.models.base import utcnow

DEFAULT_SUBMISSIONS_PER_HOUR = 20


class SubmissionRefused(ValueError):
    """A user-facing reason a submission was not accepted (nothing was written)."""


class RateLimited(SubmissionRefused):
    pass


def recent_submissions(session: Session, user: User) -> int:
    since = utcnow() - timedelta(hours=1)
    return (
        session.scalar(
            select(func.count(Submission.id)).where(
                Submission.submitter_id == user.id, Submission.created_at >= since
            )
        )
        or 0
    )


def latest_revision_id(session: Session, entity_type: str, entity_id: int | None) -> int | None:
    if entity_id is None:
        return None
    return session.scalar(
        select(func.max(Revision.id)).where(
            Revision.entity_type == entity_type, Revision.entity_id == entity_id
        )
    )


def disclosure_item(session: Session, candidacy_id: int, requirement: str) -> DisclosureItem | None:
    return session.scalars(
        select(DisclosureItem).filter_by(candidacy_id=candidacy_id, requirement=requirement)
    ).first()


def current_base(
    session: Session, kind: str, candidacy: Candidacy | None, payload: dict[str, Any]
) -> int | None:
    """The version a change is made against: the latest revision of the row it changes.
    Additions (programme, track record, candidacy) change no existing row."""
    if kind == SubmissionKind.PROFILE and candidacy is not None:
        return latest_revision_id(session, "person", candidacy.person_id)
    if kind == SubmissionKind.DISCLOSURE and candidacy is not None:
        item = disclosure_item(session, candidacy.id, payload["requirement"])
        return latest_revision_id(session, "disclosure_item", item.id if item else None)
    if kind == SubmissionKind.PARTY:
        return latest_revision_id(session, "party", payload["party_id"])
    return None


def check_new_candidacy(session: Session, payload: dict[str, Any]) -> dict[str, Any]:
    """Resolve the district and party of a proposed candidacy; refuse an occupied slot."""
    district = session.scalars(
        select(District).filter_by(
            election_id=payload["election_id"],
            office_id=payload["office_id"],
            code=payload["district_code"],
        )
    ).first()
    if district is None:
        raise SubmissionRefused(_("No electoral district with this code for this office."))
    party_id = None
    if payload.get("party_number") is not None:
        party_id = session.scalar(
            select(Party.id).filter_by(
                election_id=payload["election_id"], number=payload["party_number"]
            )
        )
        if party_id is None:
            raise SubmissionRefused(_("No party with this number in this election."))
    taken = session.scalar(
        select(Candidacy.id).filter_by(
            election_id=payload["election_id"],
            office_id=payload["office_id"],
            district_id=district.id,
            party_id=party_id,
            ballot_number=payload["ballot_number"],
        )
    )
    if taken is not None:
        raise SubmissionRefused(
            _("This ballot number is already taken in this district and party.")
        )
    return {"district_id": district.id, "party_id": party_id}


def submit(
    session: Session,
    user: User,
    kind: SubmissionKind,
    payload: dict[str, Any],
    sources: list[dict[str, str]],
    *,
    candidacy: Candidacy | None = None,
    note: str | None = None,
    address: str = "",
    per_hour: int = DEFAULT_SUBMISSIONS_PER_HOUR,
) -> Submission:
    if recent_submissions(session, user) >= per_hour:
        raise RateLimited(
            _(
                "You have sent %(n)d submissions in the last hour, the most we accept. "
                "Your input is kept: send it again later.",
                n=per_hour,
            )
        )
    if not sources:
        raise SubmissionRefused(_("Give at least one source."))
    if kind == SubmissionKind.PROFILE and candidacy is not None:
        person = candidacy.person
        payload = {k: v for k, v in payload.items() if (getattr(person, k) or None) != v}
        if not payload:
            raise SubmissionRefused(_("Change at least one field."))
    if kind == SubmissionKind.CANDIDACY:
        check_new_candidacy(session, payload)
    if kind == SubmissionKind.PARTY:
        party = session.get(Party, payload["party_id"])
        if party is None:
            raise SubmissionRefused(_("No such party."))
        if party.wikidata_id == payload["wikidata_id"]:
            raise SubmissionRefused(_("Change at least one field."))
    submission = Submission(
        kind=kind.value,
        status=SubmissionStatus.PENDING.value,
        submitter_id=user.id,
        candidacy_id=candidacy.id if candidacy is not None else None,
        base_revision_id=current_base(session, kind, candidacy, payload),
        payload=payload,
        sources=sources,
        note=(note or "").strip() or None,
        created_at=utcnow(),
    )
    session.add(submission)
    session.flush()
    record(
        session,
        AuditKind.SUBMITTED,
        user=user,
        address=address,
        submission_id=submission.id,
        submission_kind=kind.value,
        candidacy_id=submission.candidacy_id,
    )
    return submission
