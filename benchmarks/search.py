"""Search benchmark: Whoosh and PostgreSQL full-text (as the app configures them) against
SQLite FTS5, same corpus.

    .venv/bin/python benchmarks/search.py --sizes 10000,50000,250000
    .venv/bin/python benchmarks/search.py --backend postgres --sizes 10000   # all three

With `--backend postgres` the same demo data is also loaded into a PostgreSQL database
(`bench_search_N` on --pg-url's server) and the PostgreSQL backend answers the same queries
in the same run: its full reindex (`search reindex`), the whole search call per class, how
long a change committed through one app takes to be found through a second app (another
node), the serving process's memory, and the bounded ranking's first page against the exact
ranking (RANK_POOL raised past every total) for the one-word queries.

For each size it uses a demo database made by `flask demo-data --candidates N` (generated
once under --data and reused), then prints:
- full reindex (the `search reindex` code path: database read, analysis, 2 writer processes),
  wall and CPU time, index size; the same documents into FTS5, time and size;
- p50/p95 over at least 100 DISTINCT queries per class (one word, two words, phrase, name,
  name prefix; each without and with a filter; with facets; page 5), through
  `search_candidacies` (count up to the cap, facets, top 20, database rows, snippets) and the
  engine part alone; FTS5 answering the same queries (top 20 by rank, the same capped total
  and facet counts) and the ratio;
- cold searcher (a fresh process: open + first query) and warm figures, the serving
  process's resident memory, and how long one change takes to be searchable.

Query phases run in a fresh subprocess per size so that memory and cold start are real.
The machine is shared: figures are medians of the repeats; CPU time is printed beside
wall time because other engineers' work inflates the latter.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import secrets
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = secrets.token_urlsafe(48)  # a fresh key per process: nothing is signed across runs
CAP = 10_000
CLASSES = (
    "one word",
    "two words",
    "phrase",
    "name",
    "name prefix",
)
FILTER_FOR = {
    "one word": "party",
    "two words": "district",
    "phrase": "province",
    "name": "party",
    "name prefix": "office",
}


def env_for(db: Path, index: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TRANSPARENCY_SECRET_KEY": SECRET,
        "TRANSPARENCY_DATABASE_URL": f"sqlite:///{db}",
        "TRANSPARENCY_SEARCH_INDEX_DIR": str(index),
        "TRANSPARENCY_SEARCH_BACKGROUND_SYNC": "false",
    }


def ensure_database(data: Path, size: int) -> Path:
    db = data / f"demo-{size}.db"
    done = data / f"demo-{size}.db.done"
    if done.exists():
        return db
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = env_for(db, data / f"ix-{size}")
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "transparency"]
    subprocess.run([*flask, "init-db"], env=env, check=True, cwd=ROOT)
    subprocess.run([*flask, "demo-data", "--candidates", str(size)], env=env, check=True, cwd=ROOT)
    done.touch()
    return db


def du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def app_for(db: Path | str, index: Path) -> Any:
    """An app on the SQLite file `db` (Whoosh backend), or on the PostgreSQL URL `db`
    (PostgreSQL backend)."""
    from transparency import create_app

    url = db if isinstance(db, str) else f"sqlite:///{db}"
    return create_app(
        {
            "SECRET_KEY": SECRET,
            "DATABASE_URL": url,
            "SEARCH_INDEX_DIR": str(index),
            "SEARCH_BACKGROUND_SYNC": False,
            "SEARCH_REFRESH_INTERVAL": 1.0,
            "SEARCH_IDF_TTL": 60.0,
        }
    )


def ensure_postgres(data: Path, size: int, server: str) -> str:
    """The demo data of this size in its own PostgreSQL database (made once)."""
    import psycopg

    url = f"{server.rsplit('/', 1)[0]}/bench_search_{size}"
    done = data / f"pg-{size}.done"
    if done.exists():
        return url
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS bench_search_{size}")
        con.execute(f"CREATE DATABASE bench_search_{size}")
    env = {**env_for(data / "unused.db", data / f"ix-pg-{size}"), "TRANSPARENCY_DATABASE_URL": url}
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "transparency"]
    subprocess.run([*flask, "init-db"], env=env, check=True, cwd=ROOT)
    subprocess.run([*flask, "demo-data", "--candidates", str(size)], env=env, check=True, cwd=ROOT)
    done.touch()
    return url


def build_postgres(url: str, data: Path) -> dict[str, float]:
    """`search reindex` with the PostgreSQL backend: every row anew in one transaction."""
    from sqlalchemy import text

    from transparency.extensions import db as sqla
    from transparency.search import pg_sync

    app = app_for(url, data / "unused-index")
    with app.app_context():
        wall, cpu = time.perf_counter(), time.process_time()
        count = pg_sync.rebuild(sqla.session)
        sqla.session.commit()
        seconds = time.perf_counter() - wall
        size = sqla.session.execute(
            text(
                "SELECT pg_total_relation_size('search_document')"
                " + pg_total_relation_size('search_term')"
            )
        ).scalar_one()
        sqla.session.remove()
    return {
        "documents": count,
        "seconds": seconds,
        "cpu_parent": time.process_time() - cpu,
        "bytes": size,
    }


# -- building --------------------------------------------------------------------------------


def build_whoosh(db: Path, index: Path) -> dict[str, float]:
    from transparency.extensions import db as sqla
    from transparency.search import sync

    app = app_for(db, index)
    with app.app_context():
        wall = time.perf_counter()
        cpu = time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        count = sync.rebuild(sqla.session, index, procs=2)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "documents": count,
            "seconds": time.perf_counter() - wall,
            "cpu_parent": time.process_time() - cpu,
            "cpu_writers": (after.ru_utime + after.ru_stime)
            - (children.ru_utime + children.ru_stime),
            "bytes": du(index),
        }


def build_fts(db: Path, fts: Path) -> dict[str, float]:
    """The same documents (analysed the same way: stemmed words) in a contentless FTS5."""
    from transparency.extensions import db as sqla
    from transparency.search.analysis import stems, words
    from transparency.search.documents import iter_all_documents

    fts.unlink(missing_ok=True)
    app = app_for(db, fts.with_suffix(".unused-index"))
    connection = sqlite3.connect(fts)
    connection.execute(
        "CREATE VIRTUAL TABLE doc USING fts5(name, text, pairs, election, office, party,"
        " province, district, status, tokenize='unicode61 remove_diacritics 2')"
    )
    started = time.perf_counter()
    count = 0
    with app.app_context():
        batch = []
        for doc in iter_all_documents(sqla.session):
            lines = doc["text"].split("\n")
            pairs = " ".join(
                " ".join(f"{a}_{b}" for a, b in itertools.pairwise(s))
                for s in (stems(line) for line in [doc["name"], *lines])
            )
            batch.append(
                (
                    int(doc["id"]),
                    " ".join(words(doc["name"])),
                    " ".join(stems(doc["text"])),
                    pairs,
                    *(f"x{doc[f]}" for f in FACETS),
                )
            )
            count += 1
            if len(batch) >= 5000:
                connection.executemany(
                    "INSERT INTO doc(rowid, name, text, pairs, "
                    + FACET_SQL
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?)",
                    batch,
                )
                batch = []
        if batch:
            connection.executemany(
                "INSERT INTO doc(rowid, name, text, pairs, "
                + FACET_SQL
                + ") VALUES (?,?,?,?,?,?,?,?,?,?)",
                batch,
            )
    connection.commit()
    connection.execute("INSERT INTO doc(doc) VALUES ('optimize')")
    connection.commit()
    connection.close()
    return {"documents": count, "seconds": time.perf_counter() - started, "bytes": du(fts)}


FACETS = ("election", "office", "party", "province", "district", "status")
FACET_SQL = ", ".join(FACETS)


# -- queries ---------------------------------------------------------------------------------


def make_queries(db: Path, per_class: int, seed: int = 7) -> dict[str, list[dict[str, str]]]:
    """Distinct queries per class drawn from the corpus itself, with filter values."""
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    texts = [
        t
        for (t,) in con.execute("SELECT text FROM programme_statement ORDER BY random() LIMIT 4000")
    ] + [
        t
        for (t,) in con.execute(
            "SELECT coalesce(description, title) FROM track_record_item ORDER BY random()"
            " LIMIT 4000"
        )
    ]
    names = [n for (n,) in con.execute("SELECT full_name FROM person ORDER BY random() LIMIT 3000")]
    parties = [p for (p,) in con.execute("SELECT DISTINCT slug FROM party")]
    districts = [
        d
        for (d,) in con.execute(
            "SELECT DISTINCT d.code FROM district d JOIN candidacy c ON c.district_id = d.id"
        )
    ]
    provinces = [
        p
        for (p,) in con.execute(
            "SELECT DISTINCT r.code FROM region r JOIN district d ON d.province_id = r.id"
        )
    ]
    offices = [
        o
        for (o,) in con.execute(
            "SELECT DISTINCT code FROM office o JOIN candidacy c ON c.office_id = o.id"
        )
    ]
    con.close()
    tokenised = [re.findall(r"[A-Za-z]{3,}", t.lower()) for t in texts]
    tokenised = [t for t in tokenised if len(t) >= 3]
    vocabulary = sorted({w for t in tokenised for w in t})
    values = {"party": parties, "district": districts, "province": provinces, "office": offices}

    def distinct(make: Any) -> list[str]:
        seen: dict[str, None] = {}
        tries = 0
        while len(seen) < per_class and tries < per_class * 200:
            tries += 1
            q = make()
            if q:
                seen[q] = None
        return list(seen)

    def two() -> str:
        t = rng.choice(tokenised)
        a, b = rng.sample(range(len(t)), 2)
        return f"{t[a]} {t[b]}" if t[a] != t[b] else ""

    def phrase() -> str:
        t = rng.choice(tokenised)
        i = rng.randrange(len(t) - 1)
        return f'"{t[i]} {t[i + 1]}"'

    def prefix() -> str:
        parts = rng.choice(names).split()
        if len(parts) < 2 or len(parts[1]) < 4:
            return ""
        return f"{parts[0]} {parts[1][: rng.randint(2, 4)]}"

    makers = {
        "one word": lambda: rng.choice(vocabulary),
        "two words": two,
        "phrase": phrase,
        "name": lambda: rng.choice(names),
        "name prefix": prefix,
    }
    out: dict[str, list[dict[str, str]]] = {}
    for name, make in makers.items():
        qs = distinct(make)
        out[name] = [{"q": q} for q in qs]
        field = FILTER_FOR[name]
        out[f"{name} + {field}"] = [{"q": q, field: rng.choice(values[field])} for q in qs]
    return out


def fts_match(args: dict[str, str]) -> str:
    from transparency.search.analysis import stem
    from transparency.search.query import parse_user_text

    user = parse_user_text(args["q"])
    parts = []
    for w in user.words:
        options = [f'text:"{stem(w)}"', f'name:"{w}"']
        if w == user.prefix:
            options.append(f'name:"{w}"*')
            if len(w) >= 3:
                options.append(f'text:"{w}"*')
        parts.append("(" + " OR ".join(options) + ")")
    for phrase in user.phrases:
        s = [stem(w) for w in phrase]
        parts.extend(f'pairs:"{a}_{b}"' for a, b in itertools.pairwise(s))
    for field in FACETS:
        if args.get(field):
            parts.append(f'{field}:"x{args[field]}"')
    return " AND ".join(parts)


def fts_search(con: sqlite3.Connection, args: dict[str, str], page: int) -> int:
    match = fts_match(args)
    top = con.execute(
        "SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY rank LIMIT 20 OFFSET ?",
        (match, (page - 1) * 20),
    ).fetchall()
    rows = con.execute(
        f"SELECT {FACET_SQL} FROM doc WHERE doc MATCH ? LIMIT {CAP + 1}", (match,)
    ).fetchall()
    counters = [Counter(column) for column in zip(*rows, strict=False)]
    del counters, top
    return len(rows)


def query_phase(
    db: Path | str, index: Path, fts: Path | None, per_class: int, queries_from: Path
) -> dict[str, Any]:
    from transparency.extensions import db as sqla
    from transparency.listing import parse_filters
    from transparency.search import search_candidacies, service
    from transparency.search.query import parse_user_text
    from transparency.search.results import restrictions_of, sort_of

    report: dict[str, Any] = {}
    app = app_for(db, index)
    report["backend"] = app.config["SEARCH_BACKEND"]
    queries = make_queries(queries_from, per_class)
    with app.test_request_context("/candidates"):
        started = time.perf_counter()
        first = search_candidacies(parse_filters({"q": "pendidikan"}))
        report["cold_first_query_ms"] = (time.perf_counter() - started) * 1000
        report["cold_first_total"] = first.total
        report["rss_after_first_mb"] = rss_mb()
        timings: dict[str, dict[str, list[float]]] = {}
        for klass, items in queries.items():
            for page in (1, 5):
                label = klass if page == 1 else f"{klass}, page 5"
                full, engine, fts_times = [], [], []
                for args in items:
                    filters = parse_filters({**args, "page": str(page)})
                    t = time.perf_counter()
                    search_candidacies(filters)
                    full.append((time.perf_counter() - t) * 1000)
                    user = parse_user_text(filters.q)
                    t = time.perf_counter()
                    service.backend().find(
                        user, restrictions_of(filters), sort_of(filters, user), page, 20, CAP
                    )
                    engine.append((time.perf_counter() - t) * 1000)
                    sqla.session.remove()
                timings[label] = {"full": full, "engine": engine, "fts": fts_times}
        report["rss_after_queries_mb"] = rss_mb()
        report["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if report["backend"] == "postgres":
            report["ranking"] = bounded_ranking_quality(queries["one word"])
    if fts is not None:
        con = sqlite3.connect(fts)
        for klass, items in queries.items():
            for page in (1, 5):
                label = klass if page == 1 else f"{klass}, page 5"
                for args in items:
                    t = time.perf_counter()
                    fts_search(con, args, page)
                    timings[label]["fts"].append((time.perf_counter() - t) * 1000)
        con.close()
    report["classes"] = {
        label: {
            "n": len(t["full"]),
            **{
                f"{kind}_{q}": pct(t[kind], p) if t[kind] else float("nan")
                for kind in ("full", "engine", "fts")
                for q, p in (("p50", 0.5), ("p95", 0.95))
            },
        }
        for label, t in timings.items()
    }
    if report["backend"] == "postgres":
        report["change_visible"] = change_on_another_node(db, index)
    else:
        report["change_visible"] = change_visibility(app)
    return report


def bounded_ranking_quality(items: list[dict[str, str]]) -> dict[str, float]:
    """First pages of one-word queries with the bounded candidate set against the exact
    ranking (every match scored): how many of the exact top 20 the bounded page holds."""
    from transparency.extensions import db as sqla
    from transparency.listing import parse_filters
    from transparency.search import pg_backend, search_candidacies

    overlaps, bounded_only, exact_ms = [], 0, []
    for args in items:
        filters = parse_filters(args)
        bounded = [h.candidacy.id for h in search_candidacies(filters).hits]
        saved = pg_backend.RANK_POOL
        pg_backend.RANK_POOL = 10**9
        try:
            t = time.perf_counter()
            page = search_candidacies(filters)
            exact_ms.append((time.perf_counter() - t) * 1000)
        finally:
            pg_backend.RANK_POOL = saved
        exact = [h.candidacy.id for h in page.hits]
        sqla.session.remove()
        if page.total <= saved or not exact:
            continue  # within the pool the ranking is exact by construction
        bounded_only += 1
        overlaps.append(len(set(bounded) & set(exact)) / len(exact))
    return {
        "queries_past_pool": bounded_only,
        "mean_overlap_top20": sum(overlaps) / len(overlaps) if overlaps else 1.0,
        "min_overlap_top20": min(overlaps) if overlaps else 1.0,
        "exact_p50_ms": pct(exact_ms, 0.5) if exact_ms else float("nan"),
        "exact_p95_ms": pct(exact_ms, 0.95) if exact_ms else float("nan"),
    }


def change_on_another_node(url: str, index: Path) -> dict[str, float]:
    """Commit a change through one app, find it through a second app (another node)."""
    from sqlalchemy import select

    from transparency.extensions import db as sqla
    from transparency.listing import parse_filters
    from transparency.models import ProgrammeStatement
    from transparency.revisions import provenance
    from transparency.search import search_candidacies

    writer, reader = app_for(url, index), app_for(url, index)
    seconds = []
    for _ in range(5):
        word = f"zbench{random.randrange(10**9)}"
        with writer.test_request_context("/candidates", method="POST"):
            statement = sqla.session.scalars(select(ProgrammeStatement).limit(1)).one()
            with provenance(sqla.session, origin="benchmark"):
                statement.text = f"{statement.text} {word}"
                sqla.session.flush()
            sqla.session.commit()
            committed = time.perf_counter()
        with reader.test_request_context("/candidates"):
            while not search_candidacies(parse_filters({"q": word})).total:
                sqla.session.remove()
                if time.perf_counter() - committed > 10:
                    break
            seconds.append(time.perf_counter() - committed)
    return {
        "drain_seconds": 0.0,
        "found": 1,
        "worst_case_seconds": max(seconds),
        "median_seconds": pct(seconds, 0.5),
    }


def change_visibility(app: Any) -> dict[str, float]:
    """Commit one change, drain the outbox as the background drainer does, search for it."""
    from sqlalchemy import select

    from transparency.extensions import db as sqla
    from transparency.listing import parse_filters
    from transparency.models import ProgrammeStatement
    from transparency.revisions import provenance
    from transparency.search import search_candidacies, sync
    from transparency.search.store import index_root

    word = f"zbench{random.randrange(10**9)}"
    with app.test_request_context("/candidates", method="POST"):
        statement = sqla.session.scalars(select(ProgrammeStatement).limit(1)).one()
        with provenance(sqla.session, origin="benchmark"):
            statement.text = f"{statement.text} {word}"
            sqla.session.flush()
        sqla.session.commit()
        started = time.perf_counter()
        result = sync.drain(sqla.session, index_root(), wait=True)
        drained = time.perf_counter() - started
        time.sleep(1.0)  # the searcher's freshness check interval
        found = search_candidacies(parse_filters({"q": word}))
        return {
            "drain_seconds": drained,
            "applied": result.applied,
            "found": found.total,
            "worst_case_seconds": drained + 3.0 + 1.0,
        }


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cold_process(db: Path, index: Path) -> dict[str, float]:
    """A fresh process: import + open the searcher + one query, as a worker's first request."""
    code = (
        "import time,json,sys;t=time.perf_counter();"
        f"sys.path.insert(0,{str(ROOT)!r});"
        "from benchmarks.search import app_for, rss_mb;from pathlib import Path;"
        f"app=app_for(Path({str(db)!r}),Path({str(index)!r}));"
        "from transparency.listing import parse_filters;"
        "from transparency.search import search_candidacies;"
        "ctx=app.test_request_context('/');ctx.push();t1=time.perf_counter();"
        "search_candidacies(parse_filters({'q':'nelayan'}));t2=time.perf_counter();"
        "search_candidacies(parse_filters({'q':'guru'}));t3=time.perf_counter();"
        "print(json.dumps({'startup_s':t1-t,'first_query_ms':(t2-t1)*1000,"
        "'second_query_ms':(t3-t2)*1000,'rss_mb':rss_mb()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- driver ----------------------------------------------------------------------------------


def run_postgres(data: Path, size: int, per_class: int, server: str) -> dict[str, Any]:
    url = ensure_postgres(data, size, server)
    result: dict[str, Any] = {"build": build_postgres(url, data)}
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--query-phase",
            url,
            str(data / "unused-index"),
            "-",
            str(per_class),
            str(data / f"demo-{size}.db"),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result["queries"] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run_size(data: Path, size: int, per_class: int, rebuild: bool) -> dict[str, Any]:
    db = ensure_database(data, size)
    index = data / f"ix-{size}"
    fts = data / f"fts-{size}.db"
    results_file = data / f"results-{size}.json"
    previous = json.loads(results_file.read_text()) if results_file.exists() else {}
    result: dict[str, Any] = {"size": size}
    if rebuild or "whoosh_build" not in previous:
        result["whoosh_build"] = build_whoosh(db, index)
    else:
        result["whoosh_build"] = previous["whoosh_build"]
    if rebuild or "fts_build" not in previous or not fts.exists():
        result["fts_build"] = build_fts(db, fts)
    else:
        result["fts_build"] = previous["fts_build"]
    results_file.write_text(json.dumps(result, indent=1))
    result["cold"] = cold_process(db, index)
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--query-phase",
            str(db),
            str(index),
            str(fts),
            str(per_class),
            str(db),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result["queries"] = json.loads(out.stdout.strip().splitlines()[-1])
    results_file.write_text(json.dumps(result, indent=1))
    return result


def show_postgres(result: dict[str, Any], whoosh: dict[str, Any]) -> None:
    build, q = result["build"], result["queries"]
    print(
        f"\nPostgreSQL backend: reindex {build['seconds']:.1f} s wall ({build['documents']:,}"
        f" docs), CPU {build['cpu_parent']:.1f} s; tables {build['bytes'] / 2**20:.1f} MB"
    )
    cv = q["change_visible"]
    print(
        f"A change committed on one node found on another after {cv['median_seconds'] * 1000:.0f}"
        f" ms (median of 5; worst {cv['worst_case_seconds'] * 1000:.0f} ms)"
    )
    print(
        f"Serving process RSS: {q['rss_after_first_mb']:.0f} MB after the first query, "
        f"{q['rss_after_queries_mb']:.0f} MB after all queries (max {q['maxrss_mb']:.0f} MB)"
    )
    r = q["ranking"]
    print(
        f"Bounded ranking (RANK_POOL) vs exact, one-word queries past the pool:"
        f" {r['queries_past_pool']}; top-20 overlap mean {r['mean_overlap_top20']:.2f},"
        f" min {r['min_overlap_top20']:.2f}; exact ranking's page p50 {r['exact_p50_ms']:.0f}"
        f" / p95 {r['exact_p95_ms']:.0f} ms"
    )
    print(f"{'class':34} {'n':>4} {'PG page p50':>11} {'p95':>7} {'Whoosh p50':>10} {'p95':>7}")
    for label, c in q["classes"].items():
        w = whoosh["queries"]["classes"].get(label, {})
        print(
            f"{label:34} {c['n']:>4} {c['full_p50']:>11.1f} {c['full_p95']:>7.1f}"
            f" {w.get('full_p50', float('nan')):>10.1f} {w.get('full_p95', float('nan')):>7.1f}"
        )


def show(result: dict[str, Any]) -> None:
    size = result["size"]
    wb, fb = result["whoosh_build"], result["fts_build"]
    q = result["queries"]
    print(f"\n=== {size:,} candidacies ===")
    print(
        f"Whoosh reindex: {wb['seconds']:.1f} s wall ({wb['documents']:,} docs, "
        f"{wb['documents'] / wb['seconds']:.0f} docs/s), CPU parent {wb['cpu_parent']:.1f} s"
        f" + writers {wb['cpu_writers']:.1f} s; index {wb['bytes'] / 2**20:.1f} MB"
    )
    print(
        f"FTS5 build:     {fb['seconds']:.1f} s wall; {fb['bytes'] / 2**20:.1f} MB;"
        f" reindex ratio Whoosh/FTS5 {wb['seconds'] / fb['seconds']:.1f}x"
    )
    cold = result["cold"]
    print(
        f"Cold worker: start {cold['startup_s']:.2f} s, first query {cold['first_query_ms']:.0f}"
        f" ms, second {cold['second_query_ms']:.0f} ms, RSS {cold['rss_mb']:.0f} MB"
    )
    print(
        f"Serving process RSS: {q['rss_after_first_mb']:.0f} MB after the first query, "
        f"{q['rss_after_queries_mb']:.0f} MB after all queries (max {q['maxrss_mb']:.0f} MB)"
    )
    cv = q["change_visible"]
    print(
        f"One change: drain + index commit {cv['drain_seconds'] * 1000:.0f} ms; found "
        f"{cv['found']}; worst case visible after {cv['worst_case_seconds']:.1f} s "
        f"(drain interval 3 s + searcher check 1 s)"
    )
    header = (
        f"{'class':34} {'n':>4} {'page p50':>9} {'p95':>7} {'engine p50':>11} {'p95':>7}"
        f" {'FTS5 p50':>9} {'p95':>7} {'ratio p95':>9}"
    )
    print(header)
    for label, c in q["classes"].items():
        ratio = c["engine_p95"] / c["fts_p95"] if c["fts_p95"] else float("nan")
        print(
            f"{label:34} {c['n']:>4} {c['full_p50']:>9.1f} {c['full_p95']:>7.1f}"
            f" {c['engine_p50']:>11.1f} {c['engine_p95']:>7.1f} {c['fts_p50']:>9.1f}"
            f" {c['fts_p95']:>7.1f} {ratio:>9.1f}"
        )
    if "postgres" in result:
        show_postgres(result["postgres"], result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,250000")
    parser.add_argument("--queries", type=int, default=100, help="distinct queries per class")
    parser.add_argument("--data", default="/work/bench/search")
    parser.add_argument("--rebuild", action="store_true", help="rebuild indexes even if present")
    parser.add_argument("--query-phase", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument(
        "--backend",
        choices=("whoosh", "postgres"),
        default="whoosh",
        help="postgres: also load the corpus into PostgreSQL and measure its backend",
    )
    parser.add_argument(
        "--pg-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server where bench_search_N databases may be created",
    )
    parser.add_argument("--show", action="store_true", help="print saved results only")
    args = parser.parse_args()
    if args.query_phase:
        db, index, fts, per_class, queries_from = args.query_phase
        database: Path | str = db if db.startswith("postgresql") else Path(db)
        fts_path = None if fts == "-" else Path(fts)
        report = query_phase(database, Path(index), fts_path, int(per_class), Path(queries_from))
        print(json.dumps(report))
        return
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        if args.show:
            show(json.loads((data / f"results-{size}.json").read_text()))
            continue
        result = run_size(data, size, args.queries, args.rebuild)
        if args.backend == "postgres":
            result["postgres"] = run_postgres(data, size, args.queries, args.pg_url)
            (data / f"results-{size}.json").write_text(json.dumps(result, indent=1))
        show(result)
    print(
        "\nTimes in ms unless stated. 'page' = search_candidacies (capped count + facets + top 20"
        " + database rows + snippets); 'engine' = capped count + facets + top 20 in Whoosh;"
        " FTS5 = top 20 by rank + the same capped count and facet values. Shared 2-core"
        " machine: expect run-to-run noise of ±30 %."
    )


if __name__ == "__main__":
    main()
