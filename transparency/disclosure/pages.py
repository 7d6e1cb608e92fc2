"""/statistics as rendered, stored with the snapshot: after a change its first visitor is
served one stored row, not a rendering of some 2,700 districts.

The snapshot (transparency.disclosure.snapshot) stores the figures of every question; in the
same transaction it stores the rendered content of the page's default question (the headline
item over all elections) in each language (PRERENDERED). Every other question is rendered by
its first visitor and kept by that process, as before. Absolute links of a stored page are
rendered on a placeholder root and put on the reader's root when served, so that the page is
the one a rendering for that reader would give (PUBLIC_URL, when set, is used as it is).

A page lists the CV's per-section figures too; a list of sections can change without the data
stamp moving, so a stored page also records the sections' latest change and is used only
while it is still the latest.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import Flask, current_app, g, render_template, request
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.disclosure import sections, stats
from transparency.extensions import db
from transparency.labels import DISCLOSURE_ITEMS
from transparency.models import DisclosureItem, StatisticsSnapshot

STATS_CACHE = "transparency.disclosure.stats"  # figures, shared with the charts
PAGES_CACHE = "transparency.disclosure.stats-page"  # rendered content, per process
SECTIONS_CACHE = "transparency.disclosure.sections"
CACHE_SIZE = 32
PRERENDERED = ((stats.HEADLINE_ITEM, ""),)
PLACEHOLDER_HOST = "statistics-page.invalid"
PLACEHOLDER_ROOT = f"http://{PLACEHOLDER_HOST}/"


def stored_item(item: str, language: str) -> str:
    """The snapshot row's `item` for a stored page (the figures' rows use the bare item)."""
    return f"page:{item}:{language}"


def sections_changed(session: Session) -> datetime | None:
    """When a CV item last changed: its list of sections may have moved with it."""
    return session.scalar(
        select(func.max(DisclosureItem.updated_at)).where(DisclosureItem.requirement == "cv")
    )


def render(item: str, election: str, language: str) -> Markup:
    """The page's content for one question (figures, charts, tables; the CV's sections),
    in the language of the current request."""
    session = db.session
    figures = stats.cached(
        session, current_app.extensions.setdefault(STATS_CACHE, {}), item, election, language
    )
    by_section = None
    if item == "cv":
        cache = current_app.extensions.setdefault(SECTIONS_CACHE, {})
        by_section = sections.cached(session, cache, election, language)
    return Markup(  # noqa: S704 - our own templates' output, escaped as it was rendered
        render_template(
            "disclosure/_statistics_content.html",
            stats=figures,
            item=item,
            election=election,
            language=language,
            item_labels=DISCLOSURE_ITEMS,
            buckets=stats.BUCKETS,
            chart_buckets=stats.CHECKED_BUCKETS,
            sections=by_section if by_section is not None and by_section.any else None,
            section_labels=sections.SECTION_LABELS,
        )
    )


def prerender(session: Session, version: str, stamp: int) -> list[dict[str, Any]]:
    """The snapshot rows of the PRERENDERED pages at this stamp, in every language; the
    figures they show must be stored already (in this transaction)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    changed = sections_changed(session)
    rows = []
    for item, election in PRERENDERED:
        latest = changed if item == "cv" else None
        for language in app.config["LANGUAGES"]:
            path = f"/statistics?lang={language}"
            with _own_language(), _placeholder_request(app, path):
                html = str(render(item, election, language))
            rows.append(
                {
                    "item": stored_item(item, language),
                    "election": election,
                    "ruleset_version": version,
                    "stamp": stamp,
                    "payload": {
                        "html": html,
                        "sections_changed": latest.isoformat() if latest else None,
                    },
                }
            )
    return rows


@contextmanager
def _placeholder_request(app: Flask, path: str) -> Iterator[None]:
    """A request for `path` on the placeholder root, in the running app context (so in the
    caller's transaction). The placeholder is no host the site answers to: it is trusted for
    this request alone, and its URL adapter bound to it (Flask leaves none for an untrusted
    host)."""
    context = app.test_request_context(path, base_url=PLACEHOLDER_ROOT)
    context.request.trusted_hosts = [PLACEHOLDER_HOST]
    context.url_adapter = app.url_map.bind_to_environ(context.request.environ)
    with context:
        yield


@contextmanager
def _own_language() -> Iterator[None]:
    """A rendering in its own language. The request context pushed for it shares the running
    app context, where Flask-Babel keeps the locale it found (g._flask_babel): without this,
    the first language rendered would be every page's, and the caller's."""
    saved = g.pop("_flask_babel", None)
    try:
        yield
    finally:
        g.pop("_flask_babel", None)
        if saved is not None:
            g._flask_babel = saved


def content(
    session: Session, cache: MutableMapping[tuple, Markup], item: str, election: str, language: str
) -> Markup:
    """The page's content for the current request: this process's copy, else the stored page
    of this stamp, else rendered now."""
    key = stats.cache_key(session, item, election, language)
    changed = sections_changed(session) if item == "cv" else None
    key = (*key, changed)
    found = cache.get(key)
    if found is not None:
        return found
    found = _stored(session, key, changed)
    if found is None:
        found = render(item, election, language)
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = found
    return found


def _stored(session: Session, key: tuple, changed: datetime | None) -> Markup | None:
    item, election, language, version, stamp, _ = key
    if (item, election) not in PRERENDERED:
        return None
    table = StatisticsSnapshot.__table__
    payload = session.scalar(
        select(table.c.payload)
        .where(
            table.c.item == stored_item(item, language),
            table.c.election == election,
            table.c.ruleset_version == version,
            table.c.stamp == stamp,
        )
        .order_by(table.c.id.desc())
        .limit(1)
    )
    if payload is None:
        return None
    if payload.get("sections_changed") != (changed.isoformat() if changed else None):
        return None
    html = str(payload["html"]).replace(PLACEHOLDER_ROOT, request.url_root)
    return Markup(html)  # noqa: S704 - rendered by our own templates, escaped then
