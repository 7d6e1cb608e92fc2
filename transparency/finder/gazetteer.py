"""Which districts hold a place: every region and district area of an election, in memory.

Built once per process from the database (about 8,000 places and 9,000 area rows, a
fraction of a second) and rebuilt when the reference rows change (checked every 30 s); a
lookup is then a few dictionary reads, well inside /find's 50 ms.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.finder.matching import NameIndex
from transparency.models import District, DistrictArea, Election, Office, Region, Revision

OFFICES = ("DPR", "DPD", "DPRD_PROVINSI", "DPRD_KABKOTA")
CHECK_SECONDS = 30.0


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    name: str
    other_name: str | None
    level: str
    parent_id: int | None


@dataclass(frozen=True)
class DistrictInfo:
    id: int
    code: str
    name: str
    seats: int | None
    office: str


@dataclass
class Gazetteer:
    election_id: int
    election_slug: str
    places: dict[int, Place] = field(default_factory=dict)
    by_code: dict[str, Place] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    districts: dict[int, DistrictInfo] = field(default_factory=dict)
    # office -> region id -> the district holding that region (the most precise row)
    holds: dict[str, dict[int, int]] = field(default_factory=dict)
    # office -> region id -> districts holding some part below the region
    below: dict[str, dict[int, set[int]]] = field(default_factory=dict)
    # regions with at least one district of the office somewhere below or at them
    names: NameIndex = field(default_factory=NameIndex)

    def chain(self, place: Place) -> list[Place]:
        """The place and the regions above it, nearest first."""
        found = [place]
        while found[-1].parent_id is not None and found[-1].parent_id in self.places:
            found.append(self.places[found[-1].parent_id])
        return found

    def regency_of(self, place: Place) -> Place | None:
        return next((p for p in self.chain(place) if p.level == "regency"), None)

    def province_of(self, place: Place) -> Place | None:
        return next((p for p in self.chain(place) if p.level == "province"), None)

    def label(self, place: Place) -> str:
        """A place's name; a split kecamatan without a name in the sources by its desa."""
        if place.name:
            return place.name
        desa = [self.places[i].name for i in self.children.get(place.id, [])][:3]
        return f"{place.code} ({', '.join(desa)}, …)" if desa else place.code


def _version(session: Session) -> tuple:
    """Changes whenever `init-db` adds or removes places or areas, or renames a place."""
    areas = select(func.count(DistrictArea.id), func.max(DistrictArea.id))
    regions = select(func.count(Region.id), func.max(Region.id))
    renamed = select(func.max(Revision.id)).where(
        Revision.entity_type == "region", Revision.action == "update"
    )
    return (
        *session.execute(areas).one(),
        *session.execute(regions).one(),
        session.scalar(renamed),
    )


def build(session: Session, election: Election) -> Gazetteer:
    gazetteer = Gazetteer(election.id, election.slug)
    for row in session.execute(
        select(
            Region.id, Region.code, Region.name, Region.other_name, Region.level, Region.parent_id
        ).where(Region.is_fictional.is_(False))
    ):
        place = Place(*row)
        gazetteer.places[place.id] = place
        gazetteer.by_code[place.code] = place
    for place in gazetteer.places.values():
        if place.parent_id is not None:
            gazetteer.children.setdefault(place.parent_id, []).append(place.id)
    for children in gazetteer.children.values():
        children.sort(key=lambda i: (gazetteer.places[i].name, gazetteer.places[i].code))
    for row in session.execute(
        select(District.id, District.code, District.name, District.seats, Office.code)
        .join(Office, District.office_id == Office.id)
        .where(District.election_id == election.id, Office.code.in_(OFFICES))
    ):
        gazetteer.districts[row[0]] = DistrictInfo(*row)
    for office in OFFICES:
        gazetteer.holds[office] = {}
        gazetteer.below[office] = {}
    for district_id, region_id in session.execute(
        select(DistrictArea.district_id, DistrictArea.region_id)
        .join(District, District.id == DistrictArea.district_id)
        .where(District.election_id == election.id)
    ):
        office = gazetteer.districts[district_id].office
        gazetteer.holds[office][region_id] = district_id
        place = gazetteer.places.get(region_id)
        while place is not None and place.parent_id is not None:
            gazetteer.below[office].setdefault(place.parent_id, set()).add(district_id)
            place = gazetteer.places.get(place.parent_id)
    names = []
    for place in gazetteer.places.values():
        if place.name:
            names.append((place.code, place.name))
        if place.other_name:
            names.append((place.code, place.other_name))
    gazetteer.names = NameIndex.build(names)
    return gazetteer


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        # engine -> election id -> (checked at, version, gazetteer). By engine, not by its URL:
        # two apps on one PostgreSQL database with different schemas share a URL.
        self.entries: weakref.WeakKeyDictionary[Any, dict[int, tuple[float, tuple, Gazetteer]]]
        self.entries = weakref.WeakKeyDictionary()


_cache = _Cache()


def gazetteer_for(session: Session, election: Election) -> Gazetteer:
    """The election's gazetteer; whether the reference rows changed is checked at most every
    CHECK_SECONDS (reference data changes with `init-db`, not between two requests)."""
    engine = session.get_bind()
    now = time.monotonic()
    with _cache.lock:
        entry = _cache.entries.setdefault(engine, {}).get(election.id)
    if entry is not None and now - entry[0] < CHECK_SECONDS:
        return entry[2]
    version = _version(session)
    unchanged = entry is not None and entry[1] == version
    gazetteer = entry[2] if entry is not None and unchanged else build(session, election)
    with _cache.lock:
        _cache.entries.setdefault(engine, {})[election.id] = (now, version, gazetteer)
    return gazetteer
