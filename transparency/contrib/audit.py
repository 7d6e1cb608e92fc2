"""The audit log: one row per security-relevant event."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from transparency.models import AuditEvent, User


class AuditKind(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_LIMITED = "login_limited"
    LOGIN_ALERT = "login_alert"
    TWO_FACTOR_FAILED = "two_factor_failed"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    TWO_FACTOR_RESET = "two_factor_reset"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    LOGOUT = "logout"
    REGISTER = "register"
    REGISTER_PENDING = "register_pending"
    REGISTER_TAKEN = "register_taken"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event name
    DISPLAY_NAME_CHANGED = "display_name_changed"
    USER_CREATED = "user_created"
    ROLE_CHANGED = "role_changed"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    FIRST_APPROVAL = "first_approval"
    REJECTED = "rejected"
    CONFLICT = "conflict"
    REVERTED = "reverted"
    REVERT_REQUESTED = "revert_requested"  # a legal-case item: a second reviewer confirms


LABELS = {
    AuditKind.LOGIN: _l("Logged in"),
    AuditKind.LOGIN_FAILED: _l("Log-in failed"),
    AuditKind.LOGIN_LIMITED: _l("Log-in slowed: wait after failures"),
    AuditKind.LOGIN_ALERT: _l("Alert: many failed log-ins for one account"),
    AuditKind.TWO_FACTOR_FAILED: _l("Second factor: wrong code"),
    AuditKind.TWO_FACTOR_ENABLED: _l("Second factor set up"),
    AuditKind.TWO_FACTOR_DISABLED: _l("Second factor turned off"),
    AuditKind.TWO_FACTOR_RESET: _l("Second factor reset by an operator"),
    AuditKind.RECOVERY_CODES_RENEWED: _l("Recovery codes renewed"),
    AuditKind.LOGOUT: _l("Logged out"),
    AuditKind.REGISTER: _l("Registered"),
    AuditKind.REGISTER_PENDING: _l("Registration: e-mail link sent"),
    AuditKind.REGISTER_TAKEN: _l("Registration tried for an existing address"),
    AuditKind.PASSWORD_CHANGED: _l("Password changed"),
    AuditKind.DISPLAY_NAME_CHANGED: _l("Public name changed"),
    AuditKind.USER_CREATED: _l("Account created"),
    AuditKind.ROLE_CHANGED: _l("Role changed"),
    AuditKind.USER_DISABLED: _l("Account disabled"),
    AuditKind.USER_ENABLED: _l("Account enabled"),
    AuditKind.SUBMITTED: _l("Submission sent"),
    AuditKind.APPROVED: _l("Submission approved"),
    AuditKind.FIRST_APPROVAL: _l("First approval"),
    AuditKind.REJECTED: _l("Submission rejected"),
    AuditKind.CONFLICT: _l("Approval stopped: conflict"),
    AuditKind.REVERTED: _l("Revision reverted"),
    AuditKind.REVERT_REQUESTED: _l("Revert asked for: waits for a second reviewer"),
}


def record(
    session: Session,
    kind: AuditKind,
    *,
    user: User | None = None,
    email: str | None = None,
    address: str | None = None,
    **detail: Any,
) -> AuditEvent:
    event = AuditEvent(
        kind=kind.value,
        user_id=user.id if user is not None else None,
        email=(email or (user.email if user is not None else None) or None),
        client_address=(address or "")[:64] or None,
        detail=detail or None,
    )
    session.add(event)
    session.flush()
    return event
