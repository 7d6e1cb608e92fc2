"""The PostgreSQL backend's rows follow the data in the writer's own transaction.

The change channel (transparency.derived) hands its search consumer the candidacies a unit
of work changed, just before the commit (or at once for a bulk writer): their
search_document rows are rewritten (or deleted, when the candidacy is no longer public) in
the same transaction, and new words added to search_term. A commit is therefore searchable
on every machine the moment it is visible: no outbox, no drainer thread, no index
directory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from transparency.search.documents import (
    BATCH,
    all_public_ids,
    documents_for,
    iter_all_documents,
)
from transparency.search.pg_terms import Row, row_of
from transparency.search.schema import FACET_FIELDS

_VALUES = ("name", *FACET_FIELDS, "sort_name", "sort_ballot", "digest")
_UPSERT = text(
    "INSERT INTO search_document (candidacy_id, terms, weights, "  # noqa: S608 - our own names
    + ", ".join(_VALUES)
    + ") VALUES (:candidacy_id, array_to_tsvector(CAST(:lexemes AS text[])),"
    " CAST(:weights AS jsonb), "
    + ", ".join(f":{name}" for name in _VALUES)
    + ") ON CONFLICT (candidacy_id) DO UPDATE SET terms = EXCLUDED.terms,"
    " weights = EXCLUDED.weights, " + ", ".join(f"{name} = EXCLUDED.{name}" for name in _VALUES)
)
_VOCABULARY = text(
    "INSERT INTO search_term (lexeme) SELECT unnest(CAST(:lexemes AS text[]))"
    " ON CONFLICT DO NOTHING"
)


def consume(session: Session, candidacy_ids: Iterable[int] | None) -> int | None:
    """The change channel's search consumer with this backend (run by sync.enqueue_changes,
    in the writer's transaction before it commits): rewrite these candidacies' rows, or
    every row (None); returns the rows written (None: all)."""
    if candidacy_ids is None:
        rebuild(session)
        return None
    return write(session, candidacy_ids)


def _params(row: Row) -> dict:
    return {
        "candidacy_id": row.candidacy_id,
        "lexemes": row.lexemes,
        "weights": json.dumps(row.weights, separators=(",", ":")),
        **row.values,
    }


def write(session: Session, candidacy_ids: Iterable[int]) -> int:
    """Rewrite the rows of these candidacies from the current data; returns rows written."""
    ids = sorted(set(candidacy_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        docs = documents_for(session, chunk)
        gone = [cid for cid in chunk if cid not in docs]
        if gone:
            session.execute(
                text("DELETE FROM search_document WHERE candidacy_id = ANY(:ids)"), {"ids": gone}
            )
        written += _insert(session, [row_of(doc) for doc in docs.values()])
    return written


def _insert(session: Session, rows: Sequence[Row]) -> int:
    if not rows:
        return 0
    # Sorted: two writers adding the same new words take their locks in the same order.
    vocabulary = sorted({lexeme for row in rows for lexeme in row.vocabulary})
    session.execute(_VOCABULARY, {"lexemes": vocabulary})
    session.execute(_UPSERT, [_params(row) for row in rows])
    return len(rows)


def rebuild(session: Session) -> int:
    """Every row anew, in the caller's transaction: readers see the old rows until the
    commit, then the new ones (PostgreSQL's MVCC swaps them at once)."""
    session.execute(text("DELETE FROM search_document"))
    session.execute(text("DELETE FROM search_term"))
    count = 0
    batch: list[Row] = []
    for doc in iter_all_documents(session):
        batch.append(row_of(doc))
        if len(batch) >= BATCH:
            count += _insert(session, batch)
            batch = []
    count += _insert(session, batch)
    # Fresh statistics for the planner: before autovacuum's next pass it estimated a common
    # word's matches from the old rows (39 rows for 1,915 on the 10,000 benchmark), and chose
    # its plans by that.
    session.execute(text("ANALYZE search_document"))
    session.execute(text("ANALYZE search_term"))
    return count


@dataclass
class Drift:
    missing: list[int]
    stale: list[int]
    ghosts: list[int]

    @property
    def any(self) -> bool:
        return bool(self.missing or self.stale or self.ghosts)


def check(session: Session) -> Drift:
    indexed = {
        cid: digest
        for cid, digest in session.execute(text("SELECT candidacy_id, digest FROM search_document"))
    }
    public = all_public_ids(session)
    missing, stale = [], []
    for start in range(0, len(public), BATCH):
        for cid, doc in documents_for(session, public[start : start + BATCH]).items():
            if cid not in indexed:
                missing.append(cid)
            elif indexed[cid] != doc["digest"]:
                stale.append(cid)
        session.expire_all()
    public_set = set(public)
    ghosts = sorted(cid for cid in indexed if cid not in public_set)
    session.rollback()
    return Drift(missing=sorted(missing), stale=sorted(stale), ghosts=ghosts)


def repair(session: Session, drift: Drift) -> None:
    write(session, set(drift.missing) | set(drift.stale) | set(drift.ghosts))
    session.commit()
