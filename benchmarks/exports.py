"""Export benchmark: time to first byte, total time and peak memory of the serving process.

    .venv/bin/python benchmarks/exports.py [--rows 250000] [--repeats 3] [--db PATH] [--dump]

Builds (once, then reuses) a SQLite database of fictional candidacies under
/work/bench/exports/ (or takes `--db`, e.g. one made by `flask demo-data`), then for CSV,
JSON and Excel, of all rows and of flagged rows, runs the export through the WSGI app in a
fresh subprocess and reports time to first byte, total time, CPU time, bytes, and the
subprocess's peak resident memory (ru_maxrss). The reference row, read in the same run, is
the records alone (database reads and row building, nothing written): what every format
costs before its writer, and how loaded the machine is. `--dump` also times
`flask export dump` (all formats, one process). Targets: CSV and JSON <= 30 s, Excel <= 60 s,
peak memory <= 300 MB each, the dump <= 180 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/work/bench/exports"))
TARGETS = {"csv": 30.0, "json": 30.0, "xlsx": 60.0, "records": float("inf")}
DUMP_TARGET = 180.0
MEMORY_TARGET_MB = 300
SECRET = secrets.token_urlsafe(48)  # a weak key is refused at start-up


def make_app(db_path: Path):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT))
    from transparency import create_app

    return create_app(
        {
            "SECRET_KEY": SECRET,
            "DATABASE_URL": f"sqlite:///{db_path}",
            "RATELIMIT_ENABLED": False,
            "SEARCH_INDEX_DIR": str(BENCH_DIR / "search-index"),
            # Exports without `q` need no index; left on, the first request would start the
            # drainer, which would build the whole index in the measured process.
            "SEARCH_BACKGROUND_SYNC": False,
        }
    )


def build(db_path: Path, rows: int) -> None:
    """Core bulk inserts of fictional people, one candidacy each, with disclosure items."""
    from sqlalchemy import func, insert, select

    from transparency.extensions import db
    from transparency.models import (
        Candidacy,
        DisclosureItem,
        District,
        Election,
        Office,
        Party,
        Person,
        Ruleset,
    )
    from transparency.reference import load_reference_data

    app = make_app(db_path)
    with app.app_context():
        db.create_all()
        load_reference_data(db.session)
        db.session.commit()
        existing = db.session.scalar(select(func.count(Candidacy.id))) or 0
        if existing >= rows:
            return
        election = db.session.scalar(select(Election.id).where(Election.slug == "pemilu-2024"))
        office = db.session.scalar(select(Office.id).where(Office.code == "DPR"))
        districts = list(
            db.session.scalars(select(District.id).where(District.office_id == office))
        )
        parties = list(db.session.scalars(select(Party.id).where(Party.election_id == election)))
        if db.session.scalar(select(func.count(Ruleset.id))) == 0:
            db.session.add(Ruleset(version="bench-1", in_force=True, rules={}))
        now = datetime(2024, 1, 1)
        requirements = ("cv", "lhkpn", "programme")
        batch = 10_000
        for start in range(existing, rows, batch):
            size = min(batch, rows - start)
            ids = range(start + 1, start + size + 1)
            db.session.execute(
                insert(Person),
                [
                    {
                        "id": i,
                        "full_name": f"Calon Fiktif {i}",
                        "gender": "LP"[i % 2],
                        "birth_date": date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                        "biography": "Riwayat fiktif untuk uji beban. " * 3,
                        "is_fictional": True,
                        "hidden": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            db.session.execute(
                insert(Candidacy),
                [
                    {
                        "id": i,
                        "person_id": i,
                        "election_id": election,
                        "office_id": office,
                        "district_id": districts[i % len(districts)],
                        "party_id": parties[i % len(parties)],
                        "ballot_number": i,
                        "stage": "DCT",
                        "external_id": f"bench-{i}",
                        "disclosure_score": i % 101,
                        "flagged": i % 3 == 0,
                        "flags": (
                            [
                                {
                                    "rule_id": "R-CV",
                                    "requirement": "cv",
                                    "status": "refused",
                                    "checked_at": "2023-11-14",
                                    "reason_id": "Tidak bersedia membuka data diri "
                                    "(per 14 November 2023)",
                                    "reason_en": "Refused to publish the CV "
                                    "(as of 14 November 2023)",
                                    "source_url": "https://kpu.example/dct",
                                    "source_title": "DCT (fiktif)",
                                }
                            ]
                            if i % 3 == 0
                            else []
                        ),
                        "ruleset_version": "bench-1",
                        "flagged_since": now if i % 3 == 0 else None,
                        "hidden": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            db.session.execute(
                insert(DisclosureItem),
                [
                    {
                        "candidacy_id": i,
                        "requirement": requirement,
                        "status": "refused" if i % 3 == 0 and requirement == "cv" else "published",
                        "checked_at": date(2023, 11, 14),
                        "updated_at": now,
                    }
                    for i in ids
                    for requirement in requirements
                ],
            )
            db.session.commit()
            print(f"  built {start + size} candidacies", flush=True)


def records_once(app, query: str) -> dict:  # type: ignore[no-untyped-def]
    """The reference: every record read and built as the exports do, nothing written."""
    from transparency.exports import records
    from transparency.extensions import db
    from transparency.listing import parse_filters

    cpu_started = time.process_time()
    started = time.perf_counter()
    with app.app_context():
        filters = parse_filters({"status": "flagged"} if "flagged" in query else {})
        rows = sum(1 for _ in records.iter_records(db.session, filters, str))
    return {
        "status": 200,
        "rows": str(rows),
        "ttfb": 0.0,
        "total": time.perf_counter() - started,
        "cpu": time.process_time() - cpu_started,
        "bytes": 0,
    }


def dump_once(app, folder: str) -> dict:  # type: ignore[no-untyped-def]
    cpu_started = time.process_time()
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["export", "dump", folder])
    assert result.exit_code == 0, result.output
    return {
        "status": 200,
        "rows": result.output.split("(", 1)[1].split(" ", 1)[0],
        "ttfb": 0.0,
        "total": time.perf_counter() - started,
        "cpu": time.process_time() - cpu_started,
        "bytes": 0,
    }


def serve_once(db_path: Path, url: str) -> None:
    """In a fresh process: one export through the WSGI app; prints figures as JSON."""
    app = make_app(db_path)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if url.startswith(("records", "dump:")):
        figures = records_once(app, url) if url.startswith("records") else dump_once(app, url[5:])
        figures["baseline_rss_mb"] = baseline / 1024
        figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return
    client = app.test_client()
    cpu_started = time.process_time()
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    first = None
    size = 0
    for chunk in response.response:
        if first is None and chunk:
            first = time.perf_counter() - started
        size += len(chunk)
    total = time.perf_counter() - started
    response.close()
    print(
        json.dumps(
            {
                "status": response.status_code,
                "rows": response.headers.get("X-Export-Row-Count"),
                "ttfb": first,
                "total": total,
                "cpu": time.process_time() - cpu_started,
                "bytes": size,
                "baseline_rss_mb": baseline / 1024,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run(db_path: Path, url: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--db", str(db_path), "--serve", url],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--formats", default="records,csv,json,xlsx")
    parser.add_argument("--only", choices=["all", "flagged", "both"], default="both")
    parser.add_argument("--dump", action="store_true", help="also time `flask export dump`")
    parser.add_argument("--dump-repeats", type=int, default=1)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    db_path = args.db or BENCH_DIR / f"bench-{args.rows}.db"
    if args.serve:
        serve_once(db_path, args.serve)
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    build(db_path, args.rows)
    print(f"database {db_path} ready in {time.perf_counter() - started:.1f} s")
    if not args.formats:
        return
    print(
        f"{'export':<18} {'rows':>7} {'ttfb s':>7} {'total s':>8} {'CPU s':>6} {'MB out':>7} "
        f"{'peak RSS MB':>11}   (medians of {args.repeats}; load {os.getloadavg()[0]:.1f})"
    )
    failures = []
    lists = {"all": [("all", "")], "flagged": [("flagged", "?status=flagged")]}
    chosen = lists.get(args.only) or lists["all"] + lists["flagged"]
    for fmt in args.formats.split(","):
        for label, query in chosen:
            # Medians of `repeats` runs, each in a fresh process (so RSS is this export's).
            url = f"records{query}" if fmt == "records" else f"/export/candidates.{fmt}{query}"
            results = [run(db_path, url) for _ in range(args.repeats)]
            assert all(r["status"] == 200 for r in results), results
            ttfb = statistics.median(r["ttfb"] for r in results)
            total = statistics.median(r["total"] for r in results)
            cpu = statistics.median(r["cpu"] for r in results)
            peak = max(r["peak_rss_mb"] for r in results)
            print(
                f"{fmt + ' ' + label:<18} {results[0]['rows']:>7} {ttfb:>7.2f} {total:>8.1f} "
                f"{cpu:>6.1f} {results[0]['bytes'] / 1e6:>7.1f} {peak:>11.0f}",
                flush=True,
            )
            if total > TARGETS[fmt] or peak > MEMORY_TARGET_MB:
                failures.append(f"{fmt} {label}: {total:.1f} s, {peak:.0f} MB")
    if args.dump:
        import shutil
        import tempfile

        totals, peaks, cpus = [], [], []
        for _ in range(args.dump_repeats):
            folder = tempfile.mkdtemp(prefix="dump-", dir=BENCH_DIR)
            try:
                result = run(db_path, f"dump:{folder}")
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            totals.append(result["total"])
            peaks.append(result["peak_rss_mb"])
            cpus.append(result["cpu"])
        total = statistics.median(totals)
        print(
            f"{'dump, all formats':<18} {result['rows']:>7} {'':>7} {total:>8.1f} "
            f"{statistics.median(cpus):>6.1f} "
            f"{'':>7} {max(peaks):>11.0f}   (runs: {', '.join(f'{t:.1f}' for t in totals)})"
        )
        if total > DUMP_TARGET or max(peaks) > MEMORY_TARGET_MB:
            failures.append(f"dump: {total:.1f} s, {max(peaks):.0f} MB")
    print("targets: CSV/JSON <= 30 s, Excel <= 60 s, dump <= 180 s, peak RSS <= 300 MB")
    print("missed: " + "; ".join(failures) if failures else "all targets met")


if __name__ == "__main__":
    main()
