"""The proof under load: volunteers submit, reviewers approve, readers search and browse,
all at once, against gunicorn with 4 workers; then every acknowledged write is checked.

    .venv/bin/python benchmarks/load.py [--database sqlite|postgresql|both] [--seconds 120]
        [--candidates 3000] [--workers 4] [--threads 2]

Each run builds a fresh site under /work/bench/prod/ (SQLite) or in a private PostgreSQL
database on the test server (dropped afterwards): init-db, demo data, `search reindex`,
16 volunteer and 4 reviewer accounts. Then, for --seconds:
  - 16 volunteers log in, GET a form for its CSRF token and POST sourced submissions
    (track-record items and disclosure statuses, each carrying a unique marker);
  - 4 reviewers read the queue and approve (each a share of the submissions);
  - 20 readers search (page and API) and browse (profiles, lists, API).
An acknowledged submission is a 302 to its page; an acknowledged approval a 302 after the
POST. Pass (printed at the end):
  - every acknowledged submission is in the database with its payload, and every
    acknowledged approval is applied: the public row and its revision (origin review,
    proposer, approver, the reviewer's reason) are there;
  - `flask search sync`, then `flask search check` exits 0;
  - 0 responses with status 500 (or any 5xx), 0 "database is locked" in the server log.
crash.py runs the same load while killing workers and the master.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from _servers import (
    BENCH_DIR,
    DROPPED,
    LOAD_SETTINGS,
    PASSWORD,
    SEARCH_WORDS,
    Client,
    Gunicorn,
    Reply,
    Site,
    Stats,
    csrf_token,
    load_average,
    log_problems,
    postgres_database,
    prepare_site,
    say,
)

VOLUNTEERS, REVIEWERS, READERS = 16, 4, 20
REQUIREMENTS = ("cv", "programme", "criminal_record", "lhkpn", "photo")
STATUSES = ("published", "partial", "refused", "not_found")
SUBMISSION_URL = re.compile(r"/contribute/submissions/(\d+)")
QUEUE_LINK = re.compile(r"/review/submissions/(\d+)")


@dataclass
class Ledger:
    """What the server acknowledged, to be found in the database afterwards."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    submissions: dict[int, dict] = field(default_factory=dict)
    approvals: dict[int, dict] = field(default_factory=dict)
    conflicts: int = 0
    refused: int = 0

    def submitted(self, submission_id: int, record: dict) -> None:
        with self.lock:
            self.submissions[submission_id] = record

    def approved(self, submission_id: int, record: dict) -> None:
        with self.lock:
            self.approvals[submission_id] = record


@dataclass
class Run:
    base: Callable[[], str]  # the server's address (a restart may change nothing, or the port)
    stats: Stats
    ledger: Ledger
    stop: threading.Event
    candidacies: list[int]
    names: list[str]
    accounts: dict[str, list[str]]


def call(
    run: Run,
    client: Client,
    kind: str,
    method: str,
    path: str,
    form: dict[str, str] | None = None,
) -> Reply | None:
    """One request; a dropped connection (a killed worker) is counted, then retried once."""
    for attempt in range(2):
        try:
            reply = client.request(method, path, form)
        except DROPPED as error:
            run.stats.error(kind, error)
            if method == "POST" or attempt == 1:
                return None  # a POST that got no answer is not acknowledged: never retried
            time.sleep(0.2)
            continue
        run.stats.add(kind, reply, path)
        return reply
    return None


def log_in(run: Run, client: Client, email: str) -> bool:
    while not run.stop.is_set():
        page = call(run, client, "login GET", "GET", "/login")
        if page is None or page.status != 200:
            time.sleep(0.5)
            continue
        form = {"csrf_token": csrf_token(page.body), "email": email, "password": PASSWORD}
        reply = call(run, client, "login POST", "POST", "/login", form)
        if reply is not None and reply.status == 302:
            return True
        time.sleep(0.5)
    return False


