"""/admin/import: upload, read the dry-run report, confirm; admins only; CSRF on both forms."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.auth_helpers import AuthActions, in_app
from tests.factories import Factory
from transparency.extensions import db
from transparency.models import Candidacy, ImportBatch, Revision, User

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "official-list.csv"


def log_in(app: Flask, client: FlaskClient, role: str = "admin") -> None:
    """A user of this role, logged in through the real form."""
    with in_app(app):
        user = Factory(db.session).user(f"{role}@contoh.example", role=role)
        email = user.email
    response = AuthActions(client).login(email)
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


def test_upload_report_then_confirm(app, client):
    log_in(app, client)
    assert client.get("/admin/import/").status_code == 200
    response = upload(client, EXAMPLE.read_bytes(), source_url="https://infopemilu.kpu.go.id/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "dct.csv" in page and "/admin/import/confirm" in page
    assert candidacies(app) == 0  # the report is a dry run
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/import/confirm", data={"token": token})
    assert response.status_code == 200, response.get_data(as_text=True)
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
    # The kept file is gone, and the same token cannot be replayed.
    assert not list((Path(app.instance_path) / "imports").glob("*.csv"))
    again = client.post("/admin/import/confirm", data={"token": token})
    assert again.status_code == 400
    assert candidacies(app) == 7


def test_invalid_upload_lists_problems_and_offers_no_confirm(app, client):
    log_in(app, client)
    content = EXAMPLE.read_bytes().replace(
        b",bersedia,bukan,filed,FIKTIF-DPR-0001", b",ya,bukan,filed,X"
    )
    response = upload(client, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "cv_status" in page and "/admin/import/confirm" not in page
    assert candidacies(app) == 0


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
    assert client.post("/admin/import/confirm", data={"token": "x" * 32}).status_code == 400
    assert candidacies(app) == 0
    with app.app_context():
        db.session.remove()
        if app_config["DATABASE_URL"].startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()
