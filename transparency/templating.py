"""Template helpers shared by every page."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select

from transparency.extensions import db
from transparency.models import Person


def demo_data_present() -> bool:
    return bool(db.session.scalar(select(exists().where(Person.is_fictional.is_(True)))))


def language_url(lang: str) -> str:
    args = request.args.to_dict()
    args["lang"] = lang
    return url_for(request.endpoint or "public.index", **{**(request.view_args or {}), **args})


def page_window(page: int, pages: int, radius: int = 2) -> list[int | None]:
    """Page numbers around the current one, with the first and last; None marks a gap."""
    shown = {1, pages, *range(max(1, page - radius), min(pages, page + radius) + 1)}
    window: list[int | None] = []
    for number in sorted(shown):
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def error_title(code: int) -> str:
    titles = {
        400: _("Bad request"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        413: _("Too large"),
        429: _("Too many requests"),
    }
    return titles.get(code, _("Something went wrong"))


def error_explanation(code: int) -> str:
    explanations = {
        400: _("The request could not be understood. Check the address or the form."),
        403: _("You do not have access to this page."),
        404: _("There is no page at this address."),
        405: _("This page cannot be used that way."),
        413: _("What you sent is larger than this site accepts."),
        429: _("Too many requests in a short time. Wait a moment and try again."),
    }
    return explanations.get(code, _("An unexpected error happened. It has been logged."))


def flag_reason(flag: dict) -> str:
    """A stored flag's reason in the visitor's language."""
    key = "reason_en" if str(get_locale()) == "en" else "reason_id"
    return str(flag.get(key) or flag.get("reason_id") or "")


def is_web_url(value: object) -> bool:
    """Only http(s) addresses become links: a javascript: or data: URL is shown as text."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def init_app(app: Flask) -> None:
    app.jinja_env.tests["web_url"] = is_web_url
    app.jinja_env.globals.update(
        demo_data_present=demo_data_present,
        language_url=language_url,
        page_window=page_window,
        error_title=error_title,
        error_explanation=error_explanation,
        flag_reason=flag_reason,
    )
