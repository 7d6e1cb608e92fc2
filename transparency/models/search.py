"""The PostgreSQL search backend's rows: one document per public candidacy, its vocabulary.

Written in the same transaction as the change they follow, so every machine reading the
database sees a commit's search rows with the commit itself. The Whoosh backend leaves
both tables empty (on SQLite the columns are plain text and JSON).
"""

from __future__ import annotations

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from transparency.models.base import Base

TERMS = TSVECTOR().with_variant(Text(), "sqlite")
WEIGHTS = JSONB().with_variant(JSON(), "sqlite")
# Byte order, as Whoosh sorts its terms and sort keys: prefixes and names sort alike.
BYTEWISE = String(200, collation="C").with_variant(String(200), "sqlite")


class SearchDocument(Base):
    """The analysed terms of one candidacy ("w:" text stems, "n:" name words, "p:" name
    prefixes, "s:" stem pairs, "f:" restrictions), the weights that differ from 1, and
    the facet and sort values."""

    __tablename__ = "search_document"

    candidacy_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    terms: Mapped[str] = mapped_column(TERMS)
    weights: Mapped[dict] = mapped_column(WEIGHTS)
    name: Mapped[str] = mapped_column(String(300))
    election: Mapped[str] = mapped_column(String(64))
    office: Mapped[str] = mapped_column(String(64))
    party: Mapped[str] = mapped_column(String(64))
    province: Mapped[str] = mapped_column(String(64))
    district: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    sort_name: Mapped[str] = mapped_column(BYTEWISE)
    sort_ballot: Mapped[str] = mapped_column(BYTEWISE)
    digest: Mapped[str] = mapped_column(String(32))

    __table_args__ = (Index("ix_search_document_terms", "terms", postgresql_using="gin"),)


class SearchTerm(Base):
    """Every text stem ("w:") and name word ("n:") of the documents: prefix expansion,
    "is this word known" and did-you-mean read it. Only ever added to between rebuilds."""

    __tablename__ = "search_term"

    lexeme: Mapped[str] = mapped_column(BYTEWISE, primary_key=True)
