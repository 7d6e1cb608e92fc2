"""What the API reads: the same filters and query as the list pages, loaded without N+1."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from transparency.exports.records import matching, matching_ids
from transparency.inputs import parse_int
from transparency.listing import CandidateFilters, FilterError, resolve_ids
from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    Election,
    Office,
    Party,
    Person,
    ProgrammeStatement,
    Region,
    TrackRecordItem,
    utcnow,
)
from transparency.visibility import public_record

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def parse_per_page(args: Mapping[str, str]) -> int:
    per_page = parse_int(
        (args.get("per_page") or str(DEFAULT_PER_PAGE)).strip(), maximum=MAX_PER_PAGE
    )
    if per_page is None:
        raise FilterError("per_page", f"must be a whole number from 1 to {MAX_PER_PAGE}")
    return per_page


def _summary_options() -> tuple:
    return (
        joinedload(Candidacy.person),
        joinedload(Candidacy.election),
        joinedload(Candidacy.office),
        joinedload(Candidacy.district).joinedload(District.province),
        joinedload(Candidacy.party).joinedload(Party.election),
        joinedload(Candidacy.party).joinedload(Party.region),
    )


def candidate_page(session: Session, filters: CandidateFilters) -> Select:
    return matching(session, filters).options(*_summary_options())


def candidate(session: Session, candidacy_id: int) -> Candidacy | None:
    """A public record (visibility.public_record: withdrawn ones too, with their stage),
    fully loaded; None when missing or hidden."""
    stmt = (
        select(Candidacy)
        .where(Candidacy.id == candidacy_id, public_record())
        .options(
            *_summary_options(),
            joinedload(Candidacy.source),
            joinedload(Candidacy.person).joinedload(Person.source),
            selectinload(Candidacy.programme).joinedload(ProgrammeStatement.source),
            joinedload(Candidacy.person)
            .selectinload(Person.track_record)
            .selectinload(TrackRecordItem.sources),
            selectinload(Candidacy.disclosure_items),
            selectinload(Candidacy.replies),
        )
    )
    return session.scalars(stmt).unique().one_or_none()


def parties(session: Session, filters: CandidateFilters) -> Select:
    stmt = (
        select(Party)
        .join(Party.election)
        .options(joinedload(Party.election), joinedload(Party.region))
        .order_by(Election.slug, Party.number)
    )
    if filters.election:
        stmt = stmt.where(Party.election_id.in_(resolve_ids(session, "election", filters.election)))
    return stmt


def districts(session: Session, filters: CandidateFilters) -> Select:
    stmt = (
        select(District)
        .join(District.election)
        .join(District.office)
        .options(
            joinedload(District.election),
            joinedload(District.office),
            joinedload(District.province),
        )
        .order_by(Election.slug, Office.position, District.code)
    )
    if filters.election:
        stmt = stmt.where(
            District.election_id.in_(resolve_ids(session, "election", filters.election))
        )
    if filters.office:
        stmt = stmt.where(District.office_id.in_(resolve_ids(session, "office", filters.office)))
    if filters.province:
        stmt = stmt.where(
            District.province_id.in_(resolve_ids(session, "province", filters.province))
        )
    return stmt


@dataclass(frozen=True)
class Tally:
    key: str | None
    name: str | None
    total: int
    flagged: int
    disclosed: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "total": self.total,
            "flagged": self.flagged,
            "disclosed": self.disclosed,
            "flagged_share": round(self.flagged / self.total, 4) if self.total else None,
        }


def statistics(session: Session, filters: CandidateFilters) -> dict[str, Any]:
    """Totals and disclosure rates of the filtered list, by party, province and office."""
    listed = matching_ids(session, filters).order_by(None).subquery()
    flagged = func.sum(case((Candidacy.flagged.is_(True), 1), else_=0))
    disclosed = func.sum(
        case(
            ((Candidacy.flagged.is_(False) & Candidacy.ruleset_version.is_not(None)), 1),
            else_=0,
        )
    )
    base = select(func.count(Candidacy.id), flagged, disclosed).where(
        Candidacy.id.in_(select(listed.c.id))
    )

    def tallies(key: Any, name: Any, *joins: tuple[Any, Any]) -> list[dict[str, Any]]:
        stmt = base.add_columns(key, name)
        for target, onclause in joins:
            stmt = stmt.outerjoin(target, onclause)
        stmt = stmt.group_by(key, name).order_by(key)
        return [
            Tally(row[3], row[4], row[0], row[1] or 0, row[2] or 0).as_dict()
            for row in session.execute(stmt)
        ]

    total, flagged_count, disclosed_count = session.execute(base).one()
    return {
        **_statistics_totals(filters, total, flagged_count, disclosed_count),
        "cv": item_figures(session, select(listed.c.id), total, "cv"),
        **_statistics_groups(tallies),
    }


def item_figures(session: Session, ids: Any, total: int, requirement: str) -> dict[str, Any]:
    """One item over these candidacies: refused, not found, no response and not checked
    apart; shares over the checked items, rounded as the pages round (i18n.share_of)."""
    from transparency.disclosure.stats import CHECKED_BUCKETS, NOT_CHECKED, bucket_of
    from transparency.i18n import share_of

    today = utcnow().date()
    counts = dict.fromkeys((*CHECKED_BUCKETS, NOT_CHECKED), 0)
    recorded = 0
    for status, respond_by, count in session.execute(
        select(DisclosureItem.status, DisclosureItem.respond_by, func.count())
        .where(DisclosureItem.requirement == requirement, DisclosureItem.candidacy_id.in_(ids))
        .group_by(DisclosureItem.status, DisclosureItem.respond_by)
    ):
        recorded += count
        bucket = bucket_of(status, respond_by, today)
        if bucket != "not_applicable":
            counts[bucket] += count
    counts[NOT_CHECKED] += total - recorded
    checked = sum(counts[bucket] for bucket in CHECKED_BUCKETS)

    def share(bucket: str) -> float | None:
        return float(share_of(counts[bucket], checked)) if checked else None

    return {
        "checked": checked,
        **counts,
        "refused_share": share("refused"),
        "not_found_share": share("not_found"),
        "no_response_share": share("no_response"),
    }


def _statistics_totals(
    filters: CandidateFilters, total: int, flagged_count: int | None, disclosed_count: int | None
) -> dict[str, Any]:
    return {
        "filters": filters.as_args(),
        "total": total,
        "flagged": flagged_count or 0,
        "disclosed": disclosed_count or 0,
        "not_evaluated": total - (flagged_count or 0) - (disclosed_count or 0),
    }


def _statistics_groups(tallies: Any) -> dict[str, Any]:
    return {
        "by_party": tallies(Party.slug, Party.name, (Party, Candidacy.party_id == Party.id)),
        "by_province": tallies(
            Region.code,
            Region.name,
            (District, Candidacy.district_id == District.id),
            (Region, District.province_id == Region.id),
        ),
        "by_office": tallies(
            Office.code, Office.name_en, (Office, Candidacy.office_id == Office.id)
        ),
    }
