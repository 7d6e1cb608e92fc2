"""Disclosure requests sent to candidacies (or their party liaisons), and the one-time links
through which a candidate answers one without an account. Staff records; never public data by
itself: what a request changes on a disclosure item is recorded on the item."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.models.base import Base, utcnow
from transparency.models.people import Candidacy, Source
from transparency.models.records import User


class RequestChannel(StrEnum):
    LETTER = "letter"
    EMAIL = "email"
    WHATSAPP = "whatsapp"
    IN_PERSON = "in_person"


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class DisclosureRequest(Base):
    """One request for disclosure to one candidacy; a bulk request is one row per candidacy."""

    __tablename__ = "disclosure_request"
    __table_args__ = (Index("ix_disclosure_request_status_respond_by", "status", "respond_by"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    sent_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(16))  # RequestChannel
    addressee: Mapped[str] = mapped_column(String(300))
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    window_days: Mapped[int]
    respond_by: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.OPEN)
    answered_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    candidacy: Mapped[Candidacy] = relationship()
    source: Mapped[Source] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    links: Mapped[list[AnswerLink]] = relationship(
        back_populates="request", order_by="AnswerLink.id"
    )


class AnswerLink(Base):
    """A one-time, expiring link for answering one request. Only the token's SHA-256 is kept."""

    __tablename__ = "answer_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("disclosure_request.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    request: Mapped[DisclosureRequest] = relationship(back_populates="links")
