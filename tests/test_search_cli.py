"""`flask search check [--repair]`, `search reindex` and `search sync` from the command line."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.factories import Factory
from transparency.extensions import db
from transparency.search import sync
from transparency.search.documents import documents_for
from transparency.search.store import index_root, open_index


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """These tests are about the Whoosh index: they use it on PostgreSQL too."""
    return {**app_config, "SEARCH_BACKEND": "whoosh"}


def test_check_finds_and_repairs_planted_drift(
    app: Flask, make: Factory, runner: FlaskCliRunner
) -> None:
    kept = make.candidacy("Siti Rahayu", programme=["Perahu nelayan"])
    missing = make.candidacy("Budi Santoso", programme=["Irigasi sawah"])
    stale = make.candidacy("Dewi Lestari", programme=["Air bersih"])
    root = index_root(app)
    sync.drain(db.session, root, wait=True)
    assert runner.invoke(args=["search", "check"]).exit_code == 0

    docs = documents_for(db.session, [stale.id, kept.id])
    ix = open_index(root)
    with ix.writer() as writer:
        writer.delete_by_term("id", str(missing.id))
        writer.update_document(**{**docs[stale.id], "text": "teks lama", "digest": "old"})
        writer.add_document(**{**docs[kept.id], "id": "999999"})  # a ghost
    ix.close()

    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"missing: 1 ({missing.id})" in result.output
    assert f"stale: 1 ({stale.id})" in result.output
    assert "ghost: 1 (999999)" in result.output

    result = runner.invoke(args=["search", "check", "--repair"])
    assert result.exit_code == 0, result.output
    assert "Repaired." in result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0
    assert "Index and database agree." in result.output


def test_reindex_reports_what_it_built(make: Factory, runner: FlaskCliRunner) -> None:
    make.candidacy("Siti Rahayu")
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0
    assert "Indexed 1 candidacies" in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_sync_with_nothing_to_do(runner: FlaskCliRunner, app: Flask) -> None:
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0
    assert "Updated 0 documents, removed 0." in result.output


def test_sync_builds_a_lost_index_so_the_first_search_finds(
    app: Flask, make: Factory, runner: FlaskCliRunner
) -> None:
    """`make run` runs `search sync`: data in the database, no index yet, then a search."""
    candidacy = make.candidacy("Siti Rahayu", programme=["Perahu nelayan"])
    root = index_root(app)
    sync.drain(db.session, root, wait=True)
    ix = open_index(root)
    with ix.writer() as writer:  # an index directory emptied under the database
        writer.delete_by_term("id", str(candidacy.id))
    ix.close()

    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the whole index." in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
