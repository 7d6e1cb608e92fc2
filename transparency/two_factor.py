"""The second factor: time-based codes (TOTP, RFC 6238) and one-time recovery codes.

pyotp computes the codes and segno draws the QR code: both small, maintained, and free of
native dependencies. Admins must set a second factor up (TWO_FACTOR_REQUIRED_ROLES); reviewers
are offered it. A code is accepted once: the last time step used is kept. Recovery codes are
80 random bits each, so a SHA-256 of each is enough to keep them unreadable at rest.
Domain functions flush and never commit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from transparency.contrib.audit import AuditKind, record
from transparency.models import RecoveryCode, Role, User
from transparency.models.base import utcnow
from transparency.throttle import Guard, LoginResult

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
TOTP_CODE = re.compile(r"^[0-9]{6}$")
RECOVERY_CODE = re.compile(rf"^[{RECOVERY_ALPHABET}]{{16}}$")
SKEW_STEPS = 1  # a phone's clock may be one 30-second step ahead or behind


def required_for(user: User) -> bool:
    roles = current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", (Role.ADMIN,))
    return str(user.role) in {str(role) for role in roles}


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, email: str) -> str:
    issuer = str(current_app.config.get("SITE_NAME", "Jejak Terbuka"))
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """The set-up QR code as an SVG data: URI (an <img>, allowed by the page's CSP)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step whose code this is (within the allowed skew), if later than `after`.
    `now` is naive UTC, as every time in the database."""
    code = _clean(code)
    if not TOTP_CODE.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now.replace(tzinfo=UTC))  # naive UTC; pyotp reads naive as local
    for step in range(current - SKEW_STEPS, current + SKEW_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and (after is None or step > after):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode("ascii")).hexdigest()


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten fresh codes, shown once; the old ones stop working."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODES)
    ]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    session.flush()
    return ["-".join(code[i : i + 4] for i in range(0, 16, 4)) for code in codes]


def renew_recovery_codes(session: Session, user: User, address: str) -> list[str]:
    codes = new_recovery_codes(session, user)
    record(session, AuditKind.RECOVERY_CODES_RENEWED, user=user, address=address)
    return codes


def remaining_recovery_codes(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def _use_recovery_code(session: Session, user: User, code: str, now: datetime) -> bool:
    if not RECOVERY_CODE.match(_clean(code)):
        return False
    found = session.scalars(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    ).first()
    if found is None:
        return False
    found.used_at = now
    return True


def enable(session: Session, user: User, secret: str, code: str, address: str) -> list[str] | None:
    """Turn the second factor on once a code from the new secret is right; its recovery codes,
    or None for a wrong code."""
    step = matching_step(secret, code, utcnow(), None)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    record(session, AuditKind.TWO_FACTOR_ENABLED, user=user, address=address)
    return new_recovery_codes(session, user)


def check(session: Session, user: User, code: str, now: datetime) -> str | None:
    """'totp' or 'recovery' when the code is right (and marks it used), else None."""
    if user.totp_secret is None:
        return None
    step = matching_step(user.totp_secret, code, now, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return "totp"
    if _use_recovery_code(session, user, code, now):
        return "recovery"
    return None


def verify_log_in(session: Session, user: User, code: str, address: str) -> LoginResult:
    """The second step of a log-in, throttled like the password step (the caller commits)."""
    guard = Guard(session, user.email, address[:64])
    refused = guard.refused()
    if refused is not None:
        return refused
    used = check(session, user, code, guard.now)
    if used is None or not user.active:
        return guard.failed(AuditKind.TWO_FACTOR_FAILED, user)
    return guard.succeeded(user, second_factor=used)


def disable(session: Session, user: User, *, by: User | None, address: str) -> None:
    """Remove the second factor (the user, or an operator for a lost device)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    kind = AuditKind.TWO_FACTOR_DISABLED if by is user else AuditKind.TWO_FACTOR_RESET
    record(session, kind, user=user, address=address)
    session.flush()
