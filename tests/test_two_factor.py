"""The second factor (issue #15, finding 9): required for admins, offered to reviewers, codes
accepted once, recovery codes stored hashed, guesses throttled, pages in both languages."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from tests.auth_helpers import DEFAULT_PASSWORD, TOTP_SECRET, AuthActions, english, in_app
from transparency.extensions import db
from transparency.models import AuditEvent, LoginAttempt, RecoveryCode, User


@pytest.fixture(autouse=True)
def english_pages(client):
    english(client)


def password_step(client, user, password=DEFAULT_PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def code_step(client, code):
    return client.post("/login/code", data={"code": code})


def setup_secret(page: str) -> str:
    return re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")


def stored(app, user) -> User:
    with in_app(app):
        return db.session.get(User, user.id)


def test_an_admin_must_set_up_a_second_factor_before_anything_else(app, client, make):
    admin = make.user(role="admin", two_factor=False)
    assert password_step(client, admin).status_code == 302
    for path in ("/admin/users", "/review/", "/contribute/", "/admin/import/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Your role requires a second factor" in page
    assert client.get("/").status_code == 200  # public pages stay open


def test_setting_up_needs_the_password_and_a_right_code_and_shows_recovery_codes(app, client, make):
    admin = make.user(role="admin", two_factor=False)
    password_step(client, admin)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = setup_secret(page)
    assert setup_secret(client.get("/account/two-factor").get_data(as_text=True)) == secret
    code = pyotp.TOTP(secret).now()
    wrong_password = client.post(
        "/account/two-factor", data={"password": "not mine at all", "code": code}
    )
    assert "Your password is not correct." in wrong_password.get_data(as_text=True)
    wrong_code = client.post(
        "/account/two-factor", data={"password": DEFAULT_PASSWORD, "code": "000000"}
    )
    assert "This code is not right" in wrong_code.get_data(as_text=True)
    assert stored(app, admin).totp_secret is None
    done = client.post("/account/two-factor", data={"password": DEFAULT_PASSWORD, "code": code})
    codes = re.findall(r"<li><code>([a-z2-9-]{19})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert stored(app, admin).totp_secret == secret
    with in_app(app):
        hashes = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert hashes == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    assert client.get("/admin/users").status_code == 200
    with in_app(app):
        assert db.session.scalars(
            select(AuditEvent.kind).filter_by(kind="two_factor_enabled")
        ).one()


def test_log_in_asks_for_the_code_and_takes_each_code_once(app, client, make):
    admin = make.user(role="admin")
    response = password_step(client, admin)
    assert response.headers["Location"] == "/login/code"
    assert client.get("/admin/users").status_code == 302  # not logged in yet
    assert "This code is not right" in code_step(client, "123456").get_data(as_text=True)
    code = pyotp.TOTP(TOTP_SECRET).now()
    assert code_step(client, code).status_code == 302
    assert client.get("/admin/users").status_code == 200
    client.post("/logout")
    password_step(client, admin)
    replay = code_step(client, code)
    assert replay.status_code == 200
    assert "used already" in replay.get_data(as_text=True)
    assert code_step(client, pyotp.TOTP(TOTP_SECRET).at(time.time() + 30)).status_code == 302


def test_a_wrong_password_never_reaches_the_code_step(app, client, make):
    admin = make.user(role="admin")
    response = password_step(client, admin, "not the password, no")
    assert response.status_code == 200
    assert client.get("/login/code").headers["Location"] == "/login"


def test_a_recovery_code_logs_in_once(app, client, make):
    admin = make.user(role="admin", two_factor=False)
    password_step(client, admin)
    secret = setup_secret(client.get("/account/two-factor").get_data(as_text=True))
    done = client.post(
        "/account/two-factor",
        data={"password": DEFAULT_PASSWORD, "code": pyotp.TOTP(secret).now()},
    )
    first = re.findall(r"<li><code>([a-z2-9-]{19})</code></li>", done.get_data(as_text=True))[0]
    client.post("/logout")
    password_step(client, admin)
    assert code_step(client, first.upper().replace("-", " ")).status_code == 302
    client.post("/logout")
    password_step(client, admin)
    assert "used already" in code_step(client, first).get_data(as_text=True)
    with in_app(app):
        used = db.session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None)))
        assert len(list(used)) == 1


def test_code_guesses_are_throttled_and_a_known_password_does_not_reset_them(app, client, make):
    admin = make.user(role="admin")
    password_step(client, admin)
    for guess in range(5):
        assert code_step(client, f"{guess:06d}").status_code == 200
    limited = code_step(client, "000009")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) == 1
    password_step(client, admin)  # right password again
    assert code_step(client, pyotp.TOTP(TOTP_SECRET).now()).status_code == 429
    with in_app(app):
        for row in db.session.scalars(select(LoginAttempt)):
            row.created_at -= timedelta(seconds=2)
        db.session.commit()
    assert code_step(client, pyotp.TOTP(TOTP_SECRET).now()).status_code == 302


def test_reviewers_are_offered_it_and_may_turn_it_off_volunteers_are_not(app, client, make):
    reviewer = make.user(role="reviewer")
    AuthActions(client).login(reviewer)
    assert "Protect your account with a second factor" in client.get("/contribute/").get_data(
        as_text=True
    )
    assert client.get("/review/").status_code == 200  # offered, not required
    secret = setup_secret(client.get("/account/two-factor").get_data(as_text=True))
    client.post(
        "/account/two-factor", data={"password": DEFAULT_PASSWORD, "code": pyotp.TOTP(secret).now()}
    )
    assert stored(app, reviewer).has_two_factor
    off = client.post(
        "/account/two-factor/off",
        data={"password": DEFAULT_PASSWORD, "code": pyotp.TOTP(secret).at(time.time() + 30)},
    )
    assert off.status_code == 302
    assert not stored(app, reviewer).has_two_factor
    with in_app(app):
        assert db.session.scalar(select(RecoveryCode.id)) is None
    client.post("/logout")
    volunteer = make.user()
    AuthActions(client).login(volunteer)
    assert client.get("/account/two-factor").status_code == 403


def test_an_admin_cannot_turn_it_off(app, client, make, auth):
    admin = make.user(role="admin")
    auth.login(admin)
    response = client.post(
        "/account/two-factor/off",
        data={"password": DEFAULT_PASSWORD, "code": pyotp.TOTP(TOTP_SECRET).at(time.time() + 30)},
        follow_redirects=True,
    )
    assert "Your role requires the second factor, so it stays on." in response.get_data(
        as_text=True
    )
    assert stored(app, admin).has_two_factor


@pytest.mark.parametrize(
    ("lang", "heading", "required"),
    [
        ("id", "Siapkan faktor kedua", "Peran Anda mewajibkan faktor kedua"),
        ("en", "Set up a second factor", "Your role requires a second factor"),
    ],
)
def test_set_up_and_code_pages_in_both_languages(app, client, make, lang, heading, required):
    client.set_cookie("lang", lang)
    admin = make.user(role="admin", two_factor=False)
    password_step(client, admin)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert heading in page and required in page
    with in_app(app):
        user = db.session.get(User, admin.id)
        user.totp_secret, user.totp_enabled_at = TOTP_SECRET, user.created_at
        db.session.commit()
    client.post("/logout")
    password_step(client, admin)
    code_page = client.get("/login/code").get_data(as_text=True)
    assert ("Kode" if lang == "id" else "Code") in code_page


def test_an_operator_resets_a_lost_second_factor(app, runner, make):
    admin = make.user("admin@contoh.example", role="admin")
    result = runner.invoke(args=["users", "reset-two-factor", "admin@contoh.example"])
    assert result.exit_code == 0, result.output
    assert not stored(app, admin).has_two_factor
    again = runner.invoke(args=["users", "reset-two-factor", "admin@contoh.example"])
    assert again.exit_code != 0 and "has no second factor" in again.output
    with in_app(app):
        assert db.session.scalars(select(AuditEvent.kind).filter_by(kind="two_factor_reset")).one()
