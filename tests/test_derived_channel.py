"""Derived data follows every kind of writer through the one change channel.

After each writer — an ORM edit, an import, demo data, `disclosure recompute`, `load-rules`,
a revert, a hide — the flag is right in the database, `search check` agrees, and the
flag filter of the list page finds (or no longer finds) the candidacy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, text

from tests.auth_helpers import AuthActions
from tests.factories import Factory
from transparency import derived
from transparency.disclosure import rulesets
from transparency.disclosure.rules import default_document
from transparency.extensions import db
from transparency.models import Candidacy, DisclosureItem, Revision
from transparency.search import sync
from transparency.search.store import index_root

OPEN = {"cv": "published", "criminal_record": "published"}
CSV_HEADER = "election,office,district_code,party_number,ballot_number,full_name,cv_status"


def flagged_in_database(candidacy_id: int) -> bool:
    db.session.rollback()
    sql = text("SELECT flagged FROM candidacy WHERE id = :id")
    return bool(db.session.execute(sql, {"id": candidacy_id}).scalar_one())


def index_agrees(runner: FlaskCliRunner) -> None:
    """Drain what the writer queued (the drainer is off in tests), then `search check`."""
    db.session.rollback()
    sync.drain(db.session, index_root(current_app), wait=True)
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "Index and database agree." in result.output


def flag_filter_finds(client: FlaskClient, words: str, candidacy_id: int) -> bool:
    query = {"q": words, "status": "flagged"}
    page = client.get("/candidates", query_string=query).get_data(as_text=True)
    return f'href="/candidates/{candidacy_id}"' in page


def test_consumers_run_in_their_declared_order(app: Flask) -> None:
    names = [registration.name for registration in derived.consumers(app)]
    assert names == ["disclosure", "list-keys", "search", "statistics"]


def test_an_orm_edit(app: Flask, make: Factory, client: FlaskClient, runner) -> None:
    candidacy = make.candidacy("Siti Rahayu", disclosure=OPEN, programme=["Perahu nelayan"])
    index_agrees(runner)
    assert not flag_filter_finds(client, "nelayan", candidacy.id)
    make.flag(candidacy)
    assert flagged_in_database(candidacy.id)
    index_agrees(runner)
    assert flag_filter_finds(client, "nelayan", candidacy.id)


def test_an_import(app: Flask, client: FlaskClient, runner, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        f"{CSV_HEADER}\npemilu-2024,DPR,3304,1,1,Ani Fiktif,tidak_bersedia\n", encoding="utf-8"
    )
    result = runner.invoke(
        args=["import-candidates", str(path), "--source-url", "https://contoh.example/dct"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():  # the import command ends the test's app context
        candidacy_id = db.session.execute(text("SELECT id FROM candidacy")).scalar_one()
        assert flagged_in_database(candidacy_id)
        index_agrees(runner)
    assert flag_filter_finds(client, "Ani", candidacy_id)


@pytest.mark.areas
def test_demo_data(app: Flask, client: FlaskClient, runner) -> None:
    result = runner.invoke(args=["demo-data", "--candidates", "40"])
    assert result.exit_code == 0, result.output
    with app.app_context():  # the command ends the test's app context
        row = db.session.execute(
            text(
                "SELECT c.id, p.full_name FROM candidacy c JOIN person p ON p.id = c.person_id "
                "WHERE c.flagged AND NOT c.hidden AND NOT p.hidden ORDER BY c.id"
            )
        ).first()
        assert row is not None, "the demo data has flagged candidacies"
        index_agrees(runner)
    assert flag_filter_finds(client, row.full_name, row.id)


def test_recompute_after_a_write_behind_the_channel(
    app: Flask, make: Factory, client: FlaskClient, runner
) -> None:
    candidacy = make.candidacy("Siti Rahayu", disclosure=OPEN, programme=["Perahu nelayan"])
    index_agrees(runner)
    # A fix made in SQL by an operator: no writer reported it, so nothing followed yet.
    db.session.execute(
        text("UPDATE disclosure_item SET status = 'refused' WHERE requirement = 'cv'")
    )
    db.session.commit()
    assert not flagged_in_database(candidacy.id)
    result = runner.invoke(args=["disclosure", "recompute"])
    assert result.exit_code == 0, result.output
    assert "1 newly flagged" in result.output
    assert flagged_in_database(candidacy.id)
    index_agrees(runner)
    assert flag_filter_finds(client, "nelayan", candidacy.id)


def _rules_file(tmp_path: Path, version: str, cv_required: bool) -> Path:
    document = default_document()
    document["version"] = version
    cv_rule = next(rule for rule in document["rules"] if rule["id"] == "R-CV")
    cv_rule["required"] = cv_required
    path = tmp_path / f"rules-{version}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_load_rules(app: Flask, make: Factory, client: FlaskClient, runner, tmp_path: Path) -> None:
    rulesets.load_default_rules(db.session)
    db.session.commit()
    candidacy = make.candidacy(
        "Siti Rahayu", disclosure={**OPEN, "cv": "refused"}, programme=["Perahu nelayan"]
    )
    index_agrees(runner)
    assert flag_filter_finds(client, "nelayan", candidacy.id)
    # Rules under which a refused CV flags nobody: the flag goes, and leaves the index...
    lenient = runner.invoke(
        args=["disclosure", "load-rules", str(_rules_file(tmp_path, "2024.5", False))]
    )
    assert lenient.exit_code == 0, lenient.output
    assert not flagged_in_database(candidacy.id)
    index_agrees(runner)
    assert not flag_filter_finds(client, "nelayan", candidacy.id)
    # ...and rules under which it does: the flag comes back, and the index follows.
    strict = runner.invoke(
        args=["disclosure", "load-rules", str(_rules_file(tmp_path, "2024.6", True))]
    )
    assert strict.exit_code == 0, strict.output
    assert flagged_in_database(candidacy.id)
    index_agrees(runner)
    assert flag_filter_finds(client, "nelayan", candidacy.id)


def _reviewer(app: Flask, make: Factory) -> FlaskClient:
    client = app.test_client()
    assert AuthActions(client).login(make.user(role="reviewer")).status_code == 302
    return client


def test_a_revert(app: Flask, make: Factory, client: FlaskClient, runner) -> None:
    candidacy = make.candidacy(
        "Siti Rahayu", disclosure={**OPEN, "cv": "refused"}, programme=["Perahu nelayan"]
    )
    make.flag(candidacy, "published")  # a correction, recorded as a revision
    assert not flagged_in_database(candidacy.id)
    index_agrees(runner)
    assert not flag_filter_finds(client, "nelayan", candidacy.id)
    revision_id = db.session.scalar(
        select(Revision.id).where(
            Revision.entity_type == DisclosureItem.__tablename__, Revision.action == "update"
        )
    )
    reviewer = _reviewer(app, make)
    response = reviewer.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Keliru"})
    assert response.status_code == 302
    assert flagged_in_database(candidacy.id)
    index_agrees(runner)
    assert flag_filter_finds(client, "nelayan", candidacy.id)


def test_a_hide(app: Flask, make: Factory, client: FlaskClient, runner) -> None:
    candidacy = make.candidacy(
        "Siti Rahayu", disclosure={**OPEN, "cv": "refused"}, programme=["Perahu nelayan"]
    )
    index_agrees(runner)
    assert flag_filter_finds(client, "nelayan", candidacy.id)
    created = db.session.scalar(
        select(Revision.id).where(
            Revision.entity_type == Candidacy.__tablename__, Revision.action == "create"
        )
    )
    reviewer = _reviewer(app, make)
    response = reviewer.post(f"/review/revisions/{created}/revert", data={"reason": "Ganda"})
    assert response.status_code == 302
    hidden = db.session.execute(
        text("SELECT hidden FROM candidacy WHERE id = :id"), {"id": candidacy.id}
    ).scalar_one()
    assert hidden
    index_agrees(runner)
    assert not flag_filter_finds(client, "nelayan", candidacy.id)
