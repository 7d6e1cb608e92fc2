"""Backups of the embedded SQLite database, taken while the site keeps writing.

SQLite's online backup API copies a consistent snapshot page by page without stopping
writers. PostgreSQL deployments use pg_dump instead (docs/deploy.md).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.engine import URL

from transparency.extensions import db

PAGES_PER_STEP = 4096


class BackupError(RuntimeError):
    pass


def sqlite_path(url: URL) -> Path:
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError(
            "backup and restore work on the SQLite database; for PostgreSQL use "
            "pg_dump --format=custom and pg_restore (see docs/deploy.md)"
        )
    return Path(url.database)


def check_integrity(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        broken_keys = connection.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a usable SQLite database: {error}") from error
    finally:
        connection.close()
    if result != "ok" or broken_keys:
        raise BackupError(
            f"{path} failed its integrity check: {result}, {len(broken_keys)} broken keys"
        )


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of `source` at `target`, written beside it and then renamed."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(partial) as dst:
        src.backup(dst, pages=PAGES_PER_STEP)
    src.close()
    dst.close()
    check_integrity(partial)
    partial.replace(target)


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Copy the SQLite database to TARGET while the site keeps running."""
    try:
        copy_database(sqlite_path(db.engine.url), target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target} (integrity check passed).")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(backup: Path, yes: bool) -> None:
    """Replace the SQLite database with BACKUP. Stop the server first: later writes are lost."""
    try:
        live = sqlite_path(db.engine.url)
        check_integrity(backup)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    if not yes:
        click.confirm(f"Replace {live} with {backup}?", abort=True)
    db.engine.dispose()
    with sqlite3.connect(backup) as src, sqlite3.connect(live, timeout=30) as dst:
        src.backup(dst, pages=PAGES_PER_STEP)
    src.close()
    dst.close()
    click.echo(f"Restored {live} from {backup}. Run `flask --app transparency search reindex`.")
