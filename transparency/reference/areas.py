"""The places of the 2024 districting: kab/kota, kecamatan, split desa, DPRD districts, areas.

About 8,000 regions, 2,600 DPRD districts and 9,000 area rows: written with executemany
(the ORM's unit of work would take seconds), each created or changed Region and District
recorded as a Revision of origin "reference", as the ORM hook would record it. Area rows are
a derived table, rebuilt to match the packaged file. Running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from transparency.models import District, DistrictArea, Region, Revision
from transparency.revisions import Provenance, revision_row

# Level of a place by the length of its code (the abroad area has its own code).
LEVEL_BY_LENGTH = {2: "province", 4: "regency", 6: "kecamatan", 10: "desa"}
ABROAD_CODE = "LN"
AREA_OFFICES = ("DPR", "DPRD_PROVINSI", "DPRD_KABKOTA")
# Aceh's DPRD kab/kota lists may hold 120% of the seats: the seats are not in the sources.
UNKNOWN_SEATS = ""


def level_of(code: str) -> str:
    return "abroad" if code == ABROAD_CODE else LEVEL_BY_LENGTH[len(code)]


def parent_code(code: str) -> str:
    """The code of the region above; none for a province and for the voters abroad."""
    if code == ABROAD_CODE:
        return ""
    return {4: code[:2], 6: code[:4], 10: code[:6]}.get(len(code), "")


def sync_rows(
    session: Session,
    model: type,
    wanted: dict[str, dict[str, Any]],
    source: Provenance,
    *scope: Any,
) -> dict[str, int]:
    """Make the rows of `model` within `scope` keyed by code match `wanted` (code -> values).

    Creates what is missing and corrects what differs, with a Revision each; never deletes.
    Returns code -> id for every wanted row.
    """
    table = model.__table__  # type: ignore[attr-defined]
    columns = sorted({name for values in wanted.values() for name in values})
    existing = {
        row.code: row
        for row in session.execute(
            select(table.c.id, table.c.code, *(table.c[name] for name in columns)).where(*scope)
        )
    }
    ids = {code: row.id for code, row in existing.items()}
    template = revision_row(table.name, 0, "create", None, None, source)  # one asdict, not 8,000

    def revision(row_id: int, action: str, before: Any, after: dict[str, Any]) -> dict:
        return {**template, "entity_id": row_id, "action": action, "before": before, "after": after}

    revisions: list[dict[str, Any]] = []
    new = [{"code": code, **values} for code, values in wanted.items() if code not in existing]
    if new:
        stmt = insert(table).returning(table.c.id, table.c.code, sort_by_parameter_order=True)
        for (row_id, code), values in zip(session.execute(stmt, new), new, strict=True):
            ids[code] = row_id
            after = {"id": row_id, **values}
            revisions.append(revision(row_id, "create", None, after))
    changes = []
    for code, values in wanted.items():
        row = existing.get(code)
        if row is None:
            continue
        before = {name: getattr(row, name) for name in values if getattr(row, name) != values[name]}
        if before:
            after = {name: values[name] for name in before}
            changes.append({"_id": row.id, **after})
            revisions.append(revision(row.id, "update", before, after))
    for change in changes:  # few, and each may set other columns
        row_id = change.pop("_id")
        session.execute(update(table).where(table.c.id == row_id).values(**change))
    if revisions:
        session.execute(insert(Revision.__table__), revisions)
    return ids


def load_areas(
    session: Session,
    source: Provenance,
    election_id: int,
    offices: dict[str, int],
    provinces: dict[str, int],
    places: list[dict[str, str]],
    provinsi_rows: list[dict[str, str]],
    kabkota_rows: list[dict[str, str]],
) -> None:
    """Regions below the provinces, the DPRD districts, and which district holds each place."""
    region_ids = dict(provinces)
    for level in ("regency", "abroad", "kecamatan", "desa"):
        wanted = {
            place["code"]: {
                "name": place["name"] or "",
                "other_name": place["kpu_name"] or None,
                "level": level,
                "parent_id": region_ids.get(parent_code(place["code"])),
                "is_fictional": False,
            }
            for place in places
            if level_of(place["code"]) == level
        }
        region_ids.update(sync_rows(session, Region, wanted, source, Region.level == level))

    district_ids: dict[tuple[str, str], int] = {}
    for office, rows, holder in (
        ("DPRD_PROVINSI", provinsi_rows, lambda code: code[:2]),
        ("DPRD_KABKOTA", kabkota_rows, lambda code: code[:4]),
    ):
        wanted = {
            row["code"]: {
                "name": row["name"],
                "seats": int(row["seats"]) if row["seats"] != UNKNOWN_SEATS else None,
                "province_id": provinces[row["code"][:2]],
                "region_id": region_ids[holder(row["code"])] if office == "DPRD_KABKOTA" else None,
                "election_id": election_id,
                "office_id": offices[office],
                "is_fictional": False,
            }
            for row in rows
        }
        scope = (District.election_id == election_id, District.office_id == offices[office])
        for code, district_id in sync_rows(session, District, wanted, source, *scope).items():
            district_ids[(office, code)] = district_id
    for office in ("DPR", "DPD"):
        for district in session.execute(
            select(District.id, District.code).where(
                District.election_id == election_id, District.office_id == offices[office]
            )
        ):
            district_ids[(office, district.code)] = district.id

    wanted_areas = {
        (district_ids[("DPD", code)], region_id) for code, region_id in provinces.items()
    }
    for place in places:
        for office, column in zip(
            AREA_OFFICES, ("dpr", "dprd_provinsi", "dprd_kabkota"), strict=True
        ):
            if place[column]:
                wanted_areas.add((district_ids[(office, place[column])], region_ids[place["code"]]))
    in_election = select(District.id).where(District.election_id == election_id)
    held = {
        (district_id, region_id)
        for district_id, region_id in session.execute(
            select(DistrictArea.district_id, DistrictArea.region_id).where(
                DistrictArea.district_id.in_(in_election)
            )
        )
    }
    missing = wanted_areas - held
    if missing:
        session.execute(
            insert(DistrictArea.__table__),
            [{"district_id": d, "region_id": r} for d, r in sorted(missing)],
        )
    stale = held - wanted_areas
    if stale:
        session.execute(
            delete(DistrictArea).where(
                tuple_(DistrictArea.district_id, DistrictArea.region_id).in_(sorted(stale))
            )
        )
