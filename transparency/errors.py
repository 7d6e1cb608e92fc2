"""Error pages in both languages, and JSON errors under /api/: never a traceback."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(code: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message}}), code


def handle_http_error(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    if wants_json():
        return json_error(code, error.description or error.name)
    return render_template("errors/error.html", error=error, code=code), code


def handle_unexpected(error: Exception) -> tuple[Response | str, int]:
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
