"""Answer links: issued once, used once, expiring after 30 days (a fixed clock), revocable,
forged tokens unknown; the answer waits for one reviewer and then shows on the profile."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.auth_helpers import english, in_app
from tests.test_requests import request_data, reviewer_client, rows
from transparency.extensions import db
from transparency.models import DisclosureRequest, User
from transparency.requests import links

TOKEN = re.compile(r"/answer/([A-Za-z0-9_-]{40,})")
ISSUED = datetime(2024, 1, 3, 9, 0, 0)


def recorded_request(app, make, client, name: str = "Hadi Pratama") -> int:
    candidacy = make.candidacy(name, disclosure={})
    response = client.post(
        "/review/requests/new", data=request_data(candidacy_id=str(candidacy.id))
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def issued_token(client, request_id: int) -> str:
    page = client.post(f"/review/requests/{request_id}/links")
    assert page.status_code == 200
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, "the page shows the new link"
    return found.group(1)


def answer_fields(**fields) -> dict:
    return {
        "author_kind": "candidate",
        "author_name": "Hadi Pratama",
        "cv": "https://contoh.example/hadi/cv.pdf",
        "reply_text": "Data saya terbuka sejak hari ini.",
        **fields,
    }


def test_the_token_lifecycle_on_a_fixed_clock(app, make):
    candidacy = make.candidacy(disclosure={})
    reviewer = make.user(role="reviewer")
    with in_app(app):
        source = make.source("https://contoh.example/surat")
        request = DisclosureRequest(
            candidacy_id=candidacy.id,
            sent_on=date(2024, 1, 3),
            channel="letter",
            addressee="Calon",
            source=source,
            window_days=14,
            respond_by=date(2024, 1, 17),
        )
        db.session.add(request)
        db.session.flush()
        user = db.session.get(User, reviewer.id)
        link, token = links.issue(db.session, request, user, now=ISSUED)
        db.session.commit()
        stored = rows(app, "SELECT token_hash, expires_at FROM answer_link")
        assert len(token) >= 43
        assert token not in str(stored)  # only its hash is kept
        assert len(stored[0][0]) == 64
        assert links.find(db.session, token).id == link.id
        assert links.find(db.session, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        assert links.find(db.session, "") is None
        assert links.state(link, ISSUED + timedelta(days=29, hours=23)) == "valid"
        assert links.state(link, ISSUED + timedelta(days=30)) == "expired"
        second, second_token = links.issue(db.session, request, user, now=ISSUED)
        assert second_token != token
        links.use(link, ISSUED + timedelta(days=1))
        assert links.state(link, ISSUED + timedelta(days=2)) == "used"
        links.revoke(second, user, ISSUED + timedelta(days=1))
        assert links.state(second, ISSUED + timedelta(days=2)) == "revoked"


def test_request_link_answer_review_then_public(app, make):
    client, _reviewer = reviewer_client(app, make)
    request_id = recorded_request(app, make, client)
    token = issued_token(client, request_id)

    visitor = english(app.test_client())
    form = visitor.get(f"/answer/{token}")
    assert form.status_code == 200
    assert f"Request #{request_id}" in form.get_data(as_text=True)
    sent = visitor.post(f"/answer/{token}", data=answer_fields())
    assert sent.status_code == 200, sent.get_data(as_text=True)
    assert "waits for a reviewer" in sent.get_data(as_text=True)

    (candidacy_id,) = rows(
        app, "SELECT candidacy_id FROM disclosure_request WHERE id = :id", id=request_id
    )[0]
    # Nothing public yet: the CV is still requested, no reply.
    assert rows(
        app,
        "SELECT status FROM disclosure_item WHERE candidacy_id = :id AND requirement = 'cv'",
        id=candidacy_id,
    ) == [("requested",)]
    assert rows(app, "SELECT count(*) FROM reply") == [(0,)]
    profile = visitor.get(f"/candidates/{candidacy_id}").get_data(as_text=True)
    assert "Data saya terbuka sejak hari ini." not in profile
    (submission_id, kind, submitter) = rows(
        app,
        "SELECT id, kind, submitter_id FROM submission WHERE disclosure_request_id = :id",
        id=request_id,
    )[0]
    assert (kind, submitter) == ("answer", None)
    assert rows(app, "SELECT user_id FROM audit_event WHERE kind = 'submitted'") == [(None,)]

    queue = client.get("/review/").get_data(as_text=True)
    assert f"Request #{request_id}" in queue
    shown = client.get(f"/review/submissions/{submission_id}").get_data(as_text=True)
    assert f"the answer link of request #{request_id}" in shown
    assert "https://contoh.example/hadi/cv.pdf" in shown

    # One reviewer's approval is enough for an answer through a link.
    decided = client.post(
        f"/review/submissions/{submission_id}", data={"action": "approve", "reason": "Cek CV"}
    )
    assert decided.status_code == 302
    assert rows(
        app,
        "SELECT i.status, s.url FROM disclosure_item i JOIN source s ON s.id = i.source_id"
        " WHERE i.candidacy_id = :id AND i.requirement = 'cv'",
        id=candidacy_id,
    ) == [("published", "https://contoh.example/hadi/cv.pdf")]
    assert rows(app, "SELECT status FROM disclosure_request WHERE id = :id", id=request_id) == [
        ("answered",)
    ]
    assert rows(app, "SELECT author_kind, author_name, text FROM reply") == [
        ("candidate", "Hadi Pratama", "Data saya terbuka sejak hari ini.")
    ]
    profile = visitor.get(f"/candidates/{candidacy_id}").get_data(as_text=True)
    assert "Data saya terbuka sejak hari ini." in profile

    # Used once: the link now says so, with 410, and takes nothing more.
    again = visitor.post(f"/answer/{token}", data=answer_fields(reply_text="Lagi"))
    assert again.status_code == 410
    assert "This link was already used." in again.get_data(as_text=True)
    assert rows(app, "SELECT count(*) FROM submission") == [(1,)]


def test_a_refusal_through_the_link_becomes_a_sourced_refusal(app, make):
    client, _reviewer = reviewer_client(app, make)
    request_id = recorded_request(app, make, client, "Indah Permata")
    token = issued_token(client, request_id)
    visitor = english(app.test_client())
    sent = visitor.post(
        f"/answer/{token}",
        data={
            "author_kind": "party",
            "author_name": "Penghubung Partai",
            "refused": "y",
            "refusal_reason": "Calon tidak bersedia.",
        },
    )
    assert sent.status_code == 200, sent.get_data(as_text=True)
    (submission_id,) = rows(app, "SELECT id FROM submission")[0]
    assert (
        client.post(
            f"/review/submissions/{submission_id}", data={"action": "approve", "reason": "ok"}
        ).status_code
        == 302
    )
    assert rows(
        app,
        "SELECT i.requirement, i.status, i.note, s.url FROM disclosure_item i"
        " JOIN source s ON s.id = i.source_id JOIN disclosure_request r"
        " ON r.candidacy_id = i.candidacy_id WHERE r.id = :id ORDER BY i.requirement",
        id=request_id,
    ) == [
        ("criminal_record", "refused", "Calon tidak bersedia.", request_data()["source_url"]),
        ("cv", "refused", "Calon tidak bersedia.", request_data()["source_url"]),
    ]


def test_an_empty_answer_or_a_refusal_without_reason_is_refused(app, make):
    client, _reviewer = reviewer_client(app, make)
    request_id = recorded_request(app, make, client)
    token = issued_token(client, request_id)
    visitor = english(app.test_client())
    empty = visitor.post(f"/answer/{token}", data=answer_fields(cv="", reply_text=""))
    assert empty.status_code == 400
    assert "Give at least one link, a refusal or a reply." in empty.get_data(as_text=True)
    bare = visitor.post(f"/answer/{token}", data=answer_fields(refused="y"))
    assert bare.status_code == 400
    assert "Say in a few words why" in bare.get_data(as_text=True)
    assert rows(app, "SELECT count(*) FROM submission") == [(0,)]
    assert rows(app, "SELECT count(*) FROM answer_link WHERE used_at IS NULL") == [(1,)]


def test_unknown_expired_and_revoked_links(app, make, monkeypatch):
    client, _reviewer = reviewer_client(app, make)
    request_id = recorded_request(app, make, client)
    visitor = english(app.test_client())
    assert visitor.get("/answer/" + "x" * 43).status_code == 404
    assert visitor.get("/answer/short").status_code == 404

    token = issued_token(client, request_id)
    (issued_at,) = rows(app, "SELECT created_at FROM answer_link")[0]
    issued_at = datetime.fromisoformat(str(issued_at))
    monkeypatch.setattr(
        "transparency.views.answers.utcnow", lambda: issued_at + timedelta(days=30, seconds=1)
    )
    expired = visitor.post(f"/answer/{token}", data=answer_fields())
    assert expired.status_code == 410
    assert "This link has expired." in expired.get_data(as_text=True)
    assert rows(app, "SELECT count(*) FROM submission") == [(0,)]
    monkeypatch.undo()

    second = issued_token(client, request_id)
    (link_id,) = rows(app, "SELECT max(id) FROM answer_link")[0]
    revoked = client.post(f"/review/requests/{request_id}/links/{link_id}/revoke")
    assert revoked.status_code == 302
    gone = visitor.get(f"/answer/{second}")
    assert gone.status_code == 410
    assert "This link was withdrawn." in gone.get_data(as_text=True)
    assert rows(app, "SELECT count(*) FROM submission") == [(0,)]


def test_anonymous_visitors_cannot_issue_or_revoke(app, make):
    client, _reviewer = reviewer_client(app, make)
    request_id = recorded_request(app, make, client)
    anonymous = english(app.test_client())
    response = anonymous.post(f"/review/requests/{request_id}/links")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert rows(app, "SELECT count(*) FROM answer_link") == [(0,)]


@pytest.fixture
def csrf_config(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


def test_the_answer_form_needs_its_csrf_token(csrf_config, app, make):
    with in_app(app):
        candidacy = make.candidacy(disclosure={})
        reviewer = make.user(role="reviewer")
        source = make.source("https://contoh.example/surat")
        request = DisclosureRequest(
            candidacy_id=candidacy.id,
            sent_on=date(2024, 1, 3),
            channel="letter",
            addressee="Calon",
            source=source,
            window_days=14,
            respond_by=date(2024, 1, 17),
        )
        db.session.add(request)
        db.session.flush()
        _link, token = links.issue(db.session, request, db.session.get(User, reviewer.id))
        db.session.commit()
    visitor = english(app.test_client())
    response = visitor.post(f"/answer/{token}", data=answer_fields())
    assert response.status_code == 400
    assert rows(app, "SELECT count(*) FROM submission") == [(0,)]
    page = visitor.get(f"/answer/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = visitor.post(f"/answer/{token}", data={**answer_fields(), "csrf_token": csrf})
    assert response.status_code == 200
    assert rows(app, "SELECT count(*) FROM submission") == [(1,)]


@pytest.fixture
def limited_config(app_config, ratelimit_store):
    app_config.update(ratelimit_store)
    app_config["RATELIMIT_ENABLED"] = True
    app_config["ANSWER_LIMIT_PER_ADDRESS"] = "3 per minute"
    return app_config


def test_guessing_tokens_is_rate_limited(limited_config, app):
    visitor = app.test_client()
    codes = [visitor.get(f"/answer/guess{number:040d}").status_code for number in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_an_answer_after_the_request_was_answered_otherwise_is_gone(app, make):
    client, _reviewer = reviewer_client(app, make)
    request_id = recorded_request(app, make, client)
    token = issued_token(client, request_id)
    with in_app(app):
        db.session.execute(
            text("UPDATE disclosure_request SET status = 'answered', answered_on = '2024-01-05'")
        )
        db.session.commit()
    response = english(app.test_client()).get(f"/answer/{token}")
    assert response.status_code == 410
    assert "This request already has its answer." in response.get_data(as_text=True)
