"""A district's ballot as printed: parties in ballot-number order, their candidates by number.

Plain functions over a Session: no request, no commit. A ballot loads in three queries
whatever its size (the district, its candidacies with person and party, its areas).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, joinedload

from transparency import visibility
from transparency.models import (
    Candidacy,
    District,
    DistrictArea,
    Election,
    Office,
    Party,
    Person,
    Region,
)

MAX_BALLOT = 2000  # the longest 2024 ballot holds about 240 names; a bound, not a page


def listed(*extra: ColumnElement[bool]) -> tuple[ColumnElement[bool], ...]:
    """What a ballot shows: the listed candidacies (visibility.listed), and `extra`."""
    return (visibility.listed(), *extra)


@dataclass(frozen=True)
class Counts:
    candidacies: int = 0
    flagged: int = 0


def district_counts(session: Session, district_ids: Iterable[int]) -> dict[int, Counts]:
    """Listed and flagged candidacies per district, in one query."""
    ids = sorted(set(district_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(
            Candidacy.district_id,
            func.count(),
            func.sum(case((Candidacy.flagged.is_(True), 1), else_=0)),
        )
        .where(Candidacy.district_id.in_(ids), *listed())
        .group_by(Candidacy.district_id)
    )
    return {district_id: Counts(total, flagged or 0) for district_id, total, flagged in rows}


@dataclass
class PartyList:
    party: Party | None  # None: DPD candidates stand without a party
    candidacies: list[Candidacy] = field(default_factory=list)


@dataclass
class Ballot:
    district: District
    lists: list[PartyList]
    areas: list[Region]
    counts: Counts

    @property
    def flagged(self) -> int:
        return self.counts.flagged


def find_district(session: Session, election: str, office: str, code: str) -> District | None:
    return session.scalars(
        select(District)
        .join(Election, District.election_id == Election.id)
        .join(Office, District.office_id == Office.id)
        .where(Election.slug == election, Office.code == office.upper(), District.code == code)
        .options(
            joinedload(District.election),
            joinedload(District.office),
            joinedload(District.province),
        )
    ).one_or_none()


def load_ballot(session: Session, district: District) -> Ballot:
    candidacies = list(
        session.scalars(
            select(Candidacy)
            .outerjoin(Party, Candidacy.party_id == Party.id)
            .where(Candidacy.district_id == district.id, *listed())
            # A ballot shows names only: the biographies stay in the database.
            .options(
                joinedload(Candidacy.person).load_only(Person.full_name),
                joinedload(Candidacy.party),
            )
            .order_by(Party.number.nulls_first(), Candidacy.ballot_number, Candidacy.id)
            .limit(MAX_BALLOT)
        )
    )
    lists: list[PartyList] = []
    for candidacy in candidacies:
        if not lists or lists[-1].party is not candidacy.party:
            lists.append(PartyList(candidacy.party))
        lists[-1].candidacies.append(candidacy)
    areas = list(
        session.scalars(
            select(Region)
            .join(DistrictArea, DistrictArea.region_id == Region.id)
            .where(DistrictArea.district_id == district.id)
            .order_by(Region.name, Region.code)
        )
    )
    flagged = sum(1 for candidacy in candidacies if candidacy.flagged)
    return Ballot(district, lists, areas, Counts(len(candidacies), flagged))
