"""Account secrets kept beside the user: recovery codes and registrations waiting for their
e-mail link. Only hashes of the codes and links are stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from transparency.models.base import Base, utcnow


class RecoveryCode(Base):
    """A one-time code that stands in for the second factor when the device is lost."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of an 80-bit random code
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class PendingRegistration(Base):
    """A registration whose e-mail link has not been followed yet. No account exists until
    it is: nobody can hold an address they cannot read."""

    __tablename__ = "pending_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
