"""The filtered candidacy list as plain export records, in batches, memory flat.

The ids come from `listing.candidacy_query` (so hidden, withdrawn and pending candidacies
never appear, and the order is the list's), streamed from the database; each batch of ids
is then loaded with a few set-based queries (no N+1) and turned into `ExportRecord`s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session, aliased

from transparency.disclosure.stats import bucket_of
from transparency.exports.rows import DisclosureCell, ExportRecord
from transparency.listing import (
    PROVINCE,
    CandidateFilters,
    candidacy_query,
    id_among,
    join_context,
)
from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    Election,
    Office,
    Party,
    Person,
    Ruleset,
    Source,
    utcnow,
)
from transparency.search import matching_candidacy_ids

BATCH_SIZE = 1000
ProfileUrl = Callable[[int], str]


def restrict_text(session: Session, stmt: Select, filters: CandidateFilters) -> Select:
    """The one place the text query `q` narrows an export, the feed or the API.

    The search index finds the candidacies the text matches (as the search page does);
    the database query keeps its own filters and order, so a document the index has not
    caught up with yet is still checked against current data.
    """
    if not filters.q:
        return stmt
    ids = matching_candidacy_ids(filters)
    if ids is None:
        return stmt
    return stmt.where(id_among(session, Candidacy.id, ids))


def matching(session: Session, filters: CandidateFilters) -> Select:
    """SELECT of the listed candidacies matching all filters, text query included."""
    return restrict_text(session, candidacy_query(session, filters), filters)


def matching_ids(session: Session, filters: CandidateFilters) -> Select:
    return matching(session, filters).with_only_columns(Candidacy.id)


def count(session: Session, filters: CandidateFilters) -> int:
    ids = matching_ids(session, filters).order_by(None).subquery()
    return session.scalar(select(func.count()).select_from(ids)) or 0


def requirements(session: Session) -> list[str]:
    """Every disclosure requirement on record, sorted: one status column pair each."""
    return sorted(session.scalars(select(DisclosureItem.requirement).distinct()))


def ruleset_version(session: Session) -> str | None:
    return session.scalar(select(Ruleset.version).where(Ruleset.in_force.is_(True)).limit(1))


def id_batches(
    session: Session, filters: CandidateFilters, size: int | None = None
) -> Iterator[list[int]]:
    """The matching ids in list order, `size` (BATCH_SIZE) at a time, from a server-side
    cursor."""
    size = size or BATCH_SIZE
    # Core execution: plain ids, without the ORM's per-row loading machinery.
    stmt = matching_ids(session, filters).execution_options(yield_per=size)
    result = session.connection().execute(stmt)
    try:
        for partition in result.scalars().partitions(size):
            yield list(partition)
    finally:  # a reader that stops early (a failed dump) leaves no server-side cursor open
        result.close()


# Built once: an alias made per batch was garbage with reference cycles, which a process with
# many long-lived objects collects rarely, so a 50,000-row export held twice the memory of a
# 10,000-row one; a fixed alias also keeps one compiled statement in SQLAlchemy's cache.
CANDIDACY_SOURCE = aliased(Source, name="candidacy_source")
PERSON_SOURCE = aliased(Source, name="person_source")


def load_records(
    session: Session, ids: Sequence[int], profile_url: ProfileUrl
) -> list[ExportRecord]:
    """Records for these ids, in the same order, with three queries whatever their number."""
    candidacy_source, person_source = CANDIDACY_SOURCE, PERSON_SOURCE
    connection = session.connection()
    rows = connection.execute(
        join_context(
            select(
                Candidacy.id,
                Candidacy.ballot_number,
                Candidacy.disclosure_score,
                Candidacy.flagged,
                Candidacy.flags,
                Candidacy.ruleset_version,
                Candidacy.flagged_since,
                Candidacy.updated_at,
                Person.full_name,
                Person.gender,
                Person.updated_at.label("person_updated_at"),
                Election.slug.label("election"),
                Office.code.label("office"),
                PROVINCE.code.label("province"),
                District.code.label("district_code"),
                District.name.label("district_name"),
                Party.slug.label("party"),
                candidacy_source.url.label("candidacy_source_url"),
                person_source.url.label("person_source_url"),
                Office.name_id.label("office_name_id"),
                Office.name_en.label("office_name_en"),
                PROVINCE.name.label("province_name"),
                Party.name.label("party_name"),
                Person.wikidata_id.label("person_wikidata_id"),
                Party.wikidata_id.label("party_wikidata_id"),
                Candidacy.person_id,
                Candidacy.stage,
                Candidacy.external_id,
            )
        )
        .outerjoin(candidacy_source, Candidacy.source_id == candidacy_source.id)
        .outerjoin(person_source, Person.source_id == person_source.id)
        .where(Candidacy.id.in_(ids))
    ).all()
    items: dict[int, list[tuple]] = defaultdict(list)
    for item in connection.execute(
        select(
            DisclosureItem.candidacy_id,
            DisclosureItem.requirement,
            DisclosureItem.status,
            DisclosureItem.checked_at,
            DisclosureItem.updated_at,
            Source.url,
            DisclosureItem.sections,
            DisclosureItem.respond_by,
        )
        .outerjoin(Source, DisclosureItem.source_id == Source.id)
        .where(DisclosureItem.candidacy_id.in_(ids))
    ).all():
        items[item[0]].append(tuple(item))
    by_id = {row[0]: row for row in rows}
    return [
        _record(by_id[candidacy_id], items.get(candidacy_id, []), profile_url)
        for candidacy_id in ids
        if candidacy_id in by_id
    ]


def _withheld(sections: object) -> tuple[str, ...] | None:
    if not isinstance(sections, dict) or not isinstance(sections.get("withheld"), list):
        return None
    return tuple(str(name) for name in sections["withheld"])


def _record(row: Row[Any], items: list[tuple], profile_url: ProfileUrl) -> ExportRecord:
    (
        candidacy_id,
        ballot_number,
        score,
        flagged,
        raw_flags,
        version,
        flagged_since,
        updated_at,
        name,
        gender,
        person_updated_at,
        election,
        office,
        province,
        district_code,
        district_name,
        party,
        candidacy_source_url,
        person_source_url,
        office_name_id,
        office_name_en,
        province_name,
        party_name,
        person_wikidata_id,
        party_wikidata_id,
        person_id,
        stage,
        external_id,
    ) = row
    flags = tuple(flag for flag in (raw_flags or ()) if isinstance(flag, dict))
    today = utcnow().date()
    disclosure = {
        requirement: DisclosureCell(
            requirement,
            # a request past its window reads as no response, as on the pages
            bucket_of(status, respond_by, today) if status == "requested" else status,
            checked_at,
            url,
            _withheld(sections),
        )
        for _cid, requirement, status, checked_at, _updated, url, sections, respond_by in items
    }
    sources: list[str] = []
    for url in (
        candidacy_source_url,
        person_source_url,
        *[item[5] for item in items],
        *[flag.get("source_url") for flag in flags],
    ):
        if url and url not in sources:
            sources.append(url)
    moments = [updated_at, person_updated_at, flagged_since, *(item[4] for item in items)]
    changes = [moment for moment in moments if moment is not None]
    return ExportRecord(
        candidacy_id=candidacy_id,
        profile_url=profile_url(candidacy_id),
        name=name,
        gender=gender,
        election=election,
        office=office,
        province=province,
        district_code=district_code,
        district_name=district_name,
        party=party,
        party_name=party_name,
        person_wikidata_id=person_wikidata_id,
        party_wikidata_id=party_wikidata_id,
        office_name_id=office_name_id,
        office_name_en=office_name_en,
        province_name=province_name,
        ballot_number=ballot_number,
        disclosure_score=score,
        flagged=bool(flagged),
        ruleset_version=version,
        flagged_since=flagged_since,
        last_change=max(changes) if changes else None,
        flags=flags,
        disclosure=disclosure,
        sources=tuple(sources),
        person_id=person_id,
        stage=stage,
        external_id=external_id,
    )


def iter_records(
    session: Session,
    filters: CandidateFilters,
    profile_url: ProfileUrl,
    size: int | None = None,
) -> Iterator[ExportRecord]:
    batches = id_batches(session, filters, size)
    try:
        for ids in batches:
            yield from load_records(session, ids, profile_url)
    finally:
        batches.close()
