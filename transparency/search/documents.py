"""Search documents built from the database: public data only.

A candidacy is indexed when it is listed (`visibility.search_hit`); hidden programme
statements and track-record items are left out. Rows are read with
a few set-based queries per batch, never one query per candidacy.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.listing import PROVINCE, join_context
from transparency.models import (
    Candidacy,
    District,
    Election,
    Office,
    Party,
    Person,
    ProgrammeStatement,
    TrackRecordItem,
)
from transparency.search.analysis import fold
from transparency.visibility import row_shown, search_hit

BATCH = 2000

Document = dict[str, Any]


def public_condition() -> tuple:
    return (search_hit(),)


def status_of(flagged: bool, ruleset_version: str | None) -> str:
    if flagged:
        return "flagged"
    return "disclosed" if ruleset_version is not None else "unrated"


def build_document(row: dict[str, Any], texts: Sequence[str]) -> Document:
    """A Whoosh document from one candidacy row and its public texts (a pure function)."""
    name = row["full_name"]
    # One text per line: phrase pairs (analysed in the writer) never cross two texts.
    body = "\n".join(t.replace("\n", " ") for t in texts if t)
    doc: Document = {
        "id": str(row["id"]),
        "name": name,
        "name_prefix": name,
        "text": body,
        "pairs": f"{name}\n{body}",
        "election": row["election"] or "",
        "office": row["office"] or "",
        "party": row["party"] or "",
        "province": row["province"] or "",
        "district": row["district"] or "",
        "status": status_of(bool(row["flagged"]), row["ruleset_version"]),
        "sort_name": fold(name.lower()).encode(),
        "sort_ballot": (
            f"{row['district'] or ''}|{row['party_number'] or 0:03d}|{row['ballot_number']:05d}"
        ).encode(),
    }
    doc["digest"] = digest(doc)
    return doc


def digest(doc: Document) -> str:
    content = "\x1f".join(
        str(doc[key])
        for key in ("name", "text", "election", "office", "party", "province", "district")
    )
    return hashlib.blake2b(f"{content}\x1f{doc['status']}".encode(), digest_size=12).hexdigest()


def _rows(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    stmt = join_context(
        select(
            Candidacy.id,
            Candidacy.person_id,
            Candidacy.ballot_number,
            Candidacy.flagged,
            Candidacy.ruleset_version,
            Person.full_name,
            Person.biography,
            Person.education,
            Person.occupation,
            Election.slug.label("election"),
            Office.code.label("office"),
            Party.slug.label("party"),
            Party.number.label("party_number"),
            District.code.label("district"),
            PROVINCE.code.label("province"),
        )
    ).where(Candidacy.id.in_(ids), *public_condition())
    # In id order: a rebuilt index numbers documents by id, so ties (equal scores, equal
    # names) go to the lower id, as in the PostgreSQL backend.
    return [dict(row._mapping) for row in session.execute(stmt.order_by(Candidacy.id))]


def _texts(session: Session, rows: list[dict[str, Any]]) -> dict[int, list[str]]:
    candidacy_ids = [row["id"] for row in rows]
    person_ids = list({row["person_id"] for row in rows})
    programme: dict[int, list[str]] = defaultdict(list)
    for candidacy_id, text in session.execute(
        select(ProgrammeStatement.candidacy_id, ProgrammeStatement.text)
        .where(
            ProgrammeStatement.candidacy_id.in_(candidacy_ids),
            row_shown(ProgrammeStatement),
        )
        .order_by(ProgrammeStatement.candidacy_id, ProgrammeStatement.position)
    ):
        programme[candidacy_id].append(text)
    record: dict[int, list[str]] = defaultdict(list)
    for person_id, title, description, organisation in session.execute(
        select(
            TrackRecordItem.person_id,
            TrackRecordItem.title,
            TrackRecordItem.description,
            TrackRecordItem.organisation,
        )
        .where(TrackRecordItem.person_id.in_(person_ids), row_shown(TrackRecordItem))
        .order_by(TrackRecordItem.person_id, TrackRecordItem.position)
    ):
        record[person_id].extend(t for t in (title, organisation, description) if t)
    texts = {}
    for row in rows:
        texts[row["id"]] = [
            row["occupation"] or "",
            row["education"] or "",
            row["biography"] or "",
            *programme.get(row["id"], ()),
            *record.get(row["person_id"], ()),
        ]
    return texts


def documents_for(session: Session, ids: Iterable[int]) -> dict[int, Document]:
    """Documents of these candidacies that are public; the others are absent from the dict."""
    out: dict[int, Document] = {}
    id_list = sorted(set(ids))
    for start in range(0, len(id_list), BATCH):
        rows = _rows(session, id_list[start : start + BATCH])
        texts = _texts(session, rows)
        for row in rows:
            out[row["id"]] = build_document(row, texts[row["id"]])
    return out


def all_public_ids(session: Session) -> list[int]:
    stmt = (
        select(Candidacy.id)
        .join(Person, Candidacy.person_id == Person.id)
        .where(*public_condition())
        .order_by(Candidacy.id)
    )
    return list(session.scalars(stmt))


def iter_all_documents(session: Session) -> Iterator[Document]:
    """Every public document, in batches, for a full rebuild."""
    ids = all_public_ids(session)
    for start in range(0, len(ids), BATCH):
        yield from documents_for(session, ids[start : start + BATCH]).values()
        session.expire_all()
