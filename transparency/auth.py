"""Accounts: password policy and hashing, log-in with limits counted in the database,
sessions that end when the user logs out, changes password or is disabled.

A session stores "<user id>:<session version>" (User.get_id); bumping the version ends every
session issued before. Domain functions flush and never commit.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from importlib.resources import files

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import Flask, current_app, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency import access
from transparency.contrib.audit import AuditKind
from transparency.contributors import name_new_account
from transparency.extensions import db, login_manager
from transparency.inputs import MAX_ROW_ID, parse_int
from transparency.models import Role, User
from transparency.strength import password_weakness
from transparency.throttle import Guard, LoginResult

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 256  # long pass phrases welcome; argon2 hashes any length
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 200

# Current argon2id guidance (RFC 9106 second recommendation): t=3, m=64 MiB, p=4.
ARGON2_DEFAULTS = {"ARGON2_TIME_COST": 3, "ARGON2_MEMORY_COST": 65536, "ARGON2_PARALLELISM": 4}


class AccountError(ValueError):
    """A user-facing reason an account operation was refused."""


class WrongPassword(AccountError):
    pass


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = files("transparency").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _variants(password: str) -> set[str]:
    """The password and its core once trailing digits and symbols are stripped."""
    lowered = password.lower()
    core = re.sub(r"[\d\W_]+$", "", lowered)
    return {lowered, core}


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=PASSWORD_MIN_LENGTH)
    if len(password) > PASSWORD_MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=PASSWORD_MAX_LENGTH)
    if len(set(password)) < 4:
        return _("This password repeats too few characters; choose another.")
    if _variants(password) & common_passwords():
        return _("This password is on a list of common passwords; choose another.")
    lowered = password.lower()
    for personal in (email.lower(), email.lower().split("@")[0], name.lower().replace(" ", "")):
        if len(personal) >= 4 and personal in lowered.replace(" ", ""):
            return _("Do not use your name or e-mail address in your password.")
    return password_weakness(password, (email, email.split("@")[0], name))


def _hasher() -> PasswordHasher:
    config = {**ARGON2_DEFAULTS, **current_app.config}
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(user: User, password: str) -> bool:
    return _verify(user.password_hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _argon2_params() -> tuple[int, int, int]:
    config = {**ARGON2_DEFAULTS, **current_app.config}
    return (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])


@lru_cache(maxsize=4)
def _dummy_hash(params: tuple[int, int, int]) -> str:
    time_cost, memory_cost, parallelism = params
    return PasswordHasher(time_cost, memory_cost, parallelism, type=Type.ID).hash(
        secrets.token_urlsafe(16)
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session_: Session, email: str) -> User | None:
    return session_.scalars(select(User).where(User.email == normalise_email(email))).first()


def new_user(
    session_: Session,
    email: str,
    name: str,
    password_hash: str,
    role: str = Role.VOLUNTEER,
    display_name: str | None = None,
) -> User:
    """An active account for an address checked as free, with a password already hashed;
    its public display name the one given when it is free and allowed, else the default."""
    user = User(
        email=normalise_email(email),
        name=name.strip()[:NAME_MAX_LENGTH] or email,
        password_hash=password_hash,
        role=str(role),
        active=True,
        session_version=1,
    )
    session_.add(user)
    session_.flush()
    name_new_account(session_, user, display_name)
    return user


def create_user(
    session_: Session, email: str, name: str, password: str, role: str = Role.VOLUNTEER
) -> User:
    """An account made by an operator (`flask users create`), who may know it exists."""
    email = normalise_email(email)
    if role not in set(Role):
        raise AccountError(_("Unknown role: %(role)s", role=role))
    if not email or "@" not in email or len(email) > EMAIL_MAX_LENGTH:
        raise AccountError(_("Enter a valid e-mail address."))
    if find_user(session_, email) is not None:
        raise AccountError(_("An account with this e-mail address already exists."))
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise AccountError(problem)
    return new_user(session_, email, name, hash_password(password), role)


def end_other_sessions(user: User) -> None:
    user.session_version = (user.session_version or 0) + 1


def change_password(user: User, current: str, new: str) -> None:
    if not _verify(user.password_hash, current):
        raise WrongPassword(_("Your current password is not correct."))
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new)
    end_other_sessions(user)


# --- log-in ---------------------------------------------------------------------------


def _password_matches(session_: Session, email: str, password: str) -> tuple[User | None, bool]:
    """The account of this address, if any, and whether the password opens it."""
    user = find_user(session_, email)
    if user is None:
        # Same work as a real check, so response times do not tell which accounts exist.
        _verify(_dummy_hash(_argon2_params()), password)
        return None, False
    return user, _verify(user.password_hash, password) and user.active


def authenticate(session_: Session, email: str, password: str, address: str) -> LoginResult:
    """Check a log-in's password; records the attempt and the audit event (the caller commits).

    When the account has a second factor, a right password records nothing yet: the attempt
    counts once the code is checked (transparency.two_factor), so a known password cannot
    reset the throttle on code guesses.
    """
    email = normalise_email(email)[:EMAIL_MAX_LENGTH]
    guard = Guard(session_, email, address[:64])
    refused = guard.refused()
    if refused is not None:
        return refused
    user, ok = _password_matches(session_, email, password)
    if not ok or user is None:
        return guard.failed(AuditKind.LOGIN_FAILED, user)
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if user.has_two_factor:
        return LoginResult(user, second_factor=True)
    return guard.succeeded(user)


# --- sessions ---------------------------------------------------------------------------


def start_session(user: User) -> None:
    """A fresh session at log-in: nothing from before survives, including the CSRF secret."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    session["sid"] = secrets.token_urlsafe(16)


def end_session() -> None:
    logout_user()
    session.clear()


def load_user(user_id: str) -> User | None:
    raw_id, _sep, raw_version = user_id.partition(":")
    number, version = parse_int(raw_id, maximum=MAX_ROW_ID), parse_int(raw_version)
    if number is None or version is None:
        return None
    user = db.session.get(User, number)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.user_loader(load_user)
    access.init_app(app)
