"""Keeping the index true to the database: an outbox written with the change, drained later.

Every change that touches indexed data reaches `enqueue_changes` through the change channel
(transparency.derived: ORM flushes, bulk writes, the flag's evaluation), which adds the
affected candidacy ids to `search_outbox` in the same transaction, before it commits, so
the pending index work commits or rolls back with the change itself
(a worker that dies, or cannot get the index lock, loses nothing). The rows carry the
commit's place in the order (`_stamp`), and each copy of the index keeps its own position
in it (transparency.search.copies). After a commit the process's drainer is woken; it
takes its copy's writer lock without waiting (one writer per copy across processes),
applies the rows past its position in batches, commits the index, and only then advances
its position. `flask search sync` drains on demand.

With SEARCH_BACKEND=postgres the same consumer rewrites the search rows themselves
(transparency.search.pg_sync), in the writer's transaction: no outbox, no drainer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.orm import Session

from transparency.database import read_snapshot
from transparency.derived import Change
from transparency.extensions import db
from transparency.models import Candidacy, SearchOutbox
from transparency.search import copies, pg_sync
from transparency.search.documents import all_public_ids, documents_for, iter_all_documents
from transparency.search.store import build_index, index_root, open_index

log = logging.getLogger(__name__)

REBUILD_ALL = 0  # an outbox row with this candidacy id asks for a full rebuild
DRAIN_BATCH = 1000
REBUILD_THRESHOLD = 20_000  # more pending candidacies than this: rebuild instead
_PENDING = "transparency.search.pending"


# -- enqueueing, inside the writer's transaction ---------------------------------------------


def uses_postgres() -> bool:
    """Whether this app's search rows live in PostgreSQL (SEARCH_BACKEND=postgres)."""
    return has_app_context() and current_app.config.get("SEARCH_BACKEND") == "postgres"


def enqueue(session: Session, candidacy_ids: Iterable[int]) -> None:
    """Record index work for these candidacies in the current transaction, with the
    commit's place in the order (`_stamp`)."""
    ids = set(candidacy_ids)
    if ids:
        _stamp(session, ids)
        session.info[_PENDING] = True


def enqueue_all(session: Session) -> None:
    enqueue(session, [REBUILD_ALL])


def _stamp(session: Session, ids: set[int]) -> None:
    """Write the rows with the next clock value. The clock row stays locked until this
    transaction ends (the channel's consumers run just before the commit), so writers
    commit their rows in seq order: a copy that has seen seq n has seen every row below it."""
    seq = session.execute(
        text(
            "INSERT INTO search_clock (id, value) VALUES (1, 1) ON CONFLICT (id)"
            " DO UPDATE SET value = search_clock.value + 1 RETURNING value"
        )
    ).scalar_one()
    session.execute(
        insert(SearchOutbox), [{"candidacy_id": cid, "seq": seq} for cid in sorted(ids)]
    )


def _after_commit(session: Session) -> None:
    if session.info.pop(_PENDING, False):
        for drainer in _drainers.values():
            drainer.wake()


def _after_rollback(session: Session) -> None:
    # The outbox rows went with the rollback; nothing reached the index.
    session.info.pop(_PENDING, None)


def enqueue_changes(session: Session, change: Change) -> int | None:
    """The change channel's search consumer (after the evaluation, so flag changes are in):
    enqueue what changed, or ask for a rebuild; returns the candidacies queued (None: all).
    With the PostgreSQL backend the search rows themselves are rewritten, in the writer's
    transaction (pg_sync.consume)."""
    ids = change.touched()
    if uses_postgres():
        return pg_sync.consume(session, ids)
    if ids is None or len(ids) > REBUILD_THRESHOLD:
        enqueue_all(session)
        return None
    enqueue(session, ids)
    return len(ids)


@contextmanager
def own_unit(session: Session) -> Iterator[Session]:
    """The index's own bookkeeping (a repair's queue) is a unit of work of its own: a
    session of its own that commits alone, whatever the caller's session holds."""
    with Session(session.get_bind()) as unit, unit.begin():
        yield unit


# -- draining, one process at a time ---------------------------------------------------------


@dataclass
class SyncResult:
    applied: int = 0  # documents written
    removed: int = 0  # documents deleted (hidden or gone)
    rebuilt: bool = False
    busy: bool = False  # another process holds the index lock


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SearchOutbox)) or 0


def drain(session: Session, root: Path, *, wait: bool = False, procs: int = 1) -> SyncResult:
    """Apply to this copy of the index the outbox rows it has not applied yet. Without
    `wait`, returns at once if another process is writing this copy."""
    result = SyncResult()
    with copies.writer_lock(root, wait=wait) as locked:
        if not locked:
            result.busy = True
            return result
        name, rebuild_wanted = copies.register(session, root)
        while True:
            # Reading the outbox and the documents takes no write lock (a snapshot): SQLite
            # writers must not wait on it, nor on the slow index commit after it.
            with read_snapshot():
                position = copies.position_of(session, name)
                rows = list(
                    session.execute(
                        select(SearchOutbox.seq, SearchOutbox.candidacy_id)
                        .where(SearchOutbox.seq >= position)
                        .order_by(SearchOutbox.seq)
                        .limit(REBUILD_THRESHOLD + 1)
                    )
                )
                ids = {cid for _, cid in rows}
                rebuild_all = rebuild_wanted or REBUILD_ALL in ids or len(rows) > REBUILD_THRESHOLD
                docs = documents_for(session, ids) if rows and not rebuild_all else {}
                session.rollback()
            if rebuild_all:
                _rebuild_locked(session, root, procs, name)
                result.rebuilt = True
                rebuild_wanted = False
                continue
            if not rows:
                copies.advance(session, name, position)  # seen, and prune for the others
                return result
            for start in range(0, len(ids), DRAIN_BATCH):
                chunk = sorted(ids)[start : start + DRAIN_BATCH]
                applied, removed = _apply(root, set(chunk), docs)
                result.applied += applied
                result.removed += removed
            copies.advance(session, name, rows[-1][0] + 1)


