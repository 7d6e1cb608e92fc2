"""Two servers on one database, each with the search it would have on its own machine.

Whoosh: two index directories (two copies) following one outbox. PostgreSQL: the search
rows in the database itself. A change through one server must be searchable on the other;
a change made while one is stopped must reach it when it starts; `search check` agrees.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from tests.conftest import POSTGRES_URL
from tests.factories import Factory
from transparency import create_app
from transparency.extensions import db
from transparency.listing import parse_filters
from transparency.models.base import utcnow
from transparency.revisions import provenance
from transparency.search import search_candidacies, sync
from transparency.search.store import pool


def found(app: Flask, q: str) -> list[str]:
    with app.test_request_context("/"):
        pool.close()  # one process plays two servers: never reuse the other's searcher
        result = search_candidacies(parse_filters({"q": q}))
        return [hit.candidacy.person.full_name for hit in result.hits]


def outbox(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.execute(text("SELECT candidacy_id FROM search_outbox")).scalars())


def drain(app: Flask) -> sync.SyncResult | None:
    """Apply the outbox to this server's Whoosh copy (PostgreSQL: nothing to apply)."""
    if app.config["SEARCH_BACKEND"] == "postgres":
        return None
    with app.app_context():
        pool.close()
        return sync.drain(db.session, sync.current_root(), wait=True)


def candidacy(app: Flask, name: str, programme: str) -> int:
    """A new candidacy written through this server."""
    with app.app_context():
        return Factory(db.session).candidacy(name, programme=[programme]).id


def start(*servers: Flask) -> None:
    """Each server's copy registers before any data is written (as a started server does)."""
    for server in servers:
        drain(server)


def change(app: Flask, candidacy_id: int, programme: str) -> None:
    """A volunteer's edit through this server: the first programme statement rewritten."""
    with app.app_context():
        from transparency.models import Candidacy

        candidacy = db.session.get(Candidacy, candidacy_id)
        with provenance(db.session, origin="test"):
            candidacy.programme[0].text = programme
            db.session.flush()
        db.session.commit()


