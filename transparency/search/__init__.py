"""Full-text search in Bahasa Indonesia (Whoosh): index, queries, sync with the database.

See docs/search.md for the analysis, the query syntax, the total cap and the sync design.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l

from transparency import derived
from transparency.extensions import limiter
from transparency.search import sync
from transparency.search.service import (
    PER_PAGE,
    TOTAL_CAP,
    FacetCount,
    Hit,
    SearchPage,
    matching_candidacy_ids,
    search_candidacies,
    suggest_names,
)

__all__ = [
    "PER_PAGE",
    "TOTAL_CAP",
    "FacetCount",
    "Hit",
    "SearchPage",
    "init_app",
    "matching_candidacy_ids",
    "rate_limited",
    "search_candidacies",
    "suggest_names",
    "suggest_rate_limited",
]


FACET_TITLES = {
    "sort": _l("Order"),
    "election": _l("Election"),
    "office": _l("Office"),
    "party": _l("Party"),
    "province": _l("Province"),
    "district": _l("Electoral district"),
    "status": _l("Disclosure"),
}
SNIPPET_LABELS = {
    "programme": _l("Programme"),
    "track_record": _l("Track record"),
    "biography": _l("Biography"),
    "education": _l("Education"),
    "occupation": _l("Occupation"),
}


DEFAULT_RATE_LIMIT = "120 per minute"
DEFAULT_SUGGEST_RATE_LIMIT = "600 per minute"


def _rate_limit() -> str:
    return str(current_app.config.get("SEARCH_RATE_LIMIT", DEFAULT_RATE_LIMIT))


def _suggest_rate_limit() -> str:
    return str(current_app.config.get("SEARCH_SUGGEST_RATE_LIMIT", DEFAULT_SUGGEST_RATE_LIMIT))


def _no_text() -> bool:
    return not request.args.get("q", "").strip()


# Searches of the page and of the API share one budget per client address; a list page
# without text is not a search and is not counted. Suggestions (one per keystroke, a
# single term lookup) have their own, larger budget.
rate_limited = limiter.shared_limit(_rate_limit, scope="search", exempt_when=_no_text)
suggest_rate_limited = limiter.limit(_suggest_rate_limit)


class SearchBackendError(RuntimeError):
    pass


def configure_backend(app: Flask) -> None:
    """SEARCH_BACKEND: "postgres" by default on PostgreSQL, "whoosh" otherwise."""
    on_postgres = db_dialect(app) == "postgresql"
    app.config.setdefault("SEARCH_BACKEND", "postgres" if on_postgres else "whoosh")
    chosen = app.config["SEARCH_BACKEND"]
    if chosen not in ("whoosh", "postgres"):
        raise SearchBackendError(
            f"Refusing to start: SEARCH_BACKEND is {chosen!r}; it must be 'whoosh' or 'postgres'."
        )
    if chosen == "postgres" and not on_postgres:
        raise SearchBackendError(
            "Refusing to start: SEARCH_BACKEND 'postgres' needs a PostgreSQL database "
            "(TRANSPARENCY_DATABASE_URL=postgresql+psycopg://...); use 'whoosh' with SQLite."
        )


def db_dialect(app: Flask) -> str:
    uri = str(app.config.get("SQLALCHEMY_DATABASE_URI") or "")
    return uri.split(":", 1)[0].split("+", 1)[0]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        search_facet_titles=FACET_TITLES,
        filter_titles=FACET_TITLES,
        search_snippet_labels=SNIPPET_LABELS,
        search_total_cap=TOTAL_CAP,
    )
    configure_backend(app)
    # Seconds between index commits by the drainer, and between a searcher's freshness checks.
    app.config.setdefault("SEARCH_SYNC_INTERVAL", 3.0)
    app.config.setdefault("SEARCH_REFRESH_INTERVAL", 0.0 if app.testing else 1.0)
    # The background drainer runs in serving processes (started by their first request):
    # never in CLI commands, and in tests only when a test turns it on.
    app.config.setdefault(
        "SEARCH_BACKGROUND_SYNC", not app.testing and app.config["SEARCH_BACKEND"] == "whoosh"
    )
    # Seconds a PostgreSQL-backend process keeps a word's document count (ranking weights).
    app.config.setdefault("SEARCH_IDF_TTL", 0.0 if app.testing else 60.0)
    sync.listen()
    derived.register(app, "search", sync.enqueue_changes, order=derived.SEARCH)

    if app.config["SEARCH_BACKGROUND_SYNC"]:

        @app.before_request
        def _start_search_drainer() -> None:
            sync.start_drainer(app)
