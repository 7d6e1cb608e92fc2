"""One-time answer links: issued per request, unguessable (secrets.token_urlsafe), stored as
a SHA-256 only, valid 30 days, used once, revocable. Flushes, never commits."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.models import AnswerLink, DisclosureRequest, RequestStatus, User
from transparency.models.base import utcnow

LINK_DAYS = 30
TOKEN_BYTES = 32  # 43 URL-safe characters


class LinkState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    ANSWERED = "answered"  # the request has its answer by another way


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(
    session: Session, request: DisclosureRequest, user: User, now: datetime | None = None
) -> tuple[AnswerLink, str]:
    """A new link for the request; the token is returned once and never stored."""
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = AnswerLink(
        request=request,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=LINK_DAYS),
        issued_by_id=user.id,
    )
    session.add(link)
    session.flush()
    return link, token


def find(session: Session, token: str) -> AnswerLink | None:
    """The link of this token, or None for a token we never issued."""
    if not token or len(token) > 100:
        return None
    digest = token_hash(token)
    link = session.scalars(select(AnswerLink).where(AnswerLink.token_hash == digest)).first()
    # The lookup is by an index; compare again in constant time all the same.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


def state(link: AnswerLink, now: datetime | None = None) -> LinkState:
    now = now or utcnow()
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.used_at is not None:
        return LinkState.USED
    if now >= link.expires_at:
        return LinkState.EXPIRED
    if link.request.status == RequestStatus.ANSWERED:
        return LinkState.ANSWERED
    return LinkState.VALID


def revoke(link: AnswerLink, user: User, now: datetime | None = None) -> None:
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        link.revoked_by_id = user.id


def use(link: AnswerLink, now: datetime | None = None) -> None:
    link.used_at = now or utcnow()
