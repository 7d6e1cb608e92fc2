"""Cookies, session lifetimes, HTTPS-only headers and trusted proxies."""

import pytest
from flask import session

from tests.conftest import drop_test_tables
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


# --- host names and absolute links (issue #15, finding 6) --------------------------------

FORGED = {"Host": "evil.example"}


@pytest.mark.parametrize(
    "path", ["/", "/candidates", "/api/v1/candidates", "/feeds/flagged.atom", "/login"]
)
def test_a_host_name_the_site_does_not_answer_to_gets_400(client, path):
    response = client.get(path, headers=FORGED)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.parametrize("base", ["http://127.0.0.1:5000", "http://localhost:5000"])
def test_make_run_answers_on_its_own_addresses(client, base):
    assert client.get("/", base_url=base).status_code == 200


@pytest.fixture
def public_app(app_config):
    app = create_app({**app_config, "PUBLIC_URL": "https://jejak.example", "TRUSTED_PROXIES": 1})
    from tests.factories import Factory
    from transparency.extensions import db

    with app.app_context():
        db.create_all()
        from transparency.reference import load_reference_data

        load_reference_data(db.session, areas=False)
        db.session.commit()
        Factory(db.session).candidacy(disclosure={"cv": "refused"})
    yield app
    drop_test_tables(app)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/candidates",
        "/api/v1/openapi.json",
        "/feeds/flagged.atom",
        "/export/candidates.json",
        "/export/candidates.csv",
    ],
)
def test_absolute_links_use_public_url_whatever_host_was_sent(public_app, path):
    client = public_app.test_client()
    for headers in ({}, {"X-Forwarded-Host": "evil.example"}):
        response = client.get(path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        body = response.get_data(as_text=True)
        assert response.status_code == 200, body[:300]
        assert "evil.example" not in body and "//localhost" not in body
        assert "https://jejak.example" in body


def test_the_public_urls_host_is_trusted_and_others_are_not(public_app):
    client = public_app.test_client()
    assert client.get("/", base_url="https://jejak.example").status_code == 200
    assert client.get("/", headers=FORGED).status_code == 400


def test_trusted_hosts_replace_the_defaults(app_config):
    app = create_app({**app_config, "TRUSTED_HOSTS": "jejak.example, www.jejak.example"})
    client = app.test_client()
    assert app.config["TRUSTED_HOSTS"] == ["jejak.example", "www.jejak.example"]
    assert client.get("/healthz", base_url="https://www.jejak.example").status_code == 200
    assert client.get("/healthz").status_code == 400  # localhost is no longer one of them
    with app.app_context():
        from transparency.extensions import db

        db.engine.dispose()


@pytest.mark.parametrize(
    "value", ["jejak.example", "ftp://jejak.example", "https://j.example/?a=1"]
)
def test_a_malformed_public_url_stops_the_start(app_config, value):
    from transparency.urls import PublicUrlError

    with pytest.raises(PublicUrlError, match="PUBLIC_URL"):
        create_app({**app_config, "PUBLIC_URL": value})
