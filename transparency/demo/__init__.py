"""Fictional but realistic demo data: `flask --app transparency demo-data`.

Candidacies stand in the real 2024 districts of all four levels and the real parties of the
reference data, lists no longer than the seats. Every person and source is marked
fictional. The same N and seed give the same rows.

Rows are written in batches by transparency.bulk (the driver's executemany), each public row
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

from transparency.bulk import BulkWriter
from transparency.demo.people import CandidacyWriter, party_profiles
from transparency.demo.rows import Batch
from transparency.demo.structure import (
    ACEH,
    FILL,
    SEATS_WHEN_UNKNOWN,
    DistrictSpec,
    PartySpec,
    Targets,
    choose_until,
    dpd_lengths,
    fill_lists,
    province_order,
    round_robin,
    targets,
)
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
    plan = _plan(session, election, seed, goal)
    profiles = party_profiles(seed, _parties(session, election))
    bulk = BulkWriter(session, source)
    writer = CandidacyWriter(seed, bulk, now, election.id, _office_ids(session), profiles)
    batch = Batch()
    for district, party, length in plan:
        writer.write_list(batch, district, party, length)
        summary.by_office[district.office] = summary.by_office.get(district.office, 0) + length
        if batch.candidacies >= BATCH_CANDIDACIES:
            batch.write(bulk)
            batch = Batch()
    batch.write(bulk)
    summary.candidacies = sum(summary.by_office.values())
    summary.rows = dict(bulk.counts)
    batch_row.finished_at = utcnow()
    batch_row.counts = {
        "candidates": candidates,
        "seed": seed,
        "by_office": summary.by_office,
        "rows": summary.rows,
    }
    session.flush()
    bulk.finish(everything=True)
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
) -> Iterator[tuple[DistrictSpec, PartySpec | None, int]]:
    """The lists to write, lazily, in the real districts of the reference data."""
    offices = {office_id: code for code, office_id in _office_ids(session).items()}
    regions = {
        region.id: region
        for region in session.scalars(
            select(Region).where(Region.level.in_(("province", "regency")))
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

    by_office: dict[str, list[DistrictSpec]] = {office: [] for office in offices.values()}
    rows = session.scalars(
        select(District).where(District.election_id == election.id).order_by(District.code)
    )
    for row in rows:
        office = offices[row.office_id]
        province = regions.get(row.province_id or 0)
        if province is None or office not in SEATS_WHEN_UNKNOWN:
            continue
        regency = regions.get(row.region_id or 0)
        place = regency.name if office == "DPRD_KABKOTA" and regency else province.name
        seats = row.seats or SEATS_WHEN_UNKNOWN[office]
        spec = DistrictSpec(office, row.code, row.name, seats, province.code, place)
        spec.id = row.id
        spec.region_code = regency.code if regency else None
        if office != "DPD":
            prefix = {"DPR": "DPR", "DPRD_PROVINSI": "P", "DPRD_KABKOTA": "K"}[office]
            spec.parties = eligible(province.code, office != "DPR", f"{prefix}:{row.code}")
        by_office[office].append(spec)
    if not by_office.get("DPRD_KABKOTA"):
        raise DemoDataError(
            "the DPRD districts are missing: run `flask --app transparency init-db` first"
        )
    order = province_order(
        seed, sorted({r.code for r in regions.values() if r.level == "province"})
    )
    provinsi = choose_until(
        ([d for d in by_office["DPRD_PROVINSI"] if d.province_code == code] for code in order),
        goal.provinsi / FILL["DPRD_PROVINSI"],
    )
    per_province: dict[str, list[list[DistrictSpec]]] = {}
    for spec in by_office["DPRD_KABKOTA"]:
        groups = per_province.setdefault(spec.province_code, [])
        if not groups or groups[-1][0].region_code != spec.region_code:
            groups.append([])
        groups[-1].append(spec)
    kabkota = choose_until(round_robin(per_province, order), goal.kabkota / FILL["DPRD_KABKOTA"])
    dpd = by_office["DPD"]

    def lists() -> Iterator[tuple[DistrictSpec, PartySpec | None, int]]:
        yield from fill_lists(by_office["DPR"], goal.dpr)
        for spec, length in zip(dpd, dpd_lengths(dpd, goal.dpd, seed), strict=True):
            if length:
                yield spec, None, length
        yield from fill_lists(provinsi if goal.provinsi else [], goal.provinsi)
        yield from fill_lists(kabkota if goal.kabkota else [], goal.kabkota)

    return lists()
