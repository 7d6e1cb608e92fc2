"""The public answer form behind a request's one-time link: no account, CSRF on the form,
rate-limited per address so tokens cannot be guessed. Unknown token 404; expired, used or
revoked 410 with a page that says which."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from werkzeug.wrappers import Response

from transparency.auth_forms import keeps_input
from transparency.extensions import db, limiter
from transparency.models import AnswerLink
from transparency.models.base import utcnow
from transparency.net import client_address
from transparency.requests import links
from transparency.requests.answers import (
    LINKED_ITEMS,
    AnswerInput,
    AnswerRefused,
    gone_message,
    submit_answer,
)
from transparency.requests.forms import AnswerForm

bp = Blueprint("answers", __name__)

per_address = limiter.limit(lambda: str(current_app.config["ANSWER_LIMIT_PER_ADDRESS"]))


def _gone(link: AnswerLink, message: str) -> tuple[str, int]:
    return render_template("requests/gone.html", message=message, link=link), 410


@bp.route("/answer/<token>", methods=["GET", "POST"])
@keeps_input
@per_address
def answer(token: str) -> Response | str | tuple[str, int]:
    link = links.find(db.session, token)
    if link is None:
        abort(404)
    now = utcnow()
    link_state = links.state(link, now)
    if link_state != links.LinkState.VALID:
        return _gone(link, gone_message(link_state))
    request_row = link.request
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            submission = submit_answer(
                db.session,
                link,
                AnswerInput(
                    author_kind=form.author_kind.data,
                    author_name=form.author_name.data,
                    links={item: getattr(form, item).data or "" for item in LINKED_ITEMS},
                    refused=bool(form.refused.data),
                    refusal_reason=form.refusal_reason.data or "",
                    reply_text=form.reply_text.data or "",
                ),
                now,
                client_address(),
            )
        except AnswerRefused as error:
            db.session.rollback()
            if error.gone:
                return _gone(link, str(error))
            form.form_errors.append(str(error))
        else:
            return render_template(
                "requests/answer_sent.html", request_row=request_row, submission=submission
            )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "requests/answer.html", form=form, request_row=request_row, link=link
    ), status