def volunteer(run: Run, number: int) -> None:
    rng = random.Random(f"volunteer{number}")
    client = Client(run.base())
    email = run.accounts["volunteers"][number]
    if not log_in(run, client, email):
        return
    sequence = 0
    while not run.stop.is_set():
        sequence += 1
        candidacy = rng.choice(run.candidacies)
        marker = f"bench-{number}-{sequence}-{rng.randrange(10**9)}"
        kind = "disclosure" if rng.random() < 0.25 else "track_record"
        path = f"/contribute/candidacies/{candidacy}/{kind}"
        page = call(run, client, f"form {kind}", "GET", path)
        if page is None or page.status != 200:
            if page is not None and page.status == 302 and "/login" in page.location:
                log_in(run, client, email)
            continue
        form = {
            "csrf_token": csrf_token(page.body),
            "sources-0-url": f"https://contoh.example/sumber/{marker}",
            "sources-0-title": f"Sumber {marker}",
            "sources-0-accessed_on": date.today().isoformat(),
            "note": f"Catatan {marker}",
        }
        if kind == "track_record":
            payload = {
                "kind": "career",
                "title": f"Ketua koperasi {marker}",
                "organisation": "Koperasi Tani Makmur",
                "description": "Memimpin koperasi petani padi dan jagung.",
                "start_year": str(rng.randint(1995, 2015)),
                "end_year": "",
                "legal_status": "",
                "court_reference": "",
            }
        else:
            payload = {
                "requirement": rng.choice(REQUIREMENTS),
                "status": rng.choice(STATUSES),
                "checked_at": date.today().isoformat(),
            }
        reply = call(
            run,
            client,
            f"submit {kind}",
            "POST",
            path,
            {**form, **payload},
        )
        if reply is None:
            continue
        match = SUBMISSION_URL.search(reply.location) if reply.status == 302 else None
        if match:
            run.ledger.submitted(
                int(match.group(1)),
                {
                    "kind": kind,
                    "candidacy": candidacy,
                    "payload": payload,
                    "marker": marker,
                    "email": email,
                },
            )
        elif reply.status != 500:
            with run.ledger.lock:
                run.ledger.refused += 1


def reviewer(run: Run, number: int) -> None:
    rng = random.Random(f"reviewer{number}")
    client = Client(run.base())
    email = run.accounts["reviewers"][number]
    if not log_in(run, client, email):
        return
    while not run.stop.is_set():
        queue = call(run, client, "review queue", "GET", "/review/")
        if queue is None or queue.status != 200:
            if queue is not None and queue.status == 302 and "/login" in queue.location:
                log_in(run, client, email)
            continue
        ids = sorted({int(x) for x in QUEUE_LINK.findall(queue.body)})
        mine = [i for i in ids if i % REVIEWERS == number and i not in run.ledger.approvals]
        if not mine:
            run.stop.wait(0.3)
            continue
        for submission_id in mine[:10]:
            if run.stop.is_set():
                break
            path = f"/review/submissions/{submission_id}"
            page = call(run, client, "review GET", "GET", path)
            if page is None or page.status != 200:
                continue
            reason = f"Sumber sesuai (bench {submission_id} r{number} {rng.randrange(10**6)})"
            form = {"csrf_token": csrf_token(page.body), "action": "approve", "reason": reason}
            reply = call(run, client, "review approve", "POST", path, form)
            if reply is None:
                continue
            if reply.status == 302:
                run.ledger.approved(submission_id, {"reason": reason, "email": email})
            elif reply.status == 409:
                with run.ledger.lock:
                    run.ledger.conflicts += 1


def reader(run: Run, number: int) -> None:
    rng = random.Random(f"reader{number}")
    client = Client(run.base())
    while not run.stop.is_set():
        roll = rng.random()
        word = rng.choice(SEARCH_WORDS + run.names)
        if roll < 0.30:
            kind, path = "search page", f"/candidates?q={word}"
        elif roll < 0.45:
            kind, path = "search API", f"/api/v1/search?q={word}"
        elif roll < 0.65:
            kind, path = "profile", f"/candidates/{rng.choice(run.candidacies)}"
        elif roll < 0.75:
            kind, path = "API candidate", f"/api/v1/candidates/{rng.choice(run.candidacies)}"
        elif roll < 0.85:
            kind, path = "list", f"/candidates?page={rng.randint(1, 20)}"
        elif roll < 0.92:
            kind, path = "flagged", "/flagged"
        else:
            kind, path = "home", "/"
        call(run, client, kind, "GET", path.replace(" ", "+").replace('"', "%22"))


