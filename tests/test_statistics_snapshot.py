"""/statistics after a recompute or an import reads a snapshot the writer stored: the first
visitor computes nothing, and the figures are those of the data just written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event, text

from tests.auth_helpers import AuthActions
from tests.factories import Factory
from transparency.extensions import db

CSV_HEADER = "election,office,district_code,party_number,ballot_number,full_name,cv_status"


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def stored_stamps(item: str, election: str) -> list[int]:
    db.session.rollback()
    rows = db.session.execute(
        text("SELECT stamp FROM statistics_snapshot WHERE item = :item AND election = :e"),
        {"item": item, "e": election},
    )
    return [row[0] for row in rows]


def current_stamp() -> int:
    return db.session.execute(text("SELECT counter FROM disclosure_stamp")).scalar_one()


def test_a_recompute_stores_the_figures_and_the_page_reads_them(
    app: Flask, make: Factory, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    open_cv = {"cv": "published", "criminal_record": "published"}
    make.candidacy("Calon Satu", disclosure=open_cv)
    make.candidacy("Calon Dua", disclosure={**open_cv, "cv": "refused"})
    make.candidacy("Calon Tiga", disclosure={**open_cv, "cv": "refused"})
    result = runner.invoke(args=["disclosure", "recompute"])
    assert result.exit_code == 0, result.output
    assert stored_stamps("cv", "") == [current_stamp()]
    assert stored_stamps("cv", "pemilu-2024") == [current_stamp()]
    with statements(app) as seen:
        page = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "2 of 3 listed candidates whose item was checked refused" in page
    grouped = [statement for statement in seen if "GROUP BY" in statement.upper()]
    assert grouped == []  # read from the snapshot, not computed by this visitor


def test_an_import_stores_the_figures_of_what_it_wrote(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        f"{CSV_HEADER}\n"
        "pemilu-2024,DPR,3304,1,1,Ani Fiktif,tidak_bersedia\n"
        "pemilu-2024,DPR,3304,1,2,Bayu Fiktif,bersedia\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        args=["import-candidates", str(path), "--source-url", "https://contoh.example/dct"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert stored_stamps("cv", "") == [current_stamp()]
    with statements(app) as seen:
        page = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "1 of 2 listed candidates whose item was checked refused" in page
    assert not [statement for statement in seen if "GROUP BY" in statement.upper()]


def test_an_edit_after_the_snapshot_is_never_served_stale_without_a_rebuilder(
    app: Flask, make: Factory, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    candidacy = make.candidacy(disclosure={"cv": "published", "criminal_record": "published"})
    assert runner.invoke(args=["disclosure", "recompute"]).exit_code == 0
    assert "0 of 1 listed candidates whose item was checked refused" in client.get(
        "/statistics?lang=en"
    ).get_data(as_text=True)
    make.flag(candidacy)  # an edit: the stamp moves past the stored snapshot
    page = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "1 of 1 listed candidates whose item was checked refused" in page


def test_the_background_rebuilder_stores_an_edit(
    app: Flask, make: Factory, client: FlaskClient
) -> None:
    app.config.update(STATISTICS_BACKGROUND_REBUILD=True, STATISTICS_REBUILD_INTERVAL=0.0)
    open_cv = {"cv": "published", "criminal_record": "published"}
    refused = make.candidacy("Calon Dua", disclosure={**open_cv, "cv": "refused"})
    make.candidacy("Calon Satu", disclosure=open_cv)
    revision_id = db.session.execute(
        text(
            "SELECT id FROM revision WHERE entity_type = 'candidacy' AND action = 'create' "
            "AND entity_id = :id"
        ),
        {"id": refused.id},
    ).scalar_one()
    reviewer = app.test_client()
    assert AuthActions(reviewer).login(make.user(role="reviewer")).status_code == 302
    # A reviewer hides the refused candidacy: an edit in a request, rebuilt after its commit.
    response = reviewer.post(f"/review/revisions/{revision_id}/revert", data={"reason": "Ganda"})
    assert response.status_code == 302
    rebuilder = app.extensions["transparency.statistics.rebuilder"]
    assert rebuilder.passed.wait(timeout=30)
    with app.app_context():
        assert stored_stamps("cv", "") == [current_stamp()]
    # A fresh app context: the reviewer's request left its language on this one's `g`.
    with app.app_context(), statements(app) as seen:
        page = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "0 of 1 listed candidates whose item was checked refused" in page
    assert not [statement for statement in seen if "GROUP BY" in statement.upper()]


def stored_pages() -> list[tuple[str, str]]:
    db.session.rollback()
    rows = db.session.execute(
        text(
            "SELECT item, election FROM statistics_snapshot WHERE item LIKE 'page:%' ORDER BY item"
        )
    )
    return [tuple(row) for row in rows]


def mark_stored_page(item: str, mark: str) -> None:
    """Put a visible mark into a stored page, so that a test can tell it was served."""
    db.session.rollback()
    row = db.session.execute(
        text("SELECT id, payload FROM statistics_snapshot WHERE item = :item"), {"item": item}
    ).one()
    payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
    payload["html"] = f"<p>{mark}</p>" + payload["html"]
    # SQLite keeps JSON as text (its CAST AS JSON would make a number of it)
    value = ":payload" if db.engine.dialect.name == "sqlite" else "CAST(:payload AS JSON)"
    db.session.execute(
        text(f"UPDATE statistics_snapshot SET payload = {value} WHERE id = :id"),  # noqa: S608
        {"payload": json.dumps(payload), "id": row.id},
    )
    db.session.commit()


def test_the_default_page_is_stored_rendered_and_served_in_each_language(
    app: Flask, make: Factory, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    open_cv = {"cv": "published", "criminal_record": "published"}
    make.candidacy("Calon Satu", disclosure=open_cv)
    make.candidacy("Calon Dua", disclosure={**open_cv, "cv": "refused"})
    make.candidacy("Calon Tiga", disclosure={**open_cv, "cv": "refused"})
    assert runner.invoke(args=["disclosure", "recompute"]).exit_code == 0
    with app.app_context():
        assert stored_pages() == [("page:cv:en", ""), ("page:cv:id", "")]
        mark_stored_page("page:cv:en", "STORED-EN")
        mark_stored_page("page:cv:id", "STORED-ID")
    # Each in its own app context: a request in the test's would leave its language on `g`.
    with app.app_context():
        english = client.get("/statistics?lang=en").get_data(as_text=True)
    with app.app_context():
        indonesian = client.get("/statistics?lang=id").get_data(as_text=True)
    assert "STORED-EN" in english and "STORED-ID" not in english
    assert "2 of 3 listed candidates whose item was checked refused publication" in english
    assert "STORED-ID" in indonesian and "STORED-EN" not in indonesian
    assert "2 dari 3 calon terdaftar yang butirnya sudah diperiksa tidak bersedia" in indonesian
    assert "listed candidates refused" not in indonesian
    # Absolute links are on the reader's address, as a page rendered for them would have them.
    for page in (english, indonesian):
        assert "statistics-page.invalid" not in page
        assert 'href="http://localhost/statistics/party.svg' in page
    # Another question is rendered by its visitor, in its language.
    other = client.get("/statistics?lang=en&election=pemilu-2024").get_data(as_text=True)
    assert "STORED-EN" not in other
    assert "2 of 3 listed candidates whose item was checked refused publication" in other


def test_a_stored_page_is_not_served_once_a_cv_list_of_sections_changes(
    app: Flask, make: Factory, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    candidacy = make.candidacy(disclosure={"cv": "partial", "criminal_record": "published"})
    assert runner.invoke(args=["disclosure", "recompute"]).exit_code == 0
    with app.app_context():
        mark_stored_page("page:cv:en", "STORED-EN")
    assert "STORED-EN" in client.get("/statistics?lang=en").get_data(as_text=True)
    item = next(item for item in candidacy.disclosure_items if item.requirement == "cv")
    # The status stays partial (the data stamp does not move); the sections withheld change.
    make.update(item, sections={"published": ["datadiri"], "withheld": ["hukum"]})
    page = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "STORED-EN" not in page
    assert "CV sections withheld" in page


def stored_computed_at() -> list[str]:
    db.session.rollback()
    rows = db.session.execute(
        text("SELECT computed_at FROM statistics_snapshot WHERE item = 'cv' AND election = ''")
    )
    return [str(row[0]) for row in rows]


def test_a_recompute_that_moves_nothing_keeps_todays_snapshot(
    app: Flask, make: Factory, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """The daily recompute mostly changes nothing: it must not redo the figures (half its
    time at 250,000), and the page still reads the stored ones."""
    open_cv = {"cv": "published", "criminal_record": "published"}
    make.candidacy("Calon Satu", disclosure=open_cv)
    make.candidacy("Calon Dua", disclosure={**open_cv, "cv": "refused"})
    assert runner.invoke(args=["disclosure", "recompute"]).exit_code == 0
    with app.app_context():
        stamp, computed = current_stamp(), stored_computed_at()
    result = runner.invoke(args=["disclosure", "recompute"])
    assert result.exit_code == 0, result.output
    assert " 0 changed" in result.output
    with app.app_context():
        assert current_stamp() == stamp
        assert stored_computed_at() == computed  # the same row: not written again
    with statements(app) as seen:
        page = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "1 of 2 listed candidates whose item was checked refused" in page
    assert not [statement for statement in seen if "GROUP BY" in statement.upper()]


def test_a_recompute_rebuilds_a_snapshot_of_another_day_or_after_a_change(
    app: Flask, make: Factory, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    open_cv = {"cv": "published", "criminal_record": "published"}
    make.candidacy("Calon Satu", disclosure=open_cv)
    assert runner.invoke(args=["disclosure", "recompute"]).exit_code == 0
    with app.app_context():
        # Yesterday's figures may count an open request that is now past its window.
        db.session.execute(
            text("UPDATE statistics_snapshot SET computed_at = '2000-01-01 00:00:00'")
        )
        db.session.commit()
    assert runner.invoke(args=["disclosure", "recompute"]).exit_code == 0
    with app.app_context():
        assert [when[:10] for when in stored_computed_at()] != ["2000-01-01"]
        stamp = current_stamp()
    # A status written past the channel (as a script would): the recompute moves a result.
    with app.app_context():
        db.session.execute(
            text("UPDATE disclosure_item SET status = 'refused' WHERE requirement = 'cv'")
        )
        db.session.commit()
    result = runner.invoke(args=["disclosure", "recompute"])
    assert "1 changed" in result.output, result.output
    with app.app_context():
        assert current_stamp() == stamp + 1
        assert stored_stamps("cv", "") == [stamp + 1]
    page = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "1 of 1 listed candidates whose item was checked refused" in page
