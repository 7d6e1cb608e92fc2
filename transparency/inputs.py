"""Strict reading of what clients send, in one place.

- Integers: ASCII digits only, 1..2^63-1; row ids 1..2^31-1 (PostgreSQL's integer).
  `str.isdigit()` and `int()` accept "²", "①" or "١" and numbers no column holds; a path
  id that does not parse is a 404, a query or form value a 400 or a form error. The `int`
  URL converter is replaced by this one, so every `<int:...>` route uses it.
- Text: no control characters (NUL included; tab and line breaks only where a text area
  allows them) in any form field (a form error) or query value (400, JSON under the API).
- Query strings must be UTF-8: anything else is a 400, not a search for replacement marks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote_plus

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.routing import BaseConverter, ValidationError
from wtforms import (
    Field,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)

MAX_ID = 2**63 - 1
# Row ids are Integer columns, 32-bit on PostgreSQL: a larger id names no row (a 404), and
# PostgreSQL would refuse to compare it ("integer out of range").
MAX_ROW_ID = 2**31 - 1
# The deepest page any list shows: far past the data, well inside every OFFSET.
MAX_PAGE = 100_000
_DIGITS = re.compile(r"[0-9]{1,25}")
MULTILINE_ALLOWED = frozenset("\t\n\r")


class ParameterError(ValueError):
    """A query parameter that cannot be read: answered 400, naming the parameter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def parse_int(raw: object, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The integer written in ASCII digits in `raw`, if it lies in minimum..maximum."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def query_int(
    args: Mapping[str, str], name: str, *, default: int, minimum: int = 1, maximum: int = MAX_ID
) -> int:
    """A whole-number query parameter, `default` when absent or empty; ParameterError else."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    value = parse_int(raw, minimum=minimum, maximum=maximum)
    if value is None:
        raise ParameterError(name, f"must be a whole number from {minimum} to {maximum}")
    return value


def request_page(*, maximum: int = MAX_PAGE) -> int:
    """This request's `?page=`, 1 when absent; ParameterError (a 400) when it is not 1..maximum
    in ASCII digits."""
    return query_int(request.args, "page", default=1, maximum=maximum)


def strict_int(value: object) -> int:
    """A `coerce` for select fields: the strict parse, ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    parsed = parse_int(str(value).strip(), minimum=0)
    if parsed is None:
        raise ValueError(value)
    return parsed


def control_characters(text: object, *, multiline: bool = False) -> bool:
    """True when `text` holds a control character (NUL, ESC, DEL, C1 ...)."""
    if not isinstance(text, str):
        return False
    return any(
        unicodedata.category(char) == "Cc" and not (multiline and char in MULTILINE_ALLOWED)
        for char in text
    )


class IdConverter(BaseConverter):
    """`<int:...>` in every route: ASCII digits, 1..2^63-1; anything else matches nothing."""

    regex = r"[0-9]{1,19}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = parse_int(value, maximum=MAX_ROW_ID)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


class StrictIntegerField(IntegerField):
    """IntegerField reading only ASCII digits (WTForms' uses int(), which takes "١٢")."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        self.data = parse_int(str(valuelist[0]).strip(), minimum=0)
        if self.data is None:
            raise ValueError(self.gettext("Not a valid integer value."))


CONTROL_MESSAGE = _l("Remove the control characters (such as NUL) from this text.")


def _text_fields(fields: Any) -> Iterator[Field]:
    for field in fields:
        if isinstance(field, FormField):
            yield from _text_fields(field.form)
        elif isinstance(field, FieldList):
            yield from _text_fields(field.entries)
        elif isinstance(field, StringField) and not isinstance(field, HiddenField):
            yield field  # hidden fields are the site's own values, each checked where read


class StrictForm(FlaskForm):
    """The base of every form: text fields refuse control characters with a form error."""

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for field in _text_fields(self):
            if control_characters(field.data, multiline=isinstance(field, TextAreaField)):
                field.errors = [*field.errors, CONTROL_MESSAGE]
                ok = False
        return ok


def _query_pairs(raw: str) -> Iterator[tuple[str, str]]:
    """The query's name/value pairs, decoded as UTF-8; ParameterError naming the first that
    is not UTF-8."""
    for piece in raw.split("&"):
        if not piece:
            continue
        raw_name, _sep, raw_value = piece.partition("=")
        try:
            name = unquote_plus(raw_name, errors="strict")
        except UnicodeDecodeError:
            raise ParameterError("query", "is not valid UTF-8") from None
        try:
            yield name, unquote_plus(raw_value, errors="strict")
        except UnicodeDecodeError:
            raise ParameterError(name, "is not valid UTF-8") from None


def check_request_line() -> None:
    """Before anything reads them: a query string in UTF-8 without control characters, and a
    path without control characters."""
    if control_characters(request.path):
        raise ParameterError("path", "contains control characters")
    for name, value in _query_pairs(request.query_string.decode("latin-1")):
        if control_characters(name) or control_characters(value):
            raise ParameterError(name, "contains control characters")


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    # First of the hooks (security.init_app puts the host check before it).
    app.before_request_funcs.setdefault(None, []).insert(0, check_request_line)
