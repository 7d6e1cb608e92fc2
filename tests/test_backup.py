"""Backups taken while writes continue are complete, consistent copies; restore brings them back."""

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from transparency.extensions import db
from transparency.models import Candidacy


def count_rows(path, table="candidacy"):
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - a constant table name


@pytest.fixture
def sqlite_only(app_config):
    if not app_config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("the online backup API is SQLite's; PostgreSQL uses pg_dump")


def test_backup_while_writing_then_restore(sqlite_only, app, make, runner, tmp_path):
    make.candidacy("Sebelum Cadangan")
    stop = threading.Event()
    written = []

    def keep_writing():
        with app.app_context():
            while not stop.is_set() and len(written) < 200:
                written.append(make.candidacy(f"Penulis {len(written)}").id)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        target = tmp_path / "copy.db"
        result = runner.invoke(args=["backup", str(target)])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    copied = count_rows(target)
    assert 1 <= copied <= 1 + len(written)
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Candidacy)) == copied


def test_restore_refuses_a_broken_file(sqlite_only, runner, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(args=["restore", str(broken), "--yes"])
    assert result.exit_code == 1
    assert "not a usable SQLite database" in result.output
