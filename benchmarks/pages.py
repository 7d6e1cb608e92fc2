"""Server-side latency of the public pages at full scale (250,000 candidacies).

    .venv/bin/python benchmarks/pages.py [--db /work/bench/pages/pages.db] [--candidates 250000]
                                         [--requests 200]

Makes the database once (schema by migration, reference data, then `flask demo-data`) and
reuses it on later runs. Requests go through the real WSGI app with Flask's test client; the
time measured is from the WSGI call to the last byte of the body, and the queries are counted
per request. Prints p50/p95 per case.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transparency import create_app  # noqa: E402
from transparency.derived import refresh_after_bulk  # noqa: E402
from transparency.extensions import db  # noqa: E402
from transparency.models import (  # noqa: E402
    Candidacy,
    District,
    Election,
    Office,
    Party,
    Region,
)

TARGET_P95_MS = 100.0


def make_app(db_path: Path) -> Flask:
    return create_app(
        {
            "SECRET_KEY": os.environ["TRANSPARENCY_SECRET_KEY"],
            "DATABASE_URL": f"sqlite:///{db_path}",
            "RATELIMIT_ENABLED": False,
            "SEARCH_INDEX_DIR": str(db_path.parent / "search-index"),
            # No search here: without this the first request would start building the index
            # in a background thread of the measured process.
            "SEARCH_BACKGROUND_SYNC": False,
        }
    )


def ensure_database(app: Flask, candidates: int, seed: int) -> str:
    """The database at the wanted scale; returns how it was made."""
    with app.app_context():
        runner = app.test_cli_runner()
        listed = 0
        try:
            listed = db.session.scalar(select(func.count()).select_from(Candidacy)) or 0
        except Exception:
            db.session.rollback()
        if listed >= candidates:
            how = "reused"
        else:
            result = runner.invoke(args=["init-db"])
            if result.exit_code != 0:
                raise SystemExit(f"init-db failed: {result.output}")
            started = time.perf_counter()
            result = runner.invoke(
                args=["demo-data", "--candidates", str(candidates), "--seed", str(seed)]
            )
            if result.exit_code != 0:
                raise SystemExit(f"demo-data failed: {result.output}")
            how = f"demo-data in {time.perf_counter() - started:.0f} s"
        missing = db.session.scalar(
            select(func.count()).select_from(Candidacy).where(Candidacy.list_district.is_(None))
        )
        if missing:
            refresh_after_bulk(db.session, None)
            db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        raw = db.engine.raw_connection()
        try:  # outside any transaction: a checkpoint cannot run inside one
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        return how


# -- measuring --------------------------------------------------------------------------------


class Meter:
    """Times each WSGI call to its last byte and counts the queries it issued."""

    def __init__(self, app: Flask) -> None:
        self.queries = 0
        self.inner = app.wsgi_app
        app.wsgi_app = self  # type: ignore[method-assign]
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count)
        self.last_ms = 0.0
        self.last_queries = 0

    def _count(self, *_args: Any) -> None:
        self.queries += 1

    def __call__(self, environ: dict, start_response: Callable) -> Iterator[bytes]:
        queries = self.queries
        started = time.perf_counter()
        body = list(self.inner(environ, start_response))
        self.last_ms = (time.perf_counter() - started) * 1000
        self.last_queries = self.queries - queries
        return iter(body)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_case(
    app: Flask, meter: Meter, name: str, urls: Iterable[str], requests: int
) -> tuple[str, float, float, set[int], bool]:
    client = app.test_client()
    url_list = list(urls)
    timings: list[float] = []
    queries: set[int] = set()
    for i in range(requests):
        response = client.get(url_list[i % len(url_list)])
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url_list[i % len(url_list)]} gave {response.status_code}")
        timings.append(meter.last_ms)
        queries.add(meter.last_queries)
    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    return name, p50, p95, queries, p95 <= TARGET_P95_MS


def cases(app: Flask, rng: random.Random) -> list[tuple[str, list[str]]]:
    """(name, urls): first, middle and last page, unfiltered and with each filter."""
    with app.app_context():
        session = db.session
        sample = session.execute(
            select(Election.slug, Office.code, Region.code, District.code, Party.slug)
            .select_from(Candidacy)
            .join(Election, Candidacy.election_id == Election.id)
            .join(Office, Candidacy.office_id == Office.id)
            .join(District, Candidacy.district_id == District.id)
            .join(Region, District.province_id == Region.id)
            .join(Party, Candidacy.party_id == Party.id)
            .order_by((Office.code == "DPRD_KABKOTA").desc(), Candidacy.id)
            .limit(1)
        ).one()
        election, office, province, district, party = sample
        filter_sets = {
            "no filter": {},
            "election": {"election": election},
            "office": {"office": office},
            "province": {"province": province},
            "district": {"district": district},
            "party": {"party": party},
            "status=flagged": {"status": "flagged"},
            "status=disclosed": {"status": "disclosed"},
        }
        result = []
        for label, args in filter_sets.items():
            result += _first_middle_last("/candidates", f"{label:<16}", args, args)
        # /flagged: the journalist's list, alone and narrowed to one party in one province.
        for label, args in {
            "all": {},
            "party+province": {"party": party, "province": province},
        }.items():
            result += _first_middle_last(
                "/flagged", f"{label:<18}", args, {**args, "status": "flagged"}
            )
        ids = list(session.scalars(select(Candidacy.id).where(Candidacy.hidden.is_(False))))
        chosen = rng.sample(ids, min(len(ids), 400))
        result.append(("/candidates/<id> random", [f"/candidates/{i}" for i in chosen]))
    return result


def _first_middle_last(
    path: str, label: str, args: dict[str, str], listed: dict[str, str]
) -> list[tuple[str, list[str]]]:
    """Cases for the first, middle and last page of `path?args`, which lists `listed`."""
    from transparency import listing, profiles

    session = db.session
    query = listing.candidacy_query(session, listing.parse_filters(listed)).order_by(None)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // profiles.PER_PAGE))
    cases = []
    for where, page in (("first", 1), ("middle", max(1, pages // 2)), ("last", pages)):
        url = f"{path}?" + "&".join(f"{k}={v}" for k, v in {**args, "page": page}.items())
        cases.append((f"{path} {label} {where:<6} (p{page})", [url]))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/work/bench/pages/pages.db"))
    parser.add_argument("--candidates", type=int, default=250_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    # The factory refuses a guessable key; the benchmark's own is random for each run.
    os.environ.setdefault("TRANSPARENCY_SECRET_KEY", secrets.token_urlsafe(48))

    app = make_app(args.db)
    how = ensure_database(app, args.candidates, args.seed)
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Candidacy))
    print(f"database {args.db}: {total:,} candidacies ({how})")
    meter = Meter(app)
    rng = random.Random(args.seed)
    print(f"{'case':<48} {'p50 ms':>8} {'p95 ms':>8}  queries  target p95<={TARGET_P95_MS:.0f}ms")
    failures = 0
    for name, urls in cases(app, rng):
        app.test_client().get(urls[0])  # warm the page cache for this case
        label, p50, p95, queries, ok = run_case(app, meter, name, urls, args.requests)
        failures += not ok
        counts = ",".join(str(q) for q in sorted(queries))
        print(f"{label:<48} {p50:8.1f} {p95:8.1f}  {counts:>7}  {'ok' if ok else 'MISSED'}")
    print(f"{failures} case(s) missed the target")


if __name__ == "__main__":
    main()
