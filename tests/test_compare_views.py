"""/compare, the tray, the district chooser and the district finder, through the client."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.factories import Factory
from transparency.models import Candidacy
from transparency.revisions import provenance


@pytest.fixture
def three(make: Factory) -> list[Candidacy]:
    open_one = make.candidacy(
        "Ani Lestari",
        disclosure={"cv": "published", "programme": "published"},
        programme=["Air bersih untuk setiap desa"],
        track_record=[
            {"kind": "education", "title": "S1 Teknik Sipil", "organisation": "UNS"},
            {"kind": "legal_case", "title": "Perkara tanah", "legal_status": "acquitted"},
        ],
        education="S1",
        occupation="Insinyur",
    )
    closed = make.candidacy("Budi Santoso", disclosure={"cv": "refused"})
    make.session.refresh(closed)  # flags are the disclosure engine's, computed on commit
    make.reply(closed, "Data akan kami serahkan setelah verifikasi.")
    third = make.candidacy("Citra Dewi", district="3305", party_number=2)
    return [open_one, closed, third]


def ids_of(candidacies: list[Candidacy]) -> str:
    return ",".join(str(c.id) for c in candidacies)


def test_comparison_shows_each_candidate_side_by_side(
    client: FlaskClient, three: list[Candidacy]
) -> None:
    response = client.get(f"/compare?ids={ids_of(three)}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index("Ani Lestari") < page.index("Budi Santoso") < page.index("Citra Dewi")
    assert "Air bersih untuk setiap desa" in page
    assert "S1 Teknik Sipil" in page and "UNS" in page
    assert "Perkara tanah" in page and "dibebaskan" in page.lower()
    closed = three[1]
    assert closed.flagged
    for stored in closed.flags:
        assert stored["reason_id"] in page
    assert "Tidak bersedia membuka data diri (per 14 November 2023)" in page
    assert "https://contoh.example/sumber" in page
    assert "Data akan kami serahkan setelah verifikasi." in page
    assert f"{closed.disclosure_score}/100" in page


def test_an_empty_cell_says_why(client: FlaskClient, three: list[Candidacy]) -> None:
    page = client.get(f"/compare?ids={ids_of(three[:2])}").get_data(as_text=True)
    education = page[page.index('id="row-education"') : page.index('id="row-career"')]
    assert "Tidak ada data" in education
    assert "tidak bersedia dipublikasikan" in education


def test_comparison_in_english(client: FlaskClient, three: list[Candidacy]) -> None:
    page = client.get(f"/compare?ids={ids_of(three[:2])}&lang=en").get_data(as_text=True)
    assert "No data" in page
    assert three[1].flags[0]["reason_en"] in page


def test_rows_align_by_kind(client: FlaskClient, three: list[Candidacy]) -> None:
    page = client.get(f"/compare?ids={ids_of(three)}").get_data(as_text=True)
    for kind in ("education", "career", "programme", "legal_case", "replies"):
        section = page.split(f'id="row-{kind}"', 1)[1].split("</tr>", 1)[0]
        assert section.count('class="compare-cell"') == 3, kind


@pytest.mark.parametrize(
    "ids",
    ["1,abc", "1,1", "1,2,3,4,5", "1", "", "9999,9998", "1," * 80, "%00", "1,2\u0663"],
)
def test_bad_ids_get_a_clear_400(client: FlaskClient, make: Factory, ids: str) -> None:
    response = client.get("/compare", query_string={"ids": ids})
    assert response.status_code == 400
    assert "tidak dapat dibandingkan" in response.get_data(as_text=True)


def test_hidden_candidates_cannot_be_compared(
    client: FlaskClient, make: Factory, three: list[Candidacy]
) -> None:
    with provenance(make.session, origin="test"):
        three[2].hidden = True
        make.session.flush()
    make.session.commit()
    response = client.get(f"/compare?ids={ids_of(three)}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Citra Dewi" not in page
    assert f"ids={three[0].id},{three[1].id}" in page  # offers the two that can be shown


def test_the_tray_remembers_candidates_without_an_account(
    client: FlaskClient, three: list[Candidacy]
) -> None:
    a, b, _ = three
    response = client.post(f"/compare/add/{a.id}", data={"next": "/candidates?q=air"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/candidates?q=air"
    client.post(f"/compare/add/{b.id}", data={"next": "/"})
    page = client.get("/compare/tray").get_data(as_text=True)
    assert "Ani Lestari" in page and "Budi Santoso" in page
    assert f"/compare?ids={a.id},{b.id}" in page
    client.post(f"/compare/remove/{a.id}", data={"next": "/"})
    page = client.get("/compare/tray").get_data(as_text=True)
    assert "Ani Lestari" not in page and "Budi Santoso" in page


def test_the_tray_never_sends_visitors_off_site(
    client: FlaskClient, three: list[Candidacy]
) -> None:
    response = client.post(f"/compare/add/{three[0].id}", data={"next": "//evil.example/x"})
    assert response.headers["Location"] == "/compare/tray"


def test_adding_an_unknown_candidate_is_a_404(client: FlaskClient, make: Factory) -> None:
    assert client.post("/compare/add/424242").status_code == 404


def test_tray_forms_need_a_csrf_token(
    app_config: dict, make: Factory, three: list[Candidacy], app: object
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True  # type: ignore[attr-defined]
    client = app.test_client()  # type: ignore[attr-defined]
    assert client.post(f"/compare/add/{three[0].id}").status_code == 400
    page = client.get("/compare/tray").get_data(as_text=True)
    assert "Ani Lestari" not in page


def test_district_chooser_lists_the_district_and_ticks_the_profile(
    client: FlaskClient, three: list[Candidacy]
) -> None:
    a = three[0]
    page = client.get(f"/compare/district/{a.district_id}?with={a.id}").get_data(as_text=True)
    assert "Ani Lestari" in page and "Budi Santoso" in page
    assert "Citra Dewi" not in page  # another district
    assert re.search(rf'value="{a.id}" id="choose-{a.id}" checked', page)


def test_ticked_checkboxes_make_a_comparison(client: FlaskClient, three: list[Candidacy]) -> None:
    a, b, _ = three
    response = client.get(f"/compare?ids={a.id}&ids={b.id}")
    assert response.status_code == 200
    assert "Budi Santoso" in response.get_data(as_text=True)


def test_profile_macro_toggles(app: object, make: Factory, three: list[Candidacy]) -> None:
    a = three[0]
    with app.test_request_context("/candidates/1"):  # type: ignore[attr-defined]
        from flask import render_template_string

        html = render_template_string(
            '{% from "macros.html" import compare_toggle %}{{ compare_toggle(c) }}', c=a
        )
    assert f'action="/compare/add/{a.id}"' in html
    assert 'name="next" value="/candidates/1"' in html


def test_compare_page_is_light_and_self_contained(
    client: FlaskClient, three: list[Candidacy], app: object
) -> None:
    html = client.get(f"/compare?ids={ids_of(three)}").data
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    weight = len(html)
    for asset in assets:
        response = client.get(asset.decode())
        weight += len(response.data)
        response.close()
    assert weight < 100_000
    assert not re.search(rb'<(?:link|script|img)[^>]+(?:href|src)="(?:https?:)?//', html)


def test_a_published_cv_is_no_excuse_for_a_gap(
    client: FlaskClient, make: Factory, three: list[Candidacy]
) -> None:
    quiet = make.candidacy("Dian Pratiwi", disclosure={"cv": "published"})
    page = client.get(f"/compare?ids={three[0].id},{quiet.id}").get_data(as_text=True)
    career = page.split('id="row-career"', 1)[1].split("</tr>", 1)[0]
    assert "Tidak ada data</p>" in career
    assert "dipublikasikan" not in career


def test_suggestions_use_the_search_api(client: FlaskClient, make: Factory) -> None:
    page = client.get("/find").get_data(as_text=True)
    assert 'src="/static/js/suggest.js" defer data-suggest-url="/api/v1/search/suggest"' in page


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/compare/add/99999999999999999999999"),
        ("get", "/compare/district/99999999999999999999999"),
        ("get", "/compare/district/424242"),
    ],
)
def test_unknown_or_huge_numbers_are_404(
    client: FlaskClient, make: Factory, method: str, path: str
) -> None:
    assert getattr(client, method)(path).status_code == 404
