"""Streaming: the CSV generator's memory does not grow with the number of rows."""

from __future__ import annotations

import gc
import tracemalloc
from datetime import date, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from transparency.exports import documents
from transparency.extensions import db
from transparency.listing import parse_filters
from transparency.models import Candidacy, DisclosureItem, District, Election, Office, Party, Person

pytestmark = pytest.mark.slow


def bulk_candidacies(session: Session, count: int, offset: int) -> None:
    """Core bulk inserts: fast test data (revision rows are not the point of this test)."""
    election = session.scalar(select(Election.id).where(Election.slug == "pemilu-2024"))
    office = session.scalar(select(Office.id).where(Office.code == "DPR"))
    districts = list(session.scalars(select(District.id).where(District.office_id == office)))
    parties = list(session.scalars(select(Party.id).where(Party.election_id == election)))
    now = datetime(2024, 1, 1)
    first_person = (session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) or 0) + 1
    session.execute(
        insert(Person),
        [
            {
                "id": first_person + i,
                "full_name": f'Calon Fiktif {offset + i} "=1+1"\nbaris',
                "gender": "LP"[i % 2],
                "is_fictional": True,
                "hidden": False,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(count)
        ],
    )
    first_candidacy = first_person  # one candidacy per new person
    session.execute(
        insert(Candidacy),
        [
            {
                "id": first_candidacy + i,
                "person_id": first_person + i,
                "election_id": election,
                "office_id": office,
                "district_id": districts[i % len(districts)],
                "party_id": parties[i % len(parties)],
                "ballot_number": offset + i + 1,
                "stage": "DCT",
                "external_id": f"bulk-{offset + i}",
                "disclosure_score": i % 101,
                "flagged": i % 3 == 0,
                "flags": [{"rule_id": "R-CV", "reason_id": "Tidak bersedia"}] if i % 3 == 0 else [],
                "ruleset_version": "2024.1",
                "hidden": False,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(count)
        ],
    )
    session.execute(
        insert(DisclosureItem),
        [
            {
                "candidacy_id": first_candidacy + i,
                "requirement": "cv",
                "status": "refused" if i % 3 == 0 else "published",
                "checked_at": date(2023, 11, 14),
                "updated_at": now,
            }
            for i in range(count)
        ],
    )
    session.commit()


def csv_peak(app) -> tuple[int, int]:
    """(rows, peak bytes allocated while iterating the CSV body)."""
    with app.test_request_context("/export/candidates.csv"):
        export = documents.plan(db.session, parse_filters({}), "http://localhost/")
        tracemalloc.start()
        body = documents.csv_body(db.session, export)
        next(body)  # the header: the response has started
        tracemalloc.reset_peak()
        for _chunk in body:
            pass
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        db.session.remove()
    return export.row_count, peak


def test_csv_memory_stays_flat_from_10k_to_50k_rows(app):
    # A serving process holds many long-lived objects, so Python's full collection runs
    # rarely and garbage with reference cycles made per batch stays: the export must make
    # none. These stand in for them (without, the test passed alone and failed in a worker
    # that had run other files first).
    long_lived = [[number] for number in range(4_000_000)]
    gc.collect()
    with app.app_context():
        bulk_candidacies(db.session, 10_000, 0)
    rows_small, peak_small = csv_peak(app)
    with app.app_context():
        bulk_candidacies(db.session, 40_000, 10_000)
    rows_large, peak_large = csv_peak(app)
    assert (rows_small, rows_large) == (10_000, 50_000)
    assert peak_large < 16 * 1024 * 1024, peak_large
    # Five times the rows, about the same memory: batches are dropped as they are sent.
    assert peak_large < peak_small * 1.5 + 1024 * 1024, (peak_small, peak_large)
    print(f"peak at 10k rows {peak_small} B, at 50k rows {peak_large} B")
    del long_lived
