"""Register, log in, log out, change password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from transparency.access import login_required_role, public, safe_next
from transparency.auth import (
    AccountError,
    WrongPassword,
    authenticate,
    change_password,
    create_user,
    end_other_sessions,
    end_session,
    start_session,
)
from transparency.auth_forms import ChangePasswordForm, LoginForm, RegisterForm, keeps_input
from transparency.contrib.audit import AuditKind, record
from transparency.extensions import db
from transparency.models import Role
from transparency.net import client_address

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
@keeps_input
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        result = authenticate(db.session, form.email.data, form.password.data, client_address())
        db.session.commit()
        if result.limited:
            message = _(
                "Too many failed log-in attempts. For your safety, log-in is paused for "
                "15 minutes for this account or this network. Try again later."
            )
            return render_template("auth/login.html", form=form, error=message), 429
        if result.user is None:
            form.password.errors = [_("E-mail or password is not correct.")]
            return render_template("auth/login.html", form=form), 200
        start_session(result.user)
        flash(_("You are logged in."), "success")
        return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
@public
def logout() -> Response | str:
    if request.method == "GET":
        return render_template("auth/logout.html")
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        # Logging out ends this user's sessions everywhere, not only in this browser.
        end_other_sessions(user)
        record(db.session, AuditKind.LOGOUT, user=user, address=client_address())
        db.session.commit()
    end_session()
    flash(_("You are logged out."), "success")
    return redirect(url_for("public.index"))


@bp.route("/register", methods=["GET", "POST"])
@public
@keeps_input
def register() -> Response | str:
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                db.session, form.email.data, form.name.data, form.password.data, Role.VOLUNTEER
            )
        except AccountError as error:
            form.email.errors = [str(error)]
            return render_template("auth/register.html", form=form)
        record(db.session, AuditKind.REGISTER, user=user, address=client_address())
        db.session.commit()
        start_session(user)
        flash(_("Welcome! Your volunteer account is ready."), "success")
        return redirect(url_for("contribute.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required_role(Role.VOLUNTEER)
@keeps_input
def password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current.data, form.password.data)
        except WrongPassword as error:
            form.current.errors = [str(error)]
            return render_template("auth/password.html", form=form)
        except AccountError as error:
            form.password.errors = [str(error)]
            return render_template("auth/password.html", form=form)
        record(db.session, AuditKind.PASSWORD_CHANGED, user=user, address=client_address())
        db.session.commit()
        start_session(user)  # this browser continues under the new session version
        flash(_("Your password is changed. Your other sessions are logged out."), "success")
        return redirect(url_for("contribute.index"))
    return render_template("auth/password.html", form=form)
