"""Several copies of the Whoosh index following one database (one per machine).

Each copy (an index directory) has a name, kept in the file COPY inside it, and a row in
search_copy: its position (every outbox seq below it is applied), a rebuild request of its
own, and when it was last seen. Outbox rows are deleted only once every registered copy has
passed them, so a copy that was stopped finds its work waiting when it starts again. A
copy not seen for SEARCH_COPY_TIMEOUT seconds is dropped from the register (a log line
says so) so that it cannot hold the outbox for ever; when it comes back it finds itself
dropped and rebuilds. One writer per copy at a time: a file lock in its directory and, on
PostgreSQL, an advisory lock named after the copy (released by the server if the holder
dies).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from transparency.extensions import db
from transparency.models import SearchCopy, SearchOutbox
from transparency.models.base import utcnow
from transparency.search.store import index_lock

log = logging.getLogger(__name__)

COPY_FILE = "COPY"
DEFAULT_TIMEOUT = 7 * 24 * 3600.0  # a week: longer than any planned stop of a machine
SEEN_EVERY = 30.0  # seconds between "seen" stamps of a copy that has nothing to do


def _timeout() -> float:
    if has_app_context():
        return float(current_app.config.get("SEARCH_COPY_TIMEOUT", DEFAULT_TIMEOUT))
    return DEFAULT_TIMEOUT


def recorded_name(root: Path) -> str | None:
    try:
        return (root / COPY_FILE).read_text().strip() or None
    except FileNotFoundError:
        return None


def _record_name(root: Path, name: str) -> None:
    tmp = root / f"{COPY_FILE}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(name + "\n")
    os.replace(tmp, root / COPY_FILE)


def _wanted_name(root: Path) -> str:
    configured = current_app.config.get("SEARCH_COPY_NAME") if has_app_context() else None
    if configured:
        return str(configured)
    return recorded_name(root) or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"


def register(session: Session, root: Path) -> tuple[str, bool]:
    """This copy's name, registered (or stamped as seen); and whether it must rebuild.

    A directory that never registered starts at position 0 (it applies what the outbox
    holds); one whose name was dropped from the register, or that another setting renamed,
    must rebuild: rows it needed may be gone.
    """
    name = _wanted_name(root)
    known_here = recorded_name(root) == name
    row = session.get(SearchCopy, name)
    now = utcnow()
    if row is None:
        row = SearchCopy(name=name, position=0, rebuild=known_here, registered_at=now, seen_at=now)
        session.add(row)
        if known_here:
            log.warning("search copy %s was dropped from the register: rebuilding it", name)
    elif (now - row.seen_at).total_seconds() >= SEEN_EVERY:
        row.seen_at = now
    rebuild = row.rebuild
    session.commit()
    if not known_here:
        _record_name(root, name)
    return name, rebuild


def position_of(session: Session, name: str) -> int:
    return session.scalar(select(SearchCopy.position).where(SearchCopy.name == name)) or 0


def advance(session: Session, name: str, position: int, *, rebuilt: bool = False) -> None:
    """This copy has applied every row below `position`; drop what no copy needs."""
    values: dict = {"position": position, "seen_at": utcnow()}
    if rebuilt:
        values["rebuild"] = False
    session.execute(
        update(SearchCopy)
        .where(SearchCopy.name == name, SearchCopy.position <= position)
        .values(**values)
    )
    prune(session, keep=name)
    session.commit()


def request_rebuild(session: Session, name: str) -> None:
    session.execute(update(SearchCopy).where(SearchCopy.name == name).values(rebuild=True))


def prune(session: Session, keep: str | None = None) -> int:
    """Drop copies not seen for SEARCH_COPY_TIMEOUT, then outbox rows every copy applied."""
    cutoff = utcnow() - timedelta(seconds=_timeout())
    stale = session.execute(
        select(SearchCopy.name, SearchCopy.seen_at).where(
            SearchCopy.seen_at < cutoff, SearchCopy.name != (keep or "")
        )
    ).all()
    for name, seen in stale:
        log.warning(
            "search copy %s not seen since %s: dropped from the register (it rebuilds its "
            "index if it comes back)",
            name,
            seen.isoformat(timespec="seconds"),
        )
        session.execute(delete(SearchCopy).where(SearchCopy.name == name))
    lowest = session.scalar(select(func.min(SearchCopy.position)))
    if lowest is None:
        return 0
    gone = session.execute(delete(SearchOutbox).where(SearchOutbox.seq < lowest))
    return gone.rowcount or 0  # type: ignore[attr-defined]


def _advisory_key(name: str) -> int:
    digest = hashlib.blake2b(f"search-copy:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def writer_lock(root: Path, *, wait: bool) -> Iterator[bool]:
    """One writer of this copy: its directory's file lock, and on PostgreSQL an advisory
    lock on a connection of its own (the server releases it if this process dies)."""
    with index_lock(root, wait=wait) as locked:
        if not locked:
            yield False
            return
        if db.engine.dialect.name != "postgresql":
            yield True
            return
        key = _advisory_key(_wanted_name(root))
        with db.engine.connect() as connection:
            function = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
            got = connection.execute(text(f"SELECT {function}(:key)"), {"key": key}).scalar()
            connection.commit()
            if got is False:
                yield False
                return
            try:
                yield True
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
