"""The index follows the database: outbox in the change's transaction, drained later."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskCliRunner
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.factories import Factory
from transparency import derived
from transparency.derived import refresh_after_bulk
from transparency.disclosure import rulesets
from transparency.disclosure.rules import default_document
from transparency.extensions import db
from transparency.listing import parse_filters
from transparency.models import Candidacy, DisclosureItem, ProgrammeStatement, SearchOutbox
from transparency.revisions import provenance
from transparency.search import copies, search_candidacies, sync
from transparency.search.store import current_version, index_root, pool


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """These tests are about the Whoosh index: they use it on PostgreSQL too."""
    return {**app_config, "SEARCH_BACKEND": "whoosh"}


def drain(app: Flask) -> sync.SyncResult:
    return sync.drain(db.session, index_root(app), wait=True)


def found(app: Flask, q: str) -> list[str]:
    with app.test_request_context("/"):
        result = search_candidacies(parse_filters({"q": q}))
        return [hit.candidacy.person.full_name for hit in result.hits]


def outbox(app: Flask) -> list[int]:
    return list(db.session.scalars(select(SearchOutbox.candidacy_id)))


def test_a_committed_change_is_queued_then_searchable(app: Flask, make: Factory) -> None:
    candidacy = make.candidacy("Siti Rahayu", programme=["Perahu untuk nelayan"])
    assert outbox(app) == [candidacy.id]
    assert found(app, "nelayan") == []  # not yet drained: nothing written during the request
    result = drain(app)
    assert result.applied == 1
    assert outbox(app) == []
    assert found(app, "nelayan") == ["Siti Rahayu"]


def test_a_rolled_back_change_leaves_no_trace(app: Flask, make: Factory) -> None:
    candidacy = make.candidacy("Siti Rahayu", programme=["Perahu untuk nelayan"])
    drain(app)
    statement = candidacy.programme[0]
    with provenance(db.session, origin="test"):
        statement.text = "Beasiswa untuk guru honorer"
        db.session.flush()
    derived.settle(db.session)  # the channel's consumers, as they run just before a commit
    assert outbox(app) == [candidacy.id]  # queued inside the transaction...
    db.session.rollback()
    assert outbox(app) == []  # ...and gone with it
    drain(app)
    assert found(app, "honorer") == []
    assert found(app, "nelayan") == ["Siti Rahayu"]


def test_a_change_whose_writer_died_is_applied_by_search_sync(
    app: Flask, make: Factory, runner: FlaskCliRunner
) -> None:
    make.candidacy("Siti Rahayu", programme=["Perahu untuk nelayan"])
    drain(app)
    # The drainer is off in tests: this is a worker that committed and died before writing.
    make.candidacy("Budi Santoso", programme=["Irigasi untuk petani"])
    assert len(outbox(app)) == 1
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert "Updated 1 documents" in result.output
    assert found(app, "pertanian") == ["Budi Santoso"]


def test_a_person_change_updates_all_their_candidacies(app: Flask, make: Factory) -> None:
    first = make.candidacy("Siti Rahayu")
    second = make.candidacy("Siti Rahayu", district="3301")
    drain(app)
    # The second candidacy got its own person from the factory: attach it to the first's.
    with provenance(db.session, origin="test"):
        second.person = first.person
        db.session.flush()
    db.session.commit()
    drain(app)
    with provenance(db.session, origin="test"):
        first.person.occupation = "Nelayan"
        db.session.flush()
    db.session.commit()
    assert sorted(outbox(app)) == sorted([first.id, second.id])
    drain(app)
    assert sorted(found(app, "nelayan")) == ["Siti Rahayu", "Siti Rahayu"]


def test_hidden_rows_leave_the_index(app: Flask, make: Factory) -> None:
    candidacy = make.candidacy(
        "Siti Rahayu", programme=["Perahu untuk nelayan", "Rahasia koperasi"]
    )
    drain(app)
    assert found(app, "koperasi") == ["Siti Rahayu"]
    with provenance(db.session, origin="test"):
        db.session.get(ProgrammeStatement, candidacy.programme[1].id).hidden = True
        db.session.flush()
    db.session.commit()
    drain(app)
    assert found(app, "koperasi") == []
    with provenance(db.session, origin="test"):
        candidacy.hidden = True
        db.session.flush()
    db.session.commit()
    result = drain(app)
    assert result.removed == 1
    assert found(app, "nelayan") == []


def _refuse_cv_behind_the_orm(candidacy: Candidacy) -> None:
    table = DisclosureItem.__table__
    db.session.execute(
        table.update()
        .where(table.c.candidacy_id == candidacy.id, table.c.requirement == "cv")
        .values(status="refused")
    )


def _flag_by_orm(
    make: Factory, candidacy: Candidacy, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make.flag(candidacy)


def _flag_by_bulk_write(
    make: Factory, candidacy: Candidacy, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _refuse_cv_behind_the_orm(candidacy)  # an importer's Core write, then the one door
    refresh_after_bulk(db.session, [candidacy.id])
    db.session.commit()


def _flag_by_recompute(
    make: Factory, candidacy: Candidacy, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _refuse_cv_behind_the_orm(candidacy)  # nobody reported this write...
    db.session.commit()
    result = runner.invoke(args=["disclosure", "recompute"])  # ...the recompute finds it
    assert result.exit_code == 0, result.output


def _rules(tmp_path: Path, version: str, cv_required: bool) -> str:
    document = default_document()
    document["version"] = version
    next(rule for rule in document["rules"] if rule["id"] == "R-CV")["required"] = cv_required
    path = tmp_path / f"rules-{version}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def _flag_by_load_rules(
    make: Factory, candidacy: Candidacy, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    lenient = runner.invoke(args=["disclosure", "load-rules", _rules(tmp_path, "2024.5", False)])
    assert lenient.exit_code == 0, lenient.output
    make.flag(candidacy)  # a refused CV, which these rules do not flag
    drain(current_app)
    assert flagged_search(current_app, "nelayan") == []
    strict = runner.invoke(args=["disclosure", "load-rules", _rules(tmp_path, "2024.6", True)])
    assert strict.exit_code == 0, strict.output


@pytest.mark.parametrize(
    "writer", [_flag_by_orm, _flag_by_bulk_write, _flag_by_recompute, _flag_by_load_rules]
)
def test_derived_flag_columns_are_followed(
    app: Flask, make: Factory, runner: FlaskCliRunner, tmp_path: Path, writer: Callable
) -> None:
    rulesets.load_default_rules(db.session)
    db.session.commit()
    # Nelayan speaks in her track record only: no programme statement, a CV published.
    candidacy = make.candidacy(
        "Siti Rahayu",
        disclosure={"cv": "published", "criminal_record": "published"},
        track_record=[{"title": "Ketua koperasi nelayan"}],
    )
    drain(app)
    assert flagged_search(app, "nelayan") == []
    writer(make, candidacy, runner, tmp_path)
    db.session.rollback()
    flagged = db.session.execute(
        text("SELECT flagged FROM candidacy WHERE id = :id"), {"id": candidacy.id}
    ).scalar_one()
    assert flagged
    drain(app)
    assert flagged_search(app, "nelayan") == [candidacy.id]


def flagged_search(app: Flask, q: str) -> list[int]:
    with app.test_request_context("/"):
        result = search_candidacies(parse_filters({"q": q, "status": "flagged"}))
    return [hit.candidacy.id for hit in result.hits]


def test_bulk_writes_ask_for_a_rebuild(app: Flask, make: Factory) -> None:
    make.candidacy("Siti Rahayu", programme=["Perahu untuk nelayan"])
    db.session.execute(SearchOutbox.__table__.delete())  # as if a bulk writer bypassed the ORM
    db.session.commit()
    with app.test_request_context("/"):
        refresh_after_bulk(db.session, None)
    db.session.commit()
    assert outbox(app) == [sync.REBUILD_ALL]
    result = drain(app)
    assert result.rebuilt
    assert outbox(app) == []
    assert found(app, "nelayan") == ["Siti Rahayu"]


def test_one_writer_at_a_time(app: Flask, make: Factory) -> None:
    make.candidacy("Siti Rahayu")
    root = index_root(app)
    with copies.writer_lock(root, wait=True):
        busy = sync.drain(db.session, root, wait=False)
    assert busy.busy
    assert len(outbox(app)) == 1  # nothing lost: the next drain applies it
    assert drain(app).applied == 1


def test_reindex_swaps_while_searching(app: Flask, make: Factory, runner: FlaskCliRunner) -> None:
    for i in range(5):
        make.candidacy(f"Calon {i}", programme=["Perahu untuk nelayan"])
    drain(app)
    before = current_version(index_root(app))
    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def search_all_the_time() -> None:
        with app.app_context():
            while not stop.is_set():
                try:
                    counts.append(len(found(app, "nelayan")))
                except BaseException as error:
                    errors.append(error)
                    return

    reader = threading.Thread(target=search_all_the_time)
    reader.start()
    try:
        for _ in range(3):
            result = runner.invoke(args=["search", "reindex"])
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert counts and set(counts) == {5}  # never a missing or half-built index
    assert current_version(index_root(app)) != before
    assert found(app, "nelayan") and len(found(app, "nelayan")) == 5


def test_background_drainer_applies_commits(app: Flask, make: Factory) -> None:
    app.config["SEARCH_SYNC_INTERVAL"] = 0.05
    drainer = sync.start_drainer(app)
    try:
        make.candidacy("Siti Rahayu", programme=["Perahu untuk nelayan"])  # commit wakes it
        pending = [-1]
        for _attempt in range(20):  # a pass may have started before our commit
            drainer.passed.clear()
            drainer.wake()
            assert drainer.passed.wait(timeout=10)
            pending = outbox(app)
            db.session.rollback()  # a read transaction here would hold SQLite's write lock
            if not pending:
                break
        assert pending == []
        assert found(app, "nelayan") == ["Siti Rahayu"]
    finally:
        db.session.rollback()  # our read transaction would hold SQLite's write lock
        sync.stop_drainer(app)
        pool.close()


def test_no_drainer_starts_in_tests_or_commands(app: Flask, client: object) -> None:
    client.get("/")  # type: ignore[attr-defined]
    assert id(app) not in sync._drainers


def test_candidacy_without_id_change_is_not_requeued(app: Flask, make: Factory) -> None:
    candidacy = make.candidacy("Siti Rahayu")
    drain(app)
    db.session.get(Candidacy, candidacy.id)
    db.session.commit()
    assert outbox(app) == []


def test_an_empty_index_beside_a_full_database_is_rebuilt(app: Flask, make: Factory) -> None:
    make.candidacy("Siti Rahayu", programme=["Perahu untuk nelayan"])
    db.session.execute(SearchOutbox.__table__.delete())  # as if the index directory was lost
    db.session.commit()
    sync.ensure_built(db.session, index_root(app))
    # The request is this copy's own: other copies' indexes are not rebuilt for it.
    assert outbox(app) == []
    assert db.session.execute(text("SELECT rebuild FROM search_copy")).scalars().all() == [True]
    assert drain(app).rebuilt
    assert found(app, "nelayan") == ["Siti Rahayu"]
    sync.ensure_built(db.session, index_root(app))
    assert db.session.execute(text("SELECT rebuild FROM search_copy")).scalars().all() == [False]


def test_a_rebuild_reads_without_stopping_writers_and_keeps_their_work(
    app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build reads for minutes at 250,000: volunteers' writes must go on meanwhile."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL readers never hold a write lock")
    candidacy = make.candidacy("Siti Rahayu", programme=["Perahu untuk nelayan"])
    statement_id = candidacy.programme[0].id
    db.session.commit()
    real = sync.iter_all_documents
    writes: list[str] = []

    engine = db.engine

    def write() -> None:  # a volunteer's request in another thread, on its own connection
        with app.app_context(), Session(engine) as writer, provenance(writer, origin="test"):
            writer.connection().exec_driver_sql("PRAGMA busy_timeout=500")  # fail fast
            writer.get(ProgrammeStatement, statement_id).text = "Pupuk untuk petani"
            writer.commit()
        writes.append("committed")

    def read_while_someone_writes(session: Session) -> Iterator[object]:
        for doc in real(session):
            if not writes:
                thread = threading.Thread(target=write)
                thread.start()
                thread.join()
            yield doc

    monkeypatch.setattr(sync, "iter_all_documents", read_while_someone_writes)
    sync.rebuild(db.session, index_root(app))
    assert writes == ["committed"]
    # Queued after the build's snapshot, the change is still pending, then applied.
    assert outbox(app) == [candidacy.id]
    drain(app)
    assert found(app, "petani") == ["Siti Rahayu"]
    assert found(app, "nelayan") == []
