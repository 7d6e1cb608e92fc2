"""Log-in throttling (issue #15, finding 5): wrong passwords slow guessing, growing with each
failure of an account and address pair, but never lock the owner out; reaching the per-account
ceiling writes an alert to the audit log."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.auth_helpers import DEFAULT_PASSWORD, AuthActions, english, in_app
from tests.conftest import drop_test_tables
from transparency import create_app
from transparency.extensions import db
from transparency.models import AuditEvent, LoginAttempt

WRONG = "not the password, no"


def attempt(client, email, address, password=WRONG):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def time_passes(app, seconds):
    """Every recorded attempt moves `seconds` into the past, as if the clock had run."""
    with in_app(app):
        for row in db.session.scalars(select(LoginAttempt)):
            row.created_at -= timedelta(seconds=seconds)
        db.session.commit()


def audit(app, kind):
    with in_app(app):
        return list(db.session.scalars(select(AuditEvent).filter_by(kind=kind)))


@pytest.fixture
def client_en(client):
    return english(client)


def test_wrong_passwords_from_anywhere_never_lock_the_admin_out(app, client_en, make):
    admin = make.user("admin@contoh.example", role="admin")
    home = "192.0.2.7"
    assert (
        AuthActions(client_en).login(admin, environ_base={"REMOTE_ADDR": home}).status_code == 302
    )
    client_en.post("/logout")
    # 30 wrong passwords from 30 addresses, each as soon as the site lets it be checked.
    refused = 0
    for number in range(30):
        response = attempt(client_en, admin.email, f"203.0.113.{number}")
        if response.status_code == 429:
            refused += 1
            time_passes(app, int(response.headers["Retry-After"]))
            assert attempt(client_en, admin.email, f"203.0.113.{number}").status_code == 200
    assert refused >= 9  # past the ceiling (20), each new address waited first
    # The owner, from where they logged in before, waits a few seconds at most.
    waiting = attempt(client_en, admin.email, home, DEFAULT_PASSWORD)
    assert waiting.status_code == 429
    assert 0 < int(waiting.headers["Retry-After"]) <= 5
    time_passes(app, 5)
    owner = AuthActions(client_en).login(admin, environ_base={"REMOTE_ADDR": home})
    assert owner.status_code == 302
    assert client_en.get("/admin/users").status_code == 200
    client_en.post("/logout")
    # From a new address the owner is slowed, not barred: after the wait, the password opens.
    new_place = attempt(client_en, admin.email, "198.51.100.4", DEFAULT_PASSWORD)
    assert new_place.status_code == 429
    assert "Try again in" in new_place.get_data(as_text=True)
    time_passes(app, int(new_place.headers["Retry-After"]))
    later = AuthActions(client_en).login(admin, environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert later.status_code == 302


def test_each_failure_of_a_pair_doubles_its_wait(app, client_en, make):
    user = make.user()
    for _ in range(5):  # free
        assert attempt(client_en, user.email, "203.0.113.9").status_code == 200
    waits = []
    for _ in range(4):
        response = attempt(client_en, user.email, "203.0.113.9")
        assert response.status_code == 429
        waits.append(int(response.headers["Retry-After"]))
        time_passes(app, waits[-1])
        assert attempt(client_en, user.email, "203.0.113.9").status_code == 200
    assert waits == [1, 2, 4, 8]
    # Another address is its own pair: the account's owner logs in at once.
    elsewhere = AuthActions(client_en).login(user, environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert elsewhere.status_code == 302
    assert [e.detail["wait_seconds"] for e in audit(app, "login_limited")] == waits


def test_a_success_starts_the_pair_afresh(app, client_en, make):
    user = make.user()
    for _ in range(4):
        attempt(client_en, user.email, "203.0.113.9")
    assert (
        AuthActions(client_en).login(user, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code
        == 302
    )
    client_en.post("/logout")
    for _ in range(5):
        assert attempt(client_en, user.email, "203.0.113.9").status_code == 200


def test_reaching_the_ceiling_writes_one_alert(app, client_en, make, caplog):
    user = make.user()
    with caplog.at_level(logging.WARNING):
        for number in range(20):
            assert attempt(client_en, user.email, f"203.0.113.{number}").status_code == 200
        attempt(client_en, user.email, "203.0.113.99")  # past the ceiling: waits, no second alert
    [alert] = audit(app, "login_alert")
    assert (alert.email, alert.detail["failures"], alert.detail["addresses"]) == (
        user.email,
        20,
        20,
    )
    assert sum("ALERT: 20 failed log-ins for one account" in r.message for r in caplog.records) == 1
    admin = make.user(role="admin")
    AuthActions(client_en).login(admin, environ_base={"REMOTE_ADDR": "192.0.2.1"})
    page = client_en.get("/admin/audit?kind=login_alert").get_data(as_text=True)
    assert "Alert: many failed log-ins for one account" in page


def test_one_address_trying_many_accounts_meets_its_own_limit(app_config, ratelimit_store):
    app = create_app(
        {
            **app_config,
            **ratelimit_store,
            "RATELIMIT_ENABLED": True,
            "LOGIN_LIMIT_PER_ADDRESS": "3/minute",
        }
    )
    with app.app_context():
        db.create_all()
    client = english(app.test_client())
    try:
        for number in range(3):
            assert (
                attempt(client, f"person{number}@contoh.example", "203.0.113.5").status_code == 200
            )
        limited = attempt(client, "person9@contoh.example", "203.0.113.5")
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) > 0
        assert attempt(client, "person9@contoh.example", "198.51.100.8").status_code == 200
    finally:
        drop_test_tables(app)
