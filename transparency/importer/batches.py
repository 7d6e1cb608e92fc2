"""What both import formats do around their write: the candidacies a file leaves off, the
ImportBatch and Writer of one run, its closing figures, and SQLite's larger write cache."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.importer.validation import Reference
from transparency.importer.writing import Writer
from transparency.models import ImportBatch, Stage, User
from transparency.models.base import utcnow
from transparency.revisions import Provenance

if TYPE_CHECKING:
    from transparency.importer import Existing, ImportOptions, ImportReport

KIND = "official-list"
WRITE_CACHE_KIB = 256 * 1024


def left_off(
    known: Iterable[Existing], matched: set[int] | dict[int, object], covered: set
) -> list[tuple[int, int, str]]:
    """(candidacy id, person id, stage) of the imported candidacies of the districts a file
    covers that the file no longer lists: they are withdrawn, never deleted."""
    return [
        (existing.id, existing.person_id, existing.stage)
        for existing in known
        if existing.digest is not None
        and existing.stage != Stage.WITHDRAWN
        and existing.id not in matched
        and (existing.election_id, existing.office_id, existing.district_code) in covered
    ]


def start_batch(
    session: Session,
    options: ImportOptions,
    report: ImportReport,
    reference: Reference,
    today: date,
    file_source_url: str | None,
) -> tuple[ImportBatch, Writer]:
    """The run's ImportBatch (flushed, its id in the report) and the Writer attributing every
    revision to it."""
    batch = ImportBatch(
        kind=KIND,
        file_name=options.file_name[:500],
        sha256=report.sha256,
        source_url=options.source_url,
        run_by=options.run_by[:254],
    )
    session.add(batch)
    session.flush()
    report.batch_id = batch.id
    user_id = session.scalar(select(User.id).where(User.email == options.run_by))
    provenance = Provenance(
        origin="import",
        proposed_by_id=user_id,
        import_batch_id=batch.id,
        reason=f"Official list {options.file_name} (sha256 {batch.sha256})",
    )
    writer = Writer(session, reference, provenance, today, file_source_url, options.file_name)
    return batch, writer


def finish_batch(
    session: Session, batch: ImportBatch, report: ImportReport, started: float
) -> None:
    batch.finished_at = utcnow()
    batch.counts = report.counts()
    session.flush()
    report.timings["total"] = time.perf_counter() - started


@contextmanager
def sqlite_cache(session: Session) -> Iterator[None]:
    """A larger page cache while writing: the revision table's indexes grow by millions of
    entries, and SQLite's default 2 MB cache makes every insert a page miss."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")
