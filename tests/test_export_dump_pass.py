"""One `flask export dump` pass: the records are read once for all four files, and each file
holds exactly the bytes of its own export (/export/*) over the same data at the same moment."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from transparency.exports import cli, documents, dumps, popolo, records, writers, xlsx

MOMENT = datetime(2026, 12, 1, 3, 15, 0)
EXPORTS = {
    "candidates.csv": "/export/candidates.csv",
    "candidates.json": "/export/candidates.json",
    "popolo.json": "/export/popolo.json",
    "candidates.xlsx": "/export/candidates.xlsx",
}


@pytest.fixture
def app_config(app_config, tmp_path):
    # One public address, so the dump's profile links are the web exports' links.
    return {
        **app_config,
        "DUMPS_DIR": str(tmp_path / "dumps"),
        "PUBLIC_URL": "https://jejak.example",
    }


@pytest.fixture
def many(make):
    """Eleven listed candidacies over two parties and districts, a flagged one, a hostile
    name, an empty item set, a DPD one; one hidden."""
    make.candidacy('=HYPERLINK("http://evil.example") "Budi"\nbaris', disclosure={"cv": "refused"})
    for number in range(8):
        make.candidacy(f"Calon {number}", party_number=1 + number % 2, district="3301")
    make.candidacy("Tanpa data", party_number=2, disclosure={})
    make.candidacy("Calon DPD", office="DPD", district="33", party_number=None)
    hidden = make.candidacy("Tersembunyi", party_number=1)
    from transparency.extensions import db
    from transparency.revisions import provenance

    with provenance(db.session, origin="test"):
        hidden.hidden = True
        db.session.flush()
    db.session.commit()


@pytest.fixture
def small_steps(monkeypatch):
    """Batches of 3 records and chunks of 2 rows: the writers take turns many times."""
    monkeypatch.setattr(records, "BATCH_SIZE", 3)
    monkeypatch.setattr(writers, "CHUNK_ROWS", 2)
    monkeypatch.setattr(xlsx, "CHUNK_ROWS", 2)


def test_each_dump_file_is_the_web_export_byte_for_byte(
    client, runner, many, small_steps, tmp_path, monkeypatch
):
    monkeypatch.setattr(documents, "utcnow", lambda: MOMENT)  # the web exports' moment
    monkeypatch.setattr(cli, "utcnow", lambda: MOMENT)  # the dump's
    (tmp_path / "dumps").mkdir()
    result = runner.invoke(args=["export", "dump", str(tmp_path / "dumps")])
    assert result.exit_code == 0, result.output
    snapshot = tmp_path / "dumps" / "2026-12-01"
    for name, url in EXPORTS.items():
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert response.headers["X-Export-Row-Count"] == "11"
            body = response.get_data()
        dumped = (snapshot / name).read_bytes()
        assert hashlib.sha256(dumped).hexdigest() == hashlib.sha256(body).hexdigest(), name


def test_the_dump_reads_the_records_once_for_all_four_files(
    runner, many, small_steps, tmp_path, monkeypatch
):
    loaded: list[int] = []
    load = records.load_records

    def counting(session, ids, profile_url):
        loaded.extend(ids)
        return load(session, ids, profile_url)

    monkeypatch.setattr(records, "load_records", counting)
    (tmp_path / "dumps").mkdir()
    result = runner.invoke(args=["export", "dump", str(tmp_path / "dumps")])
    assert result.exit_code == 0, result.output
    # eleven listed candidacies, each loaded once, in batches of three
    assert len(loaded) == 11 and len(set(loaded)) == 11


def test_two_excel_files_of_the_same_data_and_moment_are_the_same_bytes(client, many, monkeypatch):
    """The zip entries carry no clock time, so the same export gives the same file."""
    monkeypatch.setattr(documents, "utcnow", lambda: MOMENT)
    bodies = []
    for _ in range(2):
        with client.get("/export/candidates.xlsx") as response:
            bodies.append(response.get_data())
        monkeypatch.setattr("time.time", lambda: 1_900_000_000.0)  # another clock time
    assert bodies[0] == bodies[1]


def test_no_writer_runs_more_than_a_batch_ahead_of_the_slowest(
    runner, many, small_steps, tmp_path, monkeypatch
):
    """The records held at once stay bounded: the four readers of the one pass never drift
    further apart than one chunk or batch (three records here), whatever the row count."""
    feeds: list[dumps._Counted] = []
    spreads: list[int] = []

    class Watched(dumps._Counted):
        def __init__(self, items):
            super().__init__(items)
            feeds.append(self)

        def __next__(self):
            item = super().__next__()
            spreads.append(max(f.taken for f in feeds) - min(f.taken for f in feeds))
            return item

    monkeypatch.setattr(dumps, "_Counted", Watched)
    (tmp_path / "dumps").mkdir()
    assert runner.invoke(args=["export", "dump", str(tmp_path / "dumps")]).exit_code == 0
    assert len(feeds) == 4 and all(feed.taken == 11 for feed in feeds)
    assert 0 < max(spreads) <= 3


def test_a_writer_failing_mid_pass_leaves_nothing_behind(
    runner, many, small_steps, tmp_path, monkeypatch
):
    """Popolo fails at its fifth membership while the other three files are half written
    (Excel's zip open): no snapshot, no staging folder, no stray error from a writer."""
    made = []
    membership = popolo.membership

    def failing(record):
        made.append(record.candidacy_id)
        if len(made) == 5:
            raise RuntimeError("disk full")
        return membership(record)

    monkeypatch.setattr(popolo, "membership", failing)
    (tmp_path / "dumps").mkdir()
    result = runner.invoke(args=["export", "dump", str(tmp_path / "dumps")])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert list((tmp_path / "dumps").iterdir()) == []
