"""Search in the JSON API: /api/v1/search and /api/v1/search/suggest."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext as _

from transparency.errors import json_error
from transparency.listing import FilterError, parse_filters
from transparency.search import (
    SearchPage,
    rate_limited,
    search_candidacies,
    suggest_names,
    suggest_rate_limited,
)
from transparency.search.query import MAX_QUERY_LENGTH

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")


def profile_url(candidacy_id: int) -> str:
    # /candidates/<id> is part of the stable public surface (PRODUCT.md).
    return f"{url_for('public.candidates')}/{candidacy_id}"


def page_as_json(result: SearchPage) -> dict:
    return {
        "query": result.filters.q,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "total": result.total,
        "total_is_estimate": result.total_is_estimate,
        "or_fallback": result.or_fallback,
        "suggestion": result.suggestion,
        "message": result.message,
        "hits": [
            {
                "id": hit.candidacy.id,
                "name": hit.candidacy.person.full_name,
                "party": hit.candidacy.party.short_name if hit.candidacy.party else None,
                "office": hit.candidacy.office.code,
                "district": hit.candidacy.district.name,
                "district_code": hit.candidacy.district.code,
                "ballot_number": hit.candidacy.ballot_number,
                "flagged": hit.candidacy.flagged,
                "score": hit.score,
                "snippet_html": str(hit.snippet) if hit.snippet else None,
                "snippet_field": hit.snippet_field,
                "url": profile_url(hit.candidacy.id),
            }
            for hit in result.hits
        ],
        "facets": {
            name: [
                {"value": f.value, "label": f.label, "count": f.count, "selected": f.selected}
                for f in counts
            ]
            for name, counts in result.facets.items()
        },
    }


@bp.get("/search")
@rate_limited
def search() -> Response | tuple[Response, int]:
    try:
        filters = parse_filters(request.args)
        result = search_candidacies(filters)
    except FilterError as error:
        return json_error(400, f"{error.parameter}: {error.message}")
    return jsonify(page_as_json(result))


@bp.get("/search/suggest")
@suggest_rate_limited
def suggest() -> Response | tuple[Response, int]:
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY_LENGTH:
        return json_error(400, _("Search text is limited to %(n)s characters", n=MAX_QUERY_LENGTH))
    return jsonify({"query": text, "names": suggest_names(text)})
