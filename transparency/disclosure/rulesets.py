"""Stored ruleset versions: the one in force, loading a new one, the packaged default.

A version is immutable once stored; exactly one is in force. Until init-db stores one, the
packaged default is in force (so a fresh database and the tests evaluate the same rules).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.disclosure.rules import (
    DEFAULT_OFFICES,
    Ruleset,
    RulesetError,
    default_document,
    parse_ruleset,
    to_document,
)
from transparency.models import DisclosureStamp, Office
from transparency.models import Ruleset as RulesetRow

STAMP = "data"

_parsed: dict[tuple[int, str, datetime], Ruleset] = {}
_default: list[Ruleset] = []


def known_offices(session: Session) -> list[str]:
    return list(session.scalars(select(Office.code))) or list(DEFAULT_OFFICES)


def ruleset_row_in_force(session: Session) -> RulesetRow | None:
    return session.scalars(
        select(RulesetRow).where(RulesetRow.in_force.is_(True)).order_by(RulesetRow.id.desc())
    ).first()


def parsed(row: RulesetRow) -> Ruleset:
    """The validated rules of a stored version (documents are immutable once loaded)."""
    key = (row.id, row.version, row.loaded_at)
    if key not in _parsed:
        _parsed[key] = parse_ruleset(row.rules, known_offices=None)
    return _parsed[key]


def ruleset_in_force(session: Session) -> Ruleset:
    """The ruleset in force; the packaged default until init-db has stored one."""
    row = ruleset_row_in_force(session)
    if row is not None:
        return parsed(row)
    if not _default:
        _default.append(parse_ruleset(default_document()))
    return _default[0]


def load_ruleset(
    session: Session,
    document: dict[str, Any],
    *,
    source_file: str | None = None,
    loaded_by: str | None = None,
    put_in_force: bool = True,
) -> RulesetRow:
    """Validate and store a ruleset version; refuses the whole document on any fault.

    Loading a version already stored with the same rules only puts it back in force; the same
    version with different rules is refused, so a version always means one set of rules.
    """
    ruleset = parse_ruleset(document, known_offices(session), file_name=source_file)
    stored_document = to_document(document)
    row = session.scalars(select(RulesetRow).filter_by(version=ruleset.version)).one_or_none()
    if row is not None and row.rules != stored_document:
        raise RulesetError(
            [
                f"ruleset, field version: version {ruleset.version} is already loaded with "
                "different rules; give the new rules a new version"
            ],
            source_file,
        )
    if row is None:
        row = RulesetRow(
            version=ruleset.version,
            rules=stored_document,
            source_file=source_file,
            loaded_by=loaded_by,
            in_force=False,
        )
        session.add(row)
    if put_in_force and not row.in_force:
        for other in session.scalars(select(RulesetRow).where(RulesetRow.in_force.is_(True))):
            other.in_force = False
        row.in_force = True
    session.flush()
    return row


def load_default_rules(session: Session) -> RulesetRow:
    """Store the packaged ruleset once; it goes in force only when nothing else is."""
    document = default_document()
    row = session.scalars(select(RulesetRow).filter_by(version=document["version"])).one_or_none()
    if row is None:
        row = load_ruleset(
            session,
            document,
            source_file="transparency/disclosure/default_rules_2024.json",
            loaded_by="init-db",
            put_in_force=ruleset_row_in_force(session) is None,
        )
    if session.get(DisclosureStamp, STAMP) is None:
        session.add(DisclosureStamp(name=STAMP, counter=0))
        session.flush()
    return row


def versions(session: Session) -> list[RulesetRow]:
    return list(session.scalars(select(RulesetRow).order_by(RulesetRow.loaded_at.desc())))