def public_candidacies(site: Site) -> tuple[list[int], list[str]]:
    from sqlalchemy import select

    from transparency import create_app
    from transparency.extensions import db
    from transparency.models import Candidacy, Person

    app = create_app(site.app_config())
    with app.app_context():
        rows = db.session.execute(
            select(Candidacy.id, Person.full_name)
            .join(Person, Candidacy.person_id == Person.id)
            .where(Candidacy.hidden.is_(False), Person.hidden.is_(False))
        ).all()
        db.session.remove()
        db.engine.dispose()
    names = [name.split()[0] for _, name in rows[:200] if name.split()]
    return [row[0] for row in rows], names


def drive(
    server: Gunicorn,
    accounts: dict[str, list[str]],
    seconds: float,
    chaos: Callable[[float], None] | None = None,
) -> tuple[Run, float]:
    candidacies, names = public_candidacies(server.site)
    run = Run(
        base=lambda: server.base,
        stats=Stats(),
        ledger=Ledger(),
        stop=threading.Event(),
        candidacies=candidacies,
        names=names,
        accounts=accounts,
    )
    threads = [
        *(threading.Thread(target=volunteer, args=(run, i)) for i in range(VOLUNTEERS)),
        *(threading.Thread(target=reviewer, args=(run, i)) for i in range(REVIEWERS)),
        *(threading.Thread(target=reader, args=(run, i)) for i in range(READERS)),
    ]
    say(f"load: {len(threads)} clients for {seconds:.0f} s (load average {load_average()})")
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if chaos is not None:
        # The load goes on until every planned crash has happened, however slow the machine.
        chaos_thread = threading.Thread(target=chaos, args=(seconds,))
        chaos_thread.start()
        chaos_thread.join()
    run.stop.wait(max(0.0, seconds - (time.monotonic() - started)))
    run.stop.set()
    for thread in threads:
        thread.join(120)
    return run, time.monotonic() - started


# --- verification --------------------------------------------------------------------------


def verify_writes(site: Site, ledger: Ledger) -> list[str]:
    """Every acknowledged submission and approval, looked up in the database."""
    from sqlalchemy import select

    from transparency import create_app
    from transparency.extensions import db
    from transparency.models import DisclosureItem, Revision, Submission, TrackRecordItem, User

    problems: list[str] = []
    app = create_app(site.app_config())
    with app.app_context():
        users = {u.email: u.id for u in db.session.scalars(select(User))}
        stored = {
            s.id: s
            for s in db.session.scalars(
                select(Submission).where(Submission.id.in_(list(ledger.submissions)))
            )
        }
        for submission_id, record in ledger.submissions.items():
            row = stored.get(submission_id)
            if row is None:
                problems.append(f"submission {submission_id} acknowledged but missing")
                continue
            expected = {k: v for k, v in record["payload"].items() if v != ""}
            actual = {k: str(v) for k, v in row.payload.items() if v is not None}
            if row.submitter_id != users[record["email"]] or row.kind != record["kind"]:
                problems.append(f"submission {submission_id}: wrong submitter or kind")
            elif any(actual.get(k) != v for k, v in expected.items()):
                problems.append(f"submission {submission_id}: payload {actual} != {expected}")
        for submission_id, record in ledger.approvals.items():
            row = stored.get(submission_id) or db.session.get(Submission, submission_id)
            if row is None or row.status != "approved":
                status = row.status if row else "missing"
                problems.append(f"approval of {submission_id} acknowledged, status {status}")
                continue
            revisions = list(
                db.session.scalars(select(Revision).where(Revision.reason == record["reason"]))
            )
            good = [
                r
                for r in revisions
                if r.origin == "review"
                and r.proposed_by_id == row.submitter_id
                and r.approved_by_id == users[record["email"]]
            ]
            if not good:
                problems.append(f"approval of {submission_id}: no revision with its reason")
                continue
            if row.kind == "track_record":
                item = db.session.scalars(
                    select(TrackRecordItem).where(TrackRecordItem.title == row.payload["title"])
                ).first()
                if item is None or not any(
                    r.entity_type == "track_record_item" and r.entity_id == item.id for r in good
                ):
                    problems.append(f"approval of {submission_id}: track-record item missing")
            else:
                item = db.session.scalars(
                    select(DisclosureItem).where(
                        DisclosureItem.candidacy_id == row.candidacy_id,
                        DisclosureItem.requirement == row.payload["requirement"],
                    )
                ).first()
                if item is None or not any(
                    r.entity_type == "disclosure_item" and r.entity_id == item.id for r in good
                ):
                    problems.append(f"approval of {submission_id}: disclosure item missing")
        db.session.remove()
        db.engine.dispose()
    return problems


