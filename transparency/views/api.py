"""The read-only JSON API, /api/v1: candidates, parties, districts, statistics, OpenAPI.

Lists take exactly the filters of /candidates. Every answer is JSON, errors included
(`{"error": {"code", "message"}}`); GET answers carry an ETag and honour If-None-Match;
CORS is open for GET; requests are rate-limited per client address.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import Select

from transparency.api import openapi, parameters, reading, serialisers
from transparency.errors import json_error
from transparency.extensions import db, limiter
from transparency.listing import FilterError, parse_filters
from transparency.urls import public_root, public_url_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")
DEFAULT_RATE_LIMIT = "120 per minute"


def _rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT))


limiter.limit(_rate_limit)(bp)


@bp.errorhandler(FilterError)
def bad_filter(error: FilterError) -> tuple[Response, int]:
    return json_error(400, f"{error.parameter}: {error.message}")


@bp.after_app_request
def cacheable_and_open(response: Response) -> Response:
    """Every answer under /api/ (404s of unknown paths included) may be read cross-origin."""
    if not request.path.startswith("/api/"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=60"
        response.headers["Vary"] = "Accept-Language"
        response.add_etag()
        response.make_conditional(request)
    return response


def _page(stmt: Select, serialise: Any) -> dict[str, Any]:
    filters = parse_filters(request.args)
    per_page = reading.parse_per_page(request.args)
    page = db.paginate(stmt, page=filters.page, per_page=per_page, error_out=False, count=True)
    total = page.total or 0
    args = {key: value for key, value in request.args.items() if key != "page"}

    def link(number: int) -> str:
        return public_url_for(request.endpoint or "", **args, page=number)

    return {
        "data": [serialise(item) for item in page.items],
        "meta": {
            "page": filters.page,
            "per_page": per_page,
            "total": total,
            "pages": ceil(total / per_page) if total else 0,
            "filters": filters.as_args(page=""),
        },
        "links": {
            "self": link(filters.page),
            "next": link(filters.page + 1) if filters.page * per_page < total else None,
            "prev": link(filters.page - 1) if filters.page > 1 else None,
        },
    }


@bp.get("/")
def index() -> Response:
    return jsonify(
        {
            "name": "Jejak Terbuka API",
            "version": "v1",
            "openapi": public_url_for(".openapi_json"),
            "endpoints": {
                "candidates": public_url_for(".candidates"),
                "parties": public_url_for(".parties"),
                "districts": public_url_for(".districts"),
                "statistics": public_url_for(".statistics"),
            },
        }
    )


@bp.get("/candidates")
def candidates() -> Response:
    filters = parse_filters(request.args)
    root = public_root()
    stmt = reading.candidate_page(db.session, filters)
    return jsonify(_page(stmt, lambda c: serialisers.candidate_summary(c, root)))


@bp.get("/candidates/<int:candidacy_id>")
def candidate(candidacy_id: int) -> Response | tuple[Response, int]:
    found = reading.candidate(db.session, candidacy_id)
    if found is None:
        return json_error(404, f"no public candidacy with id {candidacy_id}")
    return jsonify(serialisers.candidate_detail(found, public_root()))


@bp.get("/parties")
def parties() -> Response:
    filters = parse_filters(request.args)
    items = db.session.scalars(reading.parties(db.session, filters))
    return jsonify({"data": [serialisers.party(item) for item in items]})


@bp.get("/districts")
def districts() -> Response:
    stmt = reading.districts(db.session, parse_filters(request.args))
    return jsonify(_page(stmt, serialisers.district))


@bp.get("/statistics")
def statistics() -> Response:
    return jsonify(reading.statistics(db.session, parse_filters(request.args)))


@bp.get("/openapi.json")
def openapi_json() -> Response:
    known = parameters.known_values(db.session)
    return jsonify(openapi.document(public_root(), known=known))
