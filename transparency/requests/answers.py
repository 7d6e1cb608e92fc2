"""A candidate's answer through a request's link: it enters the review queue as a submission
marked with its request, and changes public data only when a reviewer approves it (one
reviewer's approval suffices: the author is the candidate's side, not a volunteer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.contrib.audit import AuditKind, record
from transparency.models import (
    AnswerLink,
    DisclosureItem,
    Reply,
    Source,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from transparency.models.base import utcnow
from transparency.requests.links import LinkState, state, use
from transparency.requests.recording import REQUESTED, mark_answered

# What a link may publish: the disclosure item each given link stands for.
LINKED_ITEMS = ("cv", "lhkpn", "programme")
AUTHOR_KINDS = ("candidate", "party")
# Source titles are data, kept in the organisation's language like every other source's.
LINK_TITLE = "Tautan dari jawaban atas permintaan #{n}"
ANSWER_TITLE = "Jawaban atas permintaan #{n}"


class AnswerRefused(ValueError):
    """A user-facing reason an answer was not accepted (nothing was written)."""

    def __init__(self, message: str, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


@dataclass(frozen=True)
class AnswerInput:
    author_kind: str
    author_name: str
    links: dict[str, str]  # item -> URL, for the items in LINKED_ITEMS given
    refused: bool = False
    refusal_reason: str = ""
    reply_text: str = ""


def gone_message(link_state: LinkState) -> str:
    messages = {
        LinkState.EXPIRED: _("This link has expired."),
        LinkState.USED: _("This link was already used."),
        LinkState.REVOKED: _("This link was withdrawn."),
        LinkState.ANSWERED: _("This request already has its answer."),
    }
    return messages[link_state]


def submit_answer(
    session: Session,
    link: AnswerLink,
    data: AnswerInput,
    now: datetime | None = None,
    address: str = "",
) -> Submission:
    """Use the link once and queue the answer for review; refuses a link that is not valid,
    and an empty answer, writing nothing."""
    now = now or utcnow()
    link_state = state(link, now)
    if link_state != LinkState.VALID:
        raise AnswerRefused(gone_message(link_state), gone=True)
    links = {item: url.strip() for item, url in data.links.items() if url and url.strip()}
    reply_text = data.reply_text.strip()
    if not links and not data.refused and not reply_text:
        raise AnswerRefused(_("Give at least one link, a refusal or a reply."))
    if data.refused and not data.refusal_reason.strip():
        raise AnswerRefused(_("Say in a few words why the data is not disclosed."))
    if data.author_kind not in AUTHOR_KINDS or not data.author_name.strip():
        raise AnswerRefused(_("Say who answers: the candidate or the party, and the name."))
    request = link.request
    on = now.date().isoformat()
    sources = [
        {"url": url, "title": LINK_TITLE.format(n=request.id), "accessed_on": on}
        for url in links.values()
    ]
    if not sources:  # a refusal or a reply: its source is the request it answers
        sources = [
            {
                "url": request.source.url,
                "title": ANSWER_TITLE.format(n=request.id),
                "accessed_on": on,
            }
        ]
    payload: dict[str, Any] = {
        "author_kind": data.author_kind,
        "author_name": data.author_name.strip(),
        "links": links,
        "refused": data.refused,
        "refusal_reason": data.refusal_reason.strip() if data.refused else "",
        "reply_text": reply_text,
        "answered_on": on,
    }
    submission = Submission(
        kind=SubmissionKind.ANSWER.value,
        status=SubmissionStatus.PENDING.value,
        submitter_id=None,
        candidacy_id=request.candidacy_id,
        disclosure_request_id=request.id,
        payload=payload,
        sources=sources,
        created_at=now,
    )
    session.add(submission)
    use(link, now)
    session.flush()
    record(
        session,
        AuditKind.SUBMITTED,
        address=address,
        submission_id=submission.id,
        submission_kind=submission.kind,
        candidacy_id=submission.candidacy_id,
        disclosure_request_id=request.id,
    )
    return submission


def apply_answer(
    session: Session, submission: Submission, sources: list[Source], reviewer_id: int
) -> None:
    """Write an approved answer (inside the reviewer's provenance): the linked items
    published, a refusal on the items still requested, the reply, and the request answered."""
    payload = submission.payload
    candidacy = submission.candidacy
    request = submission.disclosure_request
    if candidacy is None or request is None:
        raise ValueError("an answer without its request")
    answered_on = date.fromisoformat(payload["answered_on"])
    by_url = {source.url: source for source in sources}
    items = {item.requirement: item for item in candidacy.disclosure_items}

    def item_for(requirement: str) -> DisclosureItem:
        item = items.get(requirement)
        if item is None:
            item = DisclosureItem(candidacy=candidacy, requirement=requirement)
            session.add(item)
            items[requirement] = item
        return item

    for requirement, url in payload.get("links", {}).items():
        item = item_for(requirement)
        item.status = "published"
        item.checked_at = answered_on
        item.source = by_url.get(url, sources[0])
        item.respond_by = None
        item.note = None
    if payload.get("refused"):
        for item in list(items.values()):
            if item.status == REQUESTED:
                item.status = "refused"
                item.checked_at = answered_on
                item.source = sources[0]
                item.respond_by = None
                item.note = payload["refusal_reason"]
    if payload.get("reply_text"):
        session.add(
            Reply(
                candidacy=candidacy,
                author_kind=payload["author_kind"],
                author_name=payload["author_name"],
                text=payload["reply_text"],
                replied_on=answered_on,
                source=sources[0],
                recorded_by_id=reviewer_id,
            )
        )
    if request.status != "answered":
        mark_answered(request, answered_on)
