"""The flag's public pages (/flagged, /statistics, /methodology); replies are recorded by
staff in views/replies.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    render_template,
    request,
)
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from transparency import profiles
from transparency.disclosure import pages, sections, stats
from transparency.disclosure.pages import PAGES_CACHE, STATS_CACHE
from transparency.disclosure.panel import Panel, panel
from transparency.disclosure.rules import KNOWN_ITEMS
from transparency.disclosure.rulesets import (
    parsed,
    ruleset_in_force,
    ruleset_row_in_force,
    versions,
)
from transparency.extensions import db
from transparency.labels import DISCLOSURE_ITEMS
from transparency.listing import FilterError, Status, parse_filters
from transparency.models import Candidacy, Election, Office, Party, Region
from transparency.models import Ruleset as RulesetRow
from transparency.views.charts import statistics_params

bp = Blueprint("disclosure", __name__)

View = TypeVar("View", bound=Callable[..., Any])
ITEM_LABELS = DISCLOSURE_ITEMS
REPLY_ROLES = ("reviewer", "admin")


def language() -> str:
    return str(get_locale())


def may_record_replies() -> bool:
    """Whether to show the link to the reply form (views/replies.py, a staff blueprint)."""
    if not hasattr(current_app, "login_manager"):
        return False
    user = current_user
    return bool(getattr(user, "is_authenticated", False)) and (
        getattr(user, "role", None) in REPLY_ROLES
    )


@bp.app_template_global()
def disclosure_panel(candidacy: Candidacy) -> Panel:
    return panel(db.session, candidacy)


@bp.app_template_global()
def cv_consent(candidacy: Candidacy) -> sections.Consent | None:
    item = next((i for i in candidacy.disclosure_items if i.requirement == "cv"), None)
    return sections.consent_of(item)


@bp.app_template_global()
def can_record_replies() -> bool:
    return may_record_replies()


def _filter_choices() -> dict[str, list]:
    return {
        "elections": list(db.session.execute(select(Election.slug, Election.name))),
        "offices": list(
            db.session.execute(
                select(
                    Office.code, Office.name_en if language() == "en" else Office.name_id
                ).order_by(Office.position)
            )
        ),
        "provinces": list(
            db.session.execute(
                select(Region.code, Region.name)
                .where(Region.level == "province")
                .order_by(Region.code)
            )
        ),
        "parties": list(
            db.session.execute(
                select(Party.slug, Party.short_name).distinct().order_by(Party.short_name)
            )
        ),
    }


@bp.get("/flagged")
def flagged() -> str:
    try:
        filters = parse_filters(request.args).with_status(Status.FLAGGED)
        page = profiles.list_page(
            db.session, filters, profiles.page_index(current_app), current_app.config["PER_PAGE"]
        )
    except FilterError:
        raise  # transparency.errors: a 400 naming the parameter, in the page's language
    query = urlencode(filters.as_args(page="", status=Status.FLAGGED.value))
    feed_query = urlencode(filters.as_args(page="", status=""))
    root = request.script_root
    return render_template(
        "disclosure/flagged.html",
        page=page,
        filters=filters,
        args=filters.as_args(page=""),
        choices=_filter_choices(),
        downloads=[
            ("CSV", f"{root}/export/candidates.csv?{query}"),
            ("Excel", f"{root}/export/candidates.xlsx?{query}"),
            ("JSON", f"{root}/export/candidates.json?{query}"),
            ("Popolo", f"{root}/export/popolo.json?{query}"),
        ],
        feed_url=f"{root}/feeds/flagged.atom" + (f"?{feed_query}" if feed_query else ""),
    )


def _office_names() -> dict[str, str]:
    name = Office.name_en if language() == "en" else Office.name_id
    return dict(db.session.execute(select(Office.code, name)).all())


@bp.get("/methodology")
@bp.get("/methodology/<version>")
def methodology(version: str | None = None) -> str:
    in_force = ruleset_row_in_force(db.session)
    if version is None:
        row = in_force
        ruleset = parsed(row) if row else ruleset_in_force(db.session)
    else:
        row = db.session.scalars(select(RulesetRow).filter_by(version=version)).one_or_none()
        if row is None:
            abort(404)
        ruleset = parsed(row)
    return render_template(
        "disclosure/methodology.html",
        ruleset=ruleset,
        row=row,
        in_force=row is None or row.in_force,
        versions=versions(db.session),
        offices=_office_names(),
        lang=language(),
    )


@bp.get("/statistics")
def statistics() -> str:
    item, election = statistics_params()
    # The tables list every district (about 2,700): the default question's content is stored
    # rendered with the snapshot; every rendering is kept per ruleset, data stamp and language.
    cache = current_app.extensions.setdefault(PAGES_CACHE, {})
    return render_template(
        "disclosure/statistics.html",
        content=pages.content(db.session, cache, item, election, language()),
        item=item,
        items=KNOWN_ITEMS,
        item_labels=ITEM_LABELS,
        election=election,
        elections=list(db.session.execute(select(Election.slug, Election.name))),
    )


def headline() -> stats.Headline:
    """The home page's figure (for the pages blueprint), cached like /statistics."""
    cache = current_app.extensions.setdefault(STATS_CACHE, {})
    return stats.headline(db.session, cache, language())
