"""A hostile sweep of the whole URL map (issue #15's "Done when"): every GET route, with
Unicode digits, ids past 2^31 and 2^63 and NUL in its path and in the query parameters that
carry numbers, answers without a 5xx, for a visitor and for an admin (who may open every page).
A new route or a new list is swept as soon as it exists."""

from __future__ import annotations

import re

import pytest

from tests.auth_helpers import AuthActions, english

# Superscript two, Arabic-Indic three, one past the largest 64-bit id, NUL.
QUERY_VALUES = ["%C2%B2", "%D9%A3", str(2**63), "%00"]
# The same, plus the circled one and one past PostgreSQL's integer, for ids in a path.
PATH_VALUES = [*QUERY_VALUES, "%E2%91%A0", str(2**31)]
NUMBER_PARAMS = ["page", "per_page", "candidacy", "ids"]
SKIPPED = {"static", "auth.logout"}
ARGUMENT = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def filled(rule: str, hostile: str | None = None, position: int = -1) -> str:
    """The rule with "1" for every argument, or `hostile` for the argument at `position`."""
    count = -1

    def value(_match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return hostile if count == position and hostile is not None else "1"

    return ARGUMENT.sub(value, rule)


def hostile_urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED or "GET" not in rule.methods:
            continue
        plain = filled(rule.rule)
        for name in NUMBER_PARAMS:
            urls += [f"{plain}?{name}={value}" for value in QUERY_VALUES]
        for position in range(len(rule.arguments)):
            urls += [filled(rule.rule, value, position) for value in PATH_VALUES]
    return urls


@pytest.mark.parametrize("persona", ["anonymous", "admin"])
def test_no_hostile_number_or_nul_anywhere_answers_5xx(app, make, persona):
    make.candidacy()
    client = english(app.test_client())
    if persona == "admin":
        assert AuthActions(client).login(make.user(role="admin")).status_code == 302
    failures = []
    urls = hostile_urls(app)
    assert len(urls) > 500  # the map was walked, not an empty list
    for url in urls:
        response = client.get(url)
        response.close()  # streamed exports hold a cursor until closed
        if response.status_code >= 500:
            failures.append(f"{url} -> {response.status_code}")
    assert failures == [], "\n".join(failures)


STAFF_LISTS = [
    ("volunteer", "/contribute/"),
    ("reviewer", "/review/"),
    ("reviewer", "/review/revisions"),
    ("reviewer", "/review/requests/"),
    ("admin", "/admin/users"),
    ("admin", "/admin/audit"),
]


@pytest.mark.parametrize(("role", "path"), STAFF_LISTS)
def test_the_staff_lists_read_their_page_number_strictly(client, auth, make, role, path):
    # Flask-SQLAlchemy's paginate reads ?page= with int(): "٣" was page 3 and 2^63 a 500
    # (SQLite: "Python int too large"; PostgreSQL: "bigint out of range").
    english(client)
    auth.login(make.user(role=role))
    for value in ("%D9%A3", "%C2%B2", str(2**63), "0", "100001"):
        response = client.get(f"{path}?page={value}")
        assert response.status_code == 400, value
        page = response.get_data(as_text=True)
        assert "The parameter “page” is not valid" in page, value
    assert client.get(f"{path}?page=2").status_code == 200
