"""`flask --app transparency users create EMAIL --role admin`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from transparency import two_factor
from transparency.auth import AccountError, create_user, find_user
from transparency.contrib.audit import AuditKind, record
from transparency.extensions import db
from transparency.models import Role

users_command = AppGroup("users", help="Manage accounts.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # Scripts pipe the password in, so it never appears in a process list or shell history.
    return sys.stdin.readline().rstrip("\r\n")


@users_command.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.VOLUNTEER.value,
    show_default=True,
)
@click.option("--name", default="", help="Display name (defaults to the e-mail address).")
def create_user_command(email: str, role: str, name: str) -> None:
    """Create an account; the password is asked for, or read from standard input."""
    password = _read_password()
    # Messages are translatable and read the locale from a request: English on the console.
    with current_app.test_request_context("/?lang=en"):
        try:
            user = create_user(db.session, email, name or email, password, role)
        except AccountError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        record(db.session, AuditKind.USER_CREATED, user=user, address="cli", role=role)
        db.session.commit()
        click.echo(f"Created {user.email} ({user.role}).")


@users_command.command("reset-two-factor")
@click.argument("email")
def reset_two_factor_command(email: str) -> None:
    """Remove an account's second factor (a lost phone and no recovery code left).

    The user logs in with the password alone; an admin is then asked to set it up again."""
    user = find_user(db.session, email)
    if user is None:
        raise click.ClickException(f"No account with the address {email}.")
    if not user.has_two_factor:
        raise click.ClickException(f"{user.email} has no second factor.")
    two_factor.disable(db.session, user, by=None, address="cli")
    db.session.commit()
    click.echo(f"Second factor of {user.email} removed; recovery codes deleted.")
