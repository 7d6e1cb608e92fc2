"""Disclosure rates by office, party, province and district: GROUP BY queries, cached per
ruleset version and data stamp (the stamp moves with every recompute), ranked for the page."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from transparency.disclosure.rulesets import ruleset_in_force
from transparency.disclosure.store import data_stamp
from transparency.models import Candidacy, DisclosureItem, District, Election, Office, Party, Region
from transparency.visibility import listed

BUCKETS = ("published", "partial", "refused", "unknown")
DIMENSIONS = ("office", "party", "province", "district")
HEADLINE_ITEM = "cv"
CACHE_SIZE = 32


@dataclass
class Group:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))
    flagged: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, bucket: str) -> float:
        return self.counts[bucket] / self.total if self.total else 0.0

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.total if self.total else 0.0


@dataclass
class Statistics:
    item: str
    election: str
    ruleset_version: str
    overall: Group
    breakdowns: dict[str, list[Group]]


def bucket_of(status: str | None) -> str:
    """published, partial, refused, not_applicable as they are; anything else is unknown."""
    if status in ("published", "partial", "refused", "not_applicable"):
        return str(status)
    return "unknown"


def _grouped(
    session: Session, item: str, election_id: int | None, keys: tuple[ColumnElement, ...]
) -> list[tuple]:
    """(*keys, status, candidacies, flagged) rows for the listed candidacies."""
    # Grouped by the raw status (a CASE in GROUP BY does not match across bound parameters
    # on PostgreSQL); the rows are bucketed in Python.
    stmt = (
        select(
            *keys,
            DisclosureItem.status,
            func.count(),
            func.sum(case((Candidacy.flagged.is_(True), 1), else_=0)),
        )
        .select_from(Candidacy)
        .outerjoin(
            DisclosureItem,
            and_(DisclosureItem.candidacy_id == Candidacy.id, DisclosureItem.requirement == item),
        )
        .where(listed())
        .group_by(*keys, DisclosureItem.status)
    )
    if election_id is not None:
        stmt = stmt.where(Candidacy.election_id == election_id)
    return [tuple(row) for row in session.execute(stmt)]


def _labels(session: Session, dimension: str, language: str) -> dict[object, tuple[str, str]]:
    if dimension == "office":
        name = Office.name_en if language == "en" else Office.name_id
        return {r[0]: (r[1], r[2]) for r in session.execute(select(Office.id, Office.code, name))}
    if dimension == "party":
        parties: dict[object, tuple[str, str]] = {
            r[0]: (r[1], r[2]) for r in session.execute(select(Party.id, Party.slug, Party.name))
        }
        # DPD candidates stand without a party.
        parties[None] = ("-", "Independent (DPD)" if language == "en" else "Perseorangan (DPD)")
        return parties
    if dimension == "province":
        return {
            r[0]: (r[1], r[2])
            for r in session.execute(
                select(Region.id, Region.code, Region.name).where(Region.level == "province")
            )
        }
    return {
        r[0]: (r[1], f"{r[2]} ({r[1]})")
        for r in session.execute(select(District.id, District.code, District.name))
    }


def ranked(groups: list[Group]) -> list[Group]:
    """Highest refusal rate first, then the most unknown, then by name: who to look at."""
    return sorted(groups, key=lambda g: (-g.share("refused"), -g.share("unknown"), g.label))


def compute(
    session: Session, item: str = HEADLINE_ITEM, election: str = "", language: str = "id"
) -> Statistics:
    """Two GROUP BY scans: (district, office, status) gives the office, province and district
    figures (a district lies in one province); (party, status) gives the party figures."""
    election_id = None
    if election:
        election_id = session.scalar(select(Election.id).filter_by(slug=election))
    labels = {dimension: _labels(session, dimension, language) for dimension in DIMENSIONS}
    province_of = dict(session.execute(select(District.id, District.province_id)).all())
    groups: dict[str, dict[object, Group]] = {dimension: {} for dimension in DIMENSIONS}
    overall = Group("all", "")

    def add(dimension: str, key: object, bucket: str, count: int, flagged: int) -> None:
        group = groups[dimension].get(key)
        if group is None:
            code, label = labels[dimension].get(key, ("-", "—"))
            group = groups[dimension][key] = Group(code, label)
        group.counts[bucket] += count
        group.flagged += int(flagged or 0)

    keys = (Candidacy.district_id, Candidacy.office_id)
    for district_id, office_id, status, count, flagged in _grouped(
        session, item, election_id, keys
    ):
        bucket = bucket_of(status)
        if bucket == "not_applicable":
            continue
        add("district", district_id, bucket, count, flagged)
        add("office", office_id, bucket, count, flagged)
        add("province", province_of.get(district_id), bucket, count, flagged)
        overall.counts[bucket] += count
        overall.flagged += int(flagged or 0)
    for party_id, status, count, flagged in _grouped(
        session, item, election_id, (Candidacy.party_id,)
    ):
        bucket = bucket_of(status)
        if bucket != "not_applicable":
            add("party", party_id, bucket, count, flagged)
    breakdowns = {dimension: ranked(list(groups[dimension].values())) for dimension in DIMENSIONS}
    return Statistics(item, election, ruleset_in_force(session).version, overall, breakdowns)


def cache_key(session: Session, item: str, election: str, language: str) -> tuple:
    """What a cached figure depends on: the question, the rules, and the data's stamp."""
    return (item, election, language, ruleset_in_force(session).version, data_stamp(session))


def cached(
    session: Session,
    cache: MutableMapping[tuple, Statistics],
    item: str = HEADLINE_ITEM,
    election: str = "",
    language: str = "id",
) -> Statistics:
    """compute(), reused until the ruleset or the data changes (the stamp moves)."""
    key = cache_key(session, item, election, language)
    if key not in cache:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[key] = compute(session, item, election, language)
    return cache[key]


@dataclass(frozen=True)
class Headline:
    total: int
    refused: int
    refused_share: float
    flagged: int


def headline(
    session: Session, cache: MutableMapping[tuple, Statistics] | None = None, language: str = "id"
) -> Headline:
    """The figure for the home page: how many listed candidates refused to publish their CV."""
    stats = (
        cached(session, cache, language=language)
        if cache is not None
        else compute(session, language=language)
    )
    overall = stats.overall
    return Headline(
        overall.total, overall.counts["refused"], overall.share("refused"), overall.flagged
    )
