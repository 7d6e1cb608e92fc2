"""Log-in throttling that slows guessing but never locks anybody out.

- An account and address pair has LOGIN_FREE_FAILURES free failures (since its last success,
  within the window); after that each attempt waits 2^(n - free) seconds after the pair's last
  failure, up to LOGIN_MAX_DELAY_SECONDS.
- An account has a ceiling, LOGIN_ACCOUNT_CEILING failures from all addresses in the window.
  Past it, an address that never logged in to the account waits the same growing delay after
  the account's last failure; an address that has logged in to it before waits at most
  LOGIN_KNOWN_ADDRESS_DELAY_SECONDS: slowed, never barred.
- The failure that reaches the ceiling writes an alert to the audit log.

An attempt refused for waiting is not checked, so it is not counted as a failure either.
Attempts are rows in the database: every server process sees the same counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from transparency.contrib.audit import AuditKind, record
from transparency.models import LoginAttempt, User
from transparency.models.base import utcnow

THROTTLE_DEFAULTS = {
    "LOGIN_WINDOW_MINUTES": 60,
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_MAX_DELAY_SECONDS": 900,
    "LOGIN_ACCOUNT_CEILING": 20,
    "LOGIN_KNOWN_ADDRESS_DELAY_SECONDS": 5,
    "LOGIN_KNOWN_ADDRESS_DAYS": 90,
}


def setting(name: str) -> int:
    return int(current_app.config.get(name, THROTTLE_DEFAULTS[name]))


def _delay(failures: int, free: int) -> float:
    """2^(failures - free) seconds once `failures` reaches `free`, capped."""
    if failures < free:
        return 0.0
    return float(min(2 ** min(failures - free, 30), setting("LOGIN_MAX_DELAY_SECONDS")))


@dataclass(frozen=True)
class Attempts:
    """What the window holds for one account, seen from one address."""

    pair_failures: int
    pair_last_failure: datetime | None
    account_failures: int
    account_last_failure: datetime | None
    known_address: bool


def attempts(session: Session, email: str, address: str, now: datetime) -> Attempts:
    since = now - timedelta(minutes=setting("LOGIN_WINDOW_MINUTES"))
    rows = session.execute(
        select(LoginAttempt.client_address, LoginAttempt.created_at, LoginAttempt.succeeded)
        .where(LoginAttempt.email == email, LoginAttempt.created_at >= since)
        .order_by(LoginAttempt.created_at)
    ).all()
    pair: list[datetime] = []
    account: list[datetime] = []
    for row_address, created_at, succeeded in rows:
        if row_address == address:
            pair = [] if succeeded else [*pair, created_at]
        if not succeeded:
            account.append(created_at)
    known_since = now - timedelta(days=setting("LOGIN_KNOWN_ADDRESS_DAYS"))
    known = session.scalar(
        select(
            exists().where(
                LoginAttempt.email == email,
                LoginAttempt.client_address == address,
                LoginAttempt.succeeded.is_(True),
                LoginAttempt.created_at >= known_since,
            )
        )
    )
    return Attempts(
        pair_failures=len(pair),
        pair_last_failure=pair[-1] if pair else None,
        account_failures=len(account),
        account_last_failure=account[-1] if account else None,
        known_address=bool(known),
    )


def wait_seconds(seen: Attempts, now: datetime) -> int:
    """How long this address must wait before its next attempt on this account (0: now)."""
    waits = [0.0]
    if seen.pair_last_failure is not None:
        delay = _delay(seen.pair_failures, setting("LOGIN_FREE_FAILURES"))
        waits.append(delay - (now - seen.pair_last_failure).total_seconds())
    if seen.account_last_failure is not None:
        delay = _delay(seen.account_failures, setting("LOGIN_ACCOUNT_CEILING"))
        if seen.known_address:
            delay = min(delay, setting("LOGIN_KNOWN_ADDRESS_DELAY_SECONDS"))
        waits.append(delay - (now - seen.account_last_failure).total_seconds())
    return math.ceil(max(waits))


def after_failure(
    session: Session, seen: Attempts, now: datetime, *, email: str, address: str
) -> None:
    """Called once the failed attempt is recorded: the alert when the ceiling is reached."""
    failures = seen.account_failures + 1
    if failures != setting("LOGIN_ACCOUNT_CEILING"):
        return
    since = now - timedelta(minutes=setting("LOGIN_WINDOW_MINUTES"))
    addresses = session.scalar(
        select(func.count(func.distinct(LoginAttempt.client_address))).where(
            LoginAttempt.email == email,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.created_at >= since,
        )
    )
    current_app.logger.warning(
        "ALERT: %d failed log-ins for one account (%d addresses) in %d minutes; "
        "further attempts from new addresses are slowed",
        failures,
        addresses or 0,
        setting("LOGIN_WINDOW_MINUTES"),
    )
    record(
        session,
        AuditKind.LOGIN_ALERT,
        email=email,
        address=address,
        failures=failures,
        addresses=addresses or 0,
        window_minutes=setting("LOGIN_WINDOW_MINUTES"),
    )


def forget_old_attempts(session: Session, email: str, now: datetime) -> None:
    """Attempts older than the known-address memory serve no rule: drop this account's."""
    cutoff = now - timedelta(days=setting("LOGIN_KNOWN_ADDRESS_DAYS"))
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.created_at < cutoff)
    )


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    limited: bool = False
    retry_after: int = 0  # seconds, when limited
    second_factor: bool = False  # the password was right; the second factor comes next


class Guard:
    """One log-in step (password, or second factor) for an account from an address: refuse
    it while it must wait, else record how it went."""

    def __init__(self, session: Session, email: str, address: str) -> None:
        self.session, self.email, self.address = session, email, address
        self.now = utcnow()
        self.seen = attempts(session, email, address, self.now)

    def refused(self) -> LoginResult | None:
        wait = wait_seconds(self.seen, self.now)
        if wait <= 0:
            return None
        record(
            self.session,
            AuditKind.LOGIN_LIMITED,
            email=self.email,
            address=self.address,
            wait_seconds=wait,
        )
        return LoginResult(None, limited=True, retry_after=wait)

    def failed(self, kind: AuditKind, user: User | None) -> LoginResult:
        self._attempt(succeeded=False)
        record(self.session, kind, user=user, email=self.email, address=self.address)
        after_failure(self.session, self.seen, self.now, email=self.email, address=self.address)
        return LoginResult(None)

    def succeeded(self, user: User, **detail: str) -> LoginResult:
        self._attempt(succeeded=True)
        record(self.session, AuditKind.LOGIN, user=user, address=self.address, **detail)
        return LoginResult(user)

    def _attempt(self, *, succeeded: bool) -> None:
        self.session.add(
            LoginAttempt(
                email=self.email,
                client_address=self.address,
                succeeded=succeeded,
                created_at=self.now,
            )
        )
        forget_old_attempts(self.session, self.email, self.now)
        self.session.flush()
