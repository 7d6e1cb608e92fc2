"""Volunteers' work and its guard rails: submissions under review, the audit log, log-in
attempts (counted in the database so limits hold across server processes)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.models.base import Base, utcnow
from transparency.models.people import Candidacy
from transparency.models.records import User
from transparency.models.requests import DisclosureRequest


class SubmissionKind(StrEnum):
    CANDIDACY = "candidacy"  # a new candidacy (and its person)
    PROFILE = "profile"  # a change to a person's profile fields
    PROGRAMME = "programme"  # a new programme statement
    TRACK_RECORD = "track_record"  # a new track-record item
    DISCLOSURE = "disclosure"  # a disclosure status
    PARTY = "party"  # a party's identifier (its Wikidata item)
    # Staff actions a second, different reviewer must confirm (transparency.contrib.revert,
    # transparency.contrib.review): hiding or reverting a legal-case item, and a reply
    # entered by a reviewer. The submitter is the reviewer who asked.
    REVERT = "revert"
    REPLY = "reply"
    ANSWER = "answer"  # a candidate's answer to a disclosure request, through its link


class SubmissionStatus(StrEnum):
    PENDING = "pending"
    SECOND_REVIEW = "second_review"  # approved once; a second reviewer must approve
    APPROVED = "approved"
    REJECTED = "rejected"


class Submission(Base):
    """A volunteer's proposed change to public data. Never public until approved."""

    __tablename__ = "submission"
    __table_args__ = (Index("ix_submission_queue", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # SubmissionKind
    status: Mapped[str] = mapped_column(String(16), default=SubmissionStatus.PENDING)
    # None for an answer through a request's link: its author has no account.
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    candidacy_id: Mapped[int | None] = mapped_column(ForeignKey("candidacy.id"), index=True)
    disclosure_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("disclosure_request.id"), index=True
    )
    # The latest Revision touching the target when the volunteer proposed the change:
    # an approval against a newer public version is a conflict, never a silent overwrite.
    base_revision_id: Mapped[int | None]
    payload: Mapped[dict] = mapped_column(JSON)  # the proposed fields
    sources: Mapped[list] = mapped_column(JSON)  # [{url, title, accessed_on}]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    first_reviewed_at: Mapped[datetime | None]
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None]
    review_reason: Mapped[str | None] = mapped_column(Text)

    submitter: Mapped[User | None] = relationship(foreign_keys=[submitter_id])
    first_reviewer: Mapped[User | None] = relationship(foreign_keys=[first_reviewer_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    candidacy: Mapped[Candidacy | None] = relationship()
    disclosure_request: Mapped[DisclosureRequest | None] = relationship()


class AuditEvent(Base):
    """Who did what, when, from where: log-ins, role changes, submissions, reviews, reverts."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))  # as typed, for failed log-ins
    client_address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()


class LoginAttempt(Base):
    """One log-in attempt; failures in a window limit further attempts."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email", "email", "created_at"),
        Index("ix_login_attempt_address", "client_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(String(254))  # normalised
    client_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(default=False)
