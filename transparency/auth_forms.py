"""Account forms, and keeping a form's input when its CSRF token has expired."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, flash, make_response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from transparency.access import enforce
from transparency.auth import (
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    password_problem,
)
from transparency.contributors import (
    DISPLAY_NAME_MAX,
    DISPLAY_NAME_NOTICE,
    display_name_problem,
    display_name_taken,
    normalise,
)
from transparency.extensions import db
from transparency.inputs import StrictForm
from transparency.models import Role

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
View = TypeVar("View", bound=Callable[..., Any])
_KEEPS_INPUT = "_keeps_input_on_csrf_error"


def keeps_input(view: View) -> View:
    """On a CSRF failure (token expired, session gone) re-render this form view with what was
    typed, a message and a fresh token, instead of a bare 400 page. The form's own CSRF
    field still fails validation, so nothing is written."""
    setattr(view, _KEEPS_INPUT, True)
    return view


def handle_csrf_error(error: CSRFError) -> Response | CSRFError:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or not getattr(view, _KEEPS_INPUT, False):
        return error
    # CSRF is checked before the access rule: never re-render a form for someone the rule
    # refuses.
    refused = enforce()
    if refused is not None:
        return refused
    flash(
        _(
            "This form had expired, so nothing was saved. What you typed is kept below: "
            "check it and send it again."
        ),
        "error",
    )
    response = make_response(view(**(request.view_args or {})))
    response.status_code = 400
    return response


class PasswordStrength:
    def __init__(self, email_field: str | None = "email", name_field: str | None = "name") -> None:
        self.email_field = email_field
        self.name_field = name_field

    def __call__(self, form: StrictForm, field: Any) -> None:
        email = form[self.email_field].data if self.email_field in form else ""
        name = form[self.name_field].data if self.name_field in form else ""
        problem = password_problem(field.data or "", email=email or "", name=name or "")
        if problem:
            raise ValidationError(problem)


class LoginForm(StrictForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=EMAIL_MAX_LENGTH)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)]
    )
    next = HiddenField()


def check_display_name(field: Any, user: Any = None) -> None:
    """An allowed display name, not another account's; empty is the default."""
    name = normalise(field.data or "")
    if not name:
        return
    problem = display_name_problem(name)
    if problem:
        raise ValidationError(problem)
    if display_name_taken(db.session, name, user):
        raise ValidationError(_("Another volunteer already uses this public name."))


class RegisterForm(StrictForm):
    # Named `name` as before (scripts and tests post it): the public display name.
    name = StringField(
        _l("Public name"),
        description=DISPLAY_NAME_NOTICE,
        validators=[Optional(), Length(max=NAME_MAX_LENGTH)],
        render_kw={"autocomplete": "nickname", "maxlength": DISPLAY_NAME_MAX},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Regexp(EMAIL_PATTERN, message=_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters. A sentence you can remember works well."),
        validators=[DataRequired(), PasswordStrength()],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )

    def validate_name(self, field: Any) -> None:
        check_display_name(field)


class DisplayNameForm(StrictForm):
    """The account page: the public name, changed by its owner."""

    display_name = StringField(
        _l("Public name"),
        description=DISPLAY_NAME_NOTICE,
        validators=[Optional(), Length(max=NAME_MAX_LENGTH)],
        render_kw={"autocomplete": "nickname", "maxlength": DISPLAY_NAME_MAX},
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_display_name(self, field: Any) -> None:
        check_display_name(field, self.user)


class ConfirmRegistrationForm(StrictForm):
    """The button on the e-mail link's page: a mail scanner that opens links does not post."""


class ChangePasswordForm(StrictForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)]
    )
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A sentence you can remember works well."),
        validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class SecondFactorForm(StrictForm):
    code = StringField(
        _l("Code"),
        description=_l(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none"},
    )


class SecondFactorChangeForm(StrictForm):
    """Setting up, renewing codes or turning off: the password and a current code."""

    password = PasswordField(
        _l("Your password"), validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)]
    )
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


ROLE_LABELS = {
    Role.VOLUNTEER: _l("Volunteer"),
    Role.REVIEWER: _l("Reviewer"),
    Role.ADMIN: _l("Administrator"),
}


class UserAdminForm(StrictForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in Role])
    active = SelectField(
        _l("Account"),
        choices=[SelectChoice("1", _l("Active")), SelectChoice("0", _l("Disabled"))],
        default="1",
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
