"""How long `demo-data` takes and how much memory it holds, for given sizes.

    .venv/bin/python benchmarks/demo_data.py --sizes 25000,250000 [--dir /work/bench/demo]
    [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_demo]

Each size runs in a fresh process on a fresh database (SQLite under --dir unless a
PostgreSQL URL is given, whose public schema is emptied first) and prints wall time, CPU
time, peak resident memory and rows written. A peak that stays flat across sizes shows the
loader's memory does not grow with N. Target: 250,000 candidacies in at most 5 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def child(size: int, seed: int, url: str) -> None:
    from sqlalchemy import text

    from transparency import create_app
    from transparency.demo import load_demo_data
    from transparency.extensions import db
    from transparency.reference import load_reference_data

    app = create_app({"TESTING": True, "SECRET_KEY": "b" * 48, "DATABASE_URL": url})
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        load_reference_data(db.session)
        db.session.commit()
        before = os.times()
        started = time.perf_counter()
        summary = load_demo_data(db.session, size, seed)
        db.session.commit()
        wall = time.perf_counter() - started
        after = os.times()
    rows = sum(summary.rows.values())
    print(
        json.dumps(
            {
                "candidacies": summary.candidacies,
                "by_office": summary.by_office,
                "rows": rows,
                "wall_s": round(wall, 1),
                "cpu_s": round(after.user + after.system - before.user - before.system, 1),
                "rows_per_s": round(rows / wall),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="25000,250000")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--dir", default="/work/bench/demo")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seed, args.database_url)
        return
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    for size in (int(part) for part in args.sizes.split(",")):
        url = args.database_url
        if not url:
            path = directory / f"demo-{size}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(size),
                "--seed",
                str(args.seed),
                "--database-url",
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"N={size:>7,}  wall {figures['wall_s']:>6.1f} s  cpu {figures['cpu_s']:>6.1f} s  "
            f"peak RSS {figures['peak_rss_mb']:>4} MB  rows {figures['rows']:>10,}  "
            f"({figures['rows_per_s']:,} rows/s)  {figures['by_office']}  [{url}]",
            flush=True,
        )


if __name__ == "__main__":
    main()
