"""`flask --app transparency export`: the same files as /export/*, written offline."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from transparency.exports import documents, dumps, popolo
from transparency.exports.writers import sha256_of
from transparency.extensions import db
from transparency.labels import DISCLOSURE_ITEMS, label_of
from transparency.listing import FilterError, parse_filters
from transparency.models.base import utcnow

FILTER_OPTIONS = (
    "q",
    "election",
    "office",
    "province",
    "district",
    "party",
    "status",
    "stage",
    "sort",
)
DEFAULT_BASE_URL = "http://localhost:5000/"


def requirement_labels() -> dict[str, str]:
    return {code: label_of(DISCLOSURE_ITEMS, code) for code in DISCLOSURE_ITEMS}


def _write(export: documents.ExportPlan, fmt: str, target: Path) -> None:
    """Into a temporary file beside the target, renamed at the end: never a partial file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            if fmt == "xlsx":
                documents.xlsx_file(db.session, export, out, requirement_labels())
            else:
                body = {
                    "csv": documents.csv_body,
                    "json": documents.json_body,
                    "popolo": popolo.popolo_body,
                }[fmt](db.session, export)
                for chunk in body:
                    out.write(chunk)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.group("export", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice([*documents.FORMATS, "popolo"]), default="csv")
@click.option("--q", default="", help="text query (needs the search module)")
@click.option("--election", default="", help="election slug, e.g. pemilu-2024")
@click.option("--office", default="", help="office code, e.g. DPR")
@click.option("--province", default="", help="province code, e.g. 33")
@click.option("--district", default="", help="district (dapil) code, e.g. 3304")
@click.option("--party", default="", help="party slug, e.g. pkb")
@click.option("--status", default="", help="flagged or disclosed")
@click.option(
    "--stage", default="", help="withdrawn (or another stage): that stage instead of the list"
)
@click.option("--sort", default="", help="ballot, name or score")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default="id", help="language of Excel's headers"
)
@click.pass_context
@with_appcontext
def export_command(
    ctx: click.Context, fmt: str, output: Path | None, lang: str, **filters: str
) -> None:
    """Write the filtered candidate list as CSV, Excel, JSON or Popolo, like /export/*
    (-o FILE), or a dated snapshot of everything (export dump DIR)."""
    if ctx.invoked_subcommand is not None:
        return
    if output is None:
        raise click.UsageError("give -o FILE, or a command such as `export dump DIR`")
    try:
        parsed = parse_filters({key: value for key, value in filters.items() if value})
        base_url = current_app.config.get("PUBLIC_URL") or DEFAULT_BASE_URL
        export = documents.plan(db.session, parsed, base_url)
    except FilterError as error:
        raise click.BadParameter(error.message, param_hint=f"--{error.parameter}") from None
    if not output.parent.is_dir():
        raise click.BadParameter(f"{output.parent} is not a directory", param_hint="-o")
    with force_locale(lang):
        _write(export, fmt, output)
    with output.open("rb") as handle:
        digest, size = sha256_of(iter(lambda: handle.read(1 << 20), b""))
    click.echo(
        f"Wrote {export.row_count} rows ({size} bytes) to {output}; "
        f"ruleset {export.ruleset_version or '-'}; sha256 {digest}"
    )


@export_command.command("dump")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default="id", help="language of Excel's headers"
)
@with_appcontext
def dump_command(folder: Path, lang: str) -> None:
    """Write a dated snapshot of every listed candidacy into FOLDER/<date>/: CSV, JSON,
    Popolo and Excel, a manifest.json (SHA-256 and rows of each file) and SHA256SUMS.
    The snapshot appears whole or not at all. /data/ lists the snapshots of DUMPS_DIR."""
    base_url = current_app.config.get("PUBLIC_URL") or DEFAULT_BASE_URL
    started = utcnow()
    db.session.rollback()  # the dump's files are read in one transaction of their own
    try:
        dumps.read_snapshot(db.session)
        with force_locale(lang):
            snapshot = dumps.write_snapshot(
                db.session,
                folder,
                base_url,
                requirement_labels(),
                started,
                progress=lambda message: click.echo(f"  {message}", err=True),
            )
    except dumps.SnapshotError as error:
        raise click.BadParameter(str(error), param_hint="FOLDER") from None
    finally:
        db.session.rollback()  # a read-only transaction: nothing to keep
    seconds = (utcnow() - started).total_seconds()
    click.echo(
        f"Wrote snapshot {snapshot.path} ({snapshot.manifest['row_count']} rows, "
        f"{len(snapshot.files)} files, {seconds:.1f} s)"
    )
    for item in snapshot.files:
        click.echo(f"  {item['sha256']}  {item['name']}  {item['bytes']} bytes")
