"""The `demo-data` command."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError, ProgrammingError

from transparency.demo import (
    DEFAULT_CANDIDATES,
    DEFAULT_SEED,
    DemoDataError,
    has_candidacies,
    load_demo_data,
)
from transparency.extensions import db


@click.command("demo-data")
@click.option(
    "--candidates",
    type=click.IntRange(min=1),
    default=DEFAULT_CANDIDATES,
    show_default=True,
    help="How many candidacies to generate.",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Same seed and N give the same data.",
)
@click.option("--if-empty", is_flag=True, help="Do nothing when candidacies already exist.")
@click.option(
    "--kpu-json",
    "kpu_json",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write no database rows: write fictional lists as the commission publishes them "
    "(DIR/dpr/, dpd/, dprdprov/, dprdkk/, one JSON file per district), about --candidates "
    "entries, to try `import-candidates --format kpu-dct-json`.",
)
@with_appcontext
def demo_data_command(candidates: int, seed: int, if_empty: bool, kpu_json: Path | None) -> None:
    """Load fictional demo candidacies into an empty database (all marked fictional)."""
    if kpu_json is not None:
        from transparency.demo.kpu_files import FULL, write_files

        if kpu_json.exists() and any(kpu_json.iterdir()):
            raise click.ClickException(f"{kpu_json} is not empty: give a new folder")
        files, entries = write_files(kpu_json, seed, min(1.0, candidates / sum(FULL.values())))
        click.echo(
            f"Wrote {entries:,} fictional entries in {files:,} files under {kpu_json}; import "
            f"them with: flask --app transparency import-candidates --format kpu-dct-json "
            f"--as-of 2024-01-18 {kpu_json}"
        )
        return
    try:
        if if_empty and has_candidacies(db.session):
            click.echo("Candidacies already exist; no demo data loaded.")
            return
        summary = load_demo_data(db.session, candidates, seed)
    except DemoDataError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        raise click.ClickException(
            "the database has no schema yet: run `flask --app transparency init-db` first"
        ) from None
    db.session.commit()
    offices = ", ".join(f"{office} {count:,}" for office, count in summary.by_office.items())
    rows = sum(summary.rows.values())
    click.echo(
        f"Loaded {summary.candidacies:,} fictional candidacies ({offices}); "
        f"{rows:,} rows in {summary.seconds:.1f} s."
    )
