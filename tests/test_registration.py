"""Registration (issue #15, finding 4): limited per address and for the whole site (429 with
Retry-After), the same answer in the same time whether the address has an account or not,
and e-mail verification when MAIL_* is set, checked against a real SMTP server on loopback."""

from __future__ import annotations

import email
import hashlib
import logging
import re
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.auth_helpers import AuthActions, english, in_app
from tests.conftest import drop_test_tables
from transparency import create_app
from transparency.extensions import db
from transparency.models import PendingRegistration, User

GOOD_PASSWORD = "violet tambourine under the bridge"
MAIL_WAIT_SECONDS = 10


def form(email_address: str = "ani@contoh.example", **fields: str) -> dict[str, str]:
    # A public name of its own per address: public names are unique.
    return {
        "name": f"Ani Wijaya {email_address.split('@')[0]}",
        "email": email_address,
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        **fields,
    }


def register(client, email_address="ani@contoh.example", address="203.0.113.1"):
    return client.post("/register", data=form(email_address), environ_base={"REMOTE_ADDR": address})


class Sink:
    """Keeps what the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.arrived:
            self.messages.append(message)  # type: ignore[arg-type]
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int) -> list[email.message.EmailMessage]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, MAIL_WAIT_SECONDS)
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture
def app_with(app_config: dict[str, Any]) -> Iterator[Any]:
    """`app_with(**settings)`: another app on the test database, with these settings."""
    made = []

    def build(**settings: Any) -> Any:
        app = create_app({**app_config, **settings})
        with app.app_context():
            db.create_all()
        made.append(app)
        return app

    yield build
    for app in made:
        drop_test_tables(app)


def mail_settings(port: int) -> dict[str, Any]:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_DEFAULT_SENDER": "relawan@jejak.example",
        "PUBLIC_URL": "https://jejak.example",
    }


def accounts(app) -> list[str]:
    with in_app(app):
        return sorted(db.session.scalars(select(User.email)))


def test_one_address_may_register_only_a_few_times(app_with, ratelimit_store):
    app = app_with(
        **ratelimit_store, RATELIMIT_ENABLED=True, REGISTER_LIMIT_PER_ADDRESS="3 per hour"
    )
    client = english(app.test_client())
    for number in range(3):
        assert register(client, f"orang{number}@contoh.example").status_code == 302
    refused = register(client, "orang9@contoh.example")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many requests" in refused.get_data(as_text=True)
    assert register(client, "orang9@contoh.example", address="198.51.100.2").status_code == 302
    assert len(accounts(app)) == 4


def test_the_whole_site_registers_only_so_many_an_hour(app_with, ratelimit_store):
    app = app_with(**ratelimit_store, RATELIMIT_ENABLED=True, REGISTER_LIMIT_GLOBAL="4 per hour")
    client = english(app.test_client())
    for number in range(4):
        response = register(client, f"orang{number}@contoh.example", f"203.0.113.{number}")
        assert response.status_code == 302
    flood = register(client, "orang8@contoh.example", "198.51.100.8")
    assert flood.status_code == 429
    assert int(flood.headers["Retry-After"]) > 0
    assert client.get("/register").status_code == 200  # the form itself stays open
    assert len(accounts(app)) == 4


def test_one_address_refused_by_its_limit_does_not_use_up_the_sites(app_with, ratelimit_store):
    # Posts refused for their address counted towards the site's limit: one address alone
    # could close registration for everyone for an hour.
    app = app_with(
        **ratelimit_store,
        RATELIMIT_ENABLED=True,
        REGISTER_LIMIT_PER_ADDRESS="2 per hour",
        REGISTER_LIMIT_GLOBAL="4 per hour",
    )
    client = english(app.test_client())
    flood = "203.0.113.77"  # an address of its own: the other tests' counts never meet it
    statuses = [register(client, f"banjir{n}@contoh.example", flood).status_code for n in range(10)]
    assert statuses == [302, 302] + [429] * 8
    for number in range(2):
        response = register(client, f"lain{number}@contoh.example", f"198.51.100.7{number}")
        assert response.status_code == 302, number
    assert register(client, "terakhir@contoh.example", "192.0.2.79").status_code == 429
    assert len(accounts(app)) == 4


def test_known_and_new_addresses_take_the_same_time(app_with, make):
    # A hash that costs as much as a page (production's costs more): it is what would tell a
    # new address from a known one.
    app = app_with(ARGON2_MEMORY_COST=32768, ARGON2_TIME_COST=3)
    with in_app(app):
        db.session.add(
            User(email="ada@contoh.example", name="Ada", password_hash="x", role="volunteer")
        )
        db.session.commit()
    client = english(app.test_client())
    register(client, "pemanasan@contoh.example")  # first-request set-up outside the timing
    known, new = [], []
    for number in range(3):
        started = time.perf_counter()
        register(client, "ada@contoh.example")
        known.append(time.perf_counter() - started)
        started = time.perf_counter()
        register(client, f"baru{number}@contoh.example")
        new.append(time.perf_counter() - started)
    # On the code before issue #15 the known address answered 25 times sooner.
    assert statistics.median(known) > 0.5 * statistics.median(new), (known, new)


def test_with_mail_the_account_waits_for_the_link(app_with, smtp):
    sink, port = smtp
    app = app_with(**mail_settings(port))
    client = english(app.test_client())
    page = register(client).get_data(as_text=True)
    assert "If this address can be registered, we have sent a link to it." in page
    assert accounts(app) == []
    [message] = sink.wait_for(1)
    assert message["To"] == "ani@contoh.example"
    assert message["From"] == "relawan@jejak.example"
    link = re.search(r"https://jejak\.example(/register/confirm/\S+)", message.get_content())
    assert link, message.get_content()
    token = link.group(1).rsplit("/", 1)[1]
    with in_app(app):
        [pending] = db.session.scalars(select(PendingRegistration))
        assert pending.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert AuthActions(client).login("ani@contoh.example", GOOD_PASSWORD).status_code == 200
    confirm_page = client.get(link.group(1))
    assert "Create the volunteer account for ani@contoh.example?" in confirm_page.get_data(
        as_text=True
    )
    assert accounts(app) == []  # a mail scanner opening the link creates nothing
    done = client.post(link.group(1))
    assert done.status_code == 302 and done.headers["Location"] == "/contribute/"
    assert client.get("/contribute/").status_code == 200
    assert accounts(app) == ["ani@contoh.example"]
    again = client.get(link.group(1))
    assert again.status_code == 404
    assert "not valid, or it has expired" in again.get_data(as_text=True)


def test_with_mail_a_taken_address_gets_the_same_page_and_a_note(app_with, smtp):
    sink, port = smtp
    app = app_with(**mail_settings(port))
    with in_app(app):
        db.session.add(
            User(email="ani@contoh.example", name="Ani", password_hash="x", role="volunteer")
        )
        db.session.commit()
    client = english(app.test_client())
    taken = register(client, "ani@contoh.example")
    fresh = register(client, "budi@contoh.example")
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert taken.status_code == fresh.status_code == 200
    assert strip.sub("", taken.get_data(as_text=True)) == strip.sub(
        "", fresh.get_data(as_text=True)
    )
    messages = {m["To"]: m.get_content() for m in sink.wait_for(2)}
    assert "already has an account" in messages["ani@contoh.example"]
    assert "/register/confirm/" not in messages["ani@contoh.example"]
    assert "/register/confirm/" in messages["budi@contoh.example"]
    with in_app(app):
        assert list(db.session.scalars(select(PendingRegistration.email))) == [
            "budi@contoh.example"
        ]


def test_in_debug_the_link_is_also_in_the_log(app_with, smtp, caplog):
    sink, port = smtp
    app = app_with(DEBUG=True, **mail_settings(port))
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        register(english(app.test_client()))
    [line] = [r.getMessage() for r in caplog.records if "Registration link for" in r.getMessage()]
    assert "ani@contoh.example: https://jejak.example/register/confirm/" in line
    sink.wait_for(1)


def test_a_made_up_or_expired_link_creates_nothing(app_with, smtp, make):
    _sink, port = smtp
    app = app_with(**mail_settings(port))
    client = english(app.test_client())
    assert client.get("/register/confirm/" + "A" * 43).status_code == 404
    assert client.post("/register/confirm/" + "A" * 43).status_code == 404
    assert client.get("/register/confirm/%00" + "A" * 40).status_code in (400, 404)
    register(client)
    with in_app(app):
        for row in db.session.scalars(select(PendingRegistration)):
            row.expires_at = row.created_at
        db.session.commit()
    [message] = _sink.wait_for(1)
    path = re.search(r"https://jejak\.example(/register/confirm/\S+)", message.get_content())
    assert client.post(path.group(1)).status_code == 404
    assert accounts(app) == []


# -- the public name chosen at registration --------------------------------------------------


def public_names(app) -> dict[str, tuple[int, str | None]]:
    with in_app(app):
        return {
            row.email: (row.id, row.display_name)
            for row in db.session.execute(select(User.email, User.id, User.display_name))
        }


def test_the_form_says_beside_the_name_that_it_is_public(client):
    indonesian = client.get("/register?lang=id").get_data(as_text=True)
    assert "Nama publik" in indonesian
    assert "Publik: ditampilkan di samping setiap perubahan" in indonesian
    assert 'aria-describedby="name-hint' in indonesian
    english_page = client.get("/register?lang=en").get_data(as_text=True)
    assert "Public: shown beside every change you propose or approve" in english_page


def test_a_chosen_public_name_or_else_the_default(app, client):
    assert register(client, "ani@contoh.example").status_code == 302
    assert client.post("/register", data=form("budi@contoh.example", name="")).status_code == 302
    names = public_names(app)
    assert names["ani@contoh.example"][1] == "Ani Wijaya ani"
    budi = names["budi@contoh.example"][0]
    assert names["budi@contoh.example"] == (budi, f"Relawan #{budi}")
    profile_free = english(app.test_client())
    assert AuthActions(profile_free).login("budi@contoh.example", GOOD_PASSWORD).status_code == 302
    assert f"Volunteer #{budi}" in profile_free.get("/account/name").get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ANI   wijaya", "Another volunteer already uses this public name."),
        ("ani@contoh.example", "A public name cannot look like an e-mail address."),
        ("Relawan 3", "This name is kept for the site&#39;s own use. Choose another."),
        ("Al", "A public name has 3 to 40 characters."),
    ],
    ids=["taken", "e-mail", "a default's form", "short"],
)
def test_a_taken_or_invalid_public_name_is_a_form_error_and_nothing_is_made(
    app, client, make, name, message
):
    earlier = make.user("lama@contoh.example")
    earlier.display_name, earlier.display_key = "Ani Wijaya", "ani wijaya"
    make.session.commit()
    response = english(client).post("/register", data=form("baru@contoh.example", name=name))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert "baru@contoh.example" not in public_names(app)


def test_with_mail_a_name_taken_before_the_link_is_followed_gives_the_default(app_with, smtp):
    sink, port = smtp
    app = app_with(**mail_settings(port))
    client = english(app.test_client())
    register(client)
    [message] = sink.wait_for(1)
    link = re.search(r"https://jejak\.example(/register/confirm/\S+)", message.get_content())
    with in_app(app):
        db.session.add(
            User(
                email="lain@contoh.example",
                name="Lain",
                display_name="Ani Wijaya ani",
                display_key="ani wijaya ani",
                password_hash="x",
                role="volunteer",
            )
        )
        db.session.commit()
    assert client.post(link.group(1)).status_code == 302
    ident, shown = public_names(app)["ani@contoh.example"]
    assert shown == f"Relawan #{ident}"
