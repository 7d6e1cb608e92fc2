"""State shared by several machines: rate limits in Redis, import uploads in the database."""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.auth_helpers import english
from tests.conftest import REDIS_URL
from tests.test_import_admin import EXAMPLE, candidacies, job_of, log_in, upload
from transparency import MissingExtra, create_app
from transparency.extensions import db
from transparency.models.base import utcnow


def test_a_redis_store_without_the_package_stops_the_start_naming_the_extra(
    app_config, monkeypatch
):
    monkeypatch.setitem(sys.modules, "redis", None)  # `import redis` raises ImportError
    with pytest.raises(MissingExtra) as raised:
        create_app({**app_config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})
    message = str(raised.value)
    assert "pip install '.[redis]'" in message
    assert "RATELIMIT_STORAGE_URI" in message


def test_the_memory_store_needs_no_redis_package(app_config, monkeypatch):
    monkeypatch.setitem(sys.modules, "redis", None)
    app = create_app({**app_config, "RATELIMIT_STORAGE_URI": "memory://"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to share")
def test_two_servers_on_one_redis_share_one_search_budget(app_config):
    """With memory:// each process counts alone (the limit times the number of processes);
    with Redis the second server refuses the search the first one already counted."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings = {
        **app_config,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "RATELIMIT_ENABLED": True,
        "SEARCH_RATE_LIMIT": "3 per hour",  # a fixed window: a minute's edge could split it
    }
    first, second = create_app(settings), create_app(settings)
    with first.app_context():
        db.create_all()
    try:
        one, two = first.test_client(), second.test_client()
        assert one.get("/api/v1/search?q=air").status_code == 200
        assert two.get("/api/v1/search?q=air").status_code == 200
        assert one.get("/api/v1/search?q=guru").status_code == 200
        refused = two.get("/api/v1/search?q=guru")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
    finally:
        for app in (first, second):
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        with first.app_context():
            db.drop_all()
            db.engine.dispose()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
        client.close()


# -- import uploads: kept in the database, confirmable on any machine ---------------------------


def content_length(app, job_id: int) -> int:
    with app.app_context():
        return db.session.execute(
            text("SELECT length(content) FROM import_job WHERE id = :id"), {"id": job_id}
        ).scalar_one()


def test_an_upload_checked_on_one_server_is_confirmed_on_another(app, client, app_config):
    log_in(app, client)
    job_id = job_of(upload(client, EXAMPLE.read_bytes()))
    assert content_length(app, job_id) == len(EXAMPLE.read_bytes())
    # A second server on the same database and secret key; the admin's next request lands there.
    other = create_app(app_config)
    there = other.test_client()
    there.set_cookie("session", client.get_cookie("session").value)
    try:
        assert there.get(f"/admin/import/jobs/{job_id}.json").get_json()["state"] == "checked"
        job_of(there.post(f"/admin/import/jobs/{job_id}/confirm"))
        assert client.get(f"/admin/import/jobs/{job_id}.json").get_json()["state"] == "done"
        assert candidacies(app) == 7
        assert content_length(app, job_id) == 0  # written: the file is not kept
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_checked_upload_waits_one_day_for_confirmation(app, client):
    log_in(app, client)
    job_id = job_of(upload(client, EXAMPLE.read_bytes()))
    with app.app_context():
        db.session.execute(
            text("UPDATE import_job SET created_at = :then WHERE id = :id"),
            {"then": utcnow() - timedelta(hours=25), "id": job_id},
        )
        db.session.commit()
    page = english(client).get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    assert "waited more than a day for confirmation and was removed" in page
    assert f"/admin/import/jobs/{job_id}/confirm" not in page
    assert client.post(f"/admin/import/jobs/{job_id}/confirm").status_code == 400
    assert candidacies(app) == 0
    # The next upload removes the old file's bytes; the new one is kept until confirmed.
    newer = job_of(upload(client, EXAMPLE.read_bytes(), name="baru.csv"))
    assert content_length(app, job_id) == 0
    assert content_length(app, newer) == len(EXAMPLE.read_bytes())
    with app.app_context():
        state, stage = db.session.execute(
            text("SELECT state, stage FROM import_job WHERE id = :id"), {"id": job_id}
        ).one()
    assert (state, stage) == ("failed", "expired")


def test_a_refused_upload_is_not_kept(app, client):
    log_in(app, client)
    job_id = job_of(upload(client, b"nama,partai\nSiti,\n"))
    assert client.get(f"/admin/import/jobs/{job_id}.json").get_json()["state"] == "failed"
    assert content_length(app, job_id) == 0
