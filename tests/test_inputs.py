"""Strict input (issue #15, findings 1 and 10): one integer parser for URLs, queries and forms,
no control characters in text, UTF-8 query strings, 405 with Allow, JSON 404s on the machine
surface, and no server version in the answers."""

from __future__ import annotations

import threading
from urllib.request import urlopen

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.auth_helpers import AuthActions, english, in_app, source_fields
from transparency.extensions import db
from transparency.inputs import parse_int
from transparency.models import Submission, User

HUGE = str(2**63)  # one past the largest id either database stores
LISTS = [
    "/candidates",
    "/flagged",
    "/candidates/{id}/history",
    "/api/v1/candidates",
    "/api/v1/districts",
    "/api/v1/parties",
    "/api/v1/statistics",
    "/api/v1/search?q=air",
    "/export/candidates.csv",
    "/export/candidates.json",
    "/export/candidates.xlsx",
    "/export/popolo.json",
    "/export/changes.csv",
    "/feeds/flagged.atom",
]
# Superscript two, circled one, Arabic-Indic one, full-width one: str.isdigit() takes the
# first two and int() the last two; none is a page number.
NOT_ASCII_DIGITS = ["%C2%B2", "%E2%91%A0", "%D9%A1", "%EF%BC%91"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(2**63 - 1), 2**63 - 1),
        ("0", None),
        (HUGE, None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1_000", None),
        ("²", None),
        ("١", None),
        ("１", None),
        ("", None),
        ("9" * 400, None),
    ],
)
def test_the_integer_parser_takes_ascii_digits_in_range(raw, expected):
    assert parse_int(raw) == expected


@pytest.fixture
def candidacy_id(make):
    return make.candidacy().id


@pytest.mark.parametrize("path", LISTS)
def test_unicode_digits_in_page_are_a_400_never_a_500(client, candidacy_id, path):
    url = path.format(id=candidacy_id)
    for digit in NOT_ASCII_DIGITS:
        response = client.get(url + ("&" if "?" in url else "?") + f"page={digit}")
        assert response.status_code == 400, (url, digit)
        if url.startswith(("/api/", "/export/")):
            assert response.get_json()["error"]["code"] == 400


def test_unicode_digits_in_per_page_are_a_400(client):
    for digit in NOT_ASCII_DIGITS:
        response = client.get(f"/api/v1/candidates?per_page={digit}")
        assert response.status_code == 400
        assert "per_page" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/candidates/{n}",
        "/candidates/{n}/history",
        "/api/v1/candidates/{n}",
        "/parties/{n}",
        "/compare/district/{n}",
    ],
)
def test_ids_that_name_no_row_are_a_404(client, candidacy_id, path):
    for number in (HUGE, str(2**63 - 1), str(2**31), "0", "%D9%A1", "9" * 23):
        response = client.get(path.format(n=number))
        assert response.status_code == 404, number
        if path.startswith("/api/"):
            assert response.get_json()["error"]["code"] == 404


def test_posted_ids_out_of_range_are_a_404(client, auth, make):
    assert client.post(f"/compare/add/{HUGE}").status_code == 404
    assert client.post(f"/compare/add/{2**31}").status_code == 404
    auth.login(make.user(role="admin"))
    assert client.post(f"/admin/users/{HUGE}").status_code == 404
    assert client.get(f"/review/submissions/{HUGE}").status_code == 404
    assert client.get(f"/contribute/submissions/{HUGE}").status_code == 404


def test_the_candidacy_picker_reads_only_ascii_numbers(client, auth, make):
    make.candidacy()  # candidacy 1 exists: "١" must not open it
    english(client)
    auth.login(make.user())
    for picked in ("%C2%B2", "%D9%A1", HUGE, str(2**31)):
        response = client.get(f"/contribute/?candidacy={picked}")
        assert response.status_code == 200
        assert "No candidacy with this number." in response.get_data(as_text=True)


def test_compare_reads_only_ascii_numbers(client, make):
    first, second = make.candidacy("Ani"), make.candidacy("Budi")
    response = client.get(f"/compare?ids=%D9%A1,{second.id}")
    assert response.status_code == 400
    assert client.get(f"/compare?ids={first.id},{second.id}").status_code == 200


NUMBER_INPUTS = [
    ("ballot_number", "١"),
    ("ballot_number", "²"),
    ("party_number", "٣"),
    ("ballot_number", "+3"),
    ("election", "١"),
]


def test_number_fields_of_forms_read_only_ascii_digits(app, client, auth, make):
    english(client)
    auth.login(make.user())
    for field, value in NUMBER_INPUTS:
        data = {
            "full_name": "Citra Dewi",
            "election": "1",
            "office": "1",
            "district_code": "3304",
            "party_number": "1",
            "ballot_number": "3",
            **source_fields(),
            field: value,
        }
        response = client.post("/contribute/new-candidacy", data=data)
        assert response.status_code == 200, (field, value)
        page = response.get_data(as_text=True)
        assert f'id="{field}-errors"' in page, field  # the error stands by the field
        if field != "election":
            assert "Not a valid integer value." in page
    with in_app(app):
        assert db.session.scalar(select(func.count(Submission.id))) == 0


