"""transparency.profiles: names, ages, diffs and the list's sort keys, without a client."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import select, update

from tests.factories import Factory
from transparency.derived import refresh_after_bulk
from transparency.listing import candidacy_query, parse_filters
from transparency.models import Candidacy, District, Revision
from transparency.profiles import age_on, display_name, revision_diff
from transparency.revisions import provenance


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("SITI RAHAYU", "Siti Rahayu"),
        ("DR. H. AHMAD SYAHRONI, S.H., M.Si.", "DR. H. Ahmad Syahroni, S.H., M.Si."),
        ("Prof. Dr. Ir. BUDI SANTOSO, M.T.", "Prof. Dr. Ir. Budi Santoso, M.T."),
        ("I GUSTI AYU MADE-SARI", "I Gusti Ayu Made-Sari"),
        ("TEUKU 'ABDUL", "Teuku 'Abdul"),
        ("Cut Nyak Dhien", "Cut Nyak Dhien"),
        ("ucok baba", "ucok baba"),
        ("", ""),
    ],
)
def test_display_name_title_cases_capitals_and_keeps_titles(name: str, shown: str) -> None:
    assert display_name(name) == shown


def test_age_counts_the_birthday() -> None:
    born = date(1970, 6, 15)
    assert age_on(born, date(2024, 6, 14)) == 53
    assert age_on(born, date(2024, 6, 15)) == 54
    assert age_on(None, date(2024, 1, 1)) is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "id",
            [
                ("Disembunyikan", "Tidak", "Ya"),
                ("Domisili", "Solo", "Sukoharjo"),
                ("Jenis kelamin", "", "Perempuan"),
                ("Tanggal lahir", "", "9 Maret 1975"),
            ],
        ),
        (
            "en",
            [
                ("Date of birth", "", "March 9, 1975"),
                ("Domicile", "Solo", "Sukoharjo"),
                ("Gender", "", "Female"),
                ("Hidden", "No", "Yes"),
            ],
        ),
    ],
)
def test_revision_diff_lists_changed_fields_in_words(
    app: Flask, lang: str, expected: list[tuple[str, str, str]]
) -> None:
    revision = Revision(
        entity_type="person",
        action="update",
        before={"domicile": "Solo", "hidden": False, "list_party": 1},
        after={
            "domicile": "Sukoharjo",
            "hidden": True,
            "list_party": 2,
            "gender": "P",
            "birth_date": "1975-03-09",
        },
    )
    with app.test_request_context(f"/?lang={lang}"):
        refresh()
        changes = [(c.name, str(c.before), str(c.after)) for c in revision_diff(revision)]
    assert changes == expected


def test_orm_writes_keep_the_sort_keys(make: Factory) -> None:
    candidacy = make.candidacy(district="3304", party_number=7)
    assert (candidacy.list_district, candidacy.list_party) == ("3304", 7)
    other = make.session.scalars(select(District).filter_by(code="3301")).first()
    make.update(candidacy, district=other, party=None)
    assert (candidacy.list_district, candidacy.list_party) == ("3301", 0)
    changed = make.session.scalars(
        select(Revision).where(Revision.entity_type == "candidacy", Revision.action == "update")
    ).one()
    assert "list_district" not in changed.after


def test_bulk_writers_get_the_sort_keys_through_refresh_after_bulk(make: Factory) -> None:
    first = make.candidacy("Later", district="3304", party_number=1)
    second = make.candidacy("Earlier", district="3301", party_number=1)
    session = make.session
    session.execute(update(Candidacy).values(list_district=None, list_party=None))
    refresh_after_bulk(session, [first.id, second.id])
    session.commit()
    ordered = session.scalars(candidacy_query(session, parse_filters({}))).all()
    assert [c.person.full_name for c in ordered] == ["Earlier", "Later"]


def test_a_source_that_is_not_a_web_address_is_never_a_link(
    client: FlaskClient, make: Factory
) -> None:
    candidacy = make.candidacy("Siti")
    with provenance(make.session, origin="test"):
        candidacy.person.source.url = "javascript:alert(1)"
        make.session.flush()
    make.session.commit()
    html = client.get(f"/candidates/{candidacy.id}").get_data(as_text=True)
    assert 'href="javascript:' not in html
    assert '<span class="source">Sumber uji</span>' in html  # still named, not linked
