"""Read throughput at 250,000 candidacies, next to the app's own trivial route, and hostile
search clients against everyone else's latency.

    .venv/bin/python benchmarks/throughput.py --database /work/bench/demo/demo-250000.db
        [--index DIR] [--workers 2] [--threads 2] [--seconds 20] [--repeats 3]
        [--skip-throughput] [--skip-hostile]

The database is copied under /work/bench/prod/throughput/ (never modified in place) and
brought to the current schema with `flask init-db`; when its migration history is not
ours (a copy made by another branch's code), missing tables are created and it is stamped,
but only if every column the models need is already there. --index copies a built index
(its directory holding CURRENT); without it `flask search reindex` builds one (~30 min).

1. Throughput: `wrk` (2 threads, 8 connections, --seconds, --repeats; the median is
   printed) against /healthz (the ceiling: the same app, no database), the search page
   (/candidates?q=...), profiles (/candidates/<id>), the API's candidate
   (/api/v1/candidates/<id>) and the search API (/api/v1/search?q=...), with random
   queries and ids from a Lua script. gunicorn runs with --workers (default 2: one per
   core). The ratio to /healthz is printed.
2. Hostile clients: 20 threads send costly-looking searches (`*`, `?*`, `a*`, 40-letter
   words, phrase spam, 200-character queries) to the page and the API as fast as they are
   answered, while one client fetches the profile, home and list pages; pass when those
   stay under 1 s at p95.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote_plus

from _servers import (
    BENCH_DIR,
    DROPPED,
    LOAD_SETTINGS,
    SEARCH_WORDS,
    Client,
    Gunicorn,
    Site,
    Stats,
    load_average,
    log_problems,
    median,
    percentile,
    say,
)

HOSTILE = [
    "*",
    "?*",
    "a*",
    "*a*",
    "b?",
    "x" * 40,
    "pemberantasankorupsipemberantasankorupsi",
    "%22a a a a a a a a a a a a a a a a%22",
    "%22" + "tidak bersedia " * 12 + "%22",
    "a b c d e f g h i j k l m n o p q r s t",
    "status:draft",
    "text:[a TO z]",
    "pendidikan^100 OR kesehatan~2",
    "ke" * 100,
    "%22" * 30,
    "sekolah* " * 16,
]


def adopt_database(
    source: Path,
    workdir: Path,
    index: Path | None,
    search: bool = True,
    production_limits: bool = False,
) -> Site:
    """A private copy of a big demo database at the current schema, with an index."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "demo.db"
    # wrk and the hostile clients send everything from one address: the per-address limits
    # are lifted, so that the engine's own cost is measured, unless the run is meant to show
    # the limits at work.
    settings = {} if production_limits else dict(LOAD_SETTINGS)
    site = Site("250k", f"sqlite:///{target}", workdir, settings)
    if not (workdir / "copied").exists():
        say(f"copying {source} (SQLite backup API: consistent even if it is in use)")
        for stale in workdir.glob("demo.db*"):
            stale.unlink()
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=65536)
        finally:
            src.close()
            dst.close()
        (workdir / "copied").touch()
    if site.flask("init-db", check=False).returncode != 0:
        stamp_foreign_history(site)
    if not search:
        # No index: the background drainer would start building one inside a worker.
        site.settings["SEARCH_BACKGROUND_SYNC"] = "false"
        return site
    if not (workdir / "indexed").exists():
        if index is not None:
            say(f"copying the index {index}")
            shutil.copytree(index, site.index_dir, dirs_exist_ok=True)
        else:
            site.flask("search", "reindex")
        (workdir / "indexed").touch()
    return site


