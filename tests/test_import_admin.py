"""/admin/import: upload, the check in the background with its progress, the bounded report,
confirm; admins only; CSRF on both forms (issue #15, findings 2 and 7)."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.auth_helpers import AuthActions, english, in_app
from tests.factories import Factory
from transparency import import_jobs
from transparency.extensions import db
from transparency.models import AuditEvent, Candidacy, ImportBatch, ImportJob, Revision, User
from transparency.models.base import utcnow

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "official-list.csv"


def log_in(app: Flask, client: FlaskClient, role: str = "admin") -> None:
    """A user of this role, logged in through the real form."""
    with in_app(app):
        user = Factory(db.session).user(f"{role}@contoh.example", role=role)
        email = user.email
    response = AuthActions(english(client)).login(email)
    assert response.status_code == 302


def upload(client: FlaskClient, content: bytes, name: str = "dct.csv", **fields: str):
    data = {"file": (io.BytesIO(content), name), **fields}
    return client.post("/admin/import/", data=data, content_type="multipart/form-data")


def candidacies(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Candidacy))


def test_only_admins_reach_the_page(app, client):
    anonymous = client.get("/admin/import/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    log_in(app, client, role="volunteer")
    assert client.get("/admin/import/").status_code == 403


def job_of(response) -> int:
    """The job an upload or a confirmation redirected to, once its worker has finished."""
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    job_id = int(re.search(r"/admin/import/jobs/(\d+)$", response.headers["Location"]).group(1))
    import_jobs.join(job_id, timeout=120)
    return job_id


def test_upload_is_checked_in_the_background_then_confirmed(app, client):
    log_in(app, client)
    assert client.get("/admin/import/").status_code == 200
    job_id = job_of(
        upload(client, EXAMPLE.read_bytes(), source_url="https://infopemilu.kpu.go.id/")
    )
    status = client.get(f"/admin/import/jobs/{job_id}.json").get_json()
    assert (status["state"], status["percent"], status["running"]) == ("checked", 100, False)
    page = client.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    assert "dct.csv" in page and f"/admin/import/jobs/{job_id}/confirm" in page
    assert candidacies(app) == 0  # the check is a dry run
    job_of(client.post(f"/admin/import/jobs/{job_id}/confirm"))
    assert client.get(f"/admin/import/jobs/{job_id}.json").get_json()["state"] == "done"
    assert "Import done" in client.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    assert candidacies(app) == 7
    with app.app_context():
        batch = db.session.scalars(select(ImportBatch)).one()
        assert batch.run_by == "admin@contoh.example"
        admin = db.session.scalars(select(User).filter_by(role="admin")).one()
        assert (
            db.session.scalars(
                select(Revision.proposed_by_id).filter_by(import_batch_id=batch.id)
            ).first()
            == admin.id
        )
    # A job is written once: a second confirmation is refused.
    assert client.post(f"/admin/import/jobs/{job_id}/confirm").status_code == 400
    assert candidacies(app) == 7


def test_a_running_job_shows_a_progress_bar_that_follows_it(app, client, monkeypatch):
    log_in(app, client)
    with in_app(app):
        admin = db.session.scalars(select(User)).one()
        job = import_jobs.create(db.session, admin, "dct.csv", EXAMPLE.read_bytes(), None)
        job.done_bytes = job.total_bytes // 2
        db.session.commit()
        job_id = job.id
    page = client.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    assert '<progress id="import-progress"' in page and "import-progress.js" in page
    assert f'data-status-url="/admin/import/jobs/{job_id}.json"' in page
    status = client.get(f"/admin/import/jobs/{job_id}.json").get_json()
    assert (status["state"], status["running"], status["percent"]) == ("checking", True, 50)
    # Its worker stopped beating (the process died): the job is failed, not running for ever.
    with in_app(app):
        stored = db.session.get(ImportJob, job_id)
        stored.heartbeat_at -= timedelta(seconds=import_jobs.STALE_SECONDS + 1)
        db.session.commit()
    status = client.get(f"/admin/import/jobs/{job_id}.json").get_json()
    assert (status["state"], status["running"]) == ("failed", False)
    assert "The import stopped" in client.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    assert client.post(f"/admin/import/jobs/{job_id}/confirm").status_code == 400


def test_invalid_upload_lists_problems_and_offers_no_confirm(app, client):
    log_in(app, client)
    content = EXAMPLE.read_bytes().replace(
        b",bersedia,bukan,filed,FIKTIF-DPR-0001", b",ya,bukan,filed,X"
    )
    job_id = job_of(upload(client, content))
    page = client.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    assert "cv_status" in page and "/confirm" not in page
    assert client.get(f"/admin/import/jobs/{job_id}.json").get_json()["state"] == "failed"
    assert candidacies(app) == 0


def test_the_report_is_bounded_whatever_the_file(app, client):
    log_in(app, client)
    header = EXAMPLE.read_bytes().split(b"\n")[0]
    wide = header + b"," * 200_000  # 200,000 empty column names
    bad_rows = [b"pemilu-2024,DPR,3304,,1,%d,Nama,X,,,,,,,,,,," % n for n in range(1, 301)]
    job_id = job_of(upload(client, b"\n".join([wide, *bad_rows])))
    page = client.get(f"/admin/import/jobs/{job_id}").get_data(as_text=True)
    assert len(page) < 200_000
    with in_app(app):
        report = db.session.get(ImportJob, job_id).report
    assert len(report["problems"]) == 200 and report["problem_count"] >= 300
    assert len(report["warnings"]) <= 201
    assert "The first 200 are listed." in page


def test_the_check_takes_no_write_lock(app, client, monkeypatch):
    """While the check reads the file, another connection writes at once (finding 2)."""
    log_in(app, client)
    waited = []
    real = import_jobs.run_import

    def checking_while_someone_writes(session, path, options):
        report = real(session, path, options)
        if options.dry_run:  # still inside the check's transaction
            started = time.perf_counter()
            with db.engine.connect() as other:
                if other.dialect.name == "sqlite":
                    other.exec_driver_sql("PRAGMA busy_timeout=1000")
                else:
                    other.exec_driver_sql("SET lock_timeout = '1s'")
                other.execute(
                    AuditEvent.__table__.insert().values(kind="probe", created_at=utcnow())
                )
                other.commit()
            waited.append(time.perf_counter() - started)
        return report

    monkeypatch.setattr(import_jobs, "run_import", checking_while_someone_writes)
    job_id = job_of(upload(client, EXAMPLE.read_bytes()))
    assert client.get(f"/admin/import/jobs/{job_id}.json").get_json()["state"] == "checked"
    assert len(waited) == 1 and waited[0] < 1.0


def test_too_large_upload_is_refused_by_size(app, client):
    app.config["IMPORT_MAX_UPLOAD_BYTES"] = 1024
    log_in(app, client)
    response = upload(client, EXAMPLE.read_bytes() * 10)
    assert response.status_code == 413
    assert candidacies(app) == 0


def test_csrf_is_required_on_both_forms(app_config, tmp_path):
    from transparency import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
        from transparency.reference import load_reference_data

        load_reference_data(db.session)
        db.session.commit()
    client = app.test_client()
    log_in(app, client)
    response = upload(client, EXAMPLE.read_bytes())
    assert response.status_code == 400
    with app.app_context():
        admin = db.session.scalars(select(User)).one()
        job = import_jobs.create(db.session, admin, "dct.csv", EXAMPLE.read_bytes(), None)
        job.state = import_jobs.CHECKED
        db.session.commit()
        job_id = job.id
    assert client.post(f"/admin/import/jobs/{job_id}/confirm").status_code == 400
    assert candidacies(app) == 0
    with app.app_context():
        db.session.remove()
        if app_config["DATABASE_URL"].startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()
