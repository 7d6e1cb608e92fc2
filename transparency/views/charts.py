"""/statistics/<chart>.svg: each chart of /statistics as a standalone SVG to embed, with its
title, date, source line and licence, in the visitor's language (?lang=)."""

from __future__ import annotations

from hashlib import sha256

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select

from transparency.disclosure import stats
from transparency.disclosure.rules import KNOWN_ITEMS
from transparency.exports.documents import LICENSE
from transparency.extensions import db
from transparency.i18n import long_date
from transparency.labels import DISCLOSURE_ITEMS, label_of
from transparency.models import Election
from transparency.models.base import utcnow

bp = Blueprint("charts", __name__)
STATS_CACHE = "transparency.disclosure.stats"  # shared with the /statistics page
CHART_LIMIT = 15
ROW_HEIGHT = 46
CACHE_CONTROL = "public, max-age=300"


def statistics_params() -> tuple[str, str]:
    """`item` and `election` of a statistics view, checked (400 naming the parameter)."""
    item = request.args.get("item", stats.HEADLINE_ITEM)
    if item not in KNOWN_ITEMS:
        abort(
            400,
            description=_(
                "item: unknown value; use one of: %(items)s", items=", ".join(KNOWN_ITEMS)
            ),
        )
    election = request.args.get("election", "")
    if election and db.session.scalar(select(Election.id).filter_by(slug=election)) is None:
        abort(400, description=_("election: unknown value"))
    return item, election


def view_args(item: str, election: str, **extra: str) -> dict[str, str]:
    """The query of a statistics view: what its permalinks and charts carry."""
    args = {"item": item, **({"election": election} if election else {}), **extra}
    return {key: value for key, value in args.items() if value}


def dimension_titles() -> dict[str, str]:
    return {
        "office": _("By office"),
        "party": _("By party"),
        "province": _("By province"),
        "district": _("By electoral district"),
    }


@bp.app_template_global()
def chart_embed(dimension: str, item: str, election: str, language: str) -> dict[str, str]:
    """The standalone chart's address and the snippet that embeds it on another site."""
    args = view_args(item, election, lang=language)
    svg = url_for("charts.chart_svg", chart=dimension, _external=True, **args)
    page = url_for("disclosure.statistics", _external=True, **view_args(item, election))
    title = f"{label_of(DISCLOSURE_ITEMS, item)} — {dimension_titles()[dimension]}"
    snippet = (
        f'<a href="{escape(page)}#h-{dimension}"><img src="{escape(svg)}" alt="{escape(title)}" '
        'width="640" loading="lazy"></a>'
    )
    return {"svg": svg, "snippet": snippet}


@bp.get("/statistics/<chart>.svg")
def chart_svg(chart: str) -> Response:
    if chart not in stats.DIMENSIONS:
        abort(404)
    item, election = statistics_params()
    language = str(get_locale())
    cache = current_app.extensions.setdefault(STATS_CACHE, {})
    result = stats.cached(db.session, cache, item, election, language)
    groups = result.breakdowns[chart][:CHART_LIMIT]
    page = url_for("disclosure.statistics", _external=True, **view_args(item, election))
    election_name = (
        db.session.scalar(select(Election.name).filter_by(slug=election)) if election else None
    )
    body = render_template(
        "disclosure/chart.svg",
        title=f"{label_of(DISCLOSURE_ITEMS, item)} — {dimension_titles()[chart]}",
        subtitle=election_name or _("All elections"),
        groups=groups,
        total=len(result.breakdowns[chart]),
        buckets=stats.CHECKED_BUCKETS,
        limit=CHART_LIMIT,
        row_height=ROW_HEIGHT,
        as_of=long_date(utcnow()),
        ruleset_version=result.ruleset_version,
        source_url=f"{page}#h-{chart}",
        license_url=LICENSE,
        language=language,
    ).encode("utf-8")
    response = Response(body, content_type="image/svg+xml; charset=utf-8")
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Vary"] = "Cookie"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the file may draw itself and nothing else.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.set_etag(sha256(body).hexdigest())
    return response.make_conditional(request)
