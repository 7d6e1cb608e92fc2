"""Error pages in both languages, and JSON errors under /api/: never a traceback."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from transparency.extensions import db
from transparency.inputs import ParameterError

# Machine-read paths: every error there, an unknown path included, is JSON.
JSON_PREFIXES = ("/api/", "/export/")
# Headers an HTTP error carries besides its body (Allow on a 405, Retry-After on a 429 ...).
_BODY_HEADERS = frozenset({"content-type", "content-length"})


def wants_json() -> bool:
    """Under /api/ and /export/, and at /api and /export themselves (scripts trim slashes)."""
    return request.path.startswith(JSON_PREFIXES) or f"{request.path}/" in JSON_PREFIXES


def json_error(code: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message}}), code


def render_error(code: int, detail: str | None = None) -> str:
    return render_template("errors/error.html", code=code, detail=detail)


def _error_headers(error: HTTPException) -> list[tuple[str, str]]:
    return [(k, v) for k, v in error.get_headers() if k.lower() not in _BODY_HEADERS]


def handle_http_error(error: HTTPException) -> tuple[Response | str, int, list]:
    code = error.code or 500
    if wants_json():
        body, _code = json_error(code, error.description or error.name)
        return body, code, _error_headers(error)
    # A reason the site gave itself (abort(400, _("..."))) is in the visitor's language and
    # shown; werkzeug's own descriptions, and those of its subclasses (CSRF), are English.
    own = type(error) is BadRequest and error.description != BadRequest.description
    return render_error(code, error.description if own else None), code, _error_headers(error)


# FilterError messages are written in English for the API; a page shows them in the
# visitor's language. Each pattern is one message of transparency.listing.
_FILTER_MESSAGES: tuple[tuple[re.Pattern[str], Callable[..., str]], ...] = (
    (
        re.compile(r"^unknown value (?P<value>'.*'); use one of: (?P<allowed>.*)$"),
        lambda **v: _("unknown value %(value)s; use one of: %(allowed)s", **v),
    ),
    (re.compile(r"^unknown value (?P<value>'.*')$"), lambda **v: _("unknown value %(value)s", **v)),
    (
        re.compile(r"^longer than (?P<n>\d+) characters$"),
        lambda **v: _("longer than %(n)s characters", **v),
    ),
    (re.compile(r"^contains control characters$"), lambda **v: _("contains control characters")),
    (re.compile(r"^is not valid UTF-8$"), lambda **v: _("is not valid UTF-8")),
    (
        re.compile(r"^must be a whole number from 1 to (?P<n>\d+)$"),
        lambda **v: _("must be a whole number from 1 to %(n)s", **v),
    ),
)


def filter_message(message: str) -> str:
    """A FilterError's message in the visitor's language (unknown wordings as they are)."""
    for pattern, translate in _FILTER_MESSAGES:
        if match := pattern.match(message):
            return translate(**match.groupdict())
    return message


def handle_filter_error(error: ParameterError) -> tuple[Response | str, int]:
    """A parameter that cannot be read or a filter the site does not know: 400, naming it."""
    if wants_json():
        return json_error(400, str(error))
    detail = _(
        "The parameter “%(parameter)s” is not valid: %(message)s.",
        parameter=error.parameter,
        message=filter_message(error.message),
    )
    return render_error(400, detail), 400


def handle_unexpected(
    error: Exception,
) -> tuple[Response | str, int] | tuple[Response | str, int, list]:
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    # The failure may have left the transaction unusable; the page itself reads the database.
    db.session.rollback()
    try:
        return handle_http_error(InternalServerError())
    except Exception:
        current_app.logger.exception("The error page itself failed")
        return Response("500 Internal Server Error", mimetype="text/plain"), 500


class AsciiQueryString:
    """Percent-encode raw non-ASCII bytes in the query string before Werkzeug decodes it.

    A client may send `?party=\xff\xfe` unencoded; Werkzeug then fails with a
    UnicodeDecodeError as soon as anything reads `request.args`, even the error page. Encoded,
    the bytes become an ordinary unknown value: a 400 naming the parameter.
    """

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():
            raw = query.encode("latin-1", "replace")  # WSGI strings are bytes read as latin-1
            environ["QUERY_STRING"] = quote(raw, safe=string.punctuation)
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    app.wsgi_app = AsciiQueryString(app.wsgi_app)  # type: ignore[method-assign]
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(ParameterError, handle_filter_error)
    app.register_error_handler(Exception, handle_unexpected)
