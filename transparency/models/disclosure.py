"""Bookkeeping of the flag engine: a counter that moves whenever derived disclosure data does,
and the statistics computed at a given value of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from transparency.models.base import Base, utcnow


class DisclosureStamp(Base):
    """One row per name; `counter` grows with every recompute that changed something, so
    cached statistics know they are stale in every worker process."""

    __tablename__ = "disclosure_stamp"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    counter: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatisticsSnapshot(Base):
    """The figures of /statistics for one item and election, at one data stamp and ruleset
    version, without labels (they are added in the reader's language). Written by the change
    channel after a recompute, an import or demo data (transparency.disclosure.snapshot)."""

    __tablename__ = "statistics_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(String(32))
    election: Mapped[str] = mapped_column(String(64))  # an election slug, "" for all
    ruleset_version: Mapped[str] = mapped_column(String(64))
    stamp: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict] = mapped_column(JSON)

    __table_args__ = (Index("ix_statistics_snapshot_question", "item", "election", "stamp"),)