def _apply(root: Path, ids: set[int], docs: dict[int, Any]) -> tuple[int, int]:
    ix = open_index(root)
    writer = ix.writer(limitmb=64)
    written = 0
    try:
        for cid in ids:
            doc = docs.get(cid)
            if doc is None:
                writer.delete_by_term("id", str(cid))
            else:
                writer.update_document(**doc)
                written += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    return written, len(ids) - written


def _rebuild_locked(session: Session, root: Path, procs: int, name: str) -> int:
    # The build reads every public candidacy (minutes at 250,000) from one snapshot that
    # takes no write lock, so volunteers' and reviewers' writes go on meanwhile; whatever
    # they queue after the snapshot has a seq at or above `top` and stays queued.
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("unflushed changes: commit them before rebuilding the index")
    session.rollback()  # a transaction begun before would be a writer's: end it first
    with read_snapshot():
        top = session.scalar(select(func.max(SearchOutbox.seq)))
        count = build_index(root, iter_all_documents(session), procs=procs)
        session.rollback()
    # Rows of the clock's last value may belong to a commit the snapshot did not see only
    # if they were not yet visible, and then their seq is above `top`: `top + 1` is safe.
    copies.advance(session, name, (top or 0) + 1, rebuilt=True)
    return count


def rebuild(session: Session, root: Path, procs: int = 1) -> int:
    """Full reindex of this copy into a new directory, swapped in atomically; waits for the
    lock. Other copies' pending work stays in the outbox."""
    with copies.writer_lock(root, wait=True):
        name, _rebuild = copies.register(session, root)
        return _rebuild_locked(session, root, procs, name)


def ensure_built(session: Session, root: Path) -> None:
    """Ask for a full build of this copy when its index is empty but the database is not
    (a new or lost index directory), so a server never serves an empty index unnoticed."""
    ix = open_index(root)
    try:
        empty = ix.doc_count() == 0
    finally:
        ix.close()
    name, _rebuild = copies.register(session, root)
    if empty and session.scalar(select(Candidacy.id).limit(1)) is not None:
        copies.request_rebuild(session, name)
        session.commit()
    else:
        session.rollback()


def procs_for(count: int) -> int:
    return 2 if count > REBUILD_THRESHOLD else 1


# -- check and repair ------------------------------------------------------------------------


@dataclass
class Drift:
    missing: list[int]
    stale: list[int]
    ghosts: list[int]

    @property
    def any(self) -> bool:
        return bool(self.missing or self.stale or self.ghosts)


def check(session: Session, root: Path) -> Drift:
    with read_snapshot():
        try:
            return _check(session, root)
        finally:
            session.rollback()


def _check(session: Session, root: Path) -> Drift:
    ix = open_index(root)
    try:
        with ix.searcher() as searcher:
            indexed = {
                int(fields["id"]): fields.get("digest") for fields in searcher.all_stored_fields()
            }
    finally:
        ix.close()
    public = all_public_ids(session)
    missing, stale = [], []
    chunk = 2000
    for start in range(0, len(public), chunk):
        docs = documents_for(session, public[start : start + chunk])
        for cid, doc in docs.items():
            if cid not in indexed:
                missing.append(cid)
            elif indexed[cid] != doc["digest"]:
                stale.append(cid)
        session.expire_all()
    public_set = set(public)
    ghosts = sorted(cid for cid in indexed if cid not in public_set)
    return Drift(missing=sorted(missing), stale=sorted(stale), ghosts=ghosts)


def repair(session: Session, root: Path, drift: Drift) -> None:
    ids = set(drift.missing) | set(drift.stale) | set(drift.ghosts)
    if ids:
        with own_unit(session) as unit:
            enqueue(unit, ids)
        drain(session, root, wait=True)


# -- the background drainer of a serving process ---------------------------------------------


class Drainer:
    """A daemon thread that drains the outbox at most every `interval` seconds.

    It wakes on local commits and polls otherwise (changes made by other processes).
    """

    def __init__(self, app: Flask, interval: float) -> None:
        self.app = app
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.passed = threading.Event()  # set after each drain pass (tests and health checks)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="search-drainer", daemon=True
                )
                self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            with self.app.app_context():
                ensure_built(db.session, index_root(self.app))
                db.session.remove()
        except Exception:
            log.exception("could not check the search index at start-up")
        last = 0.0
        while not self._stop.is_set():
            self._wake.wait(timeout=self.interval)
            # Rate limit: one index commit per interval at most, however many requests commit.
            delay = self.interval - (time.monotonic() - last)
            if delay > 0 and self._stop.wait(delay):
                return
            if self._stop.is_set():
                return
            self._wake.clear()
            last = time.monotonic()
            try:
                with self.app.app_context():
                    drain(db.session, index_root(self.app))
                    db.session.remove()
            except Exception:
                log.exception("search outbox drain failed; it will be retried")
            self.passed.set()


_drainers: dict[Any, Drainer] = {}


def start_drainer(app: Flask) -> Drainer:
    key = id(app)
    drainer = _drainers.get(key)
    if drainer is None:
        drainer = Drainer(app, float(app.config.get("SEARCH_SYNC_INTERVAL", 3.0)))
        _drainers[key] = drainer
    drainer.start()
    return drainer


def stop_drainer(app: Flask) -> None:
    drainer = _drainers.pop(id(app), None)
    if drainer is not None:
        drainer.stop()


def listen() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def current_root() -> Path:
    return index_root(current_app)
