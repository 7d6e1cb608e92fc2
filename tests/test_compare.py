"""The pure rules of a comparison: which ids make one, and how facts line up in rows."""

from __future__ import annotations

import pytest

from transparency.compare import (
    Column,
    CompareError,
    align,
    parse_ids,
    read_tray,
    safe_next,
    tray_add,
    tray_remove,
)


def test_ids_keep_the_order_given() -> None:
    assert parse_ids("3, 1,2") == [3, 1, 2]


def test_trailing_commas_are_forgiven() -> None:
    assert parse_ids("5,6,") == [5, 6]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1,x", "not_a_number"),
        ("1,-2", "not_a_number"),
        ("1,0", "not_a_number"),
        ("1,2.5", "not_a_number"),
        ("1,٣", "not_a_number"),  # an Arabic-Indic digit is a digit to str.isdigit
        ("1,9223372036854775808", "not_a_number"),  # past 2^63 - 1: no row has it
        ("1,2,1", "duplicate"),
        ("1,2,3,4,5", "too_many"),
        ("7", "too_few"),
        ("", "too_few"),
        (None, "too_few"),
        ("1," * 60, "too_long"),
    ],
)
def test_bad_ids_say_what_is_wrong(raw: str | None, code: str) -> None:
    with pytest.raises(CompareError) as caught:
        parse_ids(raw)
    assert caught.value.code == code


def test_a_duplicate_still_offers_the_distinct_candidates() -> None:
    with pytest.raises(CompareError) as caught:
        parse_ids("4,9,4")
    assert caught.value.ids == (4, 9)


def test_too_many_offers_the_first_four() -> None:
    with pytest.raises(CompareError) as caught:
        parse_ids("1,2,3,4,5,6")
    assert caught.value.ids == (1, 2, 3, 4)


def test_the_tray_holds_four_and_drops_the_oldest() -> None:
    tray: list[int] = []
    for candidacy_id in (1, 2, 3, 4, 5):
        tray = tray_add(tray, candidacy_id)
    assert tray == [2, 3, 4, 5]
    assert tray_add(tray, 3) == [2, 4, 5, 3]
    assert tray_remove(tray, 4) == [2, 3, 5]


@pytest.mark.parametrize("cookie", ["", "junk", "1,1,2", "1,2,3,4,5,6"])
def test_a_damaged_tray_cookie_never_fails(cookie: str) -> None:
    tray = read_tray(cookie)
    assert len(tray) <= 4
    assert len(set(tray)) == len(tray)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/candidates?q=guru", "/candidates?q=guru"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/a\r\nLocation: x", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_going_back_stays_on_the_site(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_rows_line_up_the_same_kind_of_fact() -> None:
    columns = [
        Column(1, {"education": ["S1 Hukum"], "legal_case": ["case A"]}, {"cv": "published"}),
        Column(2, {"education": [], "award": ["award B"]}, {"cv": "refused"}),
    ]
    rows = align(columns, always=("education", "programme"), last=("replies",))
    assert [row.kind for row in rows] == [
        "education",
        "programme",
        "legal_case",
        "award",
        "replies",
    ]
    education = rows[0]
    assert education.cells[0].items == ["S1 Hukum"]
    assert education.cells[1].items == []
    assert (education.cells[1].missing_requirement, education.cells[1].missing_status) == (
        "cv",
        "refused",
    )
    legal = rows[2]
    assert legal.cells[1].items == [] and legal.cells[1].missing_status is None


def test_an_empty_cell_without_a_disclosure_record_has_no_excuse() -> None:
    rows = align(
        [Column(1, {}), Column(2, {"programme": ["Sekolah gratis"]})], always=("programme",)
    )
    assert rows[0].cells[0].missing_status is None
    assert not rows[0].empty
