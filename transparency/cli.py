"""Command-line tools: `flask --app transparency COMMAND`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from transparency.auth_cli import users_command
from transparency.backup import backup_command, restore_command
from transparency.demo.command import demo_data_command
from transparency.disclosure.commands import disclosure_group
from transparency.disclosure.rulesets import load_default_rules
from transparency.exports.cli import export_command
from transparency.extensions import db
from transparency.importer.command import import_candidates_command
from transparency.reference import load_reference_data
from transparency.search.cli import search_cli


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Bring the database to the latest schema and load the reference data (idempotent)."""
    upgrade()
    load_reference_data(db.session)
    load_default_rules(db.session)
    db.session.commit()
    click.echo("Database is at the latest schema; reference data and default rules loaded.")


COMMANDS = (
    init_db_command,
    backup_command,
    restore_command,
    demo_data_command,
    import_candidates_command,
    disclosure_group,
    users_command,
    export_command,
    search_cli,
)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
