"""Legal cases take two reviewers both ways: publishing, hiding and reverting a legal-case
item, and a reply entered by a reviewer. Each path: the first reviewer's step is pending; the
same reviewer again is refused with a message and nothing is written (checked in SQL); a
second, different reviewer completes it; the audit log has each step."""

from __future__ import annotations

from sqlalchemy import text

from tests.auth_helpers import AuthActions, english, in_app, source_fields
from transparency.extensions import db

CASE = {"kind": "legal_case", "title": "Perkara dana hibah", "legal_status": "suspect"}
REPLY = {
    "rule_id": "R-CV",
    "author_kind": "candidate",
    "author_name": "Siti Rahayu",
    "text": "Saya menunggu putusan pengadilan.",
    "replied_on": "2023-11-20",
    "source_url": "https://berita.example/hak-jawab",
    "source_title": "Hak jawab Siti",
}


def client_for(app, make, role: str):
    client = english(app.test_client())
    user = make.user(role=role)
    assert AuthActions(client).login(user).status_code == 302
    return client, user


def sql(app, statement: str, **params):
    with in_app(app):
        return db.session.execute(text(statement), params).all()


def written(app) -> tuple:
    """Everything a refused step must leave as it was."""
    return tuple(
        sql(
            app,
            "SELECT (SELECT COUNT(*) FROM revision), (SELECT COUNT(*) FROM audit_event),"
            " (SELECT COUNT(*) FROM reply), (SELECT COUNT(*) FROM submission),"
            " (SELECT COUNT(*) FROM track_record_item WHERE hidden = :yes),"
            " (SELECT COUNT(*) FROM track_record_item),"
            " (SELECT COUNT(*) FROM submission WHERE status = 'approved')",
            yes=True,
        )[0]
    )


def audit_kinds(app) -> list[str]:
    """The audit log's steps, log-ins left out."""
    rows = sql(app, "SELECT kind FROM audit_event WHERE kind <> 'login' ORDER BY id")
    return [row[0] for row in rows]


def decide(client, submission_id: int, action: str = "approve", reason: str = "Sumber sahih"):
    return client.post(
        f"/review/submissions/{submission_id}", data={"action": action, "reason": reason}
    )


def published_case(app, make) -> tuple[int, int]:
    """A legal case made public by two reviewers: (item id, its create revision id)."""
    candidacy = make.candidacy("Siti Rahayu")
    volunteer, _ = client_for(app, make, "volunteer")
    response = volunteer.post(
        f"/contribute/candidacies/{candidacy.id}/track_record", data={**CASE, **source_fields()}
    )
    submission_id = int(response.headers["Location"].rsplit("/", 1)[1])
    first, _ = client_for(app, make, "reviewer")
    second, _ = client_for(app, make, "reviewer")
    assert decide(first, submission_id).status_code == 302
    assert decide(second, submission_id).status_code == 302
    item_id, revision_id = sql(
        app,
        "SELECT t.id, r.id FROM track_record_item t JOIN revision r"
        " ON r.entity_type = 'track_record_item' AND r.entity_id = t.id AND r.action = 'create'"
        " WHERE t.kind = 'legal_case'",
    )[0]
    return item_id, revision_id


def test_publishing_a_legal_case_takes_two_reviewers(app, make):
    candidacy = make.candidacy("Siti Rahayu")
    volunteer, _ = client_for(app, make, "volunteer")
    response = volunteer.post(
        f"/contribute/candidacies/{candidacy.id}/track_record", data={**CASE, **source_fields()}
    )
    submission_id = int(response.headers["Location"].rsplit("/", 1)[1])
    first, first_user = client_for(app, make, "reviewer")
    response = decide(first, submission_id)
    assert response.status_code == 302
    assert sql(app, "SELECT status, first_reviewer_id FROM submission") == [
        ("second_review", first_user.id)
    ]
    assert sql(app, "SELECT COUNT(*) FROM track_record_item WHERE kind = 'legal_case'") == [(0,)]
    before = written(app)
    again = decide(first, submission_id)
    assert again.status_code == 409
    assert "A second, different reviewer must approve" in again.get_data(as_text=True)
    assert written(app) == before
    second, second_user = client_for(app, make, "reviewer")
    assert decide(second, submission_id).status_code == 302
    assert sql(
        app,
        "SELECT t.title, r.approved_by_id FROM track_record_item t JOIN revision r"
        " ON r.entity_type = 'track_record_item' AND r.entity_id = t.id",
    ) == [("Perkara dana hibah", second_user.id)]
    assert audit_kinds(app)[-2:] == ["first_approval", "approved"]


