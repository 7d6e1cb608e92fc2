"""What the official-list importer remembers about each candidacy it imported."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from transparency.models.base import Base


class ImportedCandidacy(Base):
    """Bookkeeping, not public data: the digest of the row last imported for a candidacy, so
    an unchanged row costs one comparison, and the programme statement the import owns."""

    __tablename__ = "imported_candidacy"

    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(32))
    programme_statement_id: Mapped[int | None] = mapped_column(ForeignKey("programme_statement.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
