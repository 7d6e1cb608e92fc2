"""Fictional but realistic demo data: `flask --app transparency demo-data`.

Candidacies stand across the real DPR and DPD districts and parties of the reference data,
and in generated DPRD districts (marked fictional). Every person, region, generated district
and source is marked fictional. The same N and seed give the same rows.

Rows are written in batches with the driver's executemany (see bulk.py), each public row
with its Revision (origin "demo", one ImportBatch of kind "demo"), all in the caller's
transaction; memory holds one batch and the district structure, never the whole load.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.demo.bulk import (
    ID_TABLES,
    BulkInsert,
    advance_sequences,
    insert_batch,
    next_id,
)
from transparency.demo.people import Batch, CandidacyWriter, Ids, party_profiles
from transparency.demo.structure import (
    ACEH,
    DistrictSpec,
    PartySpec,
    Targets,
    choose_until,
    dpd_lengths,
    fill_lists,
    kabkota_districts,
    province_order,
    provinsi_districts,
    round_robin,
    targets,
)
from transparency.derived import refresh_after_bulk
from transparency.models import (
    Candidacy,
    District,
    Election,
    ImportBatch,
    Office,
    Party,
    Region,
    utcnow,
)
from transparency.reference import read_csv
from transparency.revisions import Provenance, provenance

DEFAULT_CANDIDATES = 4000
DEFAULT_SEED = 2024
BATCH_CANDIDACIES = 2000
ELECTION = "pemilu-2024"


class DemoDataError(RuntimeError):
    """The database cannot take demo data (not initialised, or holds candidacies)."""


@dataclass
class Summary:
    candidacies: int = 0
    by_office: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    districts_created: int = 0
    regions_created: int = 0
    seconds: float = 0.0


def has_candidacies(session: Session) -> bool:
    return session.scalar(select(Candidacy.id).limit(1)) is not None


def load_demo_data(
    session: Session, candidates: int = DEFAULT_CANDIDATES, seed: int = DEFAULT_SEED
) -> Summary:
    """Write `candidates` fictional candidacies into an empty database. Flushes and
    writes in the session's transaction; the caller commits."""
    started = time.perf_counter()
    if candidates < 1:
        raise DemoDataError("the number of candidacies must be at least 1")
    election = session.scalars(select(Election).filter_by(slug=ELECTION)).one_or_none()
    if election is None:
        raise DemoDataError("no reference data: run `flask --app transparency init-db` first")
    if has_candidacies(session):
        raise DemoDataError(
            "the database already holds candidacies; demo data goes into an empty database"
        )
    now = utcnow()
    batch_row = ImportBatch(
        kind="demo",
        run_by="demo-data",
        started_at=now,
        file_name=None,
        counts={"candidates": candidates, "seed": seed},
    )
    session.add(batch_row)
    session.flush()
    with provenance(
        session,
        origin="demo",
        import_batch_id=batch_row.id,
        reason=f"demo data: {candidates} candidacies, seed {seed}",
    ) as source:
        summary = _load(session, election, batch_row, source, candidates, seed, now)
    summary.seconds = time.perf_counter() - started
    return summary


def _load(
    session: Session,
    election: Election,
    batch_row: ImportBatch,
    source: Provenance,
    candidates: int,
    seed: int,
    now: datetime,
) -> Summary:
    goal = targets(candidates)
    summary = Summary()
    plan, summary.districts_created, summary.regions_created = _plan(session, election, seed, goal)
    profiles = party_profiles(seed, _parties(session, election))
    ids = Ids({model.__tablename__: next_id(session, model) for model in ID_TABLES})
    writer = CandidacyWriter(seed, ids, source, now, election.id, _office_ids(session), profiles)
    connection = session.connection()
    batch = Batch()
    inserts: dict[str, BulkInsert] = {}
    for district, party, length in plan:
        writer.write_list(batch, district, party, length)
        summary.by_office[district.office] = summary.by_office.get(district.office, 0) + length
        if batch.candidacies >= BATCH_CANDIDACIES:
            insert_batch(connection, batch, summary.rows, inserts)
            batch = Batch()
    insert_batch(connection, batch, summary.rows, inserts)
    summary.candidacies = sum(summary.by_office.values())
    advance_sequences(session)
    batch_row.finished_at = utcnow()
    batch_row.counts = {
        "candidates": candidates,
        "seed": seed,
        "by_office": summary.by_office,
        "rows": summary.rows,
    }
    session.flush()
    refresh_after_bulk(session, None)
    return summary


def _office_ids(session: Session) -> dict[str, int]:
    return {office.code: office.id for office in session.scalars(select(Office))}


def _parties(session: Session, election: Election) -> list[PartySpec]:
    return [
        PartySpec(party.id, party.number, party.short_name, party.region_id is not None)
        for party in session.scalars(
            select(Party).where(Party.election_id == election.id).order_by(Party.number)
        )
    ]