def test_hiding_a_legal_case_takes_a_second_reviewer(app, make):
    item_id, revision_id = published_case(app, make)
    first, first_user = client_for(app, make, "reviewer")
    response = first.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Keliru"})
    assert response.status_code == 302
    page = first.get("/review/revisions").get_data(as_text=True)
    assert "a second, different reviewer must confirm" in page
    assert sql(app, "SELECT hidden FROM track_record_item WHERE id = :i", i=item_id) == [(False,)]
    pending = sql(
        app,
        "SELECT id, status, submitter_id FROM submission WHERE kind = 'revert'",
    )
    assert [(status, by) for _, status, by in pending] == [("second_review", first_user.id)]
    assert audit_kinds(app)[-1] == "revert_requested"
    # The request waits in the queue, with what the revert changes.
    queue = first.get("/review/?kind=revert").get_data(as_text=True)
    assert "Hide or revert a legal case" in queue

    before = written(app)
    again = first.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Keliru"})
    assert again.status_code == 409
    assert "a second, different reviewer must confirm it" in again.get_data(as_text=True)
    assert written(app) == before
    own = decide(first, pending[0][0])
    assert own.status_code == 403
    assert "a second, different reviewer must confirm it" in own.get_data(as_text=True)
    assert written(app) == before

    second, second_user = client_for(app, make, "reviewer")
    form = second.get(f"/review/revisions/{revision_id}/revert").get_data(as_text=True)
    assert "Confirm the revert" in form and "Keliru" in form
    done = second.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Setuju"})
    assert done.status_code == 302
    assert sql(app, "SELECT hidden FROM track_record_item WHERE id = :i", i=item_id) == [(True,)]
    assert sql(
        app,
        "SELECT proposed_by_id, approved_by_id, reason FROM revision"
        " WHERE origin = 'revert' AND reverts_id = :r",
        r=revision_id,
    ) == [(first_user.id, second_user.id, "Keliru")]
    assert sql(app, "SELECT status, reviewer_id FROM submission WHERE kind = 'revert'") == [
        ("approved", second_user.id)
    ]
    assert audit_kinds(app)[-1] == "reverted"


def test_reverting_a_legal_case_change_takes_a_second_reviewer_from_the_queue(app, make):
    item_id, _created = published_case(app, make)
    with in_app(app):
        from transparency.models import TrackRecordItem

        item = db.session.get(TrackRecordItem, item_id)
        make.update(item, legal_status="defendant")
    (revision_id,) = sql(
        app,
        "SELECT id FROM revision WHERE entity_type = 'track_record_item' AND action = 'update'",
    )[0]
    first, first_user = client_for(app, make, "reviewer")
    response = first.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Salah"})
    assert response.status_code == 302
    status = "SELECT legal_status FROM track_record_item WHERE id = :i"
    assert sql(app, status, i=item_id) == [("defendant",)]
    ((request_id,),) = sql(app, "SELECT id FROM submission WHERE kind = 'revert'")
    page = first.get(f"/review/submissions/{request_id}").get_data(as_text=True)
    assert "<del>Defendant</del>" in page and "<ins>Suspect</ins>" in page
    before = written(app)
    again = first.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Salah"})
    assert again.status_code == 409
    assert "a second, different reviewer must confirm it" in again.get_data(as_text=True)
    assert written(app) == before
    second, second_user = client_for(app, make, "reviewer")
    assert decide(second, request_id, reason="Setuju").status_code == 302
    assert sql(app, status, i=item_id) == [("suspect",)]
    assert sql(
        app,
        "SELECT proposed_by_id, approved_by_id FROM revision WHERE origin = 'revert'",
    ) == [(first_user.id, second_user.id)]
    assert audit_kinds(app)[-2:] == ["revert_requested", "reverted"]


def test_a_reviewers_reply_takes_a_second_reviewers_approval(app, make):
    candidacy = make.candidacy("Siti Rahayu", disclosure={"cv": "refused"})
    first, first_user = client_for(app, make, "reviewer")
    response = first.post(f"/candidates/{candidacy.id}/replies/new", data=REPLY)
    assert response.status_code == 302
    assert sql(app, "SELECT COUNT(*) FROM reply") == [(0,)]
    assert sql(app, "SELECT kind, status, submitter_id FROM submission") == [
        ("reply", "pending", first_user.id)
    ]
    assert REPLY["text"] not in english(app.test_client()).get(
        f"/candidates/{candidacy.id}"
    ).get_data(as_text=True)
    ((submission_id,),) = sql(app, "SELECT id FROM submission")
    before = written(app)
    own = decide(first, submission_id)
    assert own.status_code == 403
    assert "a second, different reviewer must approve it" in own.get_data(as_text=True)
    assert written(app) == before
    second, second_user = client_for(app, make, "reviewer")
    assert decide(second, submission_id).status_code == 302
    assert sql(app, "SELECT text, recorded_by_id FROM reply") == [(REPLY["text"], first_user.id)]
    assert sql(
        app,
        "SELECT origin, proposed_by_id, approved_by_id FROM revision WHERE entity_type = 'reply'",
    ) == [("reply", first_user.id, second_user.id)]
    profile = english(app.test_client()).get(f"/candidates/{candidacy.id}").get_data(as_text=True)
    assert REPLY["text"] in profile
    assert audit_kinds(app)[-2:] == ["submitted", "approved"]


def test_a_revert_outside_legal_cases_still_takes_one_reviewer(app, make):
    candidacy = make.candidacy("Siti Rahayu", programme=["Sekolah gratis"])
    (revision_id,) = sql(app, "SELECT id FROM revision WHERE entity_type = 'programme_statement'")[
        0
    ]
    reviewer, _ = client_for(app, make, "reviewer")
    response = reviewer.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Keliru"})
    assert response.status_code == 302
    assert sql(
        app, "SELECT hidden FROM programme_statement WHERE candidacy_id = :c", c=candidacy.id
    ) == [(True,)]
    assert sql(app, "SELECT COUNT(*) FROM submission") == [(0,)]
