"""What the official-list importer remembers about each candidacy it imported, and the
import jobs of the admin page."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from transparency.models.base import Base, utcnow


class ImportedCandidacy(Base):
    """Bookkeeping, not public data: the digest of the row last imported for a candidacy, so
    an unchanged row costs one comparison, and the programme statement the import owns."""

    __tablename__ = "imported_candidacy"

    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(32))
    programme_statement_id: Mapped[int | None] = mapped_column(ForeignKey("programme_statement.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class ImportJob(Base):
    """One upload of an official list: its file, the check, the confirmed write and how far
    each got. Kept in the database, so any server can show it and confirm it."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    # csv (the project's format) or kpu-dct-json (the commission's: a district file or a zip
    # of its directory), with the date it was captured and, for one file, its office.
    format: Mapped[str] = mapped_column(String(16), default="csv", server_default="csv")
    as_of: Mapped[date | None]
    office: Mapped[str | None] = mapped_column(String(32))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # checking -> checked -> writing -> done; failed at any step.
    state: Mapped[str] = mapped_column(String(16), index=True)
    stage: Mapped[str | None] = mapped_column(String(16))  # validate | write
    done_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    total_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    worker: Mapped[str | None] = mapped_column(String(200))
    report: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
