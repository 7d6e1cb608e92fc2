"""Searching: the functions the pages, the API and the exports call, whichever backend.

Two backends answer the same contracts (`find`, `matching_ids`, `suggest_names`):
`whoosh` (the embedded default: an index under instance/, one machine) and `postgres`
(full-text search in the database itself, the default when the database is PostgreSQL;
nothing is kept outside the database). SEARCH_BACKEND chooses. Both build their terms with
the project's Indonesian analysis (analysis.py), so they match the same documents; this
module parses the text, asks the backend, and turns its ids into hits, facets and a page.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from transparency.extensions import db
from transparency.listing import CandidateFilters, FilterError, candidacy_query
from transparency.models import Candidacy, District, Party
from transparency.search import pg_backend, whoosh_backend
from transparency.search.analysis import words
from transparency.search.facets import facets_of
from transparency.search.query import QueryTooLong, UserQuery, parse_user_text
from transparency.search.results import (
    PER_PAGE,
    SUGGEST_LIMIT,
    TOTAL_CAP,
    FacetCount,
    Hit,
    SearchPage,
    restrictions_of,
    sort_of,
)
from transparency.search.snippets import highlight, load_hits, snippet_for

__all__ = [
    "PER_PAGE",
    "TOTAL_CAP",
    "FacetCount",
    "Hit",
    "SearchPage",
    "backend",
    "highlight",
    "matching_candidacy_ids",
    "restrictions_of",
    "search_candidacies",
    "snippet_for",
    "suggest_names",
]

BACKENDS: dict[str, ModuleType] = {whoosh_backend.NAME: whoosh_backend, pg_backend.NAME: pg_backend}


def backend_name(app: Any = None) -> str:
    app = app or current_app
    return str(app.config["SEARCH_BACKEND"])


def backend() -> ModuleType:
    return BACKENDS[backend_name()]


def _parse(text: str) -> UserQuery:
    try:
        return parse_user_text(text)
    except QueryTooLong as error:
        raise FilterError("q", _("Search text is limited to %(n)s characters", n=200)) from error


def search_candidacies(
    filters: CandidateFilters, page: int | None = None, per_page: int = PER_PAGE
) -> SearchPage:
    """One page of search results for these filters and text; raises FilterError on bad input."""
    page = page or filters.page
    candidacy_query(db.session, filters)  # unknown filter values raise FilterError here
    if filters.stage is not None:
        # The index holds the listed candidacies only (visibility.search_hit).
        raise FilterError("stage", "search covers the current list; leave stage out")
    user = _parse(filters.q)
    result = SearchPage(filters=filters, page=page, per_page=per_page)
    restrictions = restrictions_of(filters)
    if user.empty and not any(restrictions.values()):
        result.message = _("Type a word or a name to search.")
        return result
    found = backend().find(user, restrictions, sort_of(filters, user), page, per_page, TOTAL_CAP)
    result.total = min(found.total, TOTAL_CAP)
    result.total_is_estimate = found.total > TOTAL_CAP
    result.or_fallback = found.or_fallback
    result.suggestion = found.suggestion
    result.facets = facets_of(found.counters, restrictions)
    result.hits = load_hits(found.ranked, user)
    return result


def matching_candidacy_ids(filters: CandidateFilters) -> list[int] | None:
    """Every candidacy id the text `q` matches, as the search page matches it, uncapped.

    Exports, the feed and the API list narrow their database query with this, so a file
    holds the candidacies the search page finds (with its any-word fallback when all the
    words together find nothing). None when the text holds no word to search for; the
    other filters are left to the database query, which checks them against current data.
    """
    user = _parse(filters.q)
    if user.empty:
        return None
    return backend().matching_ids(user, restrictions_of(filters))


def suggest_names(text: str, limit: int = SUGGEST_LIMIT) -> list[dict[str, Any]]:
    """Candidates whose name starts with what was typed (every earlier word whole)."""
    typed = words(text[:200])[:6]
    if not typed:
        return []
    found = backend().suggest_names(typed, limit)
    details = _details([cid for cid, _name in found])
    return [
        {
            "id": cid,
            "name": name,
            # Two "Fitri" are told apart by their party and district.
            "detail": details.get(cid, ""),
            "url": f"{url_for('public.candidates')}/{cid}",
        }
        for cid, name in found
    ]


def _details(ids: list[int]) -> dict[int, str]:
    """ "PKB · JAWA TENGAH IV" per candidacy id, in one query."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Candidacy.id, Party.short_name, District.name)
        .join(District, Candidacy.district_id == District.id)
        .outerjoin(Party, Candidacy.party_id == Party.id)
        .where(Candidacy.id.in_(ids))
    )
    no_party = _("No party")
    return {cid: f"{party or no_party} · {district}" for cid, party, district in rows}
