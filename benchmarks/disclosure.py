"""Benchmark: `disclosure recompute` over 250,000 candidacies, and /statistics at that scale.

Each candidacy's items carry a source of their own (distinct URL and title, so the evaluation
memo cannot share results between candidacies), and 10% of candidacies have a disclosure
request on their criminal-record item: half past their window (no response), half still open.

    .venv/bin/python benchmarks/disclosure.py [--rows 250000] [--db /work/bench/flag/disclosure.db]

Builds a fictional dataset once (reused while the row count matches), then measures:
the first full recompute (every row changes), a second one (nothing changes), one after 1% of
the statuses changed — each through the change channel, so each also stores the statistics
snapshot (its share is timed alone) — then /statistics cold from the snapshot, against the
reference in the same run (cold with no snapshot: the figures computed by the visitor), and
warm; finally the CLI command end to end in its own process, and the first visits after it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import case, delete, func, insert, select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transparency import create_app  # noqa: E402
from transparency.disclosure import rulesets, snapshot  # noqa: E402
from transparency.disclosure.commands import reevaluate_all  # noqa: E402
from transparency.extensions import db  # noqa: E402
from transparency.models import (  # noqa: E402
    Candidacy,
    DisclosureItem,
    District,
    Election,
    Office,
    Party,
    Person,
    ProgrammeStatement,
    Region,
    Source,
    StatisticsSnapshot,
    StatusChange,
    TrackRecordItem,
)
from transparency.reference import load_reference_data  # noqa: E402

SECRET = secrets.token_urlsafe(48)  # a weak key is refused at start-up
CHUNK = 10_000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pick(rng: random.Random, weights: dict[str | None, float]) -> str | None:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(rows: int) -> None:
    """Fictional people and candidacies, written with Core inserts (benchmark data only:
    no revision rows, which recompute never reads)."""
    rng = random.Random(2024)
    session = db.session
    pemilu = session.scalars(select(Election).filter_by(slug="pemilu-2024")).one()
    offices = {o.code: o for o in session.scalars(select(Office))}
    parties = [p.id for p in session.scalars(select(Party).filter_by(election_id=pemilu.id))]
    provinces = list(session.scalars(select(Region).filter_by(level="province")))
    # DPRD districts do not ship with the reference data: fictional ones, about 2,700 in all.
    districts = [(d.id, d.office_id) for d in session.scalars(select(District))]
    new = []
    for number in range(2_600):
        province = provinces[number % len(provinces)]
        office = offices["DPRD_KABKOTA" if number >= 300 else "DPRD_PROVINSI"]
        new.append(
            {
                "election_id": pemilu.id,
                "office_id": office.id,
                "code": f"F{number:05d}",
                "name": f"DAPIL FIKTIF {number}",
                "seats": 8,
                "province_id": province.id,
                "is_fictional": True,
            }
        )
    session.execute(insert(District), new)
    districts = [(d.id, d.office_id) for d in session.scalars(select(District))]
    source_id = session.scalar(
        insert(Source)
        .values(url="https://contoh.example/fiktif", title="Data fiktif", is_fictional=True)
        .returning(Source.id)
    )
    cv = {"published": 0.55, "partial": 0.1, "refused": 0.3, None: 0.05}
    open_window = date.today() + timedelta(days=30)
    done = 0
    while done < rows:
        size = min(CHUNK, rows - done)
        people = [
            {
                "full_name": f"Calon Fiktif {done + i}",
                "gender": rng.choice("LP"),
                "birth_date": date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1),
                "photo_url": "https://contoh.example/foto.jpg" if rng.random() < 0.8 else None,
                "source_id": source_id,
                "is_fictional": True,
            }
            for i in range(size)
        ]
        person_ids = list(session.scalars(insert(Person).returning(Person.id), people))
        candidacies = []
        for person_id in person_ids:
            district_id, office_id = rng.choice(districts)
            dpd = office_id == offices["DPD"].id
            candidacies.append(
                {
                    "person_id": person_id,
                    "election_id": pemilu.id,
                    "office_id": office_id,
                    "district_id": district_id,
                    "party_id": None if dpd else rng.choice(parties),
                    "ballot_number": rng.randrange(1, 13),
                    "stage": "DCT",
                    "source_id": source_id,
                }
            )
        candidacy_ids = list(
            session.scalars(insert(Candidacy).returning(Candidacy.id), candidacies)
        )
        # One source per candidacy: a distinct URL and title on each of its items.
        own_sources = list(
            session.scalars(
                insert(Source).returning(Source.id),
                [
                    {
                        "url": f"https://contoh.example/fiktif/{candidacy_id}",
                        "title": f"Data fiktif {candidacy_id}",
                        "is_fictional": True,
                    }
                    for candidacy_id in candidacy_ids
                ],
            )
        )
        items, programmes, records = [], [], []
        for person_id, candidacy_id, source_id in zip(
            person_ids, candidacy_ids, own_sources, strict=True
        ):
            status = pick(rng, cv)
            if status:
                items.append(
                    {
                        "candidacy_id": candidacy_id,
                        "requirement": "cv",
                        "status": status,
                        "checked_at": date(2023, 11, 14),
                        "source_id": source_id,
                    }
                )
            roll = rng.random()
            if roll < 0.1:  # a request sent on 3 January 2024: half answered by now, half open
                items.append(
                    {
                        "candidacy_id": candidacy_id,
                        "requirement": "criminal_record",
                        "status": "requested",
                        "checked_at": date(2024, 1, 3),
                        "respond_by": date(2024, 1, 17) if roll < 0.05 else open_window,
                        "source_id": source_id,
                    }
                )
            elif roll < 0.9:
                items.append(
                    {
                        "candidacy_id": candidacy_id,
                        "requirement": "criminal_record",
                        "status": "published",
                        "checked_at": date(2023, 11, 14),
                        "source_id": source_id,
                    }
                )
            if rng.random() < 0.6:
                programmes.append({"candidacy_id": candidacy_id, "text": "Program fiktif"})
            roll = rng.random()
            if roll < 0.005:
                records.append(
                    {
                        "person_id": person_id,
                        "kind": "legal_case",
                        "title": "Perkara fiktif",
                        "legal_status": "ex_convict",
                    }
                )
            elif roll < 0.06:
                records.append(
                    {"person_id": person_id, "kind": "public_office", "title": "Anggota DPRD"}
                )
                items.append(
                    {
                        "candidacy_id": candidacy_id,
                        "requirement": "lhkpn",
                        "status": "published" if rng.random() < 0.8 else "refused",
                        "checked_at": date(2023, 12, 1),
                        "source_id": source_id,
                    }
                )
        for row in items:
            row.setdefault("respond_by", None)
        session.execute(insert(DisclosureItem), items)
        if programmes:
            session.execute(insert(ProgrammeStatement), programmes)
        if records:
            session.execute(insert(TrackRecordItem), records)
        session.commit()
        done += size
        print(f"  generated {done:,} candidacies", flush=True)


def reset_derived() -> None:
    db.session.execute(
        update(Candidacy).values(
            disclosure_score=None,
            flagged=False,
            flags=None,
            ruleset_version=None,
            flagged_since=None,
            disclosure_statuses=None,
        )
    )
    db.session.execute(delete(StatusChange))
    db.session.commit()


def timed_recompute(label: str) -> float:
    """Every flag again through the change channel, as `flask disclosure recompute` does."""
    started = time.perf_counter()
    cpu = time.process_time()
    counts = reevaluate_all()
    db.session.commit()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    print(
        f"{label}: {elapsed:.1f} s wall, {cpu:.1f} s CPU, for {counts.seen:,} candidacies "
        f"({counts.changed:,} changed, {counts.flagged:,} flagged, {counts.cleared:,} cleared, "
        f"{counts.disclosure_changes:,} status changes); max RSS {rss_mb():.0f} MB",
        flush=True,
    )
    return elapsed


def cold_statistics(app: Any, client: Any, repeats: int) -> list[float]:
    """First visits: this process's figure, section and page caches emptied before each."""
    times = []
    for _ in range(repeats):
        app.extensions.pop("transparency.disclosure.stats", None)
        app.extensions.pop("transparency.disclosure.stats-page", None)
        app.extensions.pop("transparency.disclosure.sections", None)
        started = time.perf_counter()
        assert client.get("/statistics").status_code == 200
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--db", default="/work/bench/flag/disclosure.db")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    # No background index build (the drainer a first request would start) in the measured
    # process: /statistics needs no search.
    app = create_app({"SECRET_KEY": SECRET, "DATABASE_URL": url, "SEARCH_BACKGROUND_SYNC": False})
    with app.app_context():
        db.create_all()
        count = db.session.scalar(select(func.count()).select_from(Candidacy))
        if count != args.rows:
            if count:
                sys.exit(f"{args.db} holds {count:,} candidacies; remove it or pass --rows {count}")
            load_reference_data(db.session)
            rulesets.load_default_rules(db.session)
            db.session.commit()
            started = time.perf_counter()
            generate(args.rows)
            print(f"generated in {time.perf_counter() - started:.0f} s")
        print(f"database: {args.db} ({Path(args.db).stat().st_size / 1e6:.0f} MB)")
        print(f"load average at the start: {os.getloadavg()}")
        if args.generate_only:
            return
        reset_derived()
        timed_recompute("recompute, first run (every row changes)")
        timed_recompute("recompute, second run (nothing changes)")
        ids = list(
            db.session.scalars(select(DisclosureItem.id).where(DisclosureItem.requirement == "cv"))
        )
        sample = random.Random(1).sample(ids, len(ids) // 100)
        table = DisclosureItem.__table__
        for start in range(0, len(sample), 900):
            # Toggle, so every run changes them whatever the previous run left.
            db.session.execute(
                update(table)
                .where(table.c.id.in_(sample[start : start + 900]))
                .values(status=case((table.c.status == "refused", "published"), else_="refused"))
            )
        db.session.commit()
        timed_recompute(f"recompute after {len(sample):,} CV statuses changed")

        started = time.perf_counter()
        stored = snapshot.rebuild(db.session)
        db.session.commit()
        print(
            f"statistics snapshot alone ({stored} questions): "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        client = app.test_client()
        cold = cold_statistics(app, client, args.repeats)
        # The reference, in the same run: the visitor computes (no snapshot to read).
        db.session.execute(delete(StatisticsSnapshot))
        db.session.commit()
        computed = cold_statistics(app, client, max(2, args.repeats // 2))
        snapshot.rebuild(db.session)
        db.session.commit()
        warm = []
        for _ in range(args.repeats * 4):
            started = time.perf_counter()
            assert client.get("/statistics").status_code == 200
            warm.append(time.perf_counter() - started)
        warm.sort()
        print(
            f"/statistics cold, from the snapshot: median {statistics.median(cold) * 1000:.0f} ms"
            f" of {len(cold)} (target 100 ms); reference, cold with no snapshot (computed): "
            f"median {statistics.median(computed) * 1000:.0f} ms of {len(computed)}; "
            f"warm (cached): p50 {warm[len(warm) // 2] * 1000:.0f} ms,"
            f" p95 {warm[int(len(warm) * 0.95) - 1] * 1000:.0f} ms",
            flush=True,
        )
        flagged = []
        for page in (1, 2, 50):
            started = time.perf_counter()
            assert client.get(f"/flagged?page={page}").status_code == 200
            flagged.append(time.perf_counter() - started)
        print(f"/flagged pages 1, 2, 50: {', '.join(f'{t * 1000:.0f} ms' for t in flagged)}")
        visits = []
        for number in range(40):
            page = (1, 2, 3, 10, 50)[number % 5]
            started = time.perf_counter()
            assert client.get(f"/flagged?page={page}").status_code == 200
            visits.append(time.perf_counter() - started)
        visits.sort()
        print(
            f"/flagged over {len(visits)} visits (pages 1, 2, 3, 10, 50): "
            f"p50 {visits[len(visits) // 2] * 1000:.0f} ms, "
            f"p95 {visits[int(len(visits) * 0.95) - 1] * 1000:.0f} ms (target 50 ms)",
            flush=True,
        )
        kinds = {}
        for flags in db.session.scalars(select(Candidacy.flags).where(Candidacy.flagged)):
            for flag in flags or ():
                kinds[flag.get("kind")] = kinds.get(flag.get("kind"), 0) + 1
        print(f"flags by kind: {kinds}", flush=True)

    env = dict(os.environ, TRANSPARENCY_SECRET_KEY=SECRET, TRANSPARENCY_DATABASE_URL=url)
    with app.app_context():
        reset_derived()
    started = time.perf_counter()
    output = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "transparency", "disclosure", "recompute"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    elapsed = time.perf_counter() - started
    print(f"CLI `disclosure recompute` from scratch, end to end: {elapsed:.1f} s")
    print(f"  {output}")
    with app.app_context():
        client = app.test_client()
        cold = cold_statistics(app, client, args.repeats)
    print(
        "/statistics cold in this process after the CLI recompute (another process): "
        f"median {statistics.median(cold) * 1000:.0f} ms of {len(cold)}, "
        f"max {max(cold) * 1000:.0f} ms (target 100 ms)"
    )
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
