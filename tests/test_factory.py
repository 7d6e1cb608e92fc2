"""The application factory and its configuration."""

from pathlib import Path

import pytest

from transparency import WeakSecretKey, create_app


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SEARCH_INDEX_DIR"]


@pytest.mark.parametrize("key", [None, "dev-only-change-me", "short-key"])
def test_refuses_to_start_with_a_weak_secret_key(tmp_path, monkeypatch, key):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    if key is not None:
        config["SECRET_KEY"] = key
    with pytest.raises(WeakSecretKey, match="TRANSPARENCY_SECRET_KEY"):
        create_app(config)


def test_starts_with_a_strong_secret_key(tmp_path):
    app = create_app({"SECRET_KEY": "k" * 48, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert not app.testing


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSPARENCY_SECRET_KEY", "e" * 40)
    monkeypatch.setenv("TRANSPARENCY_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app()
    assert app.config["SECRET_KEY"] == "e" * 40
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
