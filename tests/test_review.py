"""Review: approvals become public with a revision; self-review, second reviewer, conflicts,
reverts; everything a user wrote is shown as text."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.auth_helpers import AuthActions, english, in_app, source_fields
from transparency.derived import register
from transparency.extensions import db
from transparency.models import (
    AuditEvent,
    DisclosureItem,
    Person,
    ProgrammeStatement,
    Revision,
    Submission,
    TrackRecordItem,
)

XSS = '<script>alert("x")</script>'


def client_for(app, make, role: str = "volunteer", name: str | None = None):
    client = english(app.test_client())
    user = make.user(role=role, name=name)
    assert AuthActions(client).login(user).status_code == 302
    return client, user


def propose(client, candidacy_id: int, kind: str, data: dict) -> int:
    response = client.post(
        f"/contribute/candidacies/{candidacy_id}/{kind}", data={**data, **source_fields()}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def decide(client, submission_id: int, action: str = "approve", reason: str = "Sumber sahih"):
    return client.post(
        f"/review/submissions/{submission_id}", data={"action": action, "reason": reason}
    )


def fetch(app, model, ident):
    with in_app(app):
        return db.session.get(model, ident)


def test_whole_flow_register_submit_review_public_revert(app, make):
    refreshed: list = []
    register(
        app,
        "test-spy",
        lambda _session, change: refreshed.append(sorted(change.candidacy_ids)),
        order=1000,
    )
    candidacy = make.candidacy("Siti Rahayu", occupation="Guru")
    volunteer = english(app.test_client())
    password = "a calm walk along sungai musi"
    volunteer.post(
        "/register",
        data={
            "name": "Ani",
            "email": "ani@contoh.example",
            "password": password,
            "confirm": password,
        },
    )
    assert AuthActions(volunteer).login("ani@contoh.example", password).status_code == 302
    submission_id = propose(volunteer, candidacy.id, "profile", {"occupation": "Kepala sekolah"})
    # Not public while pending.
    assert fetch(app, Person, candidacy.person_id).occupation == "Guru"
    reviewer, reviewer_user = client_for(app, make, "reviewer", "Peninjau")
    queue = reviewer.get("/review/").get_data(as_text=True)
    assert "Profile change" in queue and "Siti Rahayu" in queue
    page = reviewer.get(f"/review/submissions/{submission_id}").get_data(as_text=True)
    assert "<del>Guru</del>" in page and "<ins>Kepala sekolah</ins>" in page
    assert 'href="https://kpu.example/dct/siti-rahayu"' in page
    response = decide(reviewer, submission_id, reason="Cocok dengan DCT")
    assert response.status_code == 302
    assert fetch(app, Person, candidacy.person_id).occupation == "Kepala sekolah"
    with in_app(app):
        revision = db.session.scalars(
            select(Revision).filter_by(entity_type="person", origin="review")
        ).one()
        assert revision.before == {"occupation": "Guru", "source_id": revision.before["source_id"]}
        assert revision.after["occupation"] == "Kepala sekolah"
        assert revision.approved_by_id == reviewer_user.id
        assert revision.proposed_by.email == "ani@contoh.example"
        assert revision.reason == "Cocok dengan DCT"
        assert revision.source_id is not None
        revision_id = revision.id
    assert [candidacy.id] in refreshed
    mine = volunteer.get("/contribute/").get_data(as_text=True)
    assert "Approved" in mine and "Cocok dengan DCT" in mine
    assert "Cocok dengan DCT" in reviewer.get("/review/revisions").get_data(as_text=True)
    # Revert: a new revision, with a reason; the old value is back.
    form = reviewer.get(f"/review/revisions/{revision_id}/revert").get_data(as_text=True)
    assert "Kepala sekolah" in form
    response = reviewer.post(
        f"/review/revisions/{revision_id}/revert", data={"reason": "Sumber keliru"}
    )
    assert response.status_code == 302
    assert fetch(app, Person, candidacy.person_id).occupation == "Guru"
    with in_app(app):
        undo = db.session.scalars(select(Revision).filter_by(origin="revert")).one()
        assert (undo.reverts_id, undo.reason) == (revision_id, "Sumber keliru")
        assert undo.after["occupation"] == "Guru"
        kinds = set(db.session.scalars(select(AuditEvent.kind)))
    assert {"register", "submitted", "approved", "reverted", "login"} <= kinds


def test_nobody_reviews_their_own_submission_admins_included(app, make):
    candidacy = make.candidacy()
    admin, _ = client_for(app, make, "admin")
    submission_id = propose(admin, candidacy.id, "programme", {"kind": "mission", "text": "Misi"})
    page = admin.get(f"/review/submissions/{submission_id}").get_data(as_text=True)
    assert "This is your own submission" in page
    response = decide(admin, submission_id)
    assert response.status_code == 403
    assert "You cannot review your own submission." in response.get_data(as_text=True)
    assert fetch(app, Submission, submission_id).status == "pending"
    with in_app(app):
        assert db.session.scalars(select(ProgrammeStatement)).all() == []


def test_volunteers_cannot_review(app, make):
    candidacy = make.candidacy()
    volunteer, _ = client_for(app, make)
    other, _ = client_for(app, make)
    submission_id = propose(volunteer, candidacy.id, "programme", {"kind": "mission", "text": "M"})
    assert decide(other, submission_id).status_code == 403
    assert other.get(f"/review/submissions/{submission_id}").status_code == 403
    assert fetch(app, Submission, submission_id).status == "pending"


def test_a_conviction_needs_two_different_reviewers(app, make):
    candidacy = make.candidacy()
    volunteer, _ = client_for(app, make)
    first, _ = client_for(app, make, "reviewer")
    second, _ = client_for(app, make, "admin")
    submission_id = propose(
        volunteer,
        candidacy.id,
        "track_record",
        {
            "kind": "legal_case",
            "title": "Korupsi dana desa",
            "legal_status": "ex_convict",
            "court_reference": "Putusan MA No. 123 K/Pid.Sus/2015",
        },
    )
    assert decide(first, submission_id).status_code == 302
    assert fetch(app, Submission, submission_id).status == "second_review"
    with in_app(app):
        assert db.session.scalars(select(TrackRecordItem)).all() == []
    again = decide(first, submission_id)
    assert again.status_code == 409
    assert "A second, different reviewer" in again.get_data(as_text=True)
    assert decide(second, submission_id).status_code == 302
    with in_app(app):
        item = db.session.scalars(select(TrackRecordItem)).one()
        assert (item.legal_status, item.court_reference) == (
            "ex_convict",
            "Putusan MA No. 123 K/Pid.Sus/2015",
        )


def test_a_second_approval_against_an_old_version_reports_a_conflict(app, make):
    candidacy = make.candidacy(disclosure={"cv": "not_found"})
    a, _ = client_for(app, make)
    b, _ = client_for(app, make)
    reviewer, _ = client_for(app, make, "reviewer")
    first = propose(
        a,
        candidacy.id,
        "disclosure",
        {"requirement": "cv", "status": "published", "checked_at": "2024-01-05"},
    )
    second = propose(
        b,
        candidacy.id,
        "disclosure",
        {"requirement": "cv", "status": "refused", "checked_at": "2024-01-06"},
    )
    assert decide(reviewer, first).status_code == 302
    conflict = decide(reviewer, second)
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "The public data changed after this submission was made" in page
    assert "<del>Published</del>" in page  # the diff now shows the newer public value
    assert fetch(app, Submission, second).status == "pending"
    with in_app(app):
        item = db.session.scalars(select(DisclosureItem)).one()
        assert item.status == "published"
    # Having seen the new diff, the reviewer may decide again.
    assert decide(reviewer, second, reason="Lebih baru").status_code == 302
    with in_app(app):
        assert db.session.scalars(select(DisclosureItem)).one().status == "refused"


def test_rejection_shows_the_reason_and_changes_nothing(app, make):
    candidacy = make.candidacy()
    volunteer, _ = client_for(app, make)
    reviewer, _ = client_for(app, make, "reviewer")
    submission_id = propose(volunteer, candidacy.id, "programme", {"kind": "vision", "text": "V"})
    assert (
        decide(reviewer, submission_id, "reject", "Sumber tidak menyebut calon").status_code == 302
    )
    assert "Sumber tidak menyebut calon" in volunteer.get("/contribute/").get_data(as_text=True)
    assert decide(reviewer, submission_id).status_code == 409  # already decided
    with in_app(app):
        assert db.session.scalars(select(ProgrammeStatement)).all() == []


def test_a_decision_needs_a_reason(app, make):
    candidacy = make.candidacy()
    volunteer, _ = client_for(app, make)
    reviewer, _ = client_for(app, make, "reviewer")
    submission_id = propose(volunteer, candidacy.id, "programme", {"kind": "vision", "text": "V"})
    assert decide(reviewer, submission_id, reason="").status_code == 400
    assert (
        reviewer.post(f"/review/submissions/{submission_id}", data={"reason": "x"}).status_code
        == 400
    )
    assert fetch(app, Submission, submission_id).status == "pending"


def test_reverting_a_created_item_hides_it_and_a_stale_revert_is_a_conflict(app, make):
    candidacy = make.candidacy()
    volunteer, _ = client_for(app, make)
    reviewer, _ = client_for(app, make, "reviewer")
    submission_id = propose(volunteer, candidacy.id, "programme", {"kind": "vision", "text": "V"})
    decide(reviewer, submission_id)
    with in_app(app):
        created = db.session.scalars(
            select(Revision).filter_by(entity_type="programme_statement", action="create")
        ).one()
        created_id, statement_id = created.id, created.entity_id
    assert (
        reviewer.post(
            f"/review/revisions/{created_id}/revert", data={"reason": "Salah"}
        ).status_code
        == 302
    )
    statement = fetch(app, ProgrammeStatement, statement_id)
    assert statement is not None and statement.hidden  # hidden, never deleted
    stale = reviewer.post(f"/review/revisions/{created_id}/revert", data={"reason": "Lagi"})
    assert stale.status_code == 409
    assert "changed again after this revision" in stale.get_data(as_text=True)
    assert reviewer.post("/review/revisions/999999/revert", data={"reason": "x"}).status_code == 404


def test_a_volunteer_cannot_revert(app, make):
    candidacy = make.candidacy()
    volunteer, _ = client_for(app, make)
    with in_app(app):
        revision_id = db.session.scalars(select(Revision.id)).first()
    assert (
        volunteer.post(f"/review/revisions/{revision_id}/revert", data={"reason": "x"}).status_code
        == 403
    )
    assert candidacy.id


def test_the_queue_is_oldest_first_and_filters_by_type(app, make):
    candidacy = make.candidacy()
    volunteer, _ = client_for(app, make)
    reviewer, _ = client_for(app, make, "reviewer")
    propose(volunteer, candidacy.id, "programme", {"kind": "vision", "text": "Pertama"})
    propose(
        volunteer,
        candidacy.id,
        "disclosure",
        {"requirement": "lhkpn", "status": "refused", "checked_at": "2024-01-02"},
    )
    page = reviewer.get("/review/").get_data(as_text=True)
    assert page.index("Programme statement") < page.index("Disclosure status")
    filtered = reviewer.get("/review/?kind=disclosure").get_data(as_text=True)
    assert "Disclosure status" in filtered and "Programme statement</td>" not in filtered
    assert reviewer.get("/review/?kind=<script>").status_code == 400


@pytest.mark.parametrize("kind", ["programme", "track_record"])
def test_html_is_text_in_the_review_diff_history_and_revisions(app, make, kind):
    candidacy = make.candidacy()
    volunteer, _ = client_for(app, make, name=XSS)
    reviewer, _ = client_for(app, make, "reviewer", name=XSS)
    data = (
        {"kind": "mission", "text": XSS, "note": XSS}
        if kind == "programme"
        else {"kind": "career", "title": XSS, "description": XSS, "organisation": XSS, "note": XSS}
    )
    submission_id = propose(volunteer, candidacy.id, kind, data)
    pages = [
        reviewer.get("/review/"),
        reviewer.get(f"/review/submissions/{submission_id}"),
    ]
    decide(reviewer, submission_id, reason=XSS)
    with in_app(app):
        revision_id = db.session.scalars(select(Revision.id).order_by(Revision.id.desc())).first()
    pages += [
        reviewer.get("/review/revisions"),
        reviewer.get(f"/review/revisions/{revision_id}/revert"),
        volunteer.get("/contribute/"),
        volunteer.get(f"/contribute/submissions/{submission_id}"),
    ]
    admin, _ = client_for(app, make, "admin")
    pages += [admin.get("/admin/users"), admin.get("/admin/audit")]
    for response in pages:
        text = response.get_data(as_text=True)
        assert response.status_code == 200, response.request.path
        assert "<script>alert" not in text, response.request.path
    assert "&lt;script&gt;" in pages[1].get_data(as_text=True)
