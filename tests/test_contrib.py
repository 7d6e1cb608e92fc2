"""Volunteers' submissions: sourced, validated, kept when refused, never public while pending."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.auth_helpers import AuthActions, english, in_app, source_fields
from transparency import create_app
from transparency.extensions import db
from transparency.models import AuditEvent, Submission

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def english_pages(client):
    english(client)


@pytest.fixture
def volunteer(make, auth):
    user = make.user(name="Relawan A")
    auth.login(user)
    return user


def submissions(app) -> list[Submission]:
    with in_app(app):
        return list(db.session.scalars(select(Submission).order_by(Submission.id)))


def test_a_volunteer_proposes_a_profile_change_with_a_source(app, client, make, volunteer):
    candidacy = make.candidacy("Siti Rahayu", occupation="Guru")
    form = client.get(f"/contribute/candidacies/{candidacy.id}/profile").get_data(as_text=True)
    assert 'value="Guru"' in form  # starts from the public data
    response = client.post(
        f"/contribute/candidacies/{candidacy.id}/profile",
        data={"occupation": "Kepala sekolah", "note": "Lihat DCT", **source_fields()},
    )
    assert response.status_code == 302
    [item] = submissions(app)
    assert item.payload == {"occupation": "Kepala sekolah"}
    assert item.sources[0]["url"] == "https://kpu.example/dct/siti-rahayu"
    assert item.status == "pending"
    mine = client.get("/contribute/").get_data(as_text=True)
    assert "Waiting for review" in mine
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kepala sekolah" in detail
    assert "Guru" in detail


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Give at least one source."),
        ("javascript:alert(1)", "http:// or https://"),
        ("JaVaScRiPt:alert(1)", "http:// or https://"),
        ("ftp://kpu.example/file", "http:// or https://"),
        ("data:text/html,hi", "http:// or https://"),
        ("https://", "http:// or https://"),
        ("//kpu.example/x", "http:// or https://"),
        ("https://kpu.example/a b", "http:// or https://"),
        ("https://kpu.example/" + "a" * 2000, "2000"),
    ],
)
def test_bad_source_urls_are_refused_and_the_input_is_kept(
    app, client, make, volunteer, url, message
):
    candidacy = make.candidacy()
    response = client.post(
        f"/contribute/candidacies/{candidacy.id}/programme",
        data={"kind": "mission", "text": "Sekolah gratis untuk semua", **source_fields(url=url)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "Sekolah gratis untuk semua" in page
    assert submissions(app) == []


def test_a_source_needs_its_title_and_date(app, client, make, volunteer):
    candidacy = make.candidacy()
    page = client.post(
        f"/contribute/candidacies/{candidacy.id}/programme",
        data={"kind": "vision", "text": "Visi", **source_fields(title="", accessed_on="")},
    ).get_data(as_text=True)
    assert "Give the source's title." in page
    assert "Give the date you read the source." in page
    assert submissions(app) == []


def test_over_long_fields_are_refused(app, client, make, volunteer):
    candidacy = make.candidacy()
    response = client.post(
        f"/contribute/candidacies/{candidacy.id}/track_record",
        data={"kind": "career", "title": "x" * 501, **source_fields()},
    )
    assert "Field cannot be longer than 500 characters." in response.get_data(as_text=True)
    assert submissions(app) == []


def test_a_conviction_needs_the_court_reference(app, client, make, volunteer):
    candidacy = make.candidacy()
    data = {"kind": "legal_case", "title": "Korupsi dana desa", "legal_status": "convicted"}
    page = client.post(
        f"/contribute/candidacies/{candidacy.id}/track_record", data={**data, **source_fields()}
    ).get_data(as_text=True)
    assert "court reference" in page
    no_status = client.post(
        f"/contribute/candidacies/{candidacy.id}/track_record",
        data={"kind": "legal_case", "title": "Kasus", **source_fields()},
    ).get_data(as_text=True)
    assert "A legal case needs its legal status." in no_status
    assert submissions(app) == []


def test_extra_fields_cannot_approve_or_assign(app, client, make, volunteer):
    candidacy = make.candidacy()
    client.post(
        f"/contribute/candidacies/{candidacy.id}/disclosure",
        data={
            "requirement": "cv",
            "status": "refused",
            "checked_at": "2024-01-05",
            "status_": "approved",
            "reviewer_id": "1",
            "submitter_id": "999",
            "base_revision_id": "0",
            **source_fields(),
        },
    )
    [item] = submissions(app)
    assert item.status == "pending"
    assert item.reviewer_id is None
    assert item.submitter_id == volunteer.id


def test_unknown_candidacies_and_kinds_are_404(app, client, make, volunteer):
    candidacy = make.candidacy()
    assert client.get("/contribute/candidacies/999999/profile").status_code == 404
    assert client.get(f"/contribute/candidacies/{candidacy.id}/salary").status_code == 404
    assert (
        client.post("/contribute/candidacies/999999/profile", data=source_fields()).status_code
        == 404
    )
    picked = client.get("/contribute/?candidacy=abc", follow_redirects=True)
    assert "No candidacy with this number." in picked.get_data(as_text=True)


def test_another_volunteers_submission_is_not_found(app, client, make, volunteer):
    candidacy = make.candidacy()
    client.post(
        f"/contribute/candidacies/{candidacy.id}/programme",
        data={"kind": "mission", "text": "Rahasia relawan A", **source_fields()},
    )
    [item] = submissions(app)
    other = english(app.test_client())
    AuthActions(other).login(make.user(name="Relawan B"))
    response = other.get(f"/contribute/submissions/{item.id}")
    assert response.status_code == 404
    assert "Rahasia relawan A" not in response.get_data(as_text=True)
    assert "Rahasia relawan A" not in other.get("/contribute/").get_data(as_text=True)


def test_pending_submissions_are_never_public(app, client, make, volunteer):
    candidacy = make.candidacy()
    client.post(
        f"/contribute/candidacies/{candidacy.id}/programme",
        data={"kind": "mission", "text": "Usulan yang belum ditinjau", **source_fields()},
    )
    anonymous = app.test_client()
    for path in ("/", "/candidates", f"/candidates/{candidacy.id}", "/candidates?q=ditinjau"):
        assert "belum ditinjau" not in anonymous.get(path).get_data(as_text=True)


def test_submissions_per_hour_are_limited(app, make, auth, client):
    app.config["SUBMISSIONS_PER_HOUR"] = 2
    candidacy = make.candidacy()
    auth.login(make.user())
    for number in range(2):
        response = client.post(
            f"/contribute/candidacies/{candidacy.id}/programme",
            data={"kind": "mission", "text": f"Usulan {number}", **source_fields()},
        )
        assert response.status_code == 302
    limited = client.post(
        f"/contribute/candidacies/{candidacy.id}/programme",
        data={"kind": "mission", "text": "Usulan ketiga", **source_fields()},
    )
    page = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert "the most we accept" in page
    assert "Usulan ketiga" in page


def test_a_new_candidacy_is_checked_against_the_reference_data(app, client, make, volunteer):
    existing = make.candidacy(ballot_number=3, district="3304", party_number=1)
    base = {
        "full_name": "Budi Santoso",
        "gender": "L",
        "election": str(existing.election_id),
        "office": str(existing.office_id),
        "ballot_number": "3",
        "party_number": "1",
        **source_fields(),
    }
    unknown = client.post("/contribute/new-candidacy", data={**base, "district_code": "9999"})
    assert "No electoral district with this code" in unknown.get_data(as_text=True)
    taken = client.post("/contribute/new-candidacy", data={**base, "district_code": "3304"})
    assert "already taken" in taken.get_data(as_text=True)
    ok = client.post(
        "/contribute/new-candidacy", data={**base, "district_code": "3304", "ballot_number": "4"}
    )
    assert ok.status_code == 302
    assert [s.kind for s in submissions(app)] == ["candidacy"]


def test_html_in_every_field_is_shown_as_text(app, client, make, volunteer):
    candidacy = make.candidacy()
    response = client.post(
        f"/contribute/candidacies/{candidacy.id}/track_record",
        data={
            "kind": "legal_case",
            "title": XSS,
            "description": XSS,
            "organisation": XSS,
            "legal_status": "convicted",
            "court_reference": XSS,
            "note": XSS,
            **source_fields(url="https://kpu.example/?q=<script>", title=XSS),
        },
    )
    assert response.status_code == 302
    for page in (client.get(response.headers["Location"]), client.get("/contribute/")):
        text = page.get_data(as_text=True)
        assert "<script>alert" not in text
        assert "<img src=x" not in text
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in detail


def test_submitting_is_audited_with_the_client_address(app, client, make, volunteer):
    candidacy = make.candidacy()
    client.post(
        f"/contribute/candidacies/{candidacy.id}/programme",
        data={"kind": "mission", "text": "Usulan", **source_fields()},
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )
    with in_app(app):
        event = db.session.scalars(select(AuditEvent).filter_by(kind="submitted")).one()
        assert (event.user_id, event.client_address) == (volunteer.id, "198.51.100.23")


@pytest.fixture
def csrf_app(app, app_config):
    """A second app on the same database, with CSRF protection on as in production."""
    from tests.factories import Factory

    with app.app_context():
        factory = Factory(db.session)
        ids = (factory.candidacy().id, factory.user().email)
    csrf_app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    csrf_app.config["TEST_IDS"] = ids
    yield csrf_app
    with csrf_app.app_context():
        db.session.remove()
        db.engine.dispose()


def csrf_login(client, email: str) -> None:
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    from tests.auth_helpers import DEFAULT_PASSWORD

    client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token})


def test_a_submission_without_csrf_token_is_400_and_keeps_the_input(csrf_app):
    candidacy_id, email = csrf_app.config["TEST_IDS"]
    client = english(csrf_app.test_client())
    csrf_login(client, email)
    response = client.post(
        f"/contribute/candidacies/{candidacy_id}/programme",
        data={"kind": "mission", "text": "Teks yang tidak boleh hilang", **source_fields()},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Teks yang tidak boleh hilang" in page
    assert "https://kpu.example/dct/siti-rahayu" in page
    with csrf_app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 0


def test_a_csrf_failure_never_shows_a_closed_form_to_anonymous_users(csrf_app):
    candidacy_id, _email = csrf_app.config["TEST_IDS"]
    response = english(csrf_app.test_client()).post(
        f"/contribute/candidacies/{candidacy_id}/programme", data={"text": "x"}
    )
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_refusal_or_not_found_needs_a_source_and_a_date(app, client, make, volunteer):
    candidacy = make.candidacy()
    url = f"/contribute/candidacies/{candidacy.id}/disclosure"
    for status in ("refused", "not_found"):
        page = client.post(
            url, data={"requirement": "cv", "status": status, "checked_at": "2024-01-05"}
        ).get_data(as_text=True)
        assert "A refusal or a not-found item needs the source where it was established." in page
        undated = client.post(
            url, data={"requirement": "cv", "status": status, **source_fields()}
        ).get_data(as_text=True)
        assert "This field is required." in undated
    assert submissions(app) == []


def test_a_request_is_not_a_status_a_volunteer_picks(app, client, make, volunteer):
    candidacy = make.candidacy()
    page = client.get(f"/contribute/candidacies/{candidacy.id}/disclosure").get_data(as_text=True)
    assert 'value="refused"' in page and 'value="not_found"' in page
    assert 'value="requested"' not in page and 'value="not_requested"' not in page
