"""Register, log in, log out, change password and public name."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from transparency import mail, registration
from transparency.access import login_required_role, safe_next
from transparency.auth import (
    AccountError,
    WrongPassword,
    authenticate,
    change_password,
    end_other_sessions,
    end_session,
    start_session,
)
from transparency.auth_forms import (
    ChangePasswordForm,
    ConfirmRegistrationForm,
    DisplayNameForm,
    LoginForm,
    RegisterForm,
    keeps_input,
)
from transparency.contrib.audit import AuditKind, record
from transparency.contributors import (
    DisplayNameRefused,
    has_default_name,
    public_name,
    set_display_name,
)
from transparency.extensions import db, limiter
from transparency.models import Role
from transparency.net import client_address
from transparency.unit_of_work import keep_on_error
from transparency.views.two_factor import begin_second_step, slowed_down

bp = Blueprint("auth", __name__)

per_address_log_in = limiter.limit(
    lambda: str(current_app.config["LOGIN_LIMIT_PER_ADDRESS"]), methods=["POST"]
)


@bp.route("/login", methods=["GET", "POST"])
@keeps_input
@per_address_log_in
def login() -> Response | str | tuple[str, int] | tuple[str, int, dict]:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        result = authenticate(db.session, form.email.data, form.password.data, client_address())
        keep_on_error()  # a refused attempt is recorded: it counts towards the throttle
        if result.limited:
            return slowed_down("auth/login.html", result, form=form)
        if result.user is None:
            form.password.errors = [_("E-mail or password is not correct.")]
            return render_template("auth/login.html", form=form), 200
        if result.second_factor:
            begin_second_step(result.user, form.next.data)
            return redirect(url_for("two_factor.verify"))
        start_session(result.user)
        flash(_("You are logged in."), "success")
        return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response | str:
    if request.method == "GET":
        return render_template("auth/logout.html")
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        # Logging out ends this user's sessions everywhere, not only in this browser.
        end_other_sessions(user)
        record(db.session, AuditKind.LOGOUT, user=user, address=client_address())
    end_session()
    flash(_("You are logged out."), "success")
    return redirect(url_for("public.index"))


per_address_registration = limiter.limit(
    lambda: str(current_app.config["REGISTER_LIMIT_PER_ADDRESS"]), methods=["POST"]
)
site_wide_registration = limiter.limit(
    lambda: str(current_app.config["REGISTER_LIMIT_GLOBAL"]),
    key_func=lambda: "everyone",
    methods=["POST"],
    scope="register-site-wide",
    # Only posts that no limit refused count for the whole site: one address held at its own
    # limit must not use up everyone's registrations.
    deduct_when=lambda response: response.status_code != 429,
)


@bp.route("/register", methods=["GET", "POST"])
@keeps_input
@per_address_registration
@site_wide_registration
def register() -> Response | str:
    form = RegisterForm()
    if form.validate_on_submit():
        registration.request_account(
            db.session, form.email.data, form.name.data, form.password.data, client_address()
        )
        # The same answer whether the address was free or taken.
        if mail.enabled():
            return render_template("auth/register_sent.html")
        flash(
            _(
                "If this address can be registered, its volunteer account is ready: log in "
                "with it below. If it already had an account, log in with that password."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm_registration(token: str) -> Response | str | tuple[str, int]:
    found = registration.pending(db.session, token)
    if found is None:
        return render_template("auth/confirm_registration.html", expired=True), 404
    form = ConfirmRegistrationForm()
    if not form.validate_on_submit():
        return render_template("auth/confirm_registration.html", form=form, email=found.email)
    user = registration.confirm(db.session, found, client_address())
    if user is None:
        flash(_("This address already has an account: log in with it."), "info")
        return redirect(url_for("auth.login"))
    start_session(user)
    flash(_("Welcome! Your volunteer account is ready."), "success")
    return redirect(url_for("contribute.index"))


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
        db.session.flush()
        start_session(user)  # this browser continues under the new session version
        flash(_("Your password is changed. Your other sessions are logged out."), "success")
        return redirect(url_for("contribute.index"))
    return render_template("auth/password.html", form=form)


@bp.route("/account/name", methods=["GET", "POST"])
@login_required_role(Role.VOLUNTEER)
@keeps_input
def display_name() -> Response | str:
    user = current_user._get_current_object()
    form = DisplayNameForm(user)
    if request.method == "GET" and not has_default_name(user):
        form.display_name.data = user.display_name
    if form.validate_on_submit():
        before = user.display_name
        try:
            set_display_name(db.session, user, form.display_name.data)
        except DisplayNameRefused as error:
            form.display_name.errors = [str(error)]
            return render_template("auth/display_name.html", form=form, shown=public_name(user))
        record(
            db.session,
            AuditKind.DISPLAY_NAME_CHANGED,
            user=user,
            address=client_address(),
            before=before,
            after=user.display_name,
        )
        flash(_("Your public name is now “%(name)s”.", name=public_name(user)), "success")
        return redirect(url_for("contribute.index"))
    return render_template("auth/display_name.html", form=form, shown=public_name(user))
