"""DATABASE_READ_URL: anonymous GETs read from the replica, everything else from the primary.

A second engine on the same database stands in for the replica; what each request read
from is seen by the statements each engine ran.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from tests.auth_helpers import AuthActions, english
from tests.factories import Factory
from transparency import create_app
from transparency.extensions import db
from transparency.replica import read_engine


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {
        **app_config,
        "DATABASE_READ_URL": app_config["DATABASE_URL"],
        "READ_AFTER_WRITE_SECONDS": 1.0,
    }


@pytest.fixture
def replica_reads(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = read_engine(app)
    assert engine is not None and engine is not db.engine
    event.listen(engine, "before_cursor_execute", seen)
    yield statements
    event.remove(engine, "before_cursor_execute", seen)
    engine.dispose()


def test_an_anonymous_page_reads_from_the_replica(app, client, make: Factory, replica_reads):
    make.candidacy("Siti Rahayu")
    page = client.get("/candidates")
    assert page.status_code == 200 and "Siti Rahayu" in page.get_data(as_text=True)
    assert any("candidacy" in s for s in replica_reads)


def test_a_logged_in_user_reads_from_the_primary(app, client, make: Factory, replica_reads):
    make.candidacy("Siti Rahayu")
    user = make.user("relawan@contoh.example", role="volunteer")
    AuthActions(english(client)).login(user.email)
    time.sleep(1.1)  # past the log-in's own read-after-write window
    replica_reads.clear()
    assert client.get("/candidates").status_code == 200
    assert replica_reads == []


def test_the_requests_after_a_write_read_from_the_primary(
    app, client, make: Factory, replica_reads
):
    make.candidacy("Siti Rahayu")
    # An anonymous write: a failed log-in (it records the attempt).
    client.post("/login", data={"email": "x@contoh.example", "password": "salah"})
    replica_reads.clear()
    assert client.get("/candidates").status_code == 200
    assert replica_reads == []  # within READ_AFTER_WRITE_SECONDS: the primary
    time.sleep(1.1)
    assert client.get("/candidates").status_code == 200
    assert replica_reads  # later: the replica again
    other = app.test_client()  # another visitor was never held on the primary
    replica_reads.clear()
    assert other.get("/candidates").status_code == 200
    assert replica_reads


def test_without_the_setting_there_is_no_second_engine(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "DATABASE_READ_URL": ""})
    assert read_engine(app) is None