def _plan(
    session: Session, election: Election, seed: int, goal: Targets
) -> tuple[Iterator[tuple[DistrictSpec, PartySpec | None, int]], int, int]:
    """The lists to write, lazily; DPRD districts and regions are created here (flushed)."""
    offices = _office_ids(session)
    provinces = {
        region.code: region
        for region in session.scalars(
            select(Region).where(Region.level == "province").order_by(Region.code)
        )
    }
    parties = _parties(session, election)
    national = [party for party in parties if not party.local]
    local = [party for party in parties if party.local]

    def eligible(code: str, with_local: bool, key: str) -> list[PartySpec]:
        pool = national + (local if with_local and code == ACEH else [])
        rng = Random(f"{seed}:lists:{key}")  # noqa: S311 - demo data, not secrets
        pool = list(pool)
        rng.shuffle(pool)
        return pool

    existing = {
        (row.office_id, row.code): row
        for row in session.scalars(select(District).where(District.election_id == election.id))
    }
    province_of = {region.id: code for code, region in provinces.items()}
    dpr: list[DistrictSpec] = []
    dpd: list[DistrictSpec] = []
    for (office_id, code), row in sorted(existing.items(), key=lambda item: item[0][1]):
        province_code = province_of.get(row.province_id or 0, code[:2])
        place = provinces[province_code].name if province_code in provinces else row.name
        if office_id == offices["DPR"]:
            spec = DistrictSpec("DPR", code, row.name, row.seats or 1, province_code, place)
            spec.parties = eligible(code, False, f"DPR:{code}")
            spec.id = row.id
            dpr.append(spec)
        elif office_id == offices["DPD"]:
            spec = DistrictSpec("DPD", code, row.name, row.seats or 4, province_code, place)
            spec.id = row.id
            dpd.append(spec)

    # DPRD: generated structure, of which only what N needs is created.
    prefixes: dict[str, str] = {}
    dpr_seats: dict[str, int] = {}
    for row in read_csv("dpr-districts-2024.csv"):
        code = row["code"][:2]
        prefixes.setdefault(
            code,
            row["name"].rsplit(" ", 1)[0]
            if row["name"][-1] in "IVX" and " " in row["name"]
            else row["name"],
        )
        dpr_seats[code] = dpr_seats.get(code, 0) + int(row["seats"])
    names = {code: region.name for code, region in provinces.items()}
    order = province_order(seed, list(provinces))
    provinsi_all = provinsi_districts(seed, names, prefixes, dpr_seats)
    for code, districts in provinsi_all.items():
        for spec in districts:
            spec.parties = eligible(code, True, f"P:{spec.code}")
    provinsi = (
        choose_until(
            (provinsi_all[code] for code in order),
            goal.provinsi / 0.7,
        )
        if goal.provinsi
        else []
    )
    kab_all = {code: kabkota_districts(seed, code) for code in order}
    for code, groups in kab_all.items():
        for group in groups:
            for spec in group:
                spec.parties = eligible(code, True, f"K:{spec.code}")
    kabkota = choose_until(round_robin(kab_all, order), goal.kabkota / 0.65) if goal.kabkota else []
    created, regions = _create_districts(session, election, offices, provinces, provinsi + kabkota)

    def lists() -> Iterator[tuple[DistrictSpec, PartySpec | None, int]]:
        yield from fill_lists(dpr, goal.dpr)
        for spec, length in zip(dpd, dpd_lengths(dpd, goal.dpd, seed), strict=True):
            if length:
                yield spec, None, length
        yield from fill_lists(provinsi, goal.provinsi)
        yield from fill_lists(kabkota, goal.kabkota)

    return lists(), created, regions


def _create_districts(
    session: Session,
    election: Election,
    offices: dict[str, int],
    provinces: dict[str, Region],
    specs: list[DistrictSpec],
) -> tuple[int, int]:
    regions: dict[str, Region] = {
        region.code: region
        for region in session.scalars(select(Region).where(Region.level == "regency"))
    }
    existing = {
        (row.office_id, row.code): row
        for row in session.scalars(select(District).where(District.election_id == election.id))
    }
    created = new_regions = 0
    rows: list[tuple[DistrictSpec, District]] = []
    for spec in specs:
        region = None
        if spec.region_code:
            region = regions.get(spec.region_code)
            if region is None:
                region = Region(
                    code=spec.region_code,
                    name=spec.region_name or spec.place,
                    level="regency",
                    parent=provinces[spec.province_code],
                    is_fictional=True,
                )
                session.add(region)
                regions[spec.region_code] = region
                new_regions += 1
        row = existing.get((offices[spec.office], spec.code))
        if row is None:
            row = District(
                election_id=election.id,
                office_id=offices[spec.office],
                code=spec.code,
                name=spec.name,
                seats=spec.seats,
                province=provinces[spec.province_code],
                region=region,
                is_fictional=True,
            )
            session.add(row)
            created += 1
        rows.append((spec, row))
    session.flush()
    for spec, row in rows:
        spec.id = row.id
    return created, new_regions
