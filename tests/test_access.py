"""Access by default: every route declares who may open it; the matrix holds for every role."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint

from tests.auth_helpers import AuthActions, english, in_app
from transparency import create_app
from transparency.access import (
    PUBLIC_ENDPOINTS,
    login_required_role,
    public,
    restrict,
    rule_for,
    undeclared_routes,
)
from transparency.extensions import db
from transparency.models import Role, User


def test_every_route_declares_an_access_rule(app):
    missing = undeclared_routes(app)
    assert missing == [], (
        "These routes have no access rule. Add the endpoint to access.PUBLIC_ENDPOINTS "
        "if it is public, or call access.restrict(bp, Role...) / decorate the view with "
        "@access.login_required_role(...): " + ", ".join(missing)
    )


def test_the_open_list_names_only_endpoints_that_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(PUBLIC_ENDPOINTS - endpoints) == []


def test_the_app_opens_views_by_the_list_alone(app):
    """Open means named in access.PUBLIC_ENDPOINTS: no app view opens itself by a marker,
    and a staff view is never inside the list (the reply form has a staff blueprint)."""
    opened = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule_for(app, rule.endpoint) == "public" and rule.endpoint not in PUBLIC_ENDPOINTS
    )
    assert opened == []
    assert rule_for(app, "replies.new_reply") == Role.REVIEWER
    assert "replies.new_reply" not in PUBLIC_ENDPOINTS


def test_a_new_view_is_closed_until_declared(app, app_config):
    app = create_app(app_config)  # a fresh app: blueprints register before the first request
    secret = Blueprint("secret_reports", __name__)

    @secret.get("/secret-reports")
    def reports() -> str:
        return "internal"

    @secret.get("/secret-reports/open")
    @public
    def open_page() -> str:
        return "open"

    @secret.get("/secret-reports/review")
    @login_required_role(Role.REVIEWER)
    def for_reviewers() -> str:
        return "reviewers"

    app.register_blueprint(secret)
    assert undeclared_routes(app) == ["/secret-reports -> secret_reports.reports"]
    client = english(app.test_client())
    with app.app_context():
        db.create_all()
    assert client.get("/secret-reports").status_code == 403
    assert client.get("/secret-reports/open").get_data(as_text=True) == "open"
    assert client.get("/secret-reports/review").status_code == 302
    restrict(secret, Role.ADMIN)
    assert undeclared_routes(app) == []
    with app.app_context():
        db.engine.dispose()


PERSONAS = ("anonymous", "volunteer", "reviewer", "admin", "disabled")
RANK = {"anonymous": 0, "disabled": 0, "volunteer": 1, "reviewer": 2, "admin": 3}
REQUIRED = {
    "auth.password": 1,
    "auth.display_name": 1,
    "contribute": 1,
    "review": 2,
    "admin": 3,
    "admin_import": 3,
    "replies": 2,
    "requests": 2,
    "two_factor": 2,
    "two_factor.verify": 0,
}


def required_rank(endpoint: str) -> int:
    if endpoint in REQUIRED:
        return REQUIRED[endpoint]
    return REQUIRED.get(endpoint.partition(".")[0], 0)


def concrete(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule)


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix_over_every_route(app, make, persona):
    make.candidacy()
    client = english(app.test_client())
    if persona != "anonymous":
        role = {"disabled": Role.VOLUNTEER}.get(persona, persona)
        user = make.user(role=role)
        assert AuthActions(client).login(user).status_code == 302
        if persona == "disabled":
            with in_app(app):
                db.session.get(User, user.id).active = False
                db.session.commit()
    outcomes = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in {"static", "auth.logout"}:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(concrete(rule.rule), method=method)
        response.close()  # streamed exports hold a file or a cursor until closed
        assert response.status_code < 500, f"{persona}: {method} {rule.rule} -> 500"
        needed = required_rank(rule.endpoint)
        if needed == 0:
            allowed = response.status_code not in (401, 403) and "/login?" not in str(
                response.headers.get("Location")
            )
            expect = True
        elif RANK[persona] == 0:
            allowed = response.status_code == 302 and "/login" in response.headers["Location"]
            expect = True  # sent to log in, and nothing else
        else:
            allowed = response.status_code != 403
            expect = RANK[persona] >= needed
        outcomes[f"{method} {rule.rule}"] = (response.status_code, allowed == expect)
    wrong = {route: code for route, (code, ok) in outcomes.items() if not ok}
    assert wrong == {}, f"{persona}: {wrong}"
