"""The second factor: the code step of a log-in, and setting it up from the account page."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from transparency import two_factor
from transparency.access import login_required_role, safe_next
from transparency.auth import password_matches, start_session
from transparency.auth_forms import SecondFactorChangeForm, SecondFactorForm, keeps_input
from transparency.extensions import db, limiter
from transparency.inputs import MAX_ROW_ID, parse_int
from transparency.models import Role, User
from transparency.models.base import utcnow
from transparency.net import client_address
from transparency.throttle import LoginResult
from transparency.unit_of_work import keep_on_error

bp = Blueprint("two_factor", __name__)

# Between a right password and the code: who, where to go next, since when.
PENDING_KEY = "_second_step"
PENDING_SECONDS = 300
# The secret shown while setting up, kept until a code from it is confirmed.
SETUP_KEY = "_totp_setup"

per_address = limiter.limit(
    lambda: str(current_app.config["LOGIN_LIMIT_PER_ADDRESS"]), methods=["POST"]
)


def slowed_down(template: str, result: LoginResult, **context: Any) -> tuple[str, int, dict]:
    """429 with Retry-After: this account and address must wait before the next attempt."""
    message = _(
        "Several attempts failed, so the next one from here must wait. "
        "Try again in %(seconds)d seconds.",
        seconds=result.retry_after,
    )
    page = render_template(template, error=message, **context)
    return page, 429, {"Retry-After": str(result.retry_after)}


def begin_second_step(user: User, next_target: str | None) -> None:
    language = session.get("lang")
    session.clear()  # nothing from before the log-in survives it
    if language:
        session["lang"] = language
    session[PENDING_KEY] = {"user": user.get_id(), "next": next_target or "", "at": time.time()}


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    number = parse_int(str(pending.get("user", "")).partition(":")[0], maximum=MAX_ROW_ID)
    user = db.session.get(User, number) if number is not None else None
    if user is None or user.get_id() != pending["user"] or not user.has_two_factor:
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
@keeps_input
@per_address
def verify() -> Response | str | tuple[str, int] | tuple[str, int, dict]:
    user = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Log in again: the code step was left open too long."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        result = two_factor.verify_log_in(db.session, user, form.code.data, client_address())
        remaining = two_factor.remaining_recovery_codes(db.session, user)
        keep_on_error()  # a wrong code is recorded: it counts towards the throttle
        if result.limited:
            return slowed_down("auth/code.html", result, form=form)
        if result.user is None:
            form.code.errors = [_("This code is not right, or it was used already.")]
            return render_template("auth/code.html", form=form)
        target = session[PENDING_KEY]["next"]
        start_session(user)
        flash(_("You are logged in."), "success")
        if remaining < 3:
            flash(
                _(
                    "%(n)d recovery codes are left. Make new ones on your account page.",
                    n=remaining,
                ),
                "info",
            )
        return redirect(safe_next(target))
    return render_template("auth/code.html", form=form)


def _show_codes(codes: list[str]) -> str:
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required_role(Role.REVIEWER)
@keeps_input
def setup() -> str:
    user = current_user._get_current_object()
    if user.has_two_factor:
        return _manage_page(SecondFactorChangeForm(formdata=None), user)
    secret = session.get(SETUP_KEY) or two_factor.new_secret()
    session[SETUP_KEY] = secret
    form = SecondFactorChangeForm()
    if form.validate_on_submit():
        if not password_matches(user, form.password.data):
            form.password.errors = [_("Your password is not correct.")]
        else:
            codes = two_factor.enable(db.session, user, secret, form.code.data, client_address())
            if codes is None:
                form.code.errors = [_("This code is not right. Check the time on your phone.")]
            else:
                session.pop(SETUP_KEY, None)
                return _show_codes(codes)
    uri = two_factor.provisioning_uri(secret, user.email)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        qr=two_factor.qr_data_uri(uri),
        secret=two_factor.grouped(secret),
        required=two_factor.required_for(user),
    )


def _confirmed(form: SecondFactorChangeForm, user: User) -> bool:
    if not form.validate_on_submit():
        return False
    if not password_matches(user, form.password.data):
        form.password.errors = [_("Your password is not correct.")]
        return False
    if two_factor.check(db.session, user, form.code.data, utcnow()) is None:
        form.code.errors = [_("This code is not right, or it was used already.")]
        return False
    return True


def _manage_page(form: SecondFactorChangeForm, user: User) -> str:
    return render_template(
        "auth/two_factor.html",
        remaining=two_factor.remaining_recovery_codes(db.session, user),
        required=two_factor.required_for(user),
        form=form,
    )


@bp.post("/account/two-factor/recovery-codes")
@login_required_role(Role.REVIEWER)
@keeps_input
def renew_codes() -> str:
    user = current_user._get_current_object()
    if not user.has_two_factor:
        abort(404)
    form = SecondFactorChangeForm()
    if not _confirmed(form, user):
        return _manage_page(form, user)
    codes = two_factor.renew_recovery_codes(db.session, user, client_address())
    return _show_codes(codes)


@bp.post("/account/two-factor/off")
@login_required_role(Role.REVIEWER)
@keeps_input
def turn_off() -> Response | str:
    user = current_user._get_current_object()
    if not user.has_two_factor:
        abort(404)
    if two_factor.required_for(user):
        flash(_("Your role requires the second factor, so it stays on."), "error")
        return redirect(url_for("two_factor.setup"))
    form = SecondFactorChangeForm()
    if not _confirmed(form, user):
        return _manage_page(form, user)
    two_factor.disable(db.session, user, by=user, address=client_address())
    flash(_("The second factor is off. Log-in now needs only your password."), "success")
    return redirect(url_for("two_factor.setup"))
