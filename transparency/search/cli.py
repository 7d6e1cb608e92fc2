"""`flask --app transparency search reindex | sync | check [--repair]`."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from transparency.extensions import db
from transparency.search import sync
from transparency.search.documents import all_public_ids
from transparency.search.store import index_root

search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("reindex")
@click.option("--procs", type=int, default=0, help="Writer processes (default: by size).")
def reindex_command(procs: int) -> None:
    """Build a complete new index beside the live one and swap it in atomically."""
    started = time.perf_counter()
    procs = procs or sync.procs_for(len(all_public_ids(db.session)))
    count = sync.rebuild(db.session, index_root(), procs=procs)
    click.echo(f"Indexed {count} candidacies in {time.perf_counter() - started:.1f} s.")


@search_cli.command("sync")
def sync_command() -> None:
    """Apply pending index work (the outbox) now, building the index first when it is
    empty; waits for another writer to finish."""
    sync.ensure_built(db.session, index_root())
    result = sync.drain(db.session, index_root(), wait=True, procs=2)
    if result.rebuilt:
        click.echo("Rebuilt the whole index.")
    click.echo(f"Updated {result.applied} documents, removed {result.removed}.")


@search_cli.command("check")
@click.option("--repair", is_flag=True, help="Fix the differences found.")
def check_command(repair: bool) -> None:
    """Compare the database and the index: missing, stale and ghost documents."""
    root = index_root()
    drift = sync.check(db.session, root)
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
        sync.repair(db.session, root, drift)
        after = sync.check(db.session, root)
        if not after.any:
            click.echo("Repaired.")
            return
        click.echo("Still different after repair.", err=True)
    raise click.exceptions.Exit(1)
