"""/feeds/flagged.atom: newly flagged candidates and disclosure status changes, newest first.

Takes the filters of /candidates (party and province are the useful ones for a feed).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from transparency.errors import json_error
from transparency.exports.atom import Entry, feed_document
from transparency.exports.changes import ChangeRecord, recent_changes
from transparency.extensions import db, limiter
from transparency.listing import FilterError, parse_filters
from transparency.models.base import utcnow
from transparency.models.records import StatusChangeKind

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
FEED_SIZE = 50


@bp.errorhandler(FilterError)
def bad_filter(error: FilterError) -> tuple[Response, int]:
    return json_error(400, f"{error.parameter}: {error.message}")


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int]:
    return json_error(error.code or 500, error.description or error.name)


def _title(change: ChangeRecord) -> str:
    if change.kind == StatusChangeKind.FLAGGED:
        return _("%(name)s is now flagged", name=change.name)
    if change.kind == StatusChangeKind.CLEARED:
        return _("%(name)s is no longer flagged", name=change.name)
    return _(
        "%(name)s: %(requirement)s changed from %(old)s to %(new)s",
        name=change.name,
        requirement=change.requirement or "?",
        old=change.old_value or "-",
        new=change.new_value or "-",
    )


def _entry(change: ChangeRecord, root: str) -> Entry:
    summary = _(
        "%(party)s, %(office)s %(district)s. Ruleset %(version)s.",
        party=change.party_name or "-",
        office=change.office,
        district=change.district_name,
        version=change.ruleset_version or "-",
    )
    return Entry(
        id=f"{root}feeds/status-change/{change.id}",
        title=_title(change),
        link=f"{root}candidates/{change.candidacy_id}",
        updated=change.changed_at,
        summary=summary,
        categories=(change.kind, *(filter(None, [change.party, change.requirement]))),
    )


@bp.get("/flagged.atom")
@limiter.limit(lambda: str(current_app.config.get("EXPORT_RATE_LIMIT", "30 per minute")))
def flagged_atom() -> Response:
    filters = parse_filters(request.args)
    changes = recent_changes(db.session, filters, FEED_SIZE)
    root = request.url_root
    body = feed_document(
        feed_id=f"{root}feeds/flagged.atom",
        title=_("Jejak Terbuka: flagged candidates and disclosure changes"),
        self_url=request.url,
        alternate_url=f"{root}flagged",
        updated=changes[0].changed_at if changes else utcnow(),
        author="Jejak Terbuka",
        entries=[_entry(change, root) for change in changes],
    )
    response = Response(body, mimetype="application/atom+xml")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
