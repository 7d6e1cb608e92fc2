"""Crashes under load: the load of load.py, while a random worker is killed with SIGKILL 20
times and the master once (then started again, as a supervisor would).

    .venv/bin/python benchmarks/crash.py [--seconds 120] [--kills 20] [--candidates 3000]
        [--database sqlite|postgresql]

Pass (printed at the end):
  - SQLite: `PRAGMA integrity_check` is "ok" and `PRAGMA foreign_key_check` finds nothing;
  - every acknowledged submission and approval is in the database with its revision;
  - `flask search check --repair`, then a second `flask search check` exits 0;
  - 0 responses with status 5xx, 0 "database is locked" in the server log.
Dropped connections (the killed worker's requests) are expected and counted; a POST that
got no answer is not acknowledged, so it is not looked for.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time

from _servers import (
    BENCH_DIR,
    LOAD_SETTINGS,
    Gunicorn,
    Site,
    load_average,
    postgres_database,
    prepare_site,
    say,
)
from load import REVIEWERS, VOLUNTEERS, drive, summary, verify_writes


def sqlite_checks(site: Site) -> list[str]:
    connection = sqlite3.connect(site.sqlite_path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    problems = []
    if integrity != [("ok",)]:
        problems.append(f"integrity_check: {integrity[:5]}")
    if foreign:
        problems.append(f"foreign_key_check: {len(foreign)} rows, e.g. {foreign[:5]}")
    say(f"integrity_check {integrity[:1]}, foreign_key_check {len(foreign)} rows")
    return problems


def index_repair(site: Site) -> tuple[list[str], str]:
    first = site.flask("search", "check", check=False)
    site.flask("search", "check", "--repair", check=False)
    second = site.flask("search", "check", check=False)
    before = (first.stdout + first.stderr).strip().splitlines()[-1:]
    problems = [] if second.returncode == 0 else [f"search check after --repair: {second.stdout}"]
    return problems, f"search check before repair: exit {first.returncode} {before}"


def run_crash(site: Site, args: argparse.Namespace) -> bool:
    accounts = prepare_site(site, args.candidates, VOLUNTEERS, REVIEWERS)
    server = Gunicorn(site, workers=args.workers, threads=args.threads)
    rng = random.Random(args.seed)
    events: list[str] = []

    def chaos(seconds: float) -> None:
        # Kills spread over the run; the master dies halfway, after half the worker kills.
        interval = seconds / (args.kills + 2)
        for number in range(1, args.kills + 1):
            time.sleep(interval)
            pid = server.kill_worker(rng)
            events.append(f"{time.strftime('%H:%M:%S')} kill -9 worker {pid}")
            if number == args.kills // 2:
                time.sleep(interval / 2)
                seconds_down = server.kill_master_and_restart()
                events.append(
                    f"{time.strftime('%H:%M:%S')} kill -9 master; answering again after "
                    f"{seconds_down:.1f} s"
                )

    try:
        server.start()
        run, elapsed = drive(server, accounts, args.seconds, chaos)
    finally:
        server.stop()
    problems = sqlite_checks(site) if site.is_sqlite else []
    problems += verify_writes(site, run.ledger)
    repair_problems, repair_note = index_repair(site)
    problems += repair_problems
    worker_kills = sum("worker" in e for e in events)
    master_kills = sum("master" in e for e in events)
    extra = [
        f"kills: {worker_kills} workers, {master_kills} master (load average {load_average()})",
        *(f"  {e}" for e in events),
        repair_note,
    ]
    ok = summary(f"crash, {site.name}", run, elapsed, server.log, problems, extra)
    enough = worker_kills == args.kills and master_kills == 1
    print(f"  [{'PASS' if enough else 'FAIL'}] {args.kills} worker kills and 1 master kill done")
    return ok and enough


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--candidates", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    if args.database == "sqlite":
        workdir = BENCH_DIR / f"crash-sqlite-{time.strftime('%H%M%S')}"
        workdir.mkdir(parents=True)
        site = Site("SQLite", f"sqlite:///{workdir / 'crash.db'}", workdir, dict(LOAD_SETTINGS))
        ok = run_crash(site, args)
    else:
        with postgres_database() as url:
            workdir = BENCH_DIR / f"crash-pg-{time.strftime('%H%M%S')}"
            workdir.mkdir(parents=True)
            ok = run_crash(Site("PostgreSQL", url, workdir, dict(LOAD_SETTINGS)), args)
    print(f"\ncrash: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
