"""Benchmark: /contribute/tasks (volunteers' tasks) at 250,000 candidacies.

    .venv/bin/python benchmarks/tasks.py [--rows 250000] [--db /work/bench/tasks/tasks.db]

Builds the fictional dataset of benchmarks/disclosure.py once (reused while the row count
matches): about 5% of candidacies without a CV item and 10% without a criminal-record item,
the rest checked. Then times the page, logged in as a volunteer, for several filter sets and
deep pages, and prints the first (cold: the count) visit, and the median and 95th
percentile of the others (the count kept while the data does not change).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from disclosure import SECRET, generate  # noqa: E402

from tests.auth_helpers import DEFAULT_PASSWORD, AuthActions  # noqa: E402
from transparency import create_app  # noqa: E402
from transparency.auth import hash_password  # noqa: E402
from transparency.disclosure import rulesets  # noqa: E402
from transparency.extensions import db  # noqa: E402
from transparency.listing import sync_list_keys  # noqa: E402
from transparency.models import Candidacy, User  # noqa: E402
from transparency.reference import load_reference_data  # noqa: E402

EMAIL = "relawan.bench@contoh.example"
QUERIES = (
    "",
    "?page=2",
    "?page=200",
    "?page=700",
    "?office=DPR",
    "?office=DPRD_KABKOTA",
    "?province=33",
    "?party=pkb",
    "?election=pemilu-2024&office=DPR&district=3304",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--db", default="/work/bench/tasks/tasks.db")
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "DATABASE_URL": f"sqlite:///{args.db}",
            "SEARCH_BACKGROUND_SYNC": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        count = db.session.scalar(select(func.count()).select_from(Candidacy))
        if count != args.rows:
            if count:
                sys.exit(f"{args.db} holds {count:,} candidacies; remove it or pass --rows {count}")
            load_reference_data(db.session)
            rulesets.load_default_rules(db.session)
            db.session.commit()
            generate(args.rows)
            sync_list_keys(db.session)  # Core inserts: the list keys come from their refresh
            db.session.add(
                User(email=EMAIL, name="Relawan", password_hash=hash_password(DEFAULT_PASSWORD))
            )
            db.session.commit()
    client = app.test_client()
    assert AuthActions(client).login(EMAIL).status_code == 302
    for query in QUERIES:
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            response = client.get(f"/contribute/tasks{query}")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (query, response.status_code)
        cold, warm = times[0], sorted(times[1:])
        p95 = warm[min(len(warm) - 1, round(0.95 * len(warm)) - 1)]
        print(
            f"/contribute/tasks{query or ''}: first {cold * 1000:.0f} ms, then median "
            f"{statistics.median(warm) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
