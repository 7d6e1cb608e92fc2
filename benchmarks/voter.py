"""A voter's pages at full scale: /find with every area loaded, the ballot page of a district at
250,000 candidacies, and `init-db` with all reference data.

    .venv/bin/python benchmarks/voter.py [--db /work/bench/voter/pages.db] [--candidates 250000]
                                         [--requests 300] [--init-runs 3]

The database is made as benchmarks/pages.py makes it (and reused). Requests go through the
real WSGI app; each case prints p50/p95 and the queries per request, next to /healthz and
measured in the same run as the machine's reference. `init-db` runs in a fresh
process on a fresh SQLite file each time (migrations, reference data, rules); the median is
printed. Targets: /find p95 <= 50 ms, ballot p95 <= 100 ms, init-db <= 30 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import ROOT, Meter, ensure_database, make_app, run_case

from transparency.extensions import db
from transparency.models import District, Election, Office, Region

FIND_P95_MS = 50.0
BALLOT_P95_MS = 100.0
INIT_DB_S = 30.0
TYPED = (
    "Karanganyar", "Jaten", "KAB. KARANGANYAR", "karangayar", "Jaksel", "Jogja", "luar negeri",
    "Bandung", "Kota Bandung", "Jaten, Karanganyar", "jaten karanganyar", "Jaten, Sleman",
    "Toili Jaya", "Pandeglang", "Tanjung Jab", "Qwxzvbn", "Sumatra Utara", "Krangannyar",
)  # fmt: skip


def find_urls(app: object, rng: random.Random) -> list[str]:
    with app.app_context():  # type: ignore[attr-defined]
        names = list(
            db.session.scalars(
                select(Region.name).where(Region.level.in_(("regency", "kecamatan")))
            )
        )
        codes = list(db.session.scalars(select(Region.code)))
    urls = [f"/find?q={text}" for text in TYPED]
    for name in rng.sample(names, 150):
        typo = name if rng.random() < 0.5 else name[:-1] + "x"  # one letter wrong
        urls.append(f"/find?q={typo}")
    urls += [f"/find?area={code}" for code in rng.sample(codes, 100)]
    rng.shuffle(urls)
    return urls


def ballot_urls(app: object, rng: random.Random) -> dict[str, list[str]]:
    with app.app_context():  # type: ignore[attr-defined]
        rows = db.session.execute(
            select(Election.slug, Office.code, District.code)
            .join(Election, District.election_id == Election.id)
            .join(Office, District.office_id == Office.id)
            .where(Office.code.in_(("DPR", "DPD", "DPRD_PROVINSI", "DPRD_KABKOTA")))
        ).all()
    by_office: dict[str, list[str]] = {}
    for slug, office, code in rows:
        by_office.setdefault(office, []).append(f"/ballot/{slug}/{office.lower()}/{code}")
    return {office: rng.sample(urls, min(len(urls), 60)) for office, urls in by_office.items()}


def init_db_seconds(runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="voter-init-") as directory:
            env = {
                **os.environ,
                "TRANSPARENCY_DATABASE_URL": f"sqlite:///{directory}/init.db",
                "TRANSPARENCY_SECRET_KEY": "benchmark-" + "x" * 40,
            }
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "flask", "--app", "transparency", "init-db"],
                check=True,
                capture_output=True,
                cwd=ROOT,
                env=env,
            )
            timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/work/bench/voter/pages.db"))
    parser.add_argument("--candidates", type=int, default=250_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--init-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TRANSPARENCY_SECRET_KEY", "benchmark-" + "x" * 40)
    app = make_app(args.db)
    how = ensure_database(app, args.candidates, args.seed)
    print(f"database {args.db} ({how})")
    meter = Meter(app)
    rng = random.Random(args.seed)
    rows = [
        ("/healthz (reference)", ["/healthz"], None),
        ("/find typed, typos, codes", find_urls(app, rng), FIND_P95_MS),
    ]
    rows += [
        (f"/ballot {office}", urls, BALLOT_P95_MS)
        for office, urls in sorted(ballot_urls(app, rng).items())
    ]
    print(f"{'case':<32} {'p50 ms':>8} {'p95 ms':>8}  queries  target")
    for name, urls, target in rows:
        app.test_client().get(urls[0])  # first request: caches, the gazetteer
        _label, p50, p95, queries, _ok = run_case(app, meter, name, urls, args.requests)
        verdict = "" if target is None else ("ok" if p95 <= target else "MISSED")
        counts = ",".join(str(q) for q in sorted(queries))
        goal = f"p95<={target:.0f}ms {verdict}" if target else "-"
        print(f"{name:<32} {p50:8.1f} {p95:8.1f}  {counts:>7}  {goal}", flush=True)
    if args.init_runs:
        timings = init_db_seconds(args.init_runs)
        median = statistics.median(timings)
        verdict = "ok" if median <= INIT_DB_S else "MISSED"
        runs = ", ".join(f"{t:.1f}" for t in timings)
        print(f"init-db (fresh SQLite): median {median:.1f} s of {runs}  <=30s {verdict}")


if __name__ == "__main__":
    main()
