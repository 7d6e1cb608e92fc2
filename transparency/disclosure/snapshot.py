"""The statistics snapshot: /statistics figures computed after a change, not by a visitor.

The last consumer of the change channel (transparency.derived). A bulk writer (an import,
demo data) or a recompute (`disclosure recompute`, `load-rules`) rebuilds the snapshot in its
own transaction, after the evaluation moved the data stamp: the figures commit with the
change, and the first visitor afterwards reads them (one indexed row per question). A
single edit in a request only marks the figures stale; after its commit the serving process's
rebuilder (a daemon thread, at most once every STATISTICS_REBUILD_INTERVAL seconds) writes a
new snapshot. Until then readers of that process are served the previous snapshot of the
same ruleset; with the rebuilder off (tests, CLI) a stale snapshot is never served and the
figures are computed instead.

Every question of the page is stored: the headline item and every known item, over all
elections and per election, from one set of scans (stats.tallies_for), and the CV's
per-section consent by office, party and district (sections.tally).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask, current_app, has_request_context
from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from transparency.derived import Change
from transparency.disclosure import pages, sections, stats
from transparency.disclosure.rules import KNOWN_ITEMS
from transparency.disclosure.rulesets import ruleset_in_force
from transparency.disclosure.store import data_stamp
from transparency.extensions import db
from transparency.models import Election, StatisticsSnapshot, utcnow

log = logging.getLogger(__name__)

_STALE = "transparency.statistics.stale"
_REBUILDERS = "transparency.statistics.rebuilder"


def questions(session: Session) -> list[stats.Question]:
    elections = ["", *session.scalars(select(Election.slug).order_by(Election.slug))]
    return [(item, election) for item in KNOWN_ITEMS for election in elections]


def rebuild(session: Session) -> int:
    """Write the snapshot of every question at the current stamp, in this transaction; older
    snapshots go. Returns how many questions were stored."""
    version = ruleset_in_force(session).version
    stamp = data_stamp(session)
    asked = questions(session)
    found: dict[tuple[str, str], Any] = dict(stats.tallies_for(session, asked))
    for election in dict.fromkeys(election for _item, election in asked):
        found[(sections.SNAPSHOT_ITEM, election)] = sections.tally(session, election)
    table = StatisticsSnapshot.__table__
    session.execute(delete(table).where(table.c.stamp <= stamp))
    now = utcnow()
    session.execute(
        insert(table),
        [
            {
                "item": item,
                "election": election,
                "ruleset_version": version,
                "stamp": stamp,
                "computed_at": now,
                "payload": tallies,
            }
            for (item, election), tallies in found.items()
        ],
    )
    # The default page, rendered from the figures just stored (transparency.disclosure.pages).
    session.execute(
        insert(table),
        [dict(row, computed_at=now) for row in pages.prerender(session, version, stamp)],
    )
    return len(found)


def stored(
    session: Session, item: str, election: str, version: str, stamp: int
) -> stats.Tallies | None:
    """The stored figures of this question at this stamp; a previous stamp's only while this
    process's rebuilder is bringing them up to date."""
    table = StatisticsSnapshot.__table__
    row = session.execute(
        select(table.c.stamp, table.c.payload)
        .where(
            table.c.item == item,
            table.c.election == election,
            table.c.ruleset_version == version,
            table.c.stamp <= stamp,
        )
        .order_by(table.c.stamp.desc(), table.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    if row.stamp != stamp and not _rebuilding(current_app):
        return None
    return row.payload


def follow_changes(session: Session, change: Change) -> int | None:
    """The change channel's statistics consumer (last in its order)."""
    if not change:
        return None
    moved = change.bulk or change.all_candidacies or change.candidacy_ids or change.derived_ids
    if change.reevaluate and not moved and _current(session):
        return None  # a recompute that moved nothing: today's snapshot still holds
    if change.bulk or change.reevaluate or change.all_candidacies:
        return rebuild(session)
    session.info[_STALE] = True  # an edit: rebuilt in the background after its commit
    return None


def _current(session: Session) -> bool:
    """Whether a snapshot of this stamp and ruleset, computed today, is stored (the figures
    count a request past its window from the next day on, so yesterday's may be stale)."""
    table = StatisticsSnapshot.__table__
    computed = session.scalar(
        select(table.c.computed_at)
        .where(
            table.c.stamp == data_stamp(session),
            table.c.ruleset_version == ruleset_in_force(session).version,
        )
        .order_by(table.c.computed_at.desc())
        .limit(1)
    )
    return computed is not None and computed.date() == utcnow().date()


# -- the background rebuilder of a serving process ------------------------------------------


class Rebuilder:
    """A daemon thread that rebuilds the snapshot at most every `interval` seconds."""

    def __init__(self, app: Flask, interval: float) -> None:
        self.app = app
        self.interval = interval
        self.wanted = threading.Event()
        self.passed = threading.Event()  # set after each rebuild (tests)
        self._thread = threading.Thread(target=self._run, name="statistics", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            time.sleep(self.interval)  # edits that follow within the interval: one rebuild
            self.wanted.clear()
            try:
                with self.app.app_context():
                    rebuild(db.session)
                    db.session.commit()
                    db.session.remove()
            except Exception:
                log.exception("statistics snapshot rebuild failed; the next change retries")
            self.passed.set()


_lock = threading.Lock()


def _rebuilding(app: Flask) -> bool:
    return bool(app.config.get("STATISTICS_BACKGROUND_REBUILD"))


def _rebuilder(app: Flask) -> Rebuilder:
    with _lock:
        rebuilder = app.extensions.get(_REBUILDERS)
        if rebuilder is None:
            interval = float(app.config.get("STATISTICS_REBUILD_INTERVAL", 5.0))
            rebuilder = app.extensions[_REBUILDERS] = Rebuilder(app, interval)
        return rebuilder


def _after_commit(session: Session) -> None:
    if session.info.pop(_STALE, False) and has_request_context():
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if _rebuilding(app):
            _rebuilder(app).wanted.set()


def _after_rollback(session: Session, _previous: Any = None) -> None:
    session.info.pop(_STALE, None)


def listen() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
