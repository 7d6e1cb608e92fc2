"""What reviewers and volunteers see of a submission: the diff against public data now,
its sources, labels. Values stay plain text; templates escape them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from transparency.contrib.forms import (
    DISCLOSURE_LABELS,
    LEGAL_LABELS,
    PROGRAMME_LABELS,
    REQUIREMENT_LABELS,
    TRACK_RECORD_LABELS,
)
from transparency.contrib.revert import revert_target
from transparency.contrib.submissions import disclosure_item
from transparency.extensions import db
from transparency.labels import FIELD_LABELS as PUBLIC_FIELD_LABELS
from transparency.models import Party, Revision, Submission, SubmissionKind, SubmissionStatus
from transparency.revisions import jsonable

KIND_LABELS = {
    SubmissionKind.CANDIDACY: _l("New candidacy"),
    SubmissionKind.PROFILE: _l("Profile change"),
    SubmissionKind.PROGRAMME: _l("Programme statement"),
    SubmissionKind.TRACK_RECORD: _l("Track-record item"),
    SubmissionKind.DISCLOSURE: _l("Disclosure status"),
    SubmissionKind.PARTY: _l("Party identifier"),
    SubmissionKind.REVERT: _l("Hide or revert a legal case"),
    SubmissionKind.REPLY: _l("Reply (hak jawab)"),
    SubmissionKind.ANSWER: _l("Answer to a disclosure request"),
}
STATUS_LABELS = {
    SubmissionStatus.PENDING: _l("Waiting for review"),
    SubmissionStatus.SECOND_REVIEW: _l("Waiting for a second reviewer"),
    SubmissionStatus.APPROVED: _l("Approved"),
    SubmissionStatus.REJECTED: _l("Rejected"),
}
# The public history's field names (transparency.labels), and the fields of a proposal only.
FIELD_LABELS = {
    **PUBLIC_FIELD_LABELS,
    "district_code": _l("Electoral district code"),
    "party_number": _l("Party number"),
    "refusal_reason": _l("Reason for refusing"),
    "reply_text": _l("Reply (hak jawab)"),
    "answered_on": _l("Answered on"),
}
AUTHOR_LABELS = {"candidate": _l("The candidate"), "party": _l("The party")}
VALUE_LABELS: dict[str, dict[Any, Any]] = {
    "legal_status": LEGAL_LABELS,
    "status": DISCLOSURE_LABELS,
    "requirement": REQUIREMENT_LABELS,
    "author_kind": AUTHOR_LABELS,
}


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def value_text(key: str, value: Any, kind: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if key == "kind":
        labels = PROGRAMME_LABELS if kind == SubmissionKind.PROGRAMME else TRACK_RECORD_LABELS
        return str(labels.get(value, value))  # type: ignore[call-overload]
    if key == "party_id":
        party = db.session.get(Party, value)
        return f"{party.name} ({party.election.name})" if party else str(value)
    if key in VALUE_LABELS:
        return str(VALUE_LABELS[key].get(value, value))
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    return str(value)


@dataclass(frozen=True)
class DiffRow:
    field: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


def _revert_rows(session: Session, submission: Submission) -> list[DiffRow]:
    """A request to hide or revert: each field as it is now, and as the revert leaves it."""
    revision = session.get(Revision, submission.payload.get("revision_id"))
    if revision is None:
        return []
    model, restore, _expected = revert_target(revision)
    row = session.get(model, revision.entity_id)
    return [
        DiffRow(
            field_label(key),
            value_text(key, jsonable(getattr(row, key, None))),
            value_text(key, value),
        )
        for key, value in restore.items()
    ]


def diff_rows(session: Session, submission: Submission) -> list[DiffRow]:
    """The proposal next to the public data as it is now."""
    if submission.kind == SubmissionKind.REVERT:
        return _revert_rows(session, submission)
    payload = submission.payload
    if submission.kind == SubmissionKind.ANSWER:
        # An answer adds; it changes no field in place. Its links read as one row each.
        links = payload.get("links", {})
        payload = {key: value for key, value in payload.items() if key != "links"} | links
    candidacy = submission.candidacy
    current: dict[str, Any] = {}
    if submission.kind == SubmissionKind.PROFILE and candidacy is not None:
        current = {key: getattr(candidacy.person, key) for key in payload}
    elif submission.kind == SubmissionKind.DISCLOSURE and candidacy is not None:
        item = disclosure_item(session, candidacy.id, payload["requirement"])
        if item is not None:
            current = {
                "requirement": item.requirement,
                "status": item.status,
                "checked_at": item.checked_at.isoformat() if item.checked_at else None,
            }
    elif submission.kind == SubmissionKind.PARTY:
        party = session.get(Party, payload["party_id"])
        current = {"party_id": payload["party_id"], "wikidata_id": party and party.wikidata_id}
    if submission.status == SubmissionStatus.APPROVED:
        current = {}  # applied: the public data is the proposal now
    return [
        DiffRow(
            field_label(key),
            value_text(key, current.get(key), submission.kind),
            value_text(key, value, submission.kind),
        )
        for key, value in payload.items()
        if value not in (None, "") or current.get(key) not in (None, "")
    ]


@dataclass(frozen=True)
class SourceView:
    url: str
    title: str
    accessed_on: date | None
    publisher: None = None
    archived_url: None = None


def source_views(submission: Submission) -> list[SourceView]:
    return [
        SourceView(
            url=item["url"],
            title=item.get("title") or item["url"],
            accessed_on=date.fromisoformat(item["accessed_on"])
            if item.get("accessed_on")
            else None,
        )
        for item in submission.sources
    ]
