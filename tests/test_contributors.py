"""Contributors' public names: the rules for a display name, its default in both languages,
and the account page where its owner changes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask_babel import refresh
from sqlalchemy import select

from tests.auth_helpers import AuthActions, english, in_app
from tests.factories import Factory
from transparency.contributors import (
    DisplayNameRefused,
    display_name_problem,
    public_name,
    set_display_name,
)
from transparency.extensions import db
from transparency.models import AuditEvent, User


@contextmanager
def speaking(app: Flask, lang: str) -> Iterator[None]:
    """A request in this language (the `make` fixture's app context keeps the last one)."""
    with app.test_request_context(f"/?lang={lang}"):
        refresh()
        yield


LENGTH = "A public name has 3 to 40 characters."
CHARACTERS = (
    "Use letters, and if you like digits, spaces and - _ . ' ( ), with at least one letter."
)
RESERVED = "This name is kept for the site's own use. Choose another."
TAKEN = "Another volunteer already uses this public name."


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Pelita Desa", None),
        ("Ni Luh Putu Ayu (Bali)", None),
        ("Sri_Wahyuni-2", None),
        ("D'Arcy O’Neil", None),
        ("ani@contoh.example", "A public name cannot look like an e-mail address."),
        ("ani @ contoh", "A public name cannot look like an e-mail address."),
        ("Al", LENGTH),
        ("A" * 41, LENGTH),
        ("1234", CHARACTERS),
        ("<b>Pelita</b>", CHARACTERS),
        ("www.contoh.example/saya", CHARACTERS),
        ("Relawan #12", CHARACTERS),
        ("Relawan 12", RESERVED),
        ("VOLUNTEER-7", RESERVED),
        ("Impor daftar calon resmi", RESERVED),
        ("official  LIST import", RESERVED),
    ],
)
def test_what_a_public_name_may_be(app: Flask, name: str, problem: str | None) -> None:
    with speaking(app, "en"):
        assert display_name_problem(name) == problem


def test_the_default_name_speaks_the_visitors_language(app: Flask, make: Factory) -> None:
    user = make.user()
    with speaking(app, "id"):
        assert public_name(user) == f"Relawan #{user.id}"
    with speaking(app, "en"):
        assert public_name(user) == f"Volunteer #{user.id}"
        set_display_name(db.session, user, "Pelita Desa")
        assert public_name(user) == "Pelita Desa"


def test_two_accounts_cannot_take_names_that_look_alike(app: Flask, make: Factory) -> None:
    first, second = make.user(), make.user()
    with speaking(app, "en"):
        set_display_name(db.session, first, "Pelita  Desa")
        assert first.display_name == "Pelita Desa"
        for lookalike in ("pelita desa", "PELITA DESA", "Ｐｅｌｉｔａ Ｄｅｓａ"):
            with pytest.raises(DisplayNameRefused, match=TAKEN):
                set_display_name(db.session, second, lookalike)
        assert second.display_name is None
        set_display_name(db.session, first, "pelita desa")  # its own name, in other letters
        assert first.display_name == "pelita desa"


def test_a_name_taken_a_moment_ago_is_refused_by_the_unique_key(
    app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests checking at once both find the name free: the second's flush meets the
    unique key, inside a savepoint, and says so instead of failing the request."""
    first, second = make.user(), make.user()
    with speaking(app, "en"):
        set_display_name(db.session, first, "Pelita Desa")
        monkeypatch.setattr("transparency.contributors.display_name_taken", lambda *_a: False)
        with pytest.raises(DisplayNameRefused, match=TAKEN):
            set_display_name(db.session, second, "PELITA DESA")
    make.session.commit()
    names = make.session.execute(
        select(User.id, User.display_name).where(User.id.in_((first.id, second.id)))
    ).all()
    assert sorted(names) == [(first.id, "Pelita Desa"), (second.id, None)]


def test_the_owner_changes_the_public_name_on_the_account_page(app: Flask, make: Factory) -> None:
    with speaking(app, "en"):
        set_display_name(db.session, make.user(), "Pelita Desa")
    make.session.commit()
    user = make.user()
    client = english(app.test_client())
    assert AuthActions(client).login(user).status_code == 302
    page = client.get("/account/name").get_data(as_text=True)
    assert f"Volunteer #{user.id}" in page
    assert "Public: shown beside every change you propose or approve" in page

    taken = client.post("/account/name", data={"display_name": "PELITA desa"})
    assert taken.status_code == 200 and TAKEN in taken.get_data(as_text=True)
    bad = client.post("/account/name", data={"display_name": "saya@contoh.example"})
    assert "cannot look like an e-mail address" in bad.get_data(as_text=True)

    done = client.post("/account/name", data={"display_name": "  Mata   Elang "})
    assert done.status_code == 302
    back = client.post("/account/name", data={"display_name": ""})
    assert back.status_code == 302
    with in_app(app):
        stored = db.session.get(User, user.id)
        assert (stored.display_name, stored.display_key) == (
            f"Relawan #{user.id}",
            f"relawan #{user.id}",
        )
        changes = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.kind == "display_name_changed")
        ).all()
    assert changes == [
        {"before": None, "after": "Mata Elang"},
        {"before": "Mata Elang", "after": f"Relawan #{user.id}"},
    ]


def test_the_account_page_needs_a_log_in(client) -> None:
    response = client.get("/account/name")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
