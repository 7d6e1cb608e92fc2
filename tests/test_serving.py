"""The production server settings (gunicorn.conf.py) and the no-connection-before-fork rule."""

import runpy
from pathlib import Path

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
