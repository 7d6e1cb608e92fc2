"""Reviewers: the queue of submissions, approvals, rejections and reverts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from transparency.access import restrict
from transparency.auth_forms import keeps_input
from transparency.contrib.display import diff_rows, field_label, source_views, value_text
from transparency.contrib.forms import DecisionForm, RevertForm
from transparency.contrib.revert import Outcome, confirm_revert, pending_revert, revert
from transparency.contrib.review import (
    OPEN_STATUSES,
    Conflict,
    ReviewRefused,
    approve,
    needs_second_review,
    reject,
)
from transparency.extensions import db
from transparency.models import (
    Candidacy,
    Revision,
    Role,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from transparency.net import client_address
from transparency.unit_of_work import keep_on_error

bp = Blueprint("review", __name__, url_prefix="/review")
restrict(bp, Role.REVIEWER)


@bp.get("/")
def index() -> str:
    kind = request.args.get("kind", "")
    if kind and kind not in set(SubmissionKind):
        abort(400, _("Unknown submission type."))
    query = (
        select(Submission)
        .where(Submission.status.in_([s.value for s in OPEN_STATUSES]))
        .options(
            selectinload(Submission.submitter),
            selectinload(Submission.candidacy).selectinload(Candidacy.person),
        )
        .order_by(Submission.created_at, Submission.id)
    )
    if kind:
        query = query.where(Submission.kind == kind)
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("review/queue.html", page=page, kind=kind, kinds=list(SubmissionKind))


def _submitter_history(submission: Submission) -> tuple[dict[str, int], list[Submission]]:
    if submission.submitter_id is None:  # an answer through a request's link: no account
        return {}, []
    counts = dict(
        db.session.execute(
            select(Submission.status, func.count(Submission.id))
            .where(Submission.submitter_id == submission.submitter_id)
            .group_by(Submission.status)
        ).all()
    )
    recent = list(
        db.session.scalars(
            select(Submission)
            .where(
                Submission.submitter_id == submission.submitter_id,
                Submission.id != submission.id,
            )
            .order_by(Submission.created_at.desc())
            .limit(10)
        )
    )
    return counts, recent


def _show(submission: Submission, form: DecisionForm, status: int = 200) -> tuple[str, int]:
    counts, recent = _submitter_history(submission)
    return render_template(
        "review/submission.html",
        submission=submission,
        form=form,
        rows=diff_rows(db.session, submission),
        sources=source_views(submission),
        history_counts=counts,
        history=recent,
        own=submission.submitter_id == current_user.id,
        needs_second=needs_second_review(submission)
        or submission.kind in (SubmissionKind.REVERT, SubmissionKind.REPLY),
    ), status


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int) -> tuple[str, int]:
    return _show(db.get_or_404(Submission, submission_id), DecisionForm(formdata=None))


@bp.post("/submissions/<int:submission_id>")
@keeps_input
def decide(submission_id: int) -> Response | tuple[str, int]:
    item = db.get_or_404(Submission, submission_id)
    form = DecisionForm()
    action = request.form.get("action")
    if action not in ("approve", "reject"):
        abort(400, _("Choose approve or reject."))
    if not form.validate_on_submit():
        return _show(item, form, 400)
    reviewer = current_user._get_current_object()
    try:
        if action == "reject":
            reject(db.session, item, reviewer, form.reason.data.strip(), client_address())
            message = _("Submission rejected. The volunteer sees your reason.")
        elif item.kind == SubmissionKind.REVERT:
            confirm_revert(db.session, item, reviewer, form.reason.data.strip(), client_address())
            message = _("Confirmed by a second reviewer: the change is reverted now.")
        else:
            outcome = approve(
                db.session, item, reviewer, form.reason.data.strip(), client_address()
            )
            message = (
                _("First approval recorded. A second reviewer must approve before it is public.")
                if outcome == SubmissionStatus.SECOND_REVIEW
                else _("Approved: the change is public now.")
            )
    except Conflict as error:
        keep_on_error()  # the re-based submission and the audit entry are kept
        flash(str(error), "error")
        return _show(item, DecisionForm(formdata=None), 409)
    except ReviewRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return _show(item, form, 403 if item.submitter_id == reviewer.id else 409)
    flash(message, "success")
    return redirect(url_for("review.index"))


@bp.get("/revisions")
def revisions() -> str:
    page = db.paginate(
        select(Revision)
        .options(selectinload(Revision.proposed_by), selectinload(Revision.approved_by))
        .order_by(Revision.id.desc()),
        per_page=50,
        error_out=False,
    )
    return render_template("review/revisions.html", page=page)


def _show_revert(revision: Revision, form: RevertForm, status: int = 200) -> tuple[str, int]:
    keys = sorted(set(revision.before or {}) | set(revision.after or {}))
    rows = [
        (
            field_label(key),
            value_text(key, (revision.before or {}).get(key)),
            value_text(key, (revision.after or {}).get(key)),
        )
        for key in keys
    ]
    return render_template(
        "review/revert.html",
        revision=revision,
        rows=rows,
        form=form,
        pending=pending_revert(db.session, revision),
    ), status


@bp.route("/revisions/<int:revision_id>/revert", methods=["GET", "POST"])
@keeps_input
def revert_revision(revision_id: int) -> Response | tuple[str, int]:
    revision = db.get_or_404(Revision, revision_id)
    form = RevertForm()
    if not form.validate_on_submit():
        return _show_revert(revision, form, 400 if request.method == "POST" else 200)
    try:
        outcome = revert(
            db.session,
            revision,
            current_user._get_current_object(),
            form.reason.data.strip(),
            client_address(),
        )
    except ReviewRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return _show_revert(revision, form, 409)
    if outcome == Outcome.PENDING:
        flash(
            _(
                "Recorded. A legal case: a second, different reviewer must confirm before it "
                "is hidden or reverted."
            ),
            "success",
        )
    else:
        flash(_("Reverted. The revert is recorded as a new revision."), "success")
    return redirect(url_for("review.revisions"))
