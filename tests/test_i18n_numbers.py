"""Numbers on pages are grouped in the page's language, as Babel writes them."""

from __future__ import annotations

import pytest
from flask import Flask

from transparency.i18n import number


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", ["9.917", "1.234.567", "0", "-12.345", "1.234,5", "33,333", "12", "0,5", ""]),
        ("en", ["9,917", "1,234,567", "0", "-12,345", "1,234.5", "33.333", "12", "0.5", ""]),
    ],
)
def test_numbers_in_each_language(app: Flask, language: str, expected: list[str]) -> None:
    values = [9917, 1234567, 0, -12345, 1234.5, 100 / 3, 12.0, 0.5, None]
    with app.test_request_context(f"/?lang={language}"):
        assert [number(value) for value in values] == expected


def test_one_rounding_for_every_share_half_up_from_the_exact_fraction(app) -> None:
    from transparency.i18n import percent_of

    with app.test_request_context("/?lang=id"):
        assert percent_of(1182, 4000) == "29,6%"  # 0.2955: a float rounds it down to 29,5
        assert percent_of(1, 3) == "33,3%"
        assert percent_of(2, 3) == "66,7%"
        assert percent_of(0, 0) == "0,0%"
        assert percent_of(4000, 4000) == "100,0%"
    with app.test_request_context("/?lang=en"):
        assert percent_of(1182, 4000) == "29.6%"
