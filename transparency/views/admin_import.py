"""/admin/import: upload an official list, watch the check, read its report, confirm, watch
the write. The work runs outside the request as an import job (transparency.import_jobs), with
the same `run_import` as the command line; the page shows a progress bar that follows it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select, update
from sqlalchemy.orm import defer
from werkzeug.wrappers import Response
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from transparency import import_jobs
from transparency.access import restrict
from transparency.extensions import csrf, db
from transparency.importer.kpu_json import FORMAT as KPU_FORMAT
from transparency.importer.validation import is_web_url
from transparency.inputs import StrictForm
from transparency.models import ImportJob, Role
from transparency.models.base import utcnow
from transparency.unit_of_work import on_commit

bp = Blueprint("admin_import", __name__, url_prefix="/admin/import")
# The forms below carry their own CSRF token, checked by validate_on_submit(); the global
# check is skipped here only because it would parse the upload before this blueprint can
# raise the size limit for it.
csrf.exempt(bp)

DEFAULT_UPLOAD_LIMIT = 100 * 1024 * 1024
RECENT_JOBS = 10

restrict(bp, Role.ADMIN)

STATE_LABELS = {
    import_jobs.CHECKING: _l("Checking the file"),
    import_jobs.CHECKED: _l("Checked: waiting for confirmation"),
    import_jobs.WRITING: _l("Writing to the database"),
    import_jobs.DONE: _l("Import done"),
    import_jobs.FAILED: _l("Not imported"),
}


@bp.app_template_global()
def import_state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


@bp.before_request
def raise_upload_limit() -> None:
    # Runs after the access check (transparency.access), so only admins get the larger limit.
    request.max_content_length = current_app.config.get(
        "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_UPLOAD_LIMIT
    )


class UploadForm(StrictForm):
    file = FileField(_l("Official list (CSV, UTF-8)"), validators=[FileRequired()])
    format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("csv", _l("CSV of this project (docs/import-format.md)")),
            SelectChoice(
                KPU_FORMAT,
                _l("The commission's JSON: one district file, or a zip of the directory"),
            ),
        ],
        default="csv",
    )
    office = SelectField(
        _l("Office of a single district file"),
        choices=[
            SelectChoice("", _l("From the folders of the zip")),
            SelectChoice("DPR", "DPR"),
            SelectChoice("DPD", "DPD"),
            SelectChoice("DPRD_PROVINSI", _l("DPRD Provinsi")),
            SelectChoice("DPRD_KABKOTA", _l("DPRD Kabupaten/Kota")),
        ],
        default="",
    )
    as_of = DateField(
        _l("Date the commission's files were captured (JSON only)"), validators=[Optional()]
    )
    source_url = StringField(
        _l("Where it was published (web address)"), validators=[Optional(), Length(max=2000)]
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends the field's own checks when it is empty: the JSON needs its date.
        if self.format.data == KPU_FORMAT and self.as_of.data is None:
            self.as_of.errors = [*self.as_of.errors, _l("Give the date the files were captured.")]
            return False
        if self.as_of.data is not None and self.as_of.data > date.today():
            self.as_of.errors = [*self.as_of.errors, _l("This date is in the future.")]
            return False
        return valid

    def validate_source_url(self, field: StringField) -> None:
        if field.data and not is_web_url(field.data.strip()):
            raise ValidationError(_l("A web address starting with http:// or https://."))


class ConfirmForm(StrictForm):
    """The button that writes a checked file."""


def _recent() -> list[ImportJob]:
    stmt = (
        select(ImportJob)
        .options(defer(ImportJob.content))
        .order_by(ImportJob.id.desc())
        .limit(RECENT_JOBS)
    )
    return list(db.session.scalars(stmt))


def _page(form: UploadForm, status: int = 200, **context: Any) -> tuple[str, int]:
    jobs = _recent()
    return render_template(
        "admin/import.html",
        form=form,
        jobs=[(job, import_jobs.status(job)) for job in jobs],
        **context,
    ), status


@bp.route("/", methods=["GET", "POST"])
def upload() -> Response | tuple[str, int]:
    form = UploadForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            return _page(form, 400, error=_l("The form was not accepted: see below."))
        return _page(form)
    content = form.file.data.read()
    name = Path(form.file.data.filename or "upload.csv").name
    kpu = form.format.data == KPU_FORMAT
    job = import_jobs.create(
        db.session,
        current_user._get_current_object(),
        name,
        content,
        (form.source_url.data or "").strip(),
        file_format=form.format.data,
        as_of=form.as_of.data if kpu else None,
        office=form.office.data if kpu else None,
    )
    db.session.flush()
    app, job_id = current_app._get_current_object(), job.id  # type: ignore[attr-defined]
    on_commit(lambda: import_jobs.start(app, job_id, "check"))  # the job reads its row
    return redirect(url_for("admin_import.job", job_id=job.id))


def _job_or_404(job_id: int) -> ImportJob:
    job = db.session.scalars(
        select(ImportJob).options(defer(ImportJob.content)).where(ImportJob.id == job_id)
    ).first()
    if job is None:
        abort(404)
    return job


@bp.get("/jobs/<int:job_id>")
def job(job_id: int) -> str:
    found = _job_or_404(job_id)
    status = import_jobs.status(found)
    report = found.report or {}
    can_confirm = status["state"] == import_jobs.CHECKED and not report.get("changes_nothing")
    return render_template(
        "admin/import_job.html",
        job=found,
        status=status,
        report=report,
        confirm=ConfirmForm() if can_confirm else None,
    )


@bp.get("/jobs/<int:job_id>.json")
def job_status(job_id: int) -> Response:
    response = jsonify(import_jobs.status(_job_or_404(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/jobs/<int:job_id>/confirm")
def confirm(job_id: int) -> Response | tuple[str, int]:
    found = _job_or_404(job_id)
    status = import_jobs.status(found)
    form = ConfirmForm()
    if not form.validate_on_submit() or status["state"] != import_jobs.CHECKED:
        return _page(
            UploadForm(formdata=None),
            400,
            error=_l("This import is no longer waiting for confirmation. Upload the file again."),
        )
    # One write per job, even when two admins press the button at once.
    taken = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == found.id, ImportJob.state == import_jobs.CHECKED)
        .values(state=import_jobs.WRITING, stage="write", done_bytes=0, heartbeat_at=utcnow())
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return redirect(url_for("admin_import.job", job_id=found.id))
    app, job_id = current_app._get_current_object(), found.id  # type: ignore[attr-defined]
    on_commit(lambda: import_jobs.start(app, job_id, "write"))
    return redirect(url_for("admin_import.job", job_id=found.id))
