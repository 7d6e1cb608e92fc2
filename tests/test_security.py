"""Cookies, session lifetimes, HTTPS-only headers and trusted proxies."""

import pytest
from flask import session

from transparency import create_app
from transparency.access import public


@pytest.fixture
def session_app(app):
    @app.get("/_test/session")
    @public
    def put_in_session():
        session["marker"] = "set"
        return "ok"

    @app.get("/_test/read")
    @public
    def read_session():
        return session.get("marker", "none")

    return app


def test_session_cookie_flags_over_https(session_app):
    client = session_app.test_client()
    response = client.get("/_test/session", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_no_secure_flag_or_hsts_over_plain_http(session_app):
    response = session_app.test_client().get("/_test/session")
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("limit", ["SESSION_IDLE_SECONDS", "SESSION_ABSOLUTE_SECONDS"])
def test_sessions_expire(session_app, limit):
    client = session_app.test_client()
    client.get("/_test/session")
    assert client.get("/_test/read").get_data(as_text=True) == "set"
    with client.session_transaction() as stored:
        stored["_created"] -= 13 * 3600
        stored["_seen"] -= 3 * 3600 if limit == "SESSION_IDLE_SECONDS" else 0
    assert client.get("/_test/read").get_data(as_text=True) == "none"


def test_trusted_proxy_gives_the_client_address(app_config):
    app = create_app({**app_config, "TRUSTED_PROXIES": 1})

    @app.get("/_test/addr")
    @public
    def addr():
        from transparency.net import client_address

        return client_address()

    response = app.test_client().get(
        "/_test/addr",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert response.get_data(as_text=True) == "203.0.113.7"
    with app.app_context():
        from transparency.extensions import db

        db.engine.dispose()


def test_untrusted_forwarded_header_is_ignored(app):
    @app.get("/_test/addr2")
    @public
    def addr2():
        from transparency.net import client_address

        return client_address()

    response = app.test_client().get(
        "/_test/addr2",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert response.get_data(as_text=True) == "10.0.0.1"


def test_request_bodies_over_the_limit_are_refused(app):
    @app.post("/_test/echo")
    @public
    def echo():
        from flask import request

        return str(len(request.form.get("text", "")))

    client = app.test_client()
    assert client.post("/_test/echo", data={"text": "a" * 1000}).status_code == 200
    response = client.post("/_test/echo", data={"text": "a" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_language_cookie_is_secure_over_https(client):
    cookie = client.get("/?lang=en", base_url="https://localhost").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in client.get("/?lang=id").headers["Set-Cookie"]
