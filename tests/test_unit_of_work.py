"""One commit point: a request's writes commit once, after its view returns, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from tests.auth_helpers import AuthActions
from tests.factories import Factory
from transparency.access import public
from transparency.extensions import db
from transparency.models import Source
from transparency.unit_of_work import keep_on_error, on_commit

started: list[str] = []


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "PROPAGATE_EXCEPTIONS": False}


@pytest.fixture
def probe(app: Flask, make: Factory) -> Iterator[Flask]:
    """Views that write a source, then answer in different ways (in `make`'s app context)."""
    bp = Blueprint("probe", __name__)

    def write(title: str) -> None:
        db.session.add(Source(url="https://contoh.example/probe", title=title))
        db.session.flush()

    @bp.post("/probe/ok")
    @public
    def ok() -> str:
        write("ok")
        on_commit(lambda: started.append("ok"))
        return "ok"

    @bp.post("/probe/refused")
    @public
    def refused() -> tuple[str, int]:
        write("refused")
        on_commit(lambda: started.append("refused"))
        return "no", 400

    @bp.post("/probe/kept")
    @public
    def kept() -> tuple[str, int]:
        write("kept")
        keep_on_error()
        return "slow down", 429

    @bp.post("/probe/broken")
    @public
    def broken() -> str:
        write("broken")
        raise RuntimeError("a bug in a view")

    app.register_blueprint(bp)
    started.clear()
    yield app


def titles() -> list[str]:
    db.session.rollback()
    rows = db.session.execute(text("SELECT title FROM source WHERE url LIKE '%probe' ORDER BY id"))
    return [row[0] for row in rows]


def test_a_successful_request_commits_once_after_its_view(probe: Flask) -> None:
    commits: list[int] = []

    def count(_session: Session) -> None:
        commits.append(1)

    event.listen(db.session, "after_commit", count)
    try:
        assert probe.test_client().post("/probe/ok").status_code == 200
    finally:
        event.remove(db.session, "after_commit", count)
    assert len(commits) == 1
    assert titles() == ["ok"]
    assert started == ["ok"]  # after the commit


def test_an_error_response_rolls_back(probe: Flask) -> None:
    assert probe.test_client().post("/probe/refused").status_code == 400
    assert titles() == []
    assert started == []  # nothing committed: nothing started


def test_a_refusal_that_is_a_record_is_kept(probe: Flask) -> None:
    assert probe.test_client().post("/probe/kept").status_code == 429
    assert titles() == ["kept"]


def test_an_exception_rolls_back(probe: Flask) -> None:
    response = probe.test_client().post("/probe/broken")
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert titles() == []


def test_a_view_that_only_flushes_is_committed_with_its_flag(
    app: Flask, make: Factory, client: FlaskClient
) -> None:
    """A reviewer's revert: the view flushes only; the commit point commits the change and
    the flag evaluated from it together."""
    candidacy = make.candidacy(disclosure={"cv": "refused", "criminal_record": "published"})
    make.flag(candidacy, "published")
    revision_id = db.session.execute(
        text("SELECT id FROM revision WHERE entity_type = 'disclosure_item' AND action = 'update'")
    ).scalar_one()
    assert AuthActions(client).login(make.user(role="reviewer")).status_code == 302
    response = client.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Keliru"})
    assert response.status_code == 302
    db.session.rollback()
    row = db.session.execute(
        text(
            "SELECT c.flagged, d.status FROM candidacy c JOIN disclosure_item d "
            "ON d.candidacy_id = c.id AND d.requirement = 'cv' WHERE c.id = :id"
        ),
        {"id": candidacy.id},
    ).one()
    assert tuple(row) == (True, "refused")
