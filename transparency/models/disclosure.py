"""Bookkeeping of the flag engine: a counter that moves whenever derived disclosure data does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from transparency.models.base import Base, utcnow


class DisclosureStamp(Base):
    """One row per name; `counter` grows with every recompute that changed something, so
    cached statistics know they are stale in every worker process."""

    __tablename__ = "disclosure_stamp"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    counter: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
