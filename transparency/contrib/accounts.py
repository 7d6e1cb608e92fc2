"""Administrators' operations on accounts."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.auth import AccountError, end_other_sessions
from transparency.contrib.audit import AuditKind, record
from transparency.models import Role, User


def update_account(
    session: Session, admin: User, user: User, *, role: str, active: bool, address: str
) -> list[str]:
    """Change a user's role and/or disable them; returns what changed (for the message)."""
    if role not in set(Role):
        raise AccountError(_("Unknown role: %(role)s", role=role))
    if user.id == admin.id and (role != Role.ADMIN or not active):
        raise AccountError(
            _("You cannot remove your own administrator rights or disable yourself.")
        )
    changed = []
    if role != user.role:
        record(
            session,
            AuditKind.ROLE_CHANGED,
            user=admin,
            address=address,
            target_user_id=user.id,
            target_email=user.email,
            old=user.role,
            new=role,
        )
        user.role = role
        changed.append("role")
    if active != user.active:
        kind = AuditKind.USER_ENABLED if active else AuditKind.USER_DISABLED
        record(
            session,
            kind,
            user=admin,
            address=address,
            target_user_id=user.id,
            target_email=user.email,
        )
        user.active = active
        changed.append("active")
    if changed:
        # A new role or a disabled account takes effect on the user's very next request.
        end_other_sessions(user)
    session.flush()
    return changed
