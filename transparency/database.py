"""Database engine settings: SQLite made safe for several processes.

SQLite: WAL (readers never wait for the writer), foreign keys on every connection, a busy
timeout, and write transactions that take the write lock up front (BEGIN IMMEDIATE):
a deferred transaction that reads then writes can lose the update under concurrent
writers. Read-only requests (GET, HEAD, OPTIONS) begin deferred so readers never queue, and
so does work outside a request that declares itself a reader (`read_snapshot`), such as
the search index build reading every candidacy for minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import Engine, event

from transparency.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_SECONDS = 30
_reading: ContextVar[bool] = ContextVar("transparency_read_snapshot", default=False)


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Transactions begun inside (in this thread) are readers: plain BEGIN on SQLite, a
    snapshot that takes no write lock. End them (rollback) before leaving, and write
    nothing inside: a deferred transaction that turns writer can fail under concurrency."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


@contextmanager
def writer() -> Iterator[None]:
    """Transactions begun inside are writers again (BEGIN IMMEDIATE on SQLite), even within
    read_snapshot: an import job records its progress while its check reads."""
    token = _reading.set(False)
    try:
        yield
    finally:
        _reading.reset(token)


def database_uri(app: Flask) -> str:
    """TRANSPARENCY_DATABASE_URL, or SQLite under the instance folder."""
    url = app.config.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if url:
        return str(url)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'transparency.db'}"


def configure(app: Flask) -> None:
    """Settle the database URI and engine options before Flask-SQLAlchemy reads them."""
    uri = database_uri(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", BUSY_TIMEOUT_SECONDS)
        connect_args.setdefault("check_same_thread", False)
        options["connect_args"] = connect_args
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off; the begin hook below decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    if _reading.get() or (has_request_context() and request.method in SAFE_METHODS):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def watch_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_connect):
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)


def init_app(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        # Creating the engine opens no connection; workers forked later open their own.
        watch_engine(db.engine)
