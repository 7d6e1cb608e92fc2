"""Hak jawab: recording a candidate's or party's reply. A reply never clears a flag; only a
changed disclosure status does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from transparency.models import Candidacy, Reply, Source
from transparency.revisions import provenance

AUTHOR_KINDS = ("candidate", "party")


@dataclass(frozen=True)
class ReplyInput:
    text: str
    replied_on: date
    author_kind: str
    author_name: str
    source_url: str
    source_title: str
    rule_id: str | None = None


def record_reply(
    session: Session,
    candidacy: Candidacy,
    data: ReplyInput,
    user_id: int,
    *,
    approved_by_id: int | None = None,
) -> Reply:
    """Add the reply and its source as a revision of origin "reply"; flushes, never commits.
    `user_id` entered it; `approved_by_id` approved it (a reviewer's reply is approved by a
    second reviewer through the review queue, transparency.contrib.review)."""
    source = Source(url=data.source_url, title=data.source_title, accessed_on=data.replied_on)
    session.add(source)
    session.flush()
    with provenance(
        session,
        origin="reply",
        proposed_by_id=user_id,
        approved_by_id=approved_by_id if approved_by_id is not None else user_id,
        source_id=source.id,
    ):
        reply = Reply(
            candidacy=candidacy,
            rule_id=data.rule_id or None,
            author_kind=data.author_kind,
            author_name=data.author_name,
            text=data.text,
            replied_on=data.replied_on,
            source=source,
            recorded_by_id=user_id,
        )
        session.add(reply)
        session.flush()
    return reply
