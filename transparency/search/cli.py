"""`flask --app transparency search reindex | sync | check [--repair]`, for the backend in use
(SEARCH_BACKEND): the Whoosh index, or the PostgreSQL search rows."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import text

from transparency.extensions import db
from transparency.search import pg_sync, sync
from transparency.search.documents import all_public_ids
from transparency.search.store import index_root

search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("reindex")
@click.option("--procs", type=int, default=0, help="Writer processes (default: by size).")
def reindex_command(procs: int) -> None:
    """Build a complete new index beside the live one and swap it in atomically (PostgreSQL
    backend: rewrite every search row in one transaction)."""
    started = time.perf_counter()
    if _postgres():
        count = pg_sync.rebuild(db.session)
        db.session.commit()
        click.echo(f"Indexed {count} candidacies in {time.perf_counter() - started:.1f} s.")
        return
    procs = procs or sync.procs_for(len(all_public_ids(db.session)))
    count = sync.rebuild(db.session, index_root(), procs=procs)
    click.echo(f"Indexed {count} candidacies in {time.perf_counter() - started:.1f} s.")


@search_cli.command("sync")
def sync_command() -> None:
    """Apply pending index work (the outbox) now, building the index first when it is
    empty; waits for another writer to finish. The PostgreSQL backend has nothing pending
    (its rows are written with each change): it only fills an empty table."""
    if _postgres():
        if db.session.execute(text("SELECT 1 FROM search_document LIMIT 1")).first() is None:
            count = pg_sync.rebuild(db.session)
            db.session.commit()
            click.echo(f"Indexed {count} candidacies.")
        click.echo("Nothing pending: search rows are written with each change.")
        return
    sync.ensure_built(db.session, index_root())
    result = sync.drain(db.session, index_root(), wait=True, procs=2)
    if result.rebuilt:
        click.echo("Rebuilt the whole index.")
    click.echo(f"Updated {result.applied} documents, removed {result.removed}.")


@search_cli.command("check")
@click.option("--repair", is_flag=True, help="Fix the differences found.")
def check_command(repair: bool) -> None:
    """Compare the database and the index: missing, stale and ghost documents."""
    postgres = _postgres()
    root = None if postgres else index_root()
    drift = pg_sync.check(db.session) if postgres else sync.check(db.session, root)
    for label, ids in (
        ("missing", drift.missing),
        ("stale", drift.stale),
        ("ghost", drift.ghosts),
    ):
        shown = ", ".join(map(str, ids[:50])) + (" …" if len(ids) > 50 else "")
        click.echo(f"{label}: {len(ids)}" + (f" ({shown})" if ids else ""))
    if not drift.any:
        click.echo("Index and database agree.")
        return
    if repair:
        if postgres:
            pg_sync.repair(db.session, drift)
            after = pg_sync.check(db.session)
        else:
            sync.repair(db.session, root, drift)
            after = sync.check(db.session, root)
        if not after.any:
            click.echo("Repaired.")
            return
        click.echo("Still different after repair.", err=True)
    raise click.exceptions.Exit(1)


def _postgres() -> bool:
    return current_app.config["SEARCH_BACKEND"] == "postgres"
