"""The production server settings (gunicorn.conf.py) and the no-connection-before-fork rule."""

import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import pytest

from transparency import create_app
from transparency.extensions import db

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def settings(monkeypatch):
    for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(CONF))


def test_workers_are_not_preloaded_and_recycle_at_staggered_moments(settings):
    assert settings["preload_app"] is False
    assert settings["workers"] >= 2 and settings["threads"] >= 2
    assert settings["max_requests"] > 0
    assert 0 < settings["max_requests_jitter"] < settings["max_requests"]
    assert 0 < settings["timeout"] <= 120


def test_settings_follow_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    monkeypatch.setenv("GUNICORN_BIND", "unix:/run/jejak.sock")
    settings = runpy.run_path(str(CONF))
    assert settings["workers"] == 7
    assert settings["bind"] == "unix:/run/jejak.sock"


def test_making_the_app_opens_no_database_connection(app_config):
    # gunicorn forks workers after loading the app when --preload is used: a connection
    # (or SQLite file lock) opened here would be shared by every worker.
    app = create_app(app_config)
    with app.app_context():
        pool = db.engine.pool
        assert pool.checkedin() == 0 and pool.checkedout() == 0
        db.engine.dispose()


# --- production safety under a real gunicorn (issue #15, finding 3) ----------------------

GUNICORN = Path(sys.executable).parent / "gunicorn"
DEBUG_FLAGS = {"FLASK_DEBUG": "1", "TRANSPARENCY_DEBUG": "true", "TRANSPARENCY_TESTING": "true"}


def gunicorn_env(tmp_path: Path, key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRANSPARENCY_", "GUNICORN_"))}
    return {
        **env,
        **DEBUG_FLAGS,
        "TRANSPARENCY_SECRET_KEY": key,
        "TRANSPARENCY_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "TRANSPARENCY_SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "TRANSPARENCY_SEARCH_BACKGROUND_SYNC": "false",
    }


def gunicorn_command(port: int) -> list[str]:
    return [
        str(GUNICORN),
        "-c",
        str(CONF),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--access-logfile",
        "/dev/null",
        "transparency:create_app()",
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gunicorn_refuses_the_default_key_even_with_every_debug_flag(tmp_path):
    # Every weak kind of key is refused by the factory (tests/test_factory.py); this is the
    # start the outside test made: gunicorn, debug flags, the public default key.
    key = "dev-only-change-me"
    started = subprocess.run(  # noqa: S603 - our own gunicorn with fixed arguments
        gunicorn_command(free_port()),
        env=gunicorn_env(tmp_path, key),
        cwd=CONF.parent,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert started.returncode != 0
    assert "Refusing to start: SECRET_KEY" in started.stderr


def test_gunicorn_ignores_the_debug_flags(tmp_path, app_config):
    # Its own SQLite file whichever database the suite runs on, so none of the suite's
    # PostgreSQL connection options (the schema's search_path) either.
    served = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
    }
    made = create_app({**app_config, **served})
    with made.app_context():
        db.create_all()
        db.engine.dispose()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        gunicorn_command(port),
        env=gunicorn_env(tmp_path, secrets.token_urlsafe(48)),
        cwd=CONF.parent,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # a busy machine starts gunicorn slowly
        while True:
            try:
                with urlopen(base + "/healthz", timeout=5) as answer:  # noqa: S310 - loopback
                    assert answer.read() == b"ok\n"
                    assert answer.headers["Server"] == "gunicorn"
                break
            except (URLError, TimeoutError):  # not listening yet, or its worker still booting
                assert time.monotonic() < deadline, "gunicorn did not start"
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)  # the server is starting; nothing to wait on but the port
        # Werkzeug's debugger answers these when it is on; here they are ordinary pages.
        answers = {}
        for path in ("/console", "/?__debugger__=yes&cmd=resource&f=debugger.js"):
            try:
                with urlopen(base + path, timeout=10) as answer:  # noqa: S310 - loopback
                    answers[path] = (answer.status, answer.headers["Content-Type"], answer.read())
            except HTTPError as error:
                answers[path] = (error.code, error.headers["Content-Type"], error.read())
        assert answers["/console"][0] == 404
        assert b"Interactive Console" not in answers["/console"][2]
        resource = answers["/?__debugger__=yes&cmd=resource&f=debugger.js"]
        assert resource[1].startswith("text/html")
        assert b"EVALEX" not in resource[2]
    finally:
        server.terminate()
        try:
            _out, errors = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _out, errors = server.communicate()
    assert "DEBUG and TESTING are ignored under gunicorn" in errors
