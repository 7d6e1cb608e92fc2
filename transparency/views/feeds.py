"""Atom feeds of flag and disclosure status changes, newest first.

/feeds/flagged.atom takes the filters of /candidates; /feeds/districts/<code>.atom and
/feeds/candidates/<id>.atom follow one race or one candidacy. Each filter set is its own feed
(its own id and alternate link); answers carry ETag and Last-Modified and honour
If-None-Match and If-Modified-Since with 304, so readers can poll cheaply.
"""

from __future__ import annotations

from datetime import datetime
from hashlib import sha256
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException

from transparency.errors import json_error
from transparency.exports import feed_entries
from transparency.exports.atom import feed_document
from transparency.exports.changes import recent_changes
from transparency.extensions import db, limiter
from transparency.listing import CandidateFilters, FilterError, parse_filters
from transparency.models import Candidacy, District, Stage, StatusChange
from transparency.urls import public_request_url, public_root
from transparency.visibility import is_listed, public_record

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
FEED_SIZE = 50
CACHE_CONTROL = "public, max-age=300"
NOTHING_YET = datetime(1970, 1, 1)
# The filters a feed's identity is made of: the list's, without paging or ordering.
FEED_FILTERS = ("q", "election", "office", "province", "district", "party", "stage")


def _rate_limit() -> str:
    return str(current_app.config.get("EXPORT_RATE_LIMIT", "30 per minute"))


limiter.limit(_rate_limit)(bp)


@bp.errorhandler(FilterError)
def bad_filter(error: FilterError) -> tuple[Response, int]:
    return json_error(400, f"{error.parameter}: {error.message}")


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int]:
    return json_error(error.code or 500, error.description or error.name)


def _site() -> str:
    return public_root()


def _filter_args(filters: CandidateFilters) -> dict[str, str]:
    args = filters.as_args()
    return {key: args[key] for key in FEED_FILTERS if key in args}


def _with_query(url: str, args: dict[str, str]) -> str:
    return f"{url}?{urlencode(sorted(args.items()))}" if args else url


def _feed(
    filters: CandidateFilters,
    *,
    name: str,
    title: str,
    alternate: str,
    alternate_args: dict[str, str],
    candidacy_id: int | None = None,
) -> Response:
    """The feed of these filters; `name` (with the filters) is what its id is made from."""
    changes = recent_changes(db.session, filters, FEED_SIZE, candidacy_id=candidacy_id)
    ctx = feed_entries.context(db.session, changes)
    site = _site()
    root = site.rstrip("/") + "/"
    args = _filter_args(filters)
    modified = feed_entries.last_modified(changes, ctx) or _newest_change()
    language = request.args.get("lang")
    page_args = {**alternate_args, **({"lang": language} if language else {})}
    body = feed_document(
        feed_id=feed_entries.urn(site, _with_query(f"feeds/{name}", args)),
        title=title,
        self_url=public_request_url(),
        alternate_url=_with_query(root + alternate, page_args),
        updated=modified,
        author="Jejak Terbuka",
        entries=feed_entries.entries(changes, ctx, site, root + "candidates/{id}"),
    )
    response = Response(body, content_type="application/atom+xml; charset=utf-8")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = CACHE_CONTROL
    # The language may come from the remembered-language cookie rather than the URL.
    response.headers["Vary"] = "Cookie"
    response.set_etag(sha256(body).hexdigest())
    response.last_modified = modified.replace(microsecond=0)
    return response.make_conditional(request)


def _newest_change() -> datetime:
    """An empty feed's date: the newest change anywhere, so it stays the same until then."""
    return db.session.scalar(select(func.max(StatusChange.changed_at))) or NOTHING_YET


@bp.get("/flagged.atom")
def flagged_atom() -> Response:
    filters = parse_filters(request.args)
    return _feed(
        filters,
        name="flagged.atom",
        title=_("Jejak Terbuka: flagged candidates and disclosure changes"),
        alternate="flagged",
        alternate_args=_filter_args(filters),
    )


@bp.get("/districts/<code>.atom")
def district_atom(code: str) -> Response | tuple[Response, int]:
    """One electoral district's race (a code names the same area in each election)."""
    filters = parse_filters({**request.args, "district": code})
    name = db.session.scalar(select(District.name).where(District.code == filters.district))
    if name is None:
        return json_error(404, f"no electoral district with code {filters.district[:40]!r}")
    return _feed(
        filters,
        name=f"districts/{filters.district}.atom",
        title=_("Jejak Terbuka: changes in %(district)s", district=f"{name} ({code})"),
        alternate="candidates",
        alternate_args=_filter_args(filters),
    )


@bp.get("/candidates/<int:candidacy_id>.atom")
def candidate_atom(candidacy_id: int) -> Response | tuple[Response, int]:
    """One candidacy's changes, as long as its profile is public (withdrawn ones too); a
    hidden candidacy is a 404."""
    candidacy = db.session.scalars(
        select(Candidacy)
        .where(Candidacy.id == candidacy_id, public_record())
        .options(joinedload(Candidacy.person))
    ).first()
    if candidacy is None:
        return json_error(404, f"no public candidacy with id {candidacy_id}")
    return _feed(
        CandidateFilters(stage=None if is_listed(candidacy) else Stage(candidacy.stage)),
        name=f"candidates/{candidacy.id}.atom",
        title=_("Jejak Terbuka: changes for %(name)s", name=candidacy.person.full_name),
        alternate=f"candidates/{candidacy.id}",
        alternate_args={},
        candidacy_id=candidacy.id,
    )
