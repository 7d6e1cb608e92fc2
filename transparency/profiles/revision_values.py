"""A revision's recorded values in words: labels for codes, dates in the visitor's language,
sources as links, and the records an id points to by their names, never the id itself.

`References` holds the rows the ids of one page of revisions point to, loaded in a few
queries (`load_references`); `shown(table, key, value, references)` turns one value into text
and links. Values stay plain text: templates escape them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.contributors import public_name
from transparency.disclosure.rulesets import ruleset_in_force
from transparency.disclosure.sections import SECTION_LABELS
from transparency.i18n import long_date, number
from transparency.labels import (
    DISCLOSURE_ITEMS,
    DISCLOSURE_STATUSES,
    GENDERS,
    LEGAL_STATUSES,
    PROGRAMME_KINDS,
    REPLY_AUTHORS,
    STAGES,
    TRACK_RECORD_KIND,
)
from transparency.models import District, Election, Office, Party, Region, Revision, Source, User
from transparency.templating import is_web_url

WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
DATE_FIELDS = frozenset({"birth_date", "checked_at", "replied_on", "held_on"})
CODE_LABELS: dict[str, dict[str, Any]] = {
    "gender": GENDERS,
    "stage": STAGES,
    "legal_status": LEGAL_STATUSES,
    "requirement": DISCLOSURE_ITEMS,
    "status": DISCLOSURE_STATUSES,
    "author_kind": REPLY_AUTHORS,
}
KIND_LABELS: dict[str, dict[str, Any]] = {
    "programme_statement": PROGRAMME_KINDS,
    "track_record_item": TRACK_RECORD_KIND,
}
# Ids of other records, by the model that names them.
REFERENCE_FIELDS = {
    "source_id": "sources",
    "sources_ids": "sources",
    "party_id": "parties",
    "district_id": "districts",
    "election_id": "elections",
    "office_id": "offices",
    "region_id": "regions",
    "province_id": "regions",
    "parent_id": "regions",
    "recorded_by_id": "users",
}
MODELS = {
    "sources": Source,
    "parties": Party,
    "districts": District,
    "elections": Election,
    "offices": Office,
    "regions": Region,
    "users": User,
}


@dataclass(frozen=True)
class Piece:
    """Some text, and the web address it links to (a URL's own text may break anywhere)."""

    text: str
    url: str | None = None
    is_address: bool = False


@dataclass(frozen=True)
class Shown:
    """One value as a reader sees it: one piece, several (sources), or none (empty)."""

    pieces: tuple[Piece, ...] = ()

    def __str__(self) -> str:
        return ", ".join(piece.text for piece in self.pieces)

    def __bool__(self) -> bool:
        return bool(self.pieces)


@dataclass
class References:
    """The rows that one page of revisions refers to by id, by kind (see MODELS)."""

    rows: dict[str, dict[int, Any]] = field(default_factory=dict)

    def get(self, kind: str, ident: Any) -> Any:
        return self.rows.get(kind, {}).get(ident) if isinstance(ident, int) else None


def load_references(session: Session, revisions: Iterable[Revision]) -> References:
    wanted: dict[str, set[int]] = {}
    for revision in revisions:
        if revision.source_id:
            wanted.setdefault("sources", set()).add(revision.source_id)
        for values in (revision.before or {}, revision.after or {}):
            for key, value in values.items():
                kind = REFERENCE_FIELDS.get(key)
                if kind is None:
                    continue
                ids = value if isinstance(value, list) else [value]
                wanted.setdefault(kind, set()).update(i for i in ids if isinstance(i, int))
    rows = {}
    for kind, ids in wanted.items():
        model = MODELS[kind]
        rows[kind] = {
            row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))
        }
    return References(rows)


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "id"


def source_piece(source: Source | None) -> Piece:
    if source is None:
        return Piece(_("a source no longer recorded"))
    url = source.url if is_web_url(source.url) else None
    return Piece(source.title or source.url, url, is_address=not source.title)


def _referenced(kind: str, row: Any) -> Piece:
    if kind == "sources":
        return source_piece(row)
    if row is None:
        return Piece(_("a record no longer listed"))
    if kind == "parties":
        return Piece(row.name)
    if kind == "districts":
        return Piece(f"{row.name} ({row.code})")
    if kind == "offices":
        return Piece(row.name_en if _language() == "en" else row.name_id)
    if kind == "users":
        return Piece(public_name(row))
    return Piece(row.name)


def _sections(value: dict[str, Any]) -> tuple[Piece, ...]:
    def names(codes: list[str]) -> str:
        return ", ".join(str(SECTION_LABELS.get(code, code)) for code in codes)

    pieces = []
    if value.get("published"):
        pieces.append(Piece(_("published: %(names)s", names=names(value["published"]))))
    if value.get("withheld"):
        pieces.append(Piece(_("withheld: %(names)s", names=names(value["withheld"]))))
    return tuple(pieces)


def _rule_title(session: Session | None, rule_id: str) -> str:
    if session is None:
        return rule_id
    rule = ruleset_in_force(session).rule(rule_id)
    return rule.title.get(_language()) if rule is not None else rule_id


def shown(
    table: str,
    key: str,
    value: Any,
    references: References | None = None,
    session: Session | None = None,
) -> Shown:
    """One recorded value in words."""
    if value is None or value == "" or value == []:
        return Shown()
    references = references or References()
    kind = REFERENCE_FIELDS.get(key)
    if kind is not None:
        ids = value if isinstance(value, list) else [value]
        return Shown(tuple(_referenced(kind, references.get(kind, i)) for i in ids))
    if isinstance(value, bool):
        return Shown((Piece(_("Yes") if value else _("No")),))
    if key in DATE_FIELDS and isinstance(value, str):
        try:
            return Shown((Piece(long_date(date.fromisoformat(value[:10]))),))
        except ValueError:
            return Shown((Piece(value),))
    if key == "kind" and table in KIND_LABELS:
        return Shown((Piece(str(KIND_LABELS[table].get(value, value))),))
    if key in CODE_LABELS:
        return Shown((Piece(str(CODE_LABELS[key].get(value, value))),))
    if key == "sections" and isinstance(value, dict):
        return Shown(_sections(value))
    if key == "amount" and isinstance(value, int | float):
        return Shown((Piece(f"Rp {number(value)}"),))
    if key == "rule_id":
        return Shown((Piece(_rule_title(session, str(value))),))
    if key == "wikidata_id" and WIKIDATA_ID.match(str(value)):
        return Shown((Piece(str(value), f"https://www.wikidata.org/wiki/{value}"),))
    if isinstance(value, str) and key.endswith("_url"):
        return Shown((Piece(value, value if is_web_url(value) else None, is_address=True),))
    if isinstance(value, list):
        return Shown(tuple(Piece(str(item)) for item in value))
    return Shown((Piece(str(value)),))
