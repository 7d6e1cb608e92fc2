"""`flask --app transparency disclosure ...`: recompute the stored results, load a ruleset."""

from __future__ import annotations

import getpass
import time
from pathlib import Path

import click
from flask.cli import AppGroup

from transparency import derived
from transparency.disclosure import rulesets, store
from transparency.disclosure.rules import RulesetError, read_document
from transparency.extensions import db

disclosure_group = AppGroup("disclosure", help="The disclosure rules and the flag.")


def reevaluate_all() -> store.Counts:
    """Every flag again, through the change channel: the flags that move reach the search
    outbox and the statistics snapshot in this same transaction."""
    derived.report(db.session, reevaluate=True)
    counts = derived.settle(db.session).get("disclosure")
    if not isinstance(counts, store.Counts):
        raise RuntimeError("the disclosure consumer is not registered with the change channel")
    return counts


@disclosure_group.command("recompute")
def recompute_command() -> None:
    """Recompute score, flag and history for every candidacy with the ruleset in force."""
    started = time.perf_counter()
    counts = reevaluate_all()
    db.session.commit()
    click.echo(
        f"Ruleset {counts.ruleset_version}: {counts.seen:,} candidacies evaluated, "
        f"{counts.changed:,} changed, {counts.flagged:,} newly flagged, "
        f"{counts.cleared:,} cleared, {counts.disclosure_changes:,} disclosure status changes "
        f"({time.perf_counter() - started:.1f} s)."
    )


@disclosure_group.command("load-rules")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def load_rules_command(file: Path) -> None:
    """Load a ruleset version from FILE (.json or .toml), put it in force, recompute."""
    try:
        row = rulesets.load_ruleset(
            db.session,
            read_document(file),
            source_file=str(file),
            loaded_by=getpass.getuser(),
        )
        counts = reevaluate_all()
    except RulesetError as error:
        db.session.rollback()
        lines = "\n".join(f"  - {message}" for message in error.messages)
        raise click.ClickException(
            f"{file}: refused, nothing changed; the ruleset in force is unchanged.\n{lines}"
        ) from None
    db.session.commit()
    click.echo(
        f"Ruleset {row.version} from {file} is in force; {counts.seen:,} candidacies "
        f"evaluated, {counts.flagged:,} newly flagged, {counts.cleared:,} cleared."
    )
