"""Import benchmark: a 250,000-row official list into an empty SQLite database, then again.

    .venv/bin/python benchmarks/import.py [--rows 250000] [--out /work/bench/import]
    .venv/bin/python benchmarks/import.py --format kpu-dct-json [--runs 3]

With `--format kpu-dct-json` the list is the commission's per-district JSON instead: the
fictional publication of transparency.demo.kpu_files, 258,229 entries in 2,748 files
(dpr/, dpd/, dprdprov/, dprdkk/), imported as a directory; the reference in the same run is
the time to read and parse every file with the standard json module, nothing else. Targets:
first import including flags and search <= 5 min, re-import <= 1 min, memory <= 1 GB.

Generates the file once (fictional names; the real 84 DPR districts and 24 parties for DPR
rows, generated DPRD districts with district_name for the rest, DPD per province), runs
`init-db` on a fresh database, then imports the file twice, each time in a child process so
its peak memory (ru_maxrss) is its own, and after each import brings the search index up to
date as `flask search sync` does (the flags are computed inside the import). Prints times per
step, counts and peak memory. Targets: first import <= 10 min in total, re-import of the
unchanged file <= 2 min, memory <= 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ("Siti", "Budi", "Agus", "Dewi", "Rina", "Ahmad", "Wahyu", "Maria", "Slamet", "Putri")
LAST = ("Santoso", "Rahayu", "Pratama", "Wulandari", "Hidayat", "Saputra", "Lestari", "Nugroho")
WORDS = ("air", "bersih", "sekolah", "jalan", "desa", "petani", "nelayan", "kesehatan", "pasar")
COLUMNS = (
    "election",
    "office",
    "district_code",
    "district_name",
    "region_code",
    "party_number",
    "ballot_number",
    "full_name",
    "gender",
    "birth_date",
    "birth_place",
    "domicile",
    "education",
    "occupation",
    "biography",
    "program",
    "cv_status",
    "criminal_status",
    "lhkpn_status",
    "external_id",
    "source_url",
)


def reference(name: str) -> list[dict[str, str]]:
    with (ROOT / "transparency" / "reference" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def generate(path: Path, rows: int) -> None:
    rng = random.Random(2024)
    dpr = reference("dpr-districts-2024.csv")
    provinces = [row["code"] for row in reference("provinces.csv")]
    national = [int(p["ballot_number"]) for p in reference("parties-2024.csv")]
    national = [n for n in national if n < 18 or n == 24]
    slots: list[tuple[str, str, str, str, int | None]] = []  # office, code, name, region, parties
    for district in dpr:
        slots.append(("DPR", district["code"], "", district["code"][:2], 10))
    for code in provinces:
        slots.append(("DPD", code, "", code, None))
    for index, code in enumerate(provinces):
        for n in range(1, 9):
            slots.append(("DPRD_PROVINSI", f"{code}{n:02d}", f"DAPIL {code}-{n}", code, 12))
        for regency in range(1, 13 + index % 10):
            region = f"{code}{regency:02d}"
            for n in range(1, 6):
                name = f"DAPIL {region}-{n}"
                slots.append(("DPRD_KABKOTA", f"{region}-{n}", name, region, 9))
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        while written < rows:
            for office, code, name, region, per_party in slots:
                parties = [None] if per_party is None else national
                ballots = 20 if per_party is None else per_party
                for party in parties:
                    for ballot in range(1, ballots + 1):
                        if written >= rows:
                            return
                        written += 1
                        gender = "P" if rng.random() < 0.37 else "L"
                        out.writerow(
                            (
                                "pemilu-2024",
                                office,
                                code,
                                name,
                                region,
                                party or "",
                                ballot,
                                f"{rng.choice(FIRST)} {rng.choice(LAST)} Fiktif {written}",
                                gender,
                                f"{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-"
                                f"{rng.randint(1, 28):02d}",
                                "Kota Contoh",
                                "Kabupaten Contoh",
                                rng.choice(("SMA", "S1", "S2", "S3")),
                                rng.choice(("Guru", "Petani", "Wiraswasta", "Dosen")),
                                "Tokoh fiktif untuk uji beban. " * rng.randint(0, 3),
                                " ".join(rng.choices(WORDS, k=rng.randint(0, 25))),
                                rng.choice(("bersedia", "bersedia", "sebagian", "tidak_bersedia")),
                                rng.choice(("bukan", "bukan", "bukan", "mantan_terpidana")),
                                rng.choice(("filed", "not_filed", "not_required")),
                                f"BENCH-{written:07d}",
                                "",
                            )
                        )
            if written == 0:
                raise SystemExit("no district generated")
        if written < rows:
            raise SystemExit(f"only {written} rows could be generated")


CHILD = """
import json, resource, sys, time
from pathlib import Path
from transparency import create_app
from transparency.extensions import db
from transparency.importer import ImportOptions, run_import
app = create_app()
with app.app_context():
    started = time.perf_counter()
    report = run_import(db.session, Path(sys.argv[1]), ImportOptions(
        file_name=Path(sys.argv[1]).name, run_by="benchmark",
        source_url="https://contoh.example/dct-fiktif"))
    db.session.commit()
    total = time.perf_counter() - started
    print(json.dumps({"counts": report.counts(), "problems": report.problem_count,
                      "first": [str(p) for p in report.problems[:3]],
                      "timings": report.timings, "with_commit": total,
                      "refreshed": report.refreshed,
                      "cpu_s": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


CHILD_KPU = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from transparency import create_app
from transparency.extensions import db
from transparency.importer import ImportOptions
from transparency.importer.kpu_import import collect_paths, run_kpu_import
app = create_app()
with app.app_context():
    started = time.perf_counter()
    files, problems, warnings = collect_paths([Path(sys.argv[1])], None)
    report = run_kpu_import(db.session, files, ImportOptions(
        file_name=Path(sys.argv[1]).name, run_by="benchmark"), date(2024, 1, 18))
    db.session.commit()
    total = time.perf_counter() - started
    print(json.dumps({"counts": report.counts(), "problems": report.problem_count,
                      "first": report.entry_problems[:3], "files": report.files_read,
                      "timings": report.timings, "with_commit": total,
                      "refreshed": report.refreshed,
                      "cpu_s": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PARSE_CHILD = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
entries = sum(len(json.loads(p.read_bytes())) for p in sorted(Path(sys.argv[1]).rglob("*.json")))
print(json.dumps({"seconds": time.perf_counter() - started, "entries": entries}))
"""


# What `flask search sync` does after an import (the serving processes' drainer does the
# same by itself): the import leaves index work in the outbox, this applies it.
SYNC_CHILD = """
import json, resource, time
from transparency import create_app
from transparency.extensions import db
from transparency.search import sync
from transparency.search.store import index_root
app = create_app()
with app.app_context():
    started = time.perf_counter()
    sync.ensure_built(db.session, index_root())
    result = sync.drain(db.session, index_root(), wait=True, procs=2)
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    print(json.dumps({"seconds": time.perf_counter() - started, "rebuilt": result.rebuilt,
                      "applied": result.applied, "removed": result.removed,
                      "cpu_s": sum(u.ru_utime + u.ru_stime for u in usage),
                      "maxrss_mb": max(u.ru_maxrss for u in usage) / 1024}))
"""


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--out", type=Path, default=Path("/work/bench/import"))
    parser.add_argument("--runs", type=int, default=2, help="imports of the same file")
    parser.add_argument("--format", choices=("csv", "kpu-dct-json"), default="csv")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    kpu = options.format == "kpu-dct-json"
    print(f"load average at start: {os.getloadavg()} on {os.cpu_count()} CPUs")
    if kpu:
        csv_path = options.out / "kpu-dct-json"
        if not (csv_path / "dprdkk").is_dir():
            from transparency.demo.kpu_files import write_files

            started = time.perf_counter()
            files, entries = write_files(csv_path)
            print(
                f"generated {entries:,} entries in {files:,} files in "
                f"{time.perf_counter() - started:.1f} s"
            )
        size = sum(p.stat().st_size for p in csv_path.rglob("*.json"))
        print(f"directory: {csv_path} ({size / 1e6:.1f} MB)")
    else:
        csv_path = options.out / f"official-list-{options.rows}.csv"
        if not csv_path.exists():
            started = time.perf_counter()
            generate(csv_path, options.rows)
            print(f"generated {csv_path} in {time.perf_counter() - started:.1f} s")
        print(f"file: {csv_path} ({csv_path.stat().st_size / 1e6:.1f} MB)")
    database = options.out / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "TRANSPARENCY_SECRET_KEY": secrets.token_urlsafe(48),
        "TRANSPARENCY_DATABASE_URL": f"sqlite:///{database}",
        "TRANSPARENCY_SEARCH_INDEX_DIR": str(options.out / "search-index"),
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    run([python, "-m", "flask", "--app", "transparency", "init-db"], env)
    totals: list[float] = []
    for number in range(1, options.runs + 1):
        if kpu:
            parsed = json.loads(run([python, "-c", PARSE_CHILD, str(csv_path)], env))
            print(
                f"reference: reading and parsing the {parsed['entries']:,} entries alone "
                f"{parsed['seconds']:.1f} s; load average {os.getloadavg()}"
            )
        started = time.perf_counter()
        result = json.loads(run([python, "-c", CHILD_KPU if kpu else CHILD, str(csv_path)], env))
        wall = time.perf_counter() - started
        timings = result["timings"]
        print(
            f"import {number}: wall {wall:.1f} s (process start included); "
            f"run_import {timings['total']:.1f} s = validate {timings['validate']:.1f} s"
            f" + write {timings.get('write', 0):.1f} s + derived {timings.get('derived', 0):.1f} s;"
            f" with commit {result['with_commit']:.1f} s; CPU {result['cpu_s']:.1f} s;"
            f" peak RSS {result['maxrss_mb']:.0f} MB"
        )
        print(f"  counts {result['counts']}; problems {result['problems']} {result['first']}")
        print(f"  derived refreshers that ran: {result['refreshed'] or 'none (nothing changed)'}")
        started = time.perf_counter()
        indexed = json.loads(run([python, "-c", SYNC_CHILD], env))
        sync_wall = time.perf_counter() - started
        print(
            f"  search sync: wall {sync_wall:.1f} s; rebuilt {indexed['rebuilt']}, "
            f"{indexed['applied']} applied, {indexed['removed']} removed; "
            f"CPU {indexed['cpu_s']:.1f} s; peak RSS {indexed['maxrss_mb']:.0f} MB"
        )
        print(
            f"  import {number} in total (import + flags + search index): {wall + sync_wall:.1f} s"
        )
        totals.append(wall + sync_wall)
    if len(totals) > 1:
        again = totals[1:]
        print(
            f"first import {totals[0]:.1f} s (one sample: each needs an empty database); "
            f"re-imports: median {statistics.median(again):.1f} s of {len(again)} "
            f"({', '.join(f'{t:.1f}' for t in totals[1:])})"
        )
    print(f"load average at the end: {os.getloadavg()}")
    print(f"database size: {database.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
