"""A candidacy's profile: everything its page shows, and how names and ages read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    Person,
    ProgrammeKind,
    ProgrammeStatement,
    Reply,
    TrackRecordItem,
    TrackRecordKind,
)
from transparency.visibility import public_record, shown


@dataclass
class Profile:
    candidacy: Candidacy
    programme: list[tuple[str, list[ProgrammeStatement]]]
    track_record: list[tuple[str, list[TrackRecordItem]]]
    replies: list[Reply]
    other_candidacies: list[Candidacy] = field(default_factory=list)


def load_profile(session: Session, candidacy_id: int) -> Profile | None:
    """A public record (visibility.public_record, withdrawn ones included) with everything its
    profile needs; None when missing or hidden."""
    candidacy = session.scalars(
        select(Candidacy)
        .where(Candidacy.id == candidacy_id, public_record())
        .options(
            joinedload(Candidacy.person).joinedload(Person.source),
            joinedload(Candidacy.party),
            joinedload(Candidacy.office),
            joinedload(Candidacy.election),
            joinedload(Candidacy.district).joinedload(District.province),
            selectinload(Candidacy.programme).joinedload(ProgrammeStatement.source),
            selectinload(Candidacy.disclosure_items).joinedload(DisclosureItem.source),
            selectinload(Candidacy.replies).joinedload(Reply.source),
            joinedload(Candidacy.person)
            .selectinload(Person.track_record)
            .selectinload(TrackRecordItem.sources),
        )
    ).one_or_none()
    if candidacy is None:
        return None
    programme = _grouped(
        shown(candidacy.programme),
        [kind.value for kind in ProgrammeKind],
    )
    track_record = _grouped(
        shown(candidacy.person.track_record),
        [kind.value for kind in TrackRecordKind],
    )
    replies = sorted(
        shown(candidacy.replies),
        key=lambda reply: (reply.replied_on, reply.id),
    )
    return Profile(candidacy, programme, track_record, replies)


def _grouped(items: list[Any], order: list[str]) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(item.kind, []).append(item)
    rank = {kind: position for position, kind in enumerate(order)}
    return sorted(groups.items(), key=lambda pair: (rank.get(pair[0], len(rank)), pair[0]))


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


_TITLE_TOKEN = re.compile(r"[.,]")


def display_name(name: str) -> str:
    """Names the commission lists in capitals, in title case; academic titles kept as written.

    "Dr. H. AHMAD SYAHRONI, S.H., M.Si." -> "Dr. H. Ahmad Syahroni, S.H., M.Si."
    Names already in mixed case are shown as they are.
    """
    words = name.split(" ")
    plain = [word for word in words if word and not _TITLE_TOKEN.search(word.rstrip(","))]
    letters = "".join(plain)
    if not letters or letters != letters.upper() or letters == letters.lower():
        return name
    return " ".join(
        word if _TITLE_TOKEN.search(word.rstrip(",")) else _capitalise(word) for word in words
    )


def _capitalise(word: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda match: match.group(0).capitalize(), word)