def stamp_foreign_history(site: Site) -> None:
    """The copy was made by other code: add the tables it lacks and its missing nullable
    columns (left empty: derived data the pages read elsewhere); refuse anything else."""
    from sqlalchemy import inspect, text

    from transparency import create_app
    from transparency.extensions import db

    app = create_app(site.app_config())
    with app.app_context():
        inspector = inspect(db.engine)
        missing = [
            (table, column)
            for table in db.metadata.sorted_tables
            if inspector.has_table(table.name)
            for column in table.columns
            if column.name not in {c["name"] for c in inspector.get_columns(table.name)}
        ]
        required = [f"{t.name}.{c.name}" for t, c in missing if not c.nullable]
        if required:
            raise SystemExit(
                f"{site.sqlite_path}: required columns missing ({', '.join(required[:10])}); "
                "generate a fresh database with `flask demo-data --candidates 250000` instead"
            )
        for table, column in missing:
            kind = column.type.compile(dialect=db.engine.dialect)
            db.session.execute(
                text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}')
            )
            say(f"added the empty nullable column {table.name}.{column.name} ({kind})")
        added = {f"{t.name}.{c.name}" for t, c in missing}
        if {"candidacy.list_district", "candidacy.list_party"} & added:
            from transparency.listing import sync_list_keys

            sync_list_keys(db.session)  # the denormalised sort keys the lists walk
        db.session.commit()
        db.create_all()
        for table in db.metadata.sorted_tables:
            for index in table.indexes:
                index.create(db.engine, checkfirst=True)
        db.session.execute(text("DELETE FROM alembic_version"))
        db.session.commit()
        db.engine.dispose()
    site.flask("db", "stamp", "head")
    site.flask("init-db")
    say("schema adopted: missing tables and nullable columns added, history stamped at head")


def sample_ids(site: Site, count: int = 2000) -> list[int]:
    conn = sqlite3.connect(f"file:{site.sqlite_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT id FROM candidacy WHERE hidden = 0 ORDER BY random() LIMIT ?", (count,)
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


def lua_script(path: Path, paths: list[str]) -> Path:
    quoted = ",\n".join(f'  "{p}"' for p in paths)
    path.write_text(
        f"local paths = {{\n{quoted}\n}}\n"
        "math.randomseed(os.time())\n"
        "request = function()\n"
        "  return wrk.format('GET', paths[math.random(#paths)])\n"
        "end\n"
    )
    return path


def wrk(base: str, script: Path, seconds: float, connections: int) -> dict[str, float]:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{int(seconds)}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", output)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "non2xx": float(non2xx.group(1)) if non2xx else 0.0,
        "socket_errors": errors.group(1) if errors else "",
    }


def throughput(server: Gunicorn, site: Site, args: argparse.Namespace) -> bool:
    ids = sample_ids(site)
    rng = random.Random(250)
    routes = {
        "hello (/healthz)": ["/healthz"],
        "profile page": [f"/candidates/{i}" for i in ids],
        "API candidate": [f"/api/v1/candidates/{i}" for i in ids],
        "search page": [
            f"/candidates?q={quote_plus(rng.choice(SEARCH_WORDS))}" for _ in range(400)
        ],
        "search API": [
            f"/api/v1/search?q={quote_plus(rng.choice(SEARCH_WORDS))}" for _ in range(400)
        ],
    }
    if args.no_search:
        routes = {k: v for k, v in routes.items() if "search" not in k}
    scripts = {
        name: lua_script(site.workdir / f"wrk-{i}.lua", paths)
        for i, (name, paths) in enumerate(routes.items())
    }
    say("warming up: every worker opens its searcher and fills its caches")
    warm = Client(server.base, timeout=600)
    for paths in routes.values():
        for path in paths[:20]:
            warm.get(path)
    results: dict[str, list[dict]] = {name: [] for name in routes}
    for repeat in range(args.repeats):
        for name, script in scripts.items():
            result = wrk(server.base, script, args.seconds, args.connections)
            results[name].append(result)
            say(
                f"repeat {repeat + 1} {name}: {result['rps']:.1f}/s p50 {result['p50']:.0f} ms "
                f"p99 {result['p99']:.0f} ms non-2xx {result['non2xx']:.0f} "
                f"(load average {load_average()})"
            )
    ceiling = median([r["rps"] for r in results["hello (/healthz)"]])
    print(
        f"\n== read throughput, {args.workers} workers x {args.threads} threads, wrk -t2 "
        f"-c{args.connections} -d{args.seconds:.0f}s, median of {args.repeats} =="
    )
    print(f"{'route':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'of hello':>10}  non-2xx")
    ok = True
    for name, runs in results.items():
        rps = median([r["rps"] for r in runs])
        bad = sum(r["non2xx"] for r in runs)
        ok = ok and bad == 0
        print(
            f"{name:<20}{rps:>9.1f}{median([r['p50'] for r in runs]):>9.0f}"
            f"{median([r['p99'] for r in runs]):>9.0f}{rps / ceiling:>9.1%}  {bad:.0f}"
        )
    print(f"load average at the end: {load_average()}")
    return ok


