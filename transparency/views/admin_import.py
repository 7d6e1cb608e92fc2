"""/admin/import: upload an official list, read the dry-run report, confirm to apply.

The same `run_import` as the command line. The uploaded file is kept between the two steps
under instance/imports/ with a random name; the admin's session holds that name and the file's
SHA-256, so the confirmed import is exactly the file that was checked.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, render_template, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional, ValidationError

from transparency.access import restrict
from transparency.extensions import csrf, db
from transparency.importer import FileChanged, ImportOptions, ImportReport, run_import
from transparency.importer.reading import file_sha256
from transparency.importer.validation import is_web_url
from transparency.inputs import StrictForm
from transparency.models import Role

bp = Blueprint("admin_import", __name__, url_prefix="/admin/import")
# The forms below carry their own CSRF token, checked by validate_on_submit(); the global
# check is skipped here only because it would parse the upload before this blueprint can
# raise the size limit for it.
csrf.exempt(bp)

DEFAULT_UPLOAD_LIMIT = 100 * 1024 * 1024
SESSION_KEY = "admin_import_upload"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


restrict(bp, Role.ADMIN)


@bp.before_request
def raise_upload_limit() -> None:
    # Runs after the access check (transparency.access), so only admins get the larger limit.
    request.max_content_length = current_app.config.get(
        "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_UPLOAD_LIMIT
    )


class UploadForm(StrictForm):
    file = FileField(_l("Official list (CSV, UTF-8)"), validators=[FileRequired()])
    source_url = StringField(
        _l("Where it was published (web address)"), validators=[Optional(), Length(max=2000)]
    )

    def validate_source_url(self, field: StringField) -> None:
        if field.data and not is_web_url(field.data.strip()):
            raise ValidationError(_l("A web address starting with http:// or https://."))


class ConfirmForm(StrictForm):
    token = HiddenField(validators=[Length(min=20, max=64)])


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending() -> dict[str, Any] | None:
    pending = session.get(SESSION_KEY)
    if not isinstance(pending, dict) or not TOKEN.match(str(pending.get("token", ""))):
        return None
    return pending


def _discard(pending: dict[str, Any] | None) -> None:
    session.pop(SESSION_KEY, None)
    if pending:
        (_upload_dir() / f"{pending['token']}.csv").unlink(missing_ok=True)


def _options(pending: dict[str, Any], dry_run: bool) -> ImportOptions:
    return ImportOptions(
        file_name=pending["name"],
        run_by=current_user.email,
        source_url=pending.get("source_url") or None,
        dry_run=dry_run,
    )


def _render(report: ImportReport | None = None, **context: Any) -> tuple[str, int]:
    failed = (report is not None and not report.ok) or "error" in context
    status = 400 if failed else 200
    context.setdefault("form", UploadForm())
    return render_template("admin/import.html", report=report, **context), status


@bp.route("/", methods=["GET", "POST"])
def upload() -> tuple[str, int]:
    form = UploadForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            return _render(form=form, error=_l("The form was not accepted: see below."))
        return _render(form=form)
    _discard(_pending())
    token = secrets.token_urlsafe(24)
    path = _upload_dir() / f"{token}.csv"
    form.file.data.save(path)
    name = Path(form.file.data.filename or "upload.csv").name[:200]
    pending = {
        "token": token,
        "sha256": file_sha256(path),
        "name": name,
        "source_url": (form.source_url.data or "").strip(),
    }
    report = run_import(db.session, path, _options(pending, dry_run=True))
    db.session.rollback()
    if report.ok and not report.changes_nothing:
        session[SESSION_KEY] = pending
        return _render(report, confirm=ConfirmForm(token=token))
    path.unlink(missing_ok=True)
    return _render(report)


@bp.post("/confirm")
def confirm() -> tuple[str, int]:
    form = ConfirmForm()
    pending = _pending()
    if not form.validate_on_submit() or pending is None or form.token.data != pending["token"]:
        _discard(pending)
        return _render(error=_l("This import is no longer pending. Upload the file again."))
    path = _upload_dir() / f"{pending['token']}.csv"
    if not path.is_file() or file_sha256(path) != pending["sha256"]:
        _discard(pending)
        return _render(error=_l("The uploaded file is gone or changed. Upload it again."))
    try:
        report = run_import(db.session, path, _options(pending, dry_run=False))
    except FileChanged:
        db.session.rollback()
        _discard(pending)
        return _render(error=_l("The uploaded file is gone or changed. Upload it again."))
    if report.ok:
        db.session.commit()
    else:
        db.session.rollback()
    _discard(pending)
    return _render(report, done=report.ok)
