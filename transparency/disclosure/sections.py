"""Per-section consent of the CV: which of the commission's 12 sections a candidate let the
portal publish, in words for the profile, and the share withholding each section by office,
party and district for /statistics.

The sections are recorded on the CV item (`DisclosureItem.sections`) by the import of the
commission's JSON, for "Bersedia Sebagian" only; other statuses say nothing per section.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.orm import Session

from transparency.disclosure.store import data_stamp
from transparency.importer.kpu_json import SECTIONS
from transparency.models import Candidacy, DisclosureItem, District, Election, Office, Party
from transparency.visibility import listed

SECTION_LABELS = {
    "datadiri": _l("personal data"),
    "alamat": _l("address"),
    "pekerjaan": _l("occupation"),
    "hukum": _l("legal status"),
    "pasangan": _l("spouse"),
    "pendidikan": _l("education history"),
    "riwayatpekerjaan": _l("employment history"),
    "kursus": _l("courses and training"),
    "organisasi": _l("organisations"),
    "penghargaan": _l("awards"),
    "motivasi": _l("motivation"),
    "program": _l("proposed programme"),
}
DIMENSIONS = ("office", "party", "district")
CACHE_SIZE = 8


@dataclass(frozen=True)
class Consent:
    """What a profile says about the sections: withheld and published, with the source."""

    withheld: list[str]
    published: list[str]
    source_url: str | None
    source_title: str | None
    checked_at: date | None


def consent_of(item: DisclosureItem | None) -> Consent | None:
    if item is None or not item.sections:
        return None
    sections: dict[str, Any] = item.sections
    source = item.source
    return Consent(
        withheld=[str(SECTION_LABELS[s]) for s in sections.get("withheld", ()) if s in SECTIONS],
        published=[str(SECTION_LABELS[s]) for s in sections.get("published", ()) if s in SECTIONS],
        source_url=source.url if source else None,
        source_title=source.title if source else None,
        checked_at=item.checked_at,
    )


@dataclass
class SectionGroup:
    key: str
    label: str
    total: int = 0  # listed candidacies of the group
    withheld: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))

    def share(self, section: str) -> float:
        return self.withheld[section] / self.total if self.total else 0.0


@dataclass
class SectionStatistics:
    overall: SectionGroup
    breakdowns: dict[str, list[SectionGroup]]

    @property
    def any(self) -> bool:
        return any(self.overall.withheld.values())


SNAPSHOT_ITEM = "cv-sections"  # its question in the statistics snapshot
# A stored tally: dimension -> group key -> [listed candidacies, withheld count per SECTIONS]
Tally = dict[str, dict[str, list[Any]]]


def tally(session: Session, election: str = "") -> Tally:
    """One GROUP BY over (district, office, party, the recorded sections): the distinct
    section lists are few (about 1,600 in 2024), so the rows stay few whatever the size.
    Unlabelled, so the statistics snapshot can store it (transparency.disclosure.snapshot)."""
    sections_text = cast(DisclosureItem.sections, String)
    stmt = (
        select(
            Candidacy.district_id,
            Candidacy.office_id,
            Candidacy.party_id,
            sections_text,
            func.count(),
        )
        .select_from(Candidacy)
        .outerjoin(
            DisclosureItem,
            and_(
                DisclosureItem.candidacy_id == Candidacy.id,
                DisclosureItem.requirement == "cv",
                DisclosureItem.status == "partial",
            ),
        )
        .where(listed())
        .group_by(Candidacy.district_id, Candidacy.office_id, Candidacy.party_id, sections_text)
    )
    if election:
        stmt = stmt.join(Election, Election.id == Candidacy.election_id).where(
            Election.slug == election
        )
    found: Tally = {dimension: {} for dimension in ("all", *DIMENSIONS)}
    parsed: dict[str | None, tuple[str, ...]] = {}
    for district_id, office_id, party_id, text, count in session.execute(stmt):
        if text not in parsed:
            parsed[text] = _withheld(text)
        withheld = parsed[text]
        for dimension, key in (
            ("all", ""),
            ("office", office_id),
            ("party", party_id),
            ("district", district_id),
        ):
            cell = found[dimension].setdefault(_key(key), [0, [0] * len(SECTIONS)])
            cell[0] += count
            for section in withheld:
                cell[1][SECTIONS.index(section)] += count
    return found


def labelled(session: Session, found: Tally, language: str = "id") -> SectionStatistics:
    labels = _labels(session, language)

    def group(code: str, label: str, cell: list[Any]) -> SectionGroup:
        made = SectionGroup(code, label, total=cell[0])
        made.withheld = dict(zip(SECTIONS, cell[1], strict=True))
        return made

    overall = group("all", "", found.get("all", {}).get("", [0, [0] * len(SECTIONS)]))
    breakdowns = {}
    for dimension in DIMENSIONS:
        names = {_key(key): value for key, value in labels[dimension].items()}
        groups = [
            group(*names.get(key, ("-", "—")), cell)
            for key, cell in found.get(dimension, {}).items()
        ]
        breakdowns[dimension] = sorted(groups, key=lambda g: (-g.share("hukum"), g.label))
    return SectionStatistics(overall, breakdowns)


def compute(session: Session, election: str = "", language: str = "id") -> SectionStatistics:
    """The figures straight from the database (no snapshot)."""
    return labelled(session, tally(session, election), language)


def cached(
    session: Session,
    cache: MutableMapping[tuple, SectionStatistics],
    election: str = "",
    language: str = "id",
) -> SectionStatistics:
    """The figures at the current stamp: from this process's cache, else from the snapshot
    the change channel wrote, else computed."""
    from transparency.disclosure import snapshot
    from transparency.disclosure.rulesets import ruleset_in_force

    # The flag engine's stamp moves when a status changes; a list of sections can change
    # alone, and its item's updated_at moves with it.
    latest = session.scalar(
        select(func.max(DisclosureItem.updated_at)).where(DisclosureItem.requirement == "cv")
    )
    stamp = data_stamp(session)
    key = ("sections", election, language, stamp, latest)
    if key not in cache:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        version = ruleset_in_force(session).version
        found = snapshot.stored(session, SNAPSHOT_ITEM, election, version, stamp)
        if found is None:
            found = tally(session, election)
        cache[key] = labelled(session, found, language)
    return cache[key]


def _key(value: object) -> str:
    return "" if value is None else str(value)


def _withheld(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(value, dict):
        return ()
    return tuple(s for s in value.get("withheld", ()) if s in SECTIONS)


def _labels(session: Session, language: str) -> dict[str, dict[object, tuple[str, str]]]:
    office_name = Office.name_en if language == "en" else Office.name_id
    parties: dict[object, tuple[str, str]] = {
        r[0]: (r[1], r[2]) for r in session.execute(select(Party.id, Party.slug, Party.name))
    }
    parties[None] = ("-", "Independent (DPD)" if language == "en" else "Perseorangan (DPD)")
    return {
        "office": {
            r[0]: (r[1], r[2]) for r in session.execute(select(Office.id, Office.code, office_name))
        },
        "party": parties,
        "district": {
            r[0]: (r[1], f"{r[2]} ({r[1]})")
            for r in session.execute(select(District.id, District.code, District.name))
        },
    }
