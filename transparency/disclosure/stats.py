"""Disclosure rates by office, party, province and district: GROUP BY queries, kept per
ruleset version and data stamp (the stamp moves with every recompute), ranked for the page.

The figures are first tallied without labels (`tallies_for`, several questions from one set of
scans), which the change channel stores as a snapshot after each change (`snapshot`), then
labelled in the reader's language (`labelled`)."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from transparency.disclosure.rulesets import ruleset_in_force
from transparency.disclosure.store import data_stamp
from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    Election,
    Office,
    Party,
    Region,
    utcnow,
)
from transparency.visibility import listed

# What was established about the item (the checked buckets), and "not checked": no item.
CHECKED_BUCKETS = ("published", "partial", "refused", "not_found", "requested", "no_response")
NOT_CHECKED = "not_checked"
BUCKETS = (*CHECKED_BUCKETS, NOT_CHECKED)
FLAGGED_AT = len(BUCKETS)  # a tally's last position: the flagged candidacies
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

    @property
    def checked(self) -> int:
        """Candidates whose item was checked: the denominator of every share."""
        return self.total - self.counts[NOT_CHECKED]

    def share(self, bucket: str) -> float:
        """A checked bucket's share of the checked items (not checked is a count beside)."""
        return self.counts[bucket] / self.checked if self.checked else 0.0

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


def bucket_of(status: str | None, respond_by: date | None = None, as_of: date | None = None) -> str:
    """A fact's status as it is; a request past its window is no_response (as of the day);
    anything else (no item, an old not_requested) is not checked."""
    if status == "requested" and respond_by is not None and as_of is not None:
        return "no_response" if as_of > respond_by else "requested"
    if status in (*CHECKED_BUCKETS, "not_applicable"):
        return str(status)
    return NOT_CHECKED


# -- tallies: the figures without their labels -----------------------------------------------

# One tally: a count per bucket (BUCKETS' order), then flagged (not_applicable left out).
Tally = list[int]
# {dimension: {key: tally}} and {"overall": {"": tally}}; a key is an id as text, "" for none.
Tallies = dict[str, dict[str, Tally]]
Question = tuple[str, str]  # (item, election slug or "" for every election)


def _listed(stmt: Select) -> Select:
    """The candidacies the figures count: the listed ones (transparency.visibility)."""
    return stmt.where(listed())


def _scans(
    session: Session, item: str | None, election_id: int | None
) -> tuple[list[tuple], list[tuple]]:
    """Four GROUP BY scans: candidacies, and their disclosure items by raw status (and a
    request's respond_by), each by (election, district, office) and by (election, party). A
    status is bucketed in Python (a CASE in GROUP BY does not match across bound parameters
    on PostgreSQL)."""
    flagged = func.sum(case((Candidacy.flagged.is_(True), 1), else_=0))
    rows: list[list[tuple]] = []
    for keys in (
        (Candidacy.election_id, Candidacy.district_id, Candidacy.office_id),
        (Candidacy.election_id, Candidacy.party_id),
    ):
        bases = _listed(select(*keys, func.count(), flagged).select_from(Candidacy))
        items = _listed(
            select(
                *keys,
                DisclosureItem.requirement,
                DisclosureItem.status,
                DisclosureItem.respond_by,
                func.count(),
                flagged,
            )
            .select_from(Candidacy)
            .join(DisclosureItem, DisclosureItem.candidacy_id == Candidacy.id)
        )
        if item is not None:
            items = items.where(DisclosureItem.requirement == item)
        if election_id is not None:
            bases = bases.where(Candidacy.election_id == election_id)
            items = items.where(Candidacy.election_id == election_id)
        found = [tuple(row) for row in session.execute(bases.group_by(*keys))]
        by_status = session.execute(
            items.group_by(
                *keys,
                DisclosureItem.requirement,
                DisclosureItem.status,
                DisclosureItem.respond_by,
            )
        )
        rows.append((found, [tuple(row) for row in by_status]))  # type: ignore[arg-type]
    return rows[0], rows[1]  # type: ignore[return-value]


def _empty() -> Tally:
    return [0] * (len(BUCKETS) + 1)


UNCHECKED_AT = BUCKETS.index(NOT_CHECKED)


def _cells(
    scan: tuple[list[tuple], list[tuple]], item: str, election_id: int | None, as_of: date
) -> dict[tuple, Tally]:
    """Tallies per key of the scan, for one item and election (None: every election)."""
    bases, items = scan
    cells: dict[tuple, Tally] = {}
    for election, *key, count, flagged in bases:
        if election_id is None or election == election_id:
            cell = cells.setdefault(tuple(key), _empty())
            cell[UNCHECKED_AT] += count  # not checked until an item row says otherwise
            cell[FLAGGED_AT] += int(flagged or 0)
    for election, *rest in items:
        *key, requirement, status, respond_by, count, flagged = rest
        if requirement != item or (election_id is not None and election != election_id):
            continue
        cell = cells[tuple(key)]
        bucket = bucket_of(status, respond_by, as_of)
        if bucket == "not_applicable":
            cell[UNCHECKED_AT] -= count
            cell[FLAGGED_AT] -= int(flagged or 0)
        elif bucket != NOT_CHECKED:
            cell[UNCHECKED_AT] -= count
            cell[BUCKETS.index(bucket)] += count
    return cells


