"""Entering a reply to a flag: staff only (reviewers and admins), a blueprint of its own.

A reply entered here goes to the review queue; a second, different reviewer approves it
before it is public (transparency.contrib.review)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from transparency.access import restrict
from transparency.contrib.submissions import (
    DEFAULT_SUBMISSIONS_PER_HOUR,
    RateLimited,
    SubmissionRefused,
    submit,
)
from transparency.disclosure.forms import ReplyForm
from transparency.disclosure.rulesets import ruleset_in_force
from transparency.extensions import db
from transparency.models import Candidacy, Role, SubmissionKind
from transparency.net import client_address

bp = Blueprint("replies", __name__)
restrict(bp, Role.REVIEWER)


@bp.route("/candidates/<int:candidacy_id>/replies/new", methods=["GET", "POST"])
def new_reply(candidacy_id: int) -> str | Response | tuple[str, int]:
    candidacy = db.get_or_404(Candidacy, candidacy_id)
    form = ReplyForm()
    form.set_rules(ruleset_in_force(db.session), str(get_locale()))
    if form.validate_on_submit():
        replied_on = form.replied_on.data.isoformat()
        try:
            submission = submit(
                db.session,
                current_user._get_current_object(),
                SubmissionKind.REPLY,
                {
                    "rule_id": form.rule_id.data or None,
                    "author_kind": form.author_kind.data,
                    "author_name": form.author_name.data.strip(),
                    "text": form.text.data.strip(),
                    "replied_on": replied_on,
                },
                [
                    {
                        "url": form.source_url.data,
                        "title": form.source_title.data.strip(),
                        "accessed_on": replied_on,
                    }
                ],
                candidacy=candidacy,
                address=client_address(),
                per_hour=current_app.config.get(
                    "SUBMISSIONS_PER_HOUR", DEFAULT_SUBMISSIONS_PER_HOUR
                ),
            )
        except SubmissionRefused as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            status = 429 if isinstance(error, RateLimited) else 200
            return render_template(
                "disclosure/reply_form.html", form=form, candidacy=candidacy
            ), status
        flash(
            _(
                "Reply sent to the review queue: a second, different reviewer must approve it "
                "before it is public."
            ),
            "success",
        )
        return redirect(url_for("review.submission", submission_id=submission.id))
    return render_template("disclosure/reply_form.html", form=form, candidacy=candidacy)