def hostile(server: Gunicorn, site: Site, args: argparse.Namespace) -> bool:
    ids = sample_ids(site, 500)
    stop = threading.Event()
    attack, victims = Stats(), Stats()

    def attacker(number: int) -> None:
        rng = random.Random(number)
        client = Client(server.base, timeout=120)
        while not stop.is_set():
            query = rng.choice(HOSTILE).replace(" ", "+")
            path = f"/candidates?q={query}" if number % 2 else f"/api/v1/search?q={query}"
            try:
                attack.add("hostile search", client.get(path), path)
            except DROPPED as error:
                attack.error("hostile search", error)

    def victim() -> None:
        rng = random.Random(7)
        client = Client(server.base, timeout=120)
        while not stop.is_set():
            kind, path = rng.choice(
                [
                    ("profile", f"/candidates/{rng.choice(ids)}"),
                    ("home", "/"),
                    ("list", f"/candidates?page={rng.randint(1, 50)}"),
                    ("search (plain)", f"/candidates?q={quote_plus(rng.choice(SEARCH_WORDS))}"),
                ]
            )
            try:
                victims.add(kind, client.get(path), path)
            except DROPPED as error:
                victims.error(kind, error)

    threads = [threading.Thread(target=attacker, args=(i,)) for i in range(args.hostile)]
    threads.append(threading.Thread(target=victim))
    say(f"hostile: {args.hostile} attackers for {args.seconds * 3:.0f} s ({load_average()})")
    started = time.monotonic()
    for thread in threads:
        thread.start()
    stop.wait(args.seconds * 3)
    stop.set()
    for thread in threads:
        thread.join(300)
    elapsed = time.monotonic() - started
    print(f"\n== hostile search clients: {args.hostile} in parallel, {elapsed:.0f} s ==")
    print("\n".join(attack.report(elapsed)))
    print("\n".join(victims.report(elapsed)[1:]))
    others = [
        latency
        for kind, values in victims.latencies.items()
        if kind != "search (plain)"
        for latency in values
    ]
    p95 = percentile(others, 95)
    errors = attack.count(500) + victims.count(500)
    print(f"other pages (profile, home, list): p95 {p95 * 1000:.0f} ms over {len(others)} requests")
    checks = [
        ("other pages under 1 s at p95", p95 < 1.0),
        ("0 responses with status 500", not errors),
    ]
    for name, ok in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {name}")
    print(f"load average at the end: {load_average()}")
    return all(ok for _, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, default=Path("/work/bench/demo/demo-250000.db"))
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--workdir", type=Path, default=BENCH_DIR / "throughput")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hostile", type=int, default=20)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-hostile", action="store_true")
    parser.add_argument("--no-search", action="store_true", help="no index: no search routes")
    parser.add_argument(
        "--production-limits",
        action="store_true",
        help="keep the per-address rate limits of a default deployment (all clients share one"
        " address here, so the attackers meet the search limit)",
    )
    args = parser.parse_args(argv)
    site = adopt_database(
        args.database,
        args.workdir,
        args.index,
        search=not args.no_search,
        production_limits=args.production_limits,
    )
    server = Gunicorn(site, workers=args.workers, threads=args.threads)
    results = {}
    try:
        server.start(timeout=900)
        if not args.skip_throughput:
            results["throughput"] = throughput(server, site, args)
        if not args.skip_hostile and not args.no_search:
            results["hostile"] = hostile(server, site, args)
    finally:
        server.stop()
    found = log_problems(server.log)
    print(f"server log {server.log}: {found}")
    results["log"] = found["Traceback"] == 0 and found["database is locked"] == 0
    print(", ".join(f"{k}: {'PASS' if v else 'FAIL'}" for k, v in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
