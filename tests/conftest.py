"""Fixtures: an app on a real database (SQLite file, or PostgreSQL with TEST_DATABASE_URL),
a client, a CLI runner, and factories for data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from tests.auth_helpers import AuthActions
from tests.factories import Factory
from transparency import create_app
from transparency.extensions import db

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


@pytest.fixture(params=["memory", "redis"])
def ratelimit_store(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Where rate limits are counted: each rate-limit test runs with the per-process store and
    again with a real Redis (TEST_REDIS_URL; .ci/run sets it), under a key prefix of its own
    so parallel runs sharing the Redis database do not count each other's requests."""
    from transparency.extensions import limiter

    # The limiter is one object for the process and keeps the first app's key prefix
    # (init_app: `self._key_prefix or config`): forget it, so this test's prefix is used.
    limiter._key_prefix = ""
    if request.param == "memory":
        yield {"RATELIMIT_STORAGE_URI": "memory://"}
        return
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set: no Redis to count rate limits in")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


def pytest_configure(config: pytest.Config) -> None:
    """Hermetic runs: TRANSPARENCY_* settings in a developer's shell reach neither the apps
    the tests make nor the servers they start (each xdist worker runs this too)."""
    for name in [name for name in os.environ if name.startswith("TRANSPARENCY_")]:
        del os.environ[name]


def worker_name() -> str:
    """`gw0`, `gw1`... under pytest-xdist, `main` in a serial run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def new_schema_name() -> str:
    """A schema name of this worker's own: workers never share tables."""
    return f"t_{worker_name()}_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session", autouse=True)
def instance_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every app the tests make keeps its instance files (import-job files, dumps, a default
    index) in this worker's temporary folder, never in the checkout's instance/ that a
    developer's `make run` and the other workers use."""
    folder = tmp_path_factory.mktemp("instance")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "auto_find_instance_path", lambda _app: str(folder))
        yield folder


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str | None]:
    """A throw-away schema of this worker on the PostgreSQL test server, dropped at the end."""
    if not POSTGRES_URL:
        yield None
        return
    schema = new_schema_name()
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def database_config(tmp_path: Path, schema: str | None) -> dict[str, Any]:
    if schema is None:
        return {"DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}"}
    return {
        "DATABASE_URL": POSTGRES_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


@pytest.fixture
def app_config(tmp_path: Path, postgres_schema: str | None) -> dict[str, Any]:
    """The settings of the test app; a test may change them before `app` is made."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-" + "x" * 40,
        "WTF_CSRF_ENABLED": False,
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "RATELIMIT_ENABLED": False,
        "ARGON2_MEMORY_COST": 1024,  # argon2id still, cheap enough for many log-ins per test
        "ARGON2_PARALLELISM": 1,
        **database_config(tmp_path, postgres_schema),
    }


@pytest.fixture
def app(
    app_config: dict[str, Any],
    postgres_schema: str | None,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> Iterator[Flask]:
    app = create_app(app_config)
    app.instance_path = str(tmp_path / "instance")
    areas = request.node.get_closest_marker("areas") is not None
    with app.app_context():
        db.create_all()
        from transparency.reference import load_reference_data

        # The national level only: the 20,000 rows of places and DPRD districts would add
        # a second to every test. A test marked `areas` gets them; read-only tests of
        # places share `places_app` (fresh_app below).
        load_reference_data(db.session, areas=areas)
        db.session.commit()
    yield app
    drop_test_tables(app)


def drop_test_tables(app: Flask, *, migrated: bool = False) -> None:
    """After a test that made its own app: on PostgreSQL, drop its tables (and Alembic's
    version table) so this worker's schema is empty for the next test. A SQLite file is the
    test's own (tmp_path) and goes with it; dropping its tables would only cost time (SQLite
    checks the foreign keys of every row a DROP TABLE removes)."""
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            db.drop_all()
            if migrated:
                db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make(app: Flask) -> Iterator[Factory]:
    """Factories for test data, inside an app context: make.candidacy(name=...)."""
    with app.app_context():
        yield Factory(db.session)


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Log in through the real form: make.user(role="reviewer"), then auth.login(user)."""
    return AuthActions(client)


@contextmanager
def fresh_app(directory: Path, *, areas: bool = True) -> Iterator[Flask]:
    """An app on a database of its own (a file, or a private PostgreSQL schema) with the
    reference data loaded: for fixtures shared by the tests of a module."""
    directory.mkdir(parents=True, exist_ok=True)
    schema = None
    engine = None
    if POSTGRES_URL:
        schema = new_schema_name()
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-" + "x" * 40,
            "WTF_CSRF_ENABLED": False,
            "SEARCH_INDEX_DIR": str(directory / "search-index"),
            "RATELIMIT_ENABLED": False,
            **database_config(directory, schema),
        }
    )
    with app.app_context():
        from transparency.reference import load_reference_data

        db.create_all()
        load_reference_data(db.session, areas=areas)
        db.session.commit()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if engine is not None:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


@pytest.fixture(scope="module")
def places_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Every place and district of 2024 loaded, shared by a module's tests (load once)."""
    with fresh_app(tmp_path_factory.mktemp("places")) as app:
        yield app
