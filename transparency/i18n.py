"""Languages: Bahasa Indonesia by default, English on request (?lang=en, then remembered)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, Response, current_app, request
from flask_babel import format_date, format_decimal, get_locale

from transparency.extensions import babel

LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def requested_language() -> str | None:
    lang = request.args.get("lang", "")
    return lang if lang in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    remembered = request.cookies.get(LANG_COOKIE, "")
    if remembered not in current_app.config["LANGUAGES"]:
        remembered = ""
    return requested_language() or remembered or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(response: Response) -> Response:
    lang = requested_language()
    if lang and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=LANG_COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


def long_date(value: date | datetime | None) -> str:
    """14 Februari 2024 / 14 February 2024."""
    return format_date(value, format="long") if value else ""


def number(value: float | None) -> str:
    """9.917 / 9,917."""
    return format_decimal(value) if value is not None else ""


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_language)
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["number"] = number
    app.jinja_env.globals["current_language"] = lambda: str(get_locale())
