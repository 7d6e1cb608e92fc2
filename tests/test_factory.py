"""The application factory and its configuration."""

import secrets
from pathlib import Path

import pytest

from transparency import WeakSecretKey, create_app


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SEARCH_INDEX_DIR"]


WEAK_KEYS = [
    None,
    "dev-only-change-me",
    "short-key",
    "a" * 32,  # long enough, guessable: issue #15, finding 3
    "benchmark-" + "x" * 40,
    "abcd" * 8,
    "dev-only-change-me" * 2,
]


@pytest.mark.parametrize("key", WEAK_KEYS)
def test_refuses_a_weak_secret_key_whatever_debug_says(tmp_path, monkeypatch, key):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setenv("TRANSPARENCY_DEBUG", "true")
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "DEBUG": True}
    if key is not None:
        config["SECRET_KEY"] = key
    with pytest.raises(WeakSecretKey, match="TRANSPARENCY_SECRET_KEY"):
        create_app(config)


def test_starts_with_a_strong_secret_key(tmp_path):
    app = create_app(
        {"SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    assert not app.testing


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    key = secrets.token_hex(32)
    monkeypatch.setenv("TRANSPARENCY_SECRET_KEY", key)
    monkeypatch.setenv("TRANSPARENCY_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app()
    assert app.config["SECRET_KEY"] == key
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")


def test_local_config_gets_a_random_key_once(tmp_path):
    from transparency.localconfig import ensure_local_config

    first = ensure_local_config(tmp_path).read_text()
    second = ensure_local_config(tmp_path).read_text()
    assert first == second
    assert "SECRET_KEY" in first
    assert Path(tmp_path / "config.py").stat().st_mode & 0o077 == 0


def test_security_headers_on_pages_and_errors(client):
    for path in ("/", "/no-such-page"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        csp = response.headers["Content-Security-Policy"]
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
