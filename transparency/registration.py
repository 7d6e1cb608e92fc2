"""Volunteer registration that does not tell which addresses have accounts.

Whether the address is new or taken, the visitor gets the same answer after the same work
(the password is hashed in both cases; nothing waits for the mail server). With MAIL_SERVER
set, no account exists until the link sent to the address is followed: a new address gets
the link, a taken one a note saying it already has an account. Without mail, a new address
gets its account at once and the visitor is sent to log in, as with a taken one.
Domain functions flush and never commit; mail leaves after the commit (transparency.mail).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from transparency import mail
from transparency.auth import find_user, hash_password, new_user, normalise_email
from transparency.contrib.audit import AuditKind, record
from transparency.contributors import normalise
from transparency.models import PendingRegistration, Role, User
from transparency.models.base import utcnow
from transparency.urls import public_url_for

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def request_account(
    session: Session, email: str, display_name: str, password: str, address: str
) -> None:
    """Register, or say (by mail) that the address is taken; the caller answers the same.
    `display_name` is the public name chosen (empty for the default, "Relawan #n"); the form
    has checked it is allowed and free."""
    email = normalise_email(email)
    password_hash = hash_password(password)  # in every case: the answer takes the same time
    existing = find_user(session, email)
    if not mail.enabled():
        if existing is not None:
            record(session, AuditKind.REGISTER_TAKEN, user=existing, address=address)
            return
        user = new_user(
            session, email, display_name, password_hash, Role.VOLUNTEER, display_name or None
        )
        record(session, AuditKind.REGISTER, user=user, address=address)
        return
    if existing is not None:
        record(session, AuditKind.REGISTER_TAKEN, user=existing, address=address)
        body = render_template(
            "mail/already_registered.txt", login_url=public_url_for("auth.login")
        )
        mail.queue(session, mail.Message(email, _("Your volunteer account"), body))
        return
    now = utcnow()
    session.execute(delete(PendingRegistration).where(PendingRegistration.expires_at < now))
    token = secrets.token_urlsafe(32)
    hours = int(current_app.config["REGISTER_LINK_HOURS"])
    session.add(
        PendingRegistration(
            token_hash=_token_hash(token),
            email=email,
            # The public name chosen; checked again when the link is followed.
            name=normalise(display_name)[:200],
            password_hash=password_hash,
            expires_at=now + timedelta(hours=hours),
        )
    )
    record(session, AuditKind.REGISTER_PENDING, email=email, address=address)
    link = public_url_for("auth.confirm_registration", token=token)
    if current_app.debug:
        current_app.logger.info("Registration link for %s: %s", email, link)
    body = render_template("mail/confirm_registration.txt", link=link, hours=hours)
    mail.queue(session, mail.Message(email, _("Confirm your volunteer account"), body))
    session.flush()


def pending(session: Session, token: str) -> PendingRegistration | None:
    """The registration this link stands for, while it is valid."""
    if not TOKEN_PATTERN.match(token):
        return None
    found = session.scalars(
        select(PendingRegistration).where(PendingRegistration.token_hash == _token_hash(token))
    ).first()
    if found is None or found.expires_at < utcnow():
        return None
    return found


def confirm(session: Session, registration: PendingRegistration, address: str) -> User | None:
    """Create the account of a followed link; None when the address got one meanwhile."""
    email = registration.email
    session.execute(delete(PendingRegistration).where(PendingRegistration.email == email))
    if find_user(session, email) is not None:
        return None
    chosen = registration.name or None  # taken meanwhile, or not allowed: the default
    user = new_user(
        session, email, registration.name, registration.password_hash, Role.VOLUNTEER, chosen
    )
    record(session, AuditKind.REGISTER, user=user, address=address, verified="email")
    return user
