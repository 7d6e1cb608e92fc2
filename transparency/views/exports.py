"""Exports of any candidate list: CSV, Excel, JSON, Popolo, and the changes since a date.

Every export takes exactly the filters of /candidates. Bodies are streamed from the
database in batches; the row count and the filters are settled (and checked) first, so bad
input is a 400 before any byte of a file is sent.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from werkzeug.exceptions import HTTPException

from transparency.errors import json_error
from transparency.exports import documents, popolo
from transparency.exports.changes import COLUMNS as CHANGE_COLUMNS
from transparency.exports.changes import change_row, changes_since, count_since, parse_since
from transparency.exports.cli import requirement_labels
from transparency.exports.writers import csv_chunks, sha256_of
from transparency.extensions import db, limiter
from transparency.listing import FilterError, parse_filters
from transparency.urls import public_root

bp = Blueprint("exports", __name__, url_prefix="/export")
DEFAULT_RATE_LIMIT = "30 per minute"


def _rate_limit() -> str:
    return str(current_app.config.get("EXPORT_RATE_LIMIT", DEFAULT_RATE_LIMIT))


limiter.limit(_rate_limit)(bp)


@bp.errorhandler(FilterError)
def bad_filter(error: FilterError) -> tuple[Response, int]:
    return json_error(400, f"{error.parameter}: {error.message}")


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int] | Response:
    """Scripts download exports: errors are JSON, saying what is wrong."""
    response, code = json_error(error.code or 500, error.description or error.name)
    if error.code == 429 and error.response is not None:
        response.headers.update(
            {k: v for k, v in error.response.headers.items() if k.startswith(("Retry", "X-"))}
        )
    return response, code


def _plan() -> documents.ExportPlan:
    return documents.plan(db.session, parse_filters(request.args), public_root())


def _headers(export: documents.ExportPlan, fmt: str, kind: str | None = None) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{export.filename(fmt, kind)}"',
        "X-Content-Type-Options": "nosniff",
        "X-Export-Generated-At": export.metadata(fmt)["generated_at"],
        "X-Export-Filters": urlencode(documents.filter_args(export.filters)),
        "X-Export-Ruleset-Version": export.ruleset_version or "",
        "X-Export-Row-Count": str(export.row_count),
        "Cache-Control": "no-store",
    }


def _stream(
    body: Iterator[bytes], export: documents.ExportPlan, fmt: str, kind: str | None = None
) -> Response:
    response = Response(stream_with_context(body), content_type=documents.MEDIA_TYPES[fmt])
    response.headers.update(_headers(export, fmt, kind))
    return response


@bp.get("/candidates.csv")
def candidates_csv() -> Response:
    export = _plan()
    response = _stream(documents.csv_body(db.session, export), export, "csv")
    sidecar = url_for(".candidates_csv_sha256", **request.args)
    response.headers["Link"] = f'<{sidecar}>; rel="describedby"; type="text/plain"'
    return response


@bp.get("/candidates.csv.sha256")
def candidates_csv_sha256() -> Response:
    """The SHA-256 of the CSV the same query gives, in `sha256sum -c` form.

    A CSV body holds no timestamp, so the same filters over the same data give the same bytes.
    """
    export = _plan()
    digest, size = sha256_of(documents.csv_body(db.session, export))
    response = Response(
        f"{digest}  {export.filename('csv')}\n", content_type="text/plain; charset=utf-8"
    )
    response.headers.update(_headers(export, "csv"))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export.filename("csv")}.sha256"'
    )
    response.headers["X-Export-Body-Size"] = str(size)
    return response


@bp.get("/candidates.json")
def candidates_json() -> Response:
    export = _plan()
    return _stream(documents.json_body(db.session, export), export, "json")


@bp.get("/candidates.xlsx")
def candidates_xlsx() -> Response:
    """Written to a temporary file first (a zip needs its end), so the hash is a header."""
    export = _plan()
    spool = tempfile.TemporaryFile(prefix="jejak-export-", suffix=".xlsx")  # noqa: SIM115
    try:
        documents.xlsx_file(db.session, export, spool, requirement_labels())
        spool.seek(0)
        digest, size = sha256_of(iter(lambda: spool.read(1 << 20), b""))
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = send_file(
        spool,
        mimetype=documents.MEDIA_TYPES["xlsx"],  # no charset: not a text type
        as_attachment=True,
        download_name=export.filename("xlsx"),
        max_age=0,
    )
    response.headers.update(_headers(export, "xlsx"))
    response.headers["X-Content-SHA256"] = digest
    response.content_length = size
    return response


@bp.get("/candidates.<fmt>")
def candidates_unknown_format(fmt: str) -> tuple[Response, int]:
    known = ", ".join(documents.FORMATS)
    return json_error(400, f"format: unknown export format {fmt[:20]!r}; use one of: {known}")


@bp.get("/changes.csv")
def changes_csv() -> Response:
    since = parse_since(request.args.get("since"))
    filters = parse_filters(request.args)
    export = documents.plan(db.session, filters, public_root())
    rows = (
        change_row(change, export.profile_url)
        for change in changes_since(db.session, filters, since)
    )
    kind = f"changes-since-{since.isoformat()}"
    response = _stream(csv_chunks(CHANGE_COLUMNS, rows), export, "csv", kind)
    response.headers["X-Export-Since"] = since.isoformat()
    response.headers["X-Export-Row-Count"] = str(count_since(db.session, filters, since))
    return response


@bp.get("/popolo.json")
def popolo_json() -> Response:
    """X-Export-Row-Count: the memberships (one a candidacy), as in the other files."""
    export = _plan()
    return _stream(popolo.popolo_body(db.session, export), export, "popolo", "popolo")
