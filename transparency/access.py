"""Access by default: every view is closed unless it declares who may open it.

- Endpoints named in PUBLIC_ENDPOINTS, one by one, are open to everyone (the public surface).
- Any other view needs log-in and a role, declared per view (`@login_required_role(...)`)
  or per blueprint (`restrict(bp, Role.ADMIN)`). The `@public` marker opens a view that is
  not the app's own (a test's probe); tests/test_access.py fails on an app view opened by it.
- A view with no rule at all is refused to everybody, and `undeclared_routes(app)` names it
  (tests/test_access.py fails on it).

Roles are ranked: an admin may do what a reviewer may, a reviewer what a volunteer may.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from transparency.models import Role

# The open surface, endpoint by endpoint: every view anybody may open without logging in.
# Everything else needs log-in and a role, per view (`@login_required_role(...)`) or per
# blueprint (`restrict(bp, Role...)`). tests/test_access.py fails on an endpoint that is
# neither, and on a name here that no route has.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        # pages for readers
        "public.index",
        "public.favicon",
        "public.candidates",
        "public.candidate",
        "public.history",
        "public.district",
        "public.party",
        "disclosure.flagged",
        "disclosure.methodology",
        "disclosure.statistics",
        "charts.chart_svg",
        "compare.compare",
        "compare.tray",
        "compare.district",
        "compare.add",  # the comparison tray lives in the reader's own session
        "compare.remove",
        "compare.clear",
        "voter.find",
        "voter.ballot",
        # open data
        "api.index",
        "api.openapi_json",
        "api.candidates",
        "api.candidate",
        "api.districts",
        "api.parties",
        "api.statistics",
        "search_api.search",
        "search_api.suggest",
        "exports.candidates_csv",
        "exports.candidates_csv_sha256",
        "exports.candidates_json",
        "exports.candidates_xlsx",
        "exports.candidates_unknown_format",
        "exports.changes_csv",
        "exports.popolo_json",
        "feeds.candidate_atom",
        "feeds.district_atom",
        "feeds.flagged_atom",
        "data.index",
        "data.snapshot_file",
        # getting an account and logging in
        "auth.login",
        "auth.logout",
        "auth.register",
        "auth.confirm_registration",
        "two_factor.verify",
        # a candidate's answer to a disclosure request, through its one-time link
        "answers.answer",
        # operations
        "health.healthz",
    }
)
# What a user whose role requires a second factor may open before setting it up.
SECOND_FACTOR_SETUP = frozenset({"two_factor.setup"})
RANK = {Role.VOLUNTEER: 1, Role.REVIEWER: 2, Role.ADMIN: 3}

_PUBLIC_ATTR = "_access_public"
_ROLE_ATTR = "_access_role"
_BLUEPRINT_ROLES: dict[str, Role] = {}

View = TypeVar("View", bound=Callable[..., Any])


def public(view: View) -> View:
    """Open this view to everyone: for views outside the app's own list (tests' probes)."""
    setattr(view, _PUBLIC_ATTR, True)
    return view


def login_required_role(role: Role = Role.VOLUNTEER) -> Callable[[View], View]:
    """Require log-in and at least this role for this view."""

    def mark(view: View) -> View:
        setattr(view, _ROLE_ATTR, Role(role))
        return view

    return mark


def restrict(blueprint: Blueprint, role: Role) -> None:
    """Require log-in and at least this role for every view of the blueprint without its own
    rule."""
    _BLUEPRINT_ROLES[blueprint.name] = Role(role)


def has_role(user: Any, role: Role) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and RANK.get(Role(user.role), 0) >= RANK[Role(role)]
    )


UNDECLARED = object()


def rule_for(app: Flask, endpoint: str) -> Role | str | object:
    """'public', a Role, or UNDECLARED."""
    if endpoint in PUBLIC_ENDPOINTS:
        return "public"
    view = app.view_functions.get(endpoint)
    if view is not None and getattr(view, _PUBLIC_ATTR, False):
        return "public"
    if view is not None and getattr(view, _ROLE_ATTR, None) is not None:
        return getattr(view, _ROLE_ATTR)
    blueprint = endpoint.rpartition(".")[0]
    if blueprint in _BLUEPRINT_ROLES:
        return _BLUEPRINT_ROLES[blueprint]
    return UNDECLARED


def undeclared_routes(app: Flask) -> list[str]:
    """'<rule> -> <endpoint>' for every route nobody declared an access rule for."""
    return sorted(
        f"{rule.rule} -> {rule.endpoint}"
        for rule in app.url_map.iter_rules()
        if rule_for(app, rule.endpoint) is UNDECLARED
    )


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no tricks browsers resolve to a host."""
    if not target or len(target) > 2000:
        return False
    for candidate in (target, unquote(target), unquote(unquote(target))):
        if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
            return False
        if "\\" in candidate or any(ord(char) < 0x21 or ord(char) == 0x7F for char in candidate):
            return False
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None, default_endpoint: str = "contribute.index") -> str:
    return target if target and is_safe_next(target) else url_for(default_endpoint)


def login_redirect() -> Response:
    flash(_("Please log in to see this page."), "info")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target))


def enforce() -> Response | None:
    """Before every request: refuse what the view's rule does not allow."""
    # Flask-Login caches the user on `g`, which lives as long as the app context: a context
    # that outlives one request (tests, CLI-driven clients) must not carry a user over.
    g.pop("_login_user", None)
    endpoint = request.endpoint
    if endpoint is None:  # 404 / 405: nothing to guard
        return None
    rule = rule_for(current_app, endpoint)
    if rule == "public":
        return None
    if rule is UNDECLARED:
        current_app.logger.error("Refused %s: no access rule declared", endpoint)
        abort(403)
    if not current_user.is_authenticated:
        return login_redirect()
    if not has_role(current_user, rule):  # type: ignore[arg-type]
        abort(403)
    if endpoint not in SECOND_FACTOR_SETUP and second_factor_missing(current_user):
        flash(_("Set up a second factor first: your role requires it."), "info")
        return redirect(url_for("two_factor.setup"))
    return None


def second_factor_missing(user: Any) -> bool:
    """A role that must have a second factor (TWO_FACTOR_REQUIRED_ROLES) without one yet."""
    required = {str(role) for role in current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ())}
    return str(user.role) in required and not user.has_two_factor


def roles_at_least(role: Role) -> Iterable[Role]:
    return [r for r in Role if RANK[r] >= RANK[role]]


def init_app(app: Flask) -> None:
    app.before_request(enforce)
