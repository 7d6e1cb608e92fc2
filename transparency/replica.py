"""Reads from a replica (optional setting DATABASE_READ_URL).

Anonymous GET and HEAD requests read from the replica; everything else uses the primary:
writes, any request of a logged-in user, and every request of a client for
READ_AFTER_WRITE_SECONDS after it wrote something (a signed mark in its session cookie),
so a user never misses their own change because the replica is a moment behind. Commands,
threads and jobs outside a request always use the primary.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_login import current_user
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

READ_AFTER_WRITE_SECONDS = 10
_MARK = "_primary_until"
_EXTENSION = "transparency.replica"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class RoutingSession(FlaskSession):
    """Flask-SQLAlchemy's session, sending a replica-eligible request's reads to the replica."""

    def get_bind(self, mapper: Any = None, clause: Any = None, **kwargs: Any) -> Any:
        if has_request_context() and g.get("read_replica"):
            engine = current_app.extensions.get(_EXTENSION)
            if engine is not None:
                return engine
        return super().get_bind(mapper=mapper, clause=clause, **kwargs)


def read_engine(app: Flask) -> Engine | None:
    return app.extensions.get(_EXTENSION)


def init_app(app: Flask) -> None:
    url = app.config.get("DATABASE_READ_URL") or ""
    app.config.setdefault("READ_AFTER_WRITE_SECONDS", READ_AFTER_WRITE_SECONDS)
    if not url:
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)
    from transparency.database import watch_engine

    engine = create_engine(url, **options)
    watch_engine(engine)
    app.extensions[_EXTENSION] = engine

    @app.before_request
    def _choose_database() -> None:
        g.read_replica = (
            request.method in SAFE
            and float(session.get(_MARK, 0)) < time.time()
            and not current_user.is_authenticated
        )

    @app.after_request
    def _mark_writer(response: Any) -> Any:
        if request.method not in SAFE:
            session[_MARK] = time.time() + float(app.config["READ_AFTER_WRITE_SECONDS"])
        return response
