"""Recording a reply to a flag: staff only (reviewers and admins), a blueprint of its own."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from transparency.access import restrict
from transparency.disclosure.forms import ReplyForm
from transparency.disclosure.replies import ReplyInput, record_reply
from transparency.disclosure.rulesets import ruleset_in_force
from transparency.extensions import db
from transparency.models import Candidacy, Role

bp = Blueprint("replies", __name__)
restrict(bp, Role.REVIEWER)


@bp.route("/candidates/<int:candidacy_id>/replies/new", methods=["GET", "POST"])
def new_reply(candidacy_id: int) -> str | Response:
    candidacy = db.get_or_404(Candidacy, candidacy_id)
    form = ReplyForm()
    form.set_rules(ruleset_in_force(db.session), str(get_locale()))
    if form.validate_on_submit():
        record_reply(
            db.session,
            candidacy,
            ReplyInput(
                text=form.text.data,
                replied_on=form.replied_on.data,
                author_kind=form.author_kind.data,
                author_name=form.author_name.data,
                source_url=form.source_url.data,
                source_title=form.source_title.data,
                rule_id=form.rule_id.data or None,
            ),
            current_user.id,
        )
        flash(_("Reply recorded. It is shown beside the flag and in the history."), "success")
        return redirect(f"{request.script_root}/candidates/{candidacy.id}#disclosure-heading")
    return render_template("disclosure/reply_form.html", form=form, candidacy=candidacy)
