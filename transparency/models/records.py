"""Accounts, the revision log, import batches, status history, rulesets and the index outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.models.base import Base, utcnow


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # as the administrators know it; private
    # What the public pages call this contributor (transparency.contributors): chosen at
    # registration or later, "Relawan #<id>" until then. `display_key` is its case- and
    # width-folded form, unique, so that two accounts cannot look alike (a unique index: SQLite
    # adds one without rebuilding the table, which other tables' rows refer to).
    display_name: Mapped[str | None] = mapped_column(String(40))
    display_key: Mapped[str | None] = mapped_column(String(120), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16), default=Role.VOLUNTEER)
    active: Mapped[bool] = mapped_column(default=True)
    # Changed on log-out everywhere and on password change: old sessions stop matching.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The second factor (TOTP, RFC 6238): its base32 secret once set up, and the last time
    # step accepted, so that a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    # The Flask-Login user protocol. The id in the session carries the session version, so
    # bumping the version ends every session issued before (see transparency.auth).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_enabled_at is not None


class ImportBatch(Base):
    """One run of an import (official list, demo data, reference data)."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # official-list | demo | reference
    file_name: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    source_url: Mapped[str | None] = mapped_column(String(2000))
    run_by: Mapped[str] = mapped_column(String(254))  # user email or the system account name
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    counts: Mapped[dict | None] = mapped_column(JSON)


class Revision(Base):
    """An append-only record of one change to public data. Never updated, never deleted."""

    __tablename__ = "revision"
    __table_args__ = (Index("ix_revision_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    entity_type: Mapped[str] = mapped_column(String(64))  # table name
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))  # create | update | hide | unhide | revert
    before: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # changed fields only
    after: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    person_id: Mapped[int | None] = mapped_column(index=True)
    candidacy_id: Mapped[int | None] = mapped_column(index=True)
    origin: Mapped[str] = mapped_column(String(32))  # reference | demo | import | review | ...
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id"))
    reason: Mapped[str | None] = mapped_column(Text)

    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class StatusChangeKind(StrEnum):
    FLAGGED = "flagged"
    CLEARED = "cleared"
    DISCLOSURE = "disclosure"  # one disclosure item changed status


class StatusChange(Base):
    """When a candidacy's flag or one of its disclosure statuses changed: feeds and 'since'."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # StatusChangeKind
    requirement: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(String(64))
    new_value: Mapped[str | None] = mapped_column(String(64))
    ruleset_version: Mapped[str | None] = mapped_column(String(64))


class Ruleset(Base):
    """One version of the disclosure rules, as data. Exactly one is in force."""

    __tablename__ = "ruleset"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    in_force: Mapped[bool] = mapped_column(default=False, index=True)
    rules: Mapped[dict] = mapped_column(JSON)  # the document, as loaded and validated
    source_file: Mapped[str | None] = mapped_column(String(500))
    loaded_by: Mapped[str | None] = mapped_column(String(254))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchOutbox(Base):
    """Candidacies whose search document must be rewritten, written in the same transaction
    as the change, applied by every registered copy of the Whoosh index (SearchCopy).

    `seq` orders rows by commit: a writer takes the next value of SearchClock (a row lock
    held until its commit) just before committing, so a smaller seq is always visible first.
    """

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(index=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    seq: Mapped[int] = mapped_column(BigInteger, default=0, index=True)


class SearchClock(Base):
    """One row: the last outbox `seq` handed out."""

    __tablename__ = "search_clock"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)


class SearchCopy(Base):
    """A copy of the Whoosh index (one per machine, or per index directory) following the
    database: the outbox rows it has applied (every seq below `position`), whether it must
    rebuild, and when it was last seen. Outbox rows go once every registered copy has
    passed them; a copy not seen for SEARCH_COPY_TIMEOUT seconds is dropped."""

    __tablename__ = "search_copy"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    rebuild: Mapped[bool] = mapped_column(default=False)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