CONTROL = ["\x00", "\x1b", "\x7f", "\u0085", "\x0b"]  # NUL, ESC, DEL, NEL, VT


def test_control_characters_in_log_in_and_registration_are_form_errors(app, client):
    english(client)
    for char in CONTROL:
        login = client.post(
            "/login", data={"email": f"ani{char}@contoh.example", "password": "x" * 12}
        )
        assert login.status_code == 200
        assert "Remove the control characters" in login.get_data(as_text=True)
        data = {
            "name": f"Ani{char}Wijaya",
            "email": "ani@contoh.example",
            "password": "violet tambourine under the bridge",
            "confirm": "violet tambourine under the bridge",
        }
        registered = client.post("/register", data=data)
        assert registered.status_code == 200
        assert "Remove the control characters" in registered.get_data(as_text=True)
    with in_app(app):
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_a_submission_holding_nul_is_refused_and_line_breaks_are_kept(app, client, auth, make):
    candidacy = make.candidacy()
    english(client)
    auth.login(make.user())
    url = f"/contribute/candidacies/{candidacy.id}/profile"
    refused = client.post(url, data={"biography": "Lahir\x00di Solo", **source_fields()})
    assert refused.status_code == 200
    assert "Remove the control characters" in refused.get_data(as_text=True)
    with in_app(app):
        assert db.session.scalar(select(func.count(Submission.id))) == 0
    kept = client.post(url, data={"biography": "Lahir di Solo.\r\n\tGuru.", **source_fields()})
    assert kept.status_code == 302
    with in_app(app):
        [submission] = db.session.scalars(select(Submission))
        assert submission.payload["biography"] == "Lahir di Solo.\r\n\tGuru."


def test_control_characters_in_a_query_are_a_400(client):
    for path in ("/find?q=%00", "/candidates?q=a%00b", "/compare/district/1?q=%1b", "/?x%00=1"):
        assert client.get(path).status_code == 400, path
    for path in ("/api/v1/search?q=%00", "/api/v1/candidates?q=%07", "/export/x.csv?p=%00"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert response.get_json()["error"]["code"] == 400


def test_a_query_that_is_not_utf8_is_a_400(client):
    for path in ("/candidates?q=%FF%FE", "/find?q=caf%E9", "/?lang=%C3"):
        assert client.get(path).status_code == 400, path
    response = client.get("/api/v1/search?q=%FF")
    assert response.status_code == 400
    assert "UTF-8" in response.get_json()["error"]["message"]


def test_raw_bytes_in_the_query_are_a_400_not_a_search(client):
    response = client.get("/candidates", environ_overrides={"QUERY_STRING": "q=\xff\xfe"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/candidates", {"GET", "HEAD", "OPTIONS"}),
        ("DELETE", "/api/v1/candidates", {"GET", "HEAD", "OPTIONS"}),
        ("PUT", "/export/candidates.csv", {"GET", "HEAD", "OPTIONS"}),
        ("PATCH", "/login", {"GET", "HEAD", "OPTIONS", "POST"}),
    ],
)
def test_405_says_which_methods_are_allowed(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed
    if path.startswith(("/api/", "/export/")):
        assert response.get_json()["error"]["code"] == 405


@pytest.mark.parametrize(
    "path", ["/export/nope.csv", "/export/", "/export", "/api/v1/nope", "/api/v2/x", "/api"]
)
def test_unknown_paths_of_the_machine_surface_are_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == 404


def test_an_unknown_page_is_still_an_html_404(client):
    response = client.get("/nope")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_the_development_server_names_no_versions(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urlopen(f"http://127.0.0.1:{server.server_port}/healthz", timeout=10) as answer:
            header = answer.headers["Server"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert "Werkzeug" not in header and "Python" not in header


def test_a_volunteer_logs_in_with_a_tab_in_next_and_lands_on_the_site(client, make):
    user = make.user()
    response = AuthActions(client).login(user, data_extra={"next": "/\t/evil.example"})
    assert response.headers["Location"] == "/contribute/"


def test_every_form_of_the_app_refuses_control_characters(app):
    """Each form derives from StrictForm; a new one that does not is named here."""
    from flask_wtf import FlaskForm

    from transparency.inputs import StrictForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    loose = sorted(
        f"{form.__module__}.{form.__name__}"
        for form in subclasses(FlaskForm)
        if form.__module__.startswith("transparency") and not issubclass(form, StrictForm)
    )
    assert loose == []
