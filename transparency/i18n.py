"""Languages: Bahasa Indonesia by default, English on request (?lang=en, then remembered)."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import format_date, format_decimal, get_locale, get_translations

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


def share_of(count: int, total: int) -> Decimal:
    """count / total as a share rounded to a tenth of a percent, half up, from the exact
    fraction (never a float): 1,182 of 4,000 is 0.2955, so 29.6%. The one rounding of every
    share the site shows."""
    if not total:
        return Decimal(0)
    return (Decimal(count) / Decimal(total)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def percent_of(count: int, total: int) -> str:
    """29,6% / 29.6%, in the visitor's locale; the home page and /statistics both use it.
    Written here, not by Babel's format_percent (about 0.2 ms a call: /statistics shows
    tens of thousands), with the same digits: shares are at most 100%, never grouped."""
    tenths = int(share_of(count, total) * 1000)
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth}%".translate(_symbols(_request_locale()))


def long_date(value: date | datetime | None) -> str:
    """14 Februari 2024 / 14 February 2024."""
    return format_date(value, format="long") if value else ""


def number(value: float | None) -> str:
    """9.917 / 9,917. Whole numbers are grouped here with the language's own separator
    (Babel's `format_decimal` costs about 0.3 ms a call: /statistics shows 60,000 of them)."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".translate(_symbols(_request_locale()))
    if isinstance(value, float) and math.isfinite(value) and value != 0:
        # Babel's default pattern #,##0.###: at most three decimals, no trailing zeros.
        text = f"{value:,.3f}".rstrip("0").rstrip(".")
        return text.translate(_symbols(_request_locale()))
    return format_decimal(value)


@lru_cache(maxsize=16)
def _symbols(locale: str) -> dict[int, str]:
    return {ord(","): get_group_symbol(locale), ord("."): get_decimal_symbol(locale)}


_LOCALE = "transparency.i18n.locale"


def _request_locale() -> str:
    """This request's locale, looked up once (as page_translations does)."""
    if not has_request_context():
        return str(get_locale())
    found = request.environ.get(_LOCALE)
    if found is None:
        found = request.environ[_LOCALE] = str(get_locale())
    return found


_TRANSLATIONS = "transparency.i18n.translations"


def page_translations() -> Any:
    """The catalogue of this request's language, looked up once per request.

    Flask-Babel finds it again on every call (about 40 µs); a ballot page of 200 names makes
    hundreds of calls. The language of a request does not change while it is answered."""
    if not has_request_context():
        return get_translations()
    found = request.environ.get(_TRANSLATIONS)
    if found is None:
        found = request.environ[_TRANSLATIONS] = get_translations()
    return found


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )
    app.after_request(remember_language)
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["number"] = number
    app.jinja_env.globals["percent_of"] = percent_of
    app.jinja_env.globals["current_language"] = lambda: str(get_locale())