def _key(value: object) -> str:
    return "" if value is None else str(value)


def _add(into: dict[str, Tally], key: object, tally: Tally) -> None:
    total = into.setdefault(_key(key), _empty())
    for position, value in enumerate(tally):
        total[position] += value


def _tallies(
    scans: tuple[tuple[list[tuple], list[tuple]], tuple[list[tuple], list[tuple]]],
    province_of: dict[int, int | None],
    item: str,
    election_id: int | None,
    as_of: date,
) -> Tallies:
    by_district, by_party = scans
    result: Tallies = {dimension: {} for dimension in (*DIMENSIONS, "overall")}
    for (district_id, office_id), tally in _cells(by_district, item, election_id, as_of).items():
        if sum(tally[:FLAGGED_AT]) == 0:
            continue  # only not_applicable here: no group, as the list shows none
        _add(result["district"], district_id, tally)
        _add(result["office"], office_id, tally)
        _add(result["province"], province_of.get(district_id), tally)
        _add(result["overall"], None, tally)
    for (party_id,), tally in _cells(by_party, item, election_id, as_of).items():
        if sum(tally[:FLAGGED_AT]):
            _add(result["party"], party_id, tally)
    return result


def tallies_for(
    session: Session, questions: list[Question], as_of: date | None = None
) -> dict[Question, Tallies]:
    """The unlabelled figures of several questions from one set of scans, as of a day (a
    request past its window counts as no response from the day after it)."""
    as_of = as_of or utcnow().date()
    slugs = dict(session.execute(select(Election.slug, Election.id)).all())
    items = {item for item, _election in questions}
    elections = {election for _item, election in questions}
    only_item = next(iter(items)) if len(items) == 1 else None
    only_election = slugs.get(next(iter(elections))) if len(elections) == 1 else None
    scans = _scans(session, only_item, only_election)
    province_of = dict(session.execute(select(District.id, District.province_id)).all())
    found = {}
    for item, election in questions:
        election_id = slugs.get(election, -1) if election else None
        found[(item, election)] = _tallies(scans, province_of, item, election_id, as_of)
    return found


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
    """Highest refusal rate first, then the most not found or unanswered, then by name."""

    def order(group: Group) -> tuple[float, float, str]:
        missing = group.share("not_found") + group.share("no_response")
        return (-group.share("refused"), -missing, group.label)

    return sorted(groups, key=order)


def labelled(
    session: Session,
    tallies: Tallies,
    item: str,
    election: str,
    language: str,
    ruleset_version: str | None = None,
) -> Statistics:
    """Figures with the names of their groups in this language, ranked for the page."""
    breakdowns = {}
    for dimension in DIMENSIONS:
        labels = _labels(session, dimension, language)
        groups = []
        for key, tally in tallies[dimension].items():
            code, label = labels.get(None if key == "" else int(key), ("-", "—"))
            groups.append(_group(code, label, tally))
        breakdowns[dimension] = ranked(groups)
    overall = _group("all", "", tallies["overall"].get("", _empty()))
    version = ruleset_version or ruleset_in_force(session).version
    return Statistics(item, election, version, overall, breakdowns)


def _group(code: str, label: str, tally: Tally) -> Group:
    if len(tally) != FLAGGED_AT + 1:  # a snapshot of an older layout: not ours to read
        tally = _empty()
    return Group(code, label, dict(zip(BUCKETS, tally[:FLAGGED_AT], strict=True)), tally[-1])


def compute(
    session: Session, item: str = HEADLINE_ITEM, election: str = "", language: str = "id"
) -> Statistics:
    """The figures of one question, straight from the database (no snapshot)."""
    tallies = tallies_for(session, [(item, election)])[(item, election)]
    return labelled(session, tallies, item, election, language)


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
    """The figures at the current stamp: from this process's cache, else from the snapshot
    the change channel wrote (transparency.disclosure.snapshot), else computed."""
    from transparency.disclosure import snapshot

    key = cache_key(session, item, election, language)
    if key not in cache:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        version, stamp = key[3], key[4]
        tallies = snapshot.stored(session, item, election, version, stamp)
        if tallies is None:
            cache[key] = compute(session, item, election, language)
        else:
            cache[key] = labelled(session, tallies, item, election, language, version)
    return cache[key]


@dataclass(frozen=True)
class Headline:
    total: int
    refused: int
    refused_share: float  # of the checked CVs
    flagged: int
    checked: int = 0
    not_found: int = 0
    no_response: int = 0
    not_checked: int = 0


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
        overall.total,
        overall.counts["refused"],
        overall.share("refused"),
        overall.flagged,
        overall.checked,
        overall.counts["not_found"],
        overall.counts["no_response"],
        overall.counts[NOT_CHECKED],
    )
