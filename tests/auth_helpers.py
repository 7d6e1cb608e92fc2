"""Log in and out through the real forms, for any test: `auth.login(user)`."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext

import pyotp
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import update
from werkzeug.test import TestResponse

from transparency.extensions import db
from transparency.models import User

DEFAULT_PASSWORD = "purple-harbour-lantern-1987"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the factory's admins' second factor
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def english(client: FlaskClient) -> FlaskClient:
    """Pages in English, so tests can read the messages in the msgid language."""
    client.set_cookie("lang", "en")
    return client


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(
        self,
        user_or_email: object,
        password: str = DEFAULT_PASSWORD,
        data_extra: dict[str, str] | None = None,
        **kwargs: object,
    ) -> TestResponse:
        """`data_extra` adds fields, e.g. a csrf_token on an app with CSRF enabled."""
        email = getattr(user_or_email, "email", user_or_email)
        data = {"email": email, "password": password, **(data_extra or {})}
        token = CSRF_FIELD.search(self.client.get("/login").get_data(as_text=True))
        if token:  # apps that check CSRF get the form's own token, as a browser would send it
            data["csrf_token"] = token.group(1)
        response = self.client.post("/login", data=data, **kwargs)
        if response.status_code == 302 and response.headers["Location"] == "/login/code":
            response = self.second_factor(str(email), **kwargs)
        return response

    def second_factor(
        self, email: str, secret: str = TOTP_SECRET, **kwargs: object
    ) -> TestResponse:
        """The code step, with the code an app would show now. Tests log one admin in many
        times within one 30-second step, so the step last used is forgotten first."""
        with in_app(self.client.application):
            db.session.execute(
                update(User).where(User.email == email.lower()).values(totp_last_step=None)
            )
            db.session.commit()
        data = {"code": pyotp.TOTP(secret).now()}
        token = CSRF_FIELD.search(self.client.get("/login/code").get_data(as_text=True))
        if token:
            data["csrf_token"] = token.group(1)
        return self.client.post("/login/code", data=data, **kwargs)

    def logout(self) -> TestResponse:
        return self.client.post("/logout")


def in_app(app: Flask) -> AbstractContextManager[object]:
    """The current app context when one is pushed (the `make` fixture's, which the client's
    requests share), else a new one: a second session on SQLite would wait for the lock a
    refused request left open in the shared one."""
    if has_app_context():
        db.session.rollback()
        return nullcontext()
    return app.app_context()


def source_fields(
    url: str = "https://kpu.example/dct/siti-rahayu",
    title: str = "Daftar calon tetap",
    accessed_on: str = "2024-01-10",
) -> dict[str, str]:
    """The first source of a contribution form."""
    return {"sources-0-url": url, "sources-0-title": title, "sources-0-accessed_on": accessed_on}
