"""Disclosure requests: recording one or in bulk marks the not-yet-disclosed required items
requested (with revisions), bad input writes nothing, the staff list filters by status."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.auth_helpers import AuthActions, english, in_app
from transparency.extensions import db
from transparency.models import Party
from transparency.models.base import utcnow

SOURCE = "https://contoh.example/surat/permintaan-2024-01"


def reviewer_client(app, make):
    client = english(app.test_client())
    user = make.user(role="reviewer")
    assert AuthActions(client).login(user).status_code == 302
    return client, user


def request_data(**fields) -> dict:
    return {
        "scope": "candidacy",
        "sent_on": "2024-01-03",
        "channel": "letter",
        "addressee": "Penghubung Partai Contoh",
        "source_url": SOURCE,
        "source_title": "Surat permintaan keterbukaan",
        "window_days": "14",
        **fields,
    }


def plain(value):
    """SQLite gives dates as text and booleans as 0/1; PostgreSQL as objects: read both alike."""
    if isinstance(value, bool):
        return int(value)
    return value.isoformat() if isinstance(value, date) else value


def rows(app, sql: str, **params) -> list[tuple]:
    with in_app(app):
        return [tuple(map(plain, row)) for row in db.session.execute(text(sql), params).all()]


def party_id(app, number: int) -> int:
    with in_app(app):
        return db.session.scalars(db.select(Party.id).filter_by(number=number)).one()


def test_a_request_to_one_candidacy_marks_its_undisclosed_required_items(app, make):
    nothing = make.candidacy("Ani Wulandari", disclosure={})
    half = make.candidacy(
        "Budi Santoso", disclosure={"cv": "published", "criminal_record": "not_found"}
    )
    client, reviewer = reviewer_client(app, make)

    for candidacy in (nothing, half):
        response = client.post(
            "/review/requests/new", data=request_data(candidacy_id=str(candidacy.id))
        )
        assert response.status_code == 302, response.get_data(as_text=True)

    assert rows(
        app,
        "SELECT candidacy_id, sent_on, channel, addressee, window_days, respond_by, status"
        " FROM disclosure_request ORDER BY id",
    ) == [
        (nothing.id, "2024-01-03", "letter", "Penghubung Partai Contoh", 14, "2024-01-17", "open"),
        (half.id, "2024-01-03", "letter", "Penghubung Partai Contoh", 14, "2024-01-17", "open"),
    ]
    items = rows(
        app,
        "SELECT i.candidacy_id, i.requirement, i.status, i.checked_at, i.respond_by, s.url"
        " FROM disclosure_item i JOIN source s ON s.id = i.source_id"
        " WHERE i.candidacy_id IN (:a, :b) ORDER BY i.candidacy_id, i.requirement",
        a=nothing.id,
        b=half.id,
    )
    # DPR: the default rules require the CV and the criminal-record statement of everyone.
    assert items == [
        (nothing.id, "criminal_record", "requested", "2024-01-03", "2024-01-17", SOURCE),
        (nothing.id, "cv", "requested", "2024-01-03", "2024-01-17", SOURCE),
        (half.id, "criminal_record", "requested", "2024-01-03", "2024-01-17", SOURCE),
        (half.id, "cv", "published", "2023-11-14", None, "https://contoh.example/sumber"),
    ]
    # Each change is a revision by the reviewer, citing the request's source.
    assert rows(
        app,
        "SELECT count(*), min(r.approved_by_id), max(s.url) FROM revision r"
        " JOIN source s ON s.id = r.source_id"
        " WHERE r.entity_type = 'disclosure_item' AND r.origin = 'request'",
    ) == [(3, reviewer.id, SOURCE)]


def test_a_request_inside_its_window_flags_nobody(app, make):
    candidacy = make.candidacy("Citra Lestari", disclosure={})
    client, _reviewer = reviewer_client(app, make)
    today = utcnow().date()
    response = client.post(
        "/review/requests/new",
        data=request_data(candidacy_id=str(candidacy.id), sent_on=today.isoformat()),
    )
    assert response.status_code == 302
    assert rows(app, "SELECT flagged FROM candidacy WHERE id = :id", id=candidacy.id) == [(0,)]


def test_a_bulk_request_to_a_party_in_a_district(app, make):
    ours = make.candidacies(3, "Partai Satu Dapil IV", party_number=1, district="3304")
    other_party = make.candidacy("Partai Dua", party_number=2, district="3304")
    other_district = make.candidacy("Dapil Lain", party_number=1, district="3301")
    client, _reviewer = reviewer_client(app, make)

    response = client.post(
        "/review/requests/new",
        data=request_data(
            scope="district", party_id=str(party_id(app, 1)), office="DPR", district_code="3304"
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)

    requested = rows(app, "SELECT candidacy_id FROM disclosure_request ORDER BY candidacy_id")
    assert requested == [(c.id,) for c in ours]
    # Written independently: party 1's candidacies in district 3304.
    assert requested == rows(
        app,
        "SELECT c.id FROM candidacy c JOIN district d ON d.id = c.district_id"
        " JOIN party p ON p.id = c.party_id WHERE p.number = 1 AND d.code = '3304' ORDER BY c.id",
    )
    assert rows(
        app,
        "SELECT count(*) FROM disclosure_request WHERE candidacy_id IN (:a, :b)",
        a=other_party.id,
        b=other_district.id,
    ) == [(0,)]
    # The factory's candidacies have their CV and criminal record published: nothing to ask.
    assert rows(app, "SELECT count(*) FROM disclosure_item WHERE status = 'requested'") == [(0,)]


def test_a_bulk_request_to_a_party_in_an_election(app, make):
    ours = [
        make.candidacy("Satu", party_number=3, district="3304", disclosure={}),
        make.candidacy("Dua", party_number=3, district="3301", disclosure={}),
    ]
    make.candidacy("Lain", party_number=4, district="3304", disclosure={})
    client, _reviewer = reviewer_client(app, make)
    response = client.post(
        "/review/requests/new",
        data=request_data(scope="election", party_id=str(party_id(app, 3))),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert rows(app, "SELECT candidacy_id FROM disclosure_request ORDER BY candidacy_id") == [
        (c.id,) for c in ours
    ]
    assert rows(
        app,
        "SELECT count(*) FROM candidacy c JOIN party p ON p.id = c.party_id WHERE p.number = 3",
    ) == [(2,)]
    assert rows(
        app,
        "SELECT count(*) FROM disclosure_item WHERE status = 'requested'"
        " AND candidacy_id IN (:a, :b)",
        a=ours[0].id,
        b=ours[1].id,
    ) == [(4,)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source_url": ""}, "Give the source: a link to the copy or the published letter."),
        ({"addressee": ""}, "Name the addressee of the request."),
        ({"addressee": "   "}, "Name the addressee of the request."),
        ({"window_days": "0"}, "The response window must be between 1 and 365 days."),
        ({"window_days": "366"}, "The response window must be between 1 and 365 days."),
        ({"candidacy_id": "999999"}, "No candidacy with this number."),
        # Past PostgreSQL's integer: no row has it, and the database cannot compare it.
        ({"candidacy_id": str(2**31)}, "No candidacy with this number."),
        ({"candidacy_id": str(2**63 - 1)}, "No candidacy with this number."),
        ({"candidacy_id": "\u0663"}, "Not a valid integer value."),  # Arabic-Indic three
    ],
)
def test_bad_input_says_why_and_writes_nothing(app, make, fields, message):
    candidacy = make.candidacy("Dewi Anggraini", disclosure={})
    client, _reviewer = reviewer_client(app, make)
    before = rows(app, "SELECT count(*) FROM source")
    response = client.post(
        "/review/requests/new",
        data=request_data(**{"candidacy_id": str(candidacy.id), **fields}),
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert rows(app, "SELECT count(*) FROM disclosure_request") == [(0,)]
    assert rows(app, "SELECT count(*) FROM disclosure_item") == [(0,)]
    assert rows(app, "SELECT count(*) FROM source") == before


def test_the_profiles_link_fills_the_candidacy_only_with_an_ascii_number(app, make):
    candidacy = make.candidacy("Dewi Anggraini", disclosure={})
    client, _reviewer = reviewer_client(app, make)
    field = re.compile(r'name="candidacy_id" type="number" value="([^"]*)"')
    page = client.get(f"/review/requests/new?candidacy={candidacy.id}")
    assert field.findall(page.get_data(as_text=True)) == [str(candidacy.id)]
    # "²" and "١" pass str.isdigit(); int() refuses the first (it was a 500), takes the second.
    for raw in ("%C2%B2", "%D9%A1", str(2**63), "-1"):
        response = client.get(f"/review/requests/new?candidacy={raw}")
        assert response.status_code == 200, raw
        assert field.findall(response.get_data(as_text=True)) == [""], raw


def test_a_volunteer_cannot_record_a_request(app, make):
    candidacy = make.candidacy(disclosure={})
    client = english(app.test_client())
    assert AuthActions(client).login(make.user()).status_code == 302
    response = client.post(
        "/review/requests/new", data=request_data(candidacy_id=str(candidacy.id))
    )
    assert response.status_code == 403
    assert rows(app, "SELECT count(*) FROM disclosure_request") == [(0,)]


def test_the_staff_list_filters_open_past_and_answered(app, make):
    past = make.candidacy("Eko Lewat", disclosure={})
    waiting = make.candidacy("Fitri Menunggu", disclosure={})
    done = make.candidacy("Gita Dijawab", disclosure={})
    client, _reviewer = reviewer_client(app, make)
    today = utcnow().date()
    for candidacy, sent in ((past, date(2024, 1, 3)), (waiting, today), (done, today)):
        response = client.post(
            "/review/requests/new",
            data=request_data(candidacy_id=str(candidacy.id), sent_on=sent.isoformat()),
        )
        assert response.status_code == 302
    (done_request,) = rows(
        app, "SELECT id FROM disclosure_request WHERE candidacy_id = :id", id=done.id
    )[0:1]
    response = client.post(
        f"/review/requests/{done_request[0]}/answered",
        data={"answered_on": (today + timedelta(days=0)).isoformat()},
    )
    assert response.status_code == 302
    assert rows(
        app, "SELECT status, answered_on FROM disclosure_request WHERE id = :id", id=done_request[0]
    ) == [("answered", today.isoformat())]

    def names(status: str) -> set[str]:
        page = client.get(f"/review/requests/?status={status}").get_data(as_text=True)
        return {name for name in ("Eko Lewat", "Fitri Menunggu", "Gita Dijawab") if name in page}

    assert names("open") == {"Fitri Menunggu"}
    assert names("past") == {"Eko Lewat"}
    assert names("answered") == {"Gita Dijawab"}
    assert client.get("/review/requests/?status=nonsense").status_code == 400


def test_disclosures_reviewed_another_way_end_the_request(app, make):
    from tests.test_review import client_for, decide, propose

    candidacy = make.candidacy("Joko Susilo", disclosure={})
    client, _reviewer = reviewer_client(app, make)
    response = client.post(
        "/review/requests/new", data=request_data(candidacy_id=str(candidacy.id))
    )
    assert response.status_code == 302
    volunteer, _ = client_for(app, make)
    for requirement, on in (("cv", "2024-01-08"), ("criminal_record", "2024-01-09")):
        submission = propose(
            volunteer,
            candidacy.id,
            "disclosure",
            {"requirement": requirement, "status": "published", "checked_at": on},
        )
        assert decide(client, submission).status_code == 302
        if requirement == "cv":  # one item still requested: the request stays open
            assert rows(app, "SELECT status, answered_on FROM disclosure_request") == [
                ("open", None)
            ]
    assert rows(app, "SELECT status, answered_on FROM disclosure_request") == [
        ("answered", "2024-01-09")
    ]
    assert rows(
        app,
        "SELECT requirement, status, respond_by FROM disclosure_item WHERE candidacy_id = :id"
        " ORDER BY requirement",
        id=candidacy.id,
    ) == [("criminal_record", "published", None), ("cv", "published", None)]
