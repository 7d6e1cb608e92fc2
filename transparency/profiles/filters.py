"""What the filter form of the lists offers, and the districts behind a KPU code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from transparency.listing import CandidateFilters
from transparency.models import (
    District,
    Election,
    Office,
    Party,
    Region,
)

# More districts than this (e.g. every DPRD kab/kota district of the country) is not a usable
# select; the form then asks for the district code as text.
MAX_DISTRICT_OPTIONS = 400


@dataclass
class FilterOptions:
    elections: list[Election]
    offices: list[Office]
    provinces: list[Region]
    parties: list[tuple[str, str]]  # (slug, label)
    districts: list[tuple[str, str]] | None  # (code, name); None: too many, ask for the code


def filter_options(session: Session, filters: CandidateFilters) -> FilterOptions:
    elections = list(
        session.scalars(select(Election).order_by(Election.held_on.desc(), Election.id))
    )
    offices = list(session.scalars(select(Office).order_by(Office.position, Office.id)))
    provinces = list(
        session.scalars(select(Region).where(Region.level == "province").order_by(Region.code))
    )
    party_stmt = select(Party.slug, Party.short_name, Party.number).order_by(Party.number)
    if filters.election:
        party_stmt = party_stmt.join(Party.election).where(Election.slug == filters.election)
    parties: dict[str, str] = {}
    for slug, short_name, number in session.execute(party_stmt):
        parties.setdefault(slug, f"{number}. {short_name}" if filters.election else short_name)
    return FilterOptions(
        elections, offices, provinces, list(parties.items()), _districts(session, filters)
    )


def _districts(session: Session, filters: CandidateFilters) -> list[tuple[str, str]] | None:
    stmt = select(District.code, District.name).distinct().order_by(District.code, District.name)
    if filters.election:
        stmt = stmt.join(District.election).where(Election.slug == filters.election)
    if filters.office:
        stmt = stmt.join(District.office).where(Office.code == filters.office)
    if filters.province:
        province_id = session.scalar(select(Region.id).where(Region.code == filters.province))
        stmt = stmt.where(District.province_id == province_id)
    elif not filters.office:
        return None
    rows = [(code, name) for code, name in session.execute(stmt.limit(MAX_DISTRICT_OPTIONS + 1))]
    return rows if len(rows) <= MAX_DISTRICT_OPTIONS else None


def districts_with_code(
    session: Session, code: str, election: str = "", office: str = ""
) -> list[District]:
    """Every district with this KPU code, optionally in one election and for one office."""
    stmt = (
        select(District)
        .where(District.code == code)
        .options(
            joinedload(District.election),
            joinedload(District.office),
            joinedload(District.province),
        )
        .order_by(District.election_id, District.office_id, District.id)
    )
    if election:
        stmt = stmt.join(District.election).where(Election.slug == election)
    if office:
        stmt = stmt.join(District.office).where(Office.code == office)
    return list(session.scalars(stmt))