def verify_index(site: Site) -> list[str]:
    site.flask("search", "sync")
    check = site.flask("search", "check", check=False)
    return [] if check.returncode == 0 else [f"search check exited {check.returncode}"]


def summary(
    label: str, run: Run, elapsed: float, log: Path, problems: list[str], extra: list[str]
) -> bool:
    found = log_problems(log)
    server_errors = sum(
        count for by in run.stats.statuses.values() for s, count in by.items() if s >= 500
    )
    acked_submissions, acked_approvals = len(run.ledger.submissions), len(run.ledger.approvals)
    print(f"\n== {label}: {elapsed:.0f} s, load average {load_average()} ==")
    print("\n".join(run.stats.report(elapsed)))
    print(
        f"acknowledged: {acked_submissions} submissions ({acked_submissions / elapsed:.2f}/s), "
        f"{acked_approvals} approvals ({acked_approvals / elapsed:.2f}/s); "
        f"409 conflicts {run.ledger.conflicts}; other refusals {run.ledger.refused}"
    )
    for line in extra:
        print(line)
    checks = [
        ("every acknowledged submission and approval stored, with revisions", not problems),
        ("0 responses with status 5xx", server_errors == 0),
        ('0 "database is locked" in the server log', found["database is locked"] == 0),
        ("0 tracebacks in the server log", found["Traceback"] == 0),
    ]
    for name, ok in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {name}")
    for problem in problems[:20]:
        print(f"    - {problem}")
    for sample in run.stats.samples_500[:10]:
        print(f"    - {sample}")
    print(f"  server log: {log} ({found})")
    return all(ok for _, ok in checks)


def run_load(label: str, site: Site, args: argparse.Namespace) -> bool:
    accounts = prepare_site(site, args.candidates, VOLUNTEERS, REVIEWERS)
    server = Gunicorn(site, workers=args.workers, threads=args.threads)
    try:
        server.start()
        run, elapsed = drive(server, accounts, args.seconds)
    finally:
        server.stop()
    problems = verify_writes(site, run.ledger) + verify_index(site)
    return summary(label, run, elapsed, server.log, problems, [])


def fresh_sqlite(label: str) -> Site:
    workdir = BENCH_DIR / f"{label}-{time.strftime('%H%M%S')}"
    workdir.mkdir(parents=True)
    return Site(label, f"sqlite:///{workdir / 'load.db'}", workdir, dict(LOAD_SETTINGS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--candidates", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    results = {}
    if args.database in ("sqlite", "both"):
        results["sqlite"] = run_load("SQLite", fresh_sqlite("load-sqlite"), args)
    if args.database in ("postgresql", "both"):
        with postgres_database() as url:
            workdir = BENCH_DIR / f"load-pg-{time.strftime('%H%M%S')}"
            workdir.mkdir(parents=True)
            site = Site("PostgreSQL", url, workdir, dict(LOAD_SETTINGS))
            results["postgresql"] = run_load("PostgreSQL", site, args)
    print("\n" + ", ".join(f"{k}: {'PASS' if v else 'FAIL'}" for k, v in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