@pytest.fixture
def node(app_config: dict[str, Any], tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """`node(name, backend)`: another server on the test database, with its own index dir."""
    made: list[Flask] = []

    def build(name: str, backend: str, **settings: Any) -> Flask:
        config = {
            **app_config,
            "SEARCH_BACKEND": backend,
            "SEARCH_INDEX_DIR": str(tmp_path / f"index-{name}"),
            **settings,
        }
        app = create_app(config)
        made.append(app)
        return app

    yield build
    for app in made:
        sync.stop_drainer(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    pool.close()


def backends() -> list[str]:
    return ["whoosh", "postgres"] if POSTGRES_URL else ["whoosh"]


@pytest.mark.parametrize("backend", backends())
def test_a_change_through_one_server_is_searchable_on_the_other(
    app: Flask, node: Callable[..., Flask], backend: str
) -> None:
    one, two = node("one", backend), node("two", backend)
    start(one, two)
    siti = candidacy(one, "Siti Rahayu", "Perahu untuk nelayan")
    for server in (one, two):
        drain(server)
        assert found(server, "nelayan") == ["Siti Rahayu"]
    change(one, siti, "Pupuk murah untuk petani")
    drain(one)
    if backend == "whoosh":
        assert outbox(one) == [siti]  # the other copy has not applied it yet
        drain(two)
    for server in (one, two):
        assert found(server, "petani") == ["Siti Rahayu"]
        assert found(server, "nelayan") == []
    assert outbox(one) == []  # every copy applied it: gone


@pytest.mark.parametrize("backend", backends())
def test_search_check_agrees_on_both_servers(
    app: Flask, node: Callable[..., Flask], backend: str
) -> None:
    one, two = node("one", backend), node("two", backend)
    start(one, two)
    siti = candidacy(one, "Siti Rahayu", "Perahu untuk nelayan")
    candidacy(two, "Budi Santoso", "Irigasi sawah")
    for server in (one, two):
        drain(server)
    change(two, siti, "Guru honorer diangkat")
    for server in (one, two):
        drain(server)
        result = server.test_cli_runner().invoke(args=["search", "check"])
        assert result.exit_code == 0, result.output
        assert "Index and database agree." in result.output


def test_a_stopped_copy_finds_its_work_waiting_and_reindex_keeps_it(
    app: Flask, node: Callable[..., Flask]
) -> None:
    one, two = node("one", "whoosh"), node("two", "whoosh")
    start(one, two)
    siti = candidacy(one, "Siti Rahayu", "Perahu untuk nelayan")
    drain(one)
    drain(two)
    # `two` is stopped: `one` goes on applying changes, and rebuilds its index from scratch.
    change(one, siti, "Pupuk murah untuk petani")
    drain(one)
    result = one.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert outbox(one) == [siti]  # still waiting for `two`
    assert found(two, "petani") == []
    drain(two)  # `two` starts again
    assert found(two, "petani") == ["Siti Rahayu"]
    assert outbox(one) == []


def test_a_copy_not_seen_for_long_is_dropped_and_rebuilds_when_back(
    app: Flask,
    node: Callable[..., Flask],
    caplog: pytest.LogCaptureFixture,
) -> None:
    one, two = node("one", "whoosh", SEARCH_COPY_TIMEOUT=3600), node("two", "whoosh")
    start(one, two)
    siti = candidacy(one, "Siti Rahayu", "Perahu untuk nelayan")
    drain(one)
    drain(two)
    with app.app_context():  # `two` was last seen two hours ago
        db.session.execute(
            text("UPDATE search_copy SET seen_at = :then WHERE name <> :one"),
            {"then": utcnow() - timedelta(hours=2), "one": _copy_name(one)},
        )
        db.session.commit()
    change(one, siti, "Pupuk murah untuk petani")
    with caplog.at_level(logging.WARNING, logger="transparency.search.copies"):
        drain(one)
    assert any("dropped from the register" in r.getMessage() for r in caplog.records)
    assert outbox(one) == []  # no longer held for `two`
    assert drain(two).rebuilt  # back: it knows it was dropped, and rebuilds
    assert found(two, "petani") == ["Siti Rahayu"]


def _copy_name(app: Flask) -> str:
    with app.app_context():
        return (sync.current_root() / "COPY").read_text().strip()


def wait_for(check: Callable[[], bool], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"not true within {seconds} s")


@pytest.mark.slow
@pytest.mark.parametrize("backend", backends())
def test_servers_with_their_drainers_agree_within_seconds(
    app: Flask, node: Callable[..., Flask], backend: str
) -> None:
    """As served: each server's background drainer (Whoosh) or nothing at all (PostgreSQL).
    Within 5 s on the other server; within 20 s of a stopped server's start."""
    fast = {"SEARCH_SYNC_INTERVAL": 0.5, "SEARCH_REFRESH_INTERVAL": 0.0}
    one, two = node("one", backend, **fast), node("two", backend, **fast)
    start(one, two)
    siti = candidacy(one, "Siti Rahayu", "Perahu untuk nelayan")
    if backend == "whoosh":
        for server in (one, two):
            sync.start_drainer(server)
    wait_for(lambda: found(two, "nelayan") == ["Siti Rahayu"], 20)
    change(one, siti, "Pupuk murah untuk petani")
    wait_for(lambda: found(two, "petani") == ["Siti Rahayu"], 5)
    if backend == "whoosh":
        sync.stop_drainer(two)
    change(one, siti, "Guru honorer diangkat")
    wait_for(lambda: found(one, "honorer") == ["Siti Rahayu"], 5)
    if backend == "whoosh":
        assert found(two, "honorer") == []  # stopped: not applied
        sync.start_drainer(two)
    wait_for(lambda: found(two, "honorer") == ["Siti Rahayu"], 20)


@pytest.mark.skipif(not POSTGRES_URL, reason="the PostgreSQL backend needs TEST_DATABASE_URL")
def test_search_check_finds_and_repairs_drift_in_the_postgres_rows(
    app: Flask, node: Callable[..., Flask]
) -> None:
    one = node("one", "postgres")
    siti = candidacy(one, "Siti Rahayu", "Perahu untuk nelayan")
    candidacy(one, "Budi Santoso", "Irigasi sawah")
    with one.app_context():
        db.session.execute(
            text("DELETE FROM search_document WHERE candidacy_id = :id"), {"id": siti}
        )
        db.session.execute(
            text("UPDATE search_document SET digest = 'x' WHERE candidacy_id <> :id"), {"id": siti}
        )
        db.session.commit()
    runner = one.test_cli_runner()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"missing: 1 ({siti})" in result.output and "stale: 1" in result.output
    repaired = runner.invoke(args=["search", "check", "--repair"])
    assert repaired.exit_code == 0 and "Repaired." in repaired.output
    assert found(one, "nelayan") == ["Siti Rahayu"]


@pytest.mark.skipif(not POSTGRES_URL, reason="the advisory lock is PostgreSQL's")
def test_one_writer_per_copy_across_machines_by_an_advisory_lock(
    app: Flask, node: Callable[..., Flask]
) -> None:
    """Two machines configured as the same copy: the second writer is refused at once."""
    one = node("one", "whoosh", SEARCH_COPY_NAME="shared-copy")
    other = node("other", "whoosh", SEARCH_COPY_NAME="shared-copy")
    with one.app_context():
        from transparency.search import copies

        with copies.writer_lock(sync.current_root(), wait=False) as locked:
            assert locked
            with other.app_context():
                assert sync.drain(db.session, sync.current_root(), wait=False).busy
        assert not drain(other).busy  # released
