"""The public pages: home, candidate list, profile, history, party and district pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from tests.factories import Factory
from transparency.access import public
from transparency.extensions import db

SCRIPT = "<script>alert(1)</script>"


def body(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined]


def names_in_order(html: str) -> list[str]:
    return re.findall(r'class="candidate-name" href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def small_pages(app: Flask) -> int:
    app.config["PER_PAGE"] = 2
    return 2


# -- home -------------------------------------------------------------------------------------


def test_home_on_an_empty_database_says_nothing_is_listed(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Belum ada calon yang terdaftar." in body(response)


def test_home_shows_headline_figures_and_links_into_the_lists(
    client: FlaskClient, make: Factory
) -> None:
    make.candidacy("A", disclosure={"cv": "refused"}, party_number=1)
    make.candidacy("B", disclosure={"cv": "published"}, party_number=2)
    make.candidacy("C", disclosure={"cv": "refused"}, party_number=2, district="3301")
    make.hide(make.candidacy("Hidden", disclosure={"cv": "refused"}))
    html = body(client.get("/?lang=en"))
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)", html))
    assert figures["Listed candidacies"] == "3"
    assert figures["Refused to publish their CV"].strip() == "66.7%"
    assert figures["Parties"] == "2"
    assert figures["Electoral districts"] == "2"
    assert 'href="/candidates?office=DPR"' in html
    assert 'href="/flagged"' in html and 'href="/statistics"' in html


def test_home_figures_in_indonesian_number_format(client: FlaskClient, make: Factory) -> None:
    make.candidacy("A", disclosure={"cv": "refused"})
    make.candidacy("B")
    make.candidacy("C")
    assert "33,3" in body(client.get("/"))


# -- the list ---------------------------------------------------------------------------------


def test_list_is_in_ballot_order_district_party_number(client: FlaskClient, make: Factory) -> None:
    make.candidacy("Third", district="3304", party_number=2, ballot_number=1)
    make.candidacy("Fourth", district="3304", party_number=2, ballot_number=2)
    make.candidacy("Second", district="3304", party_number=1, ballot_number=5)
    make.candidacy("First", district="3301", party_number=3, ballot_number=9)
    make.candidacy("Dpd", office="DPD", district="33", party_number=None, ballot_number=1)
    response = client.get("/candidates")
    assert response.status_code == 200
    assert names_in_order(body(response)) == ["Dpd", "First", "Second", "Third", "Fourth"]


def test_list_row_shows_party_number_office_district_and_flag(
    client: FlaskClient, make: Factory
) -> None:
    make.flag(make.candidacy("Siti", party_number=1, ballot_number=3))
    html = body(client.get("/candidates?lang=en"))
    assert "PKB · No. 3" in html
    assert "House of Representatives" in html
    assert "JAWA TENGAH IV" in html
    assert "Declined to make personal data public (as of November 14, 2023)" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("party=pkb", {"Pkb Calon"}),
        ("office=DPD", {"Dpd Calon"}),
        ("province=32", {"Jabar Calon"}),
        ("district=3301", {"Other District"}),
        ("status=flagged", {"Flagged Calon"}),
        ("status=disclosed", {"Pkb Calon", "Dpd Calon", "Jabar Calon", "Other District"}),
        ("election=pemilu-2024&party=gerindra&district=3304", {"Flagged Calon"}),
    ],
)
def test_each_filter_narrows_the_list(
    client: FlaskClient, make: Factory, query: str, expected: set[str]
) -> None:
    pkb = make.candidacy("Pkb Calon", party_number=1)
    make.flag(make.candidacy("Flagged Calon", party_number=2))
    make.candidacy("Dpd Calon", office="DPD", district="33", party_number=None)
    make.candidacy("Jabar Calon", district="3201", party_number=3)
    make.candidacy("Other District", district="3301", party_number=4)
    assert pkb.ruleset_version  # every candidacy is evaluated by the rules when written
    html = body(client.get(f"/candidates?{query}"))
    assert set(names_in_order(html)) == expected
    assert f">{len(expected)} calon<" in html


def test_filter_form_is_populated_from_the_database(client: FlaskClient, make: Factory) -> None:
    make.candidacy()
    html = body(client.get("/candidates?province=33&office=DPR"))
    assert '<option value="pkb"' in html
    assert '<option value="33" selected>' in html
    assert '<option value="3304">JAWA TENGAH IV (3304)</option>' in html
    assert '<label for="f-party">' in html
    filter_form = re.search(r'<form class="filters".*?</form>', html, flags=re.S)
    assert filter_form is not None
    assert 'method="get"' in filter_form[0] and "csrf_token" not in filter_form[0]


def test_list_empty_state(client: FlaskClient) -> None:
    response = client.get("/candidates")
    assert response.status_code == 200
    assert "Tidak ada calon yang cocok dengan filter ini." in body(response)


def test_pagination_links_keep_filters(
    client: FlaskClient, make: Factory, small_pages: int
) -> None:
    make.candidacies(5, party_number=1)
    html = body(client.get("/candidates?party=pkb&office=DPR"))
    assert "5 calon" in html
    assert len(names_in_order(html)) == small_pages
    assert 'href="/candidates?office=DPR&amp;party=pkb&amp;page=3"' in html
    second = body(client.get("/candidates?party=pkb&office=DPR&page=3"))
    assert names_in_order(second) == ["Calon 5"]


def test_page_beyond_the_last_is_an_empty_state_with_a_way_back(
    client: FlaskClient, make: Factory, small_pages: int
) -> None:
    make.candidacies(3)
    response = client.get("/candidates?page=50")
    assert response.status_code == 200
    html = body(response)
    assert names_in_order(html) == []
    assert "daftar ini memiliki 2 halaman" in html
    assert 'href="/candidates?page=1"' in html


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=abc", "page"),
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=999999", "page"),
        ("party=no-such-party", "party"),
        ("district=9999", "district"),
        ("province=99", "province"),
        ("office=SENATE", "office"),
        ("election=pemilu-1955", "election"),
        ("status=hidden", "status"),
        ("sort=random", "sort"),
        ("party=%ff%fe", "party"),
        ("district=" + "9" * 10_000, "district"),
        ("q=" + "a" * 10_000, "q"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_parameter(
    client: FlaskClient, query: str, parameter: str
) -> None:
    response = client.get(f"/candidates?{query}")
    assert response.status_code == 400
    html = body(response)
    assert f"“{parameter}”" in html
    assert "Traceback" not in html


def test_raw_non_utf8_bytes_in_the_query_string_are_a_400(client: FlaskClient) -> None:
    response = client.get("/candidates", environ_overrides={"QUERY_STRING": "party=\xff\xfe"})
    assert response.status_code == 400


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize("url", ["/candidates", "/parties/1", "/districts/3304"])
def test_list_pages_issue_the_same_number_of_queries_for_5_or_50_rows(
    app: Flask, client: FlaskClient, make: Factory, url: str
) -> None:
    for i in range(5):
        make.flag(make.candidacy(f"First {i}", party_number=1))
    with counting_queries(app) as few:
        html = body(client.get(url))
    assert len(names_in_order(html)) == 5
    make.candidacies(45, party_number=1)
    with counting_queries(app) as many:
        html = body(client.get(url))
    assert len(names_in_order(html)) == 50
    assert len(many) == len(few)


# -- the profile ------------------------------------------------------------------------------


def test_profile_shows_identity_programme_record_disclosure_and_replies(
    client: FlaskClient, make: Factory
) -> None:
    from datetime import date

    candidacy = make.candidacy(
        "DR. H. AHMAD SYAHRONI, S.H., M.SI.",
        gender="L",
        birth_date=date(1970, 1, 2),
        birth_place="Surakarta",
        domicile="Kota Surakarta",
        occupation="Advokat",
        education="S2 Hukum",
        disclosure={"cv": "refused"},
        programme=["Sekolah gratis untuk semua"],
        track_record=[
            {"kind": "legal_case", "title": "Perkara suap", "legal_status": "acquitted"},
            {"kind": "career", "title": "Advokat", "organisation": "LBH Solo"},
        ],
    )
    make.reply(candidacy, "Saya sudah membuka CV di situs partai.")
    html = body(client.get(f"/candidates/{candidacy.id}?lang=en"))
    assert "<h1>DR. H. Ahmad Syahroni, S.H., M.SI.</h1>" in html
    for text in [
        "Male",
        "Surakarta",
        "Kota Surakarta",
        "Advokat",
        "S2 Hukum",
        "Partai Kebangkitan Bangsa",
    ]:
        assert text in html
    assert re.search(r"\d+ years", html)
    assert "Sekolah gratis untuk semua" in html
    assert "<h3>Legal cases</h3>" in html and "Acquitted" in html
    assert "<h3>Career</h3>" in html and "LBH Solo" in html
    assert 'id="disclosure-heading"' in html
    assert "Saya sudah membuka CV di situs partai." in html
    assert html.count('class="source" href="https://contoh.example/sumber"') >= 5
    assert f'href="/candidates/{candidacy.id}/history"' in html
    assert "placeholder-person.svg" in html


def test_profile_hides_hidden_items(client: FlaskClient, make: Factory) -> None:
    candidacy = make.candidacy(programme=["Visible plan", "Hidden plan"])
    make.hide(candidacy.programme[1])
    make.hide(make.reply(candidacy, "Hidden reply"))
    html = body(client.get(f"/candidates/{candidacy.id}"))
    assert "Visible plan" in html
    assert "Hidden plan" not in html and "Hidden reply" not in html


@pytest.mark.parametrize("what", ["candidacy", "person"])
def test_hidden_candidacy_or_person_is_not_found(
    client: FlaskClient, make: Factory, what: str
) -> None:
    candidacy = make.candidacy("Tersembunyi")
    make.hide(candidacy if what == "candidacy" else candidacy.person)
    for url in (f"/candidates/{candidacy.id}", f"/candidates/{candidacy.id}/history"):
        assert client.get(url).status_code == 404
    assert "Tersembunyi" not in body(client.get("/candidates"))


@pytest.mark.parametrize(
    "url",
    ["/candidates/999999", "/candidates/999999/history", "/parties/999999", "/districts/0000"],
)
def test_unknown_ids_are_404(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "Tidak ditemukan" in body(response)


# -- history ----------------------------------------------------------------------------------


def test_history_lists_revisions_newest_first_with_a_diff(
    client: FlaskClient, make: Factory
) -> None:
    candidacy = make.candidacy(domicile="Kota Solo")
    make.update(candidacy.person, origin="review", domicile="Kabupaten Sukoharjo")
    html = body(client.get(f"/candidates/{candidacy.id}/history?lang=en"))
    assert "Changed" in html
    assert html.index("Changed") < html.index("Created")
    assert "<del>Kota Solo</del>" in html and "<ins>Kabupaten Sukoharjo</ins>" in html
    assert "<dt>Domicile</dt>" in html and "domicile" not in html


def test_history_bad_page_is_400(client: FlaskClient, make: Factory) -> None:
    candidacy = make.candidacy()
    assert client.get(f"/candidates/{candidacy.id}/history?page=abc").status_code == 400


# -- party and district pages -----------------------------------------------------------------


def test_party_page_lists_its_candidacies_only(client: FlaskClient, make: Factory) -> None:
    own = make.candidacy("Kader PKB", party_number=1)
    make.candidacy("Kader Gerindra", party_number=2)
    html = body(client.get(f"/parties/{own.party_id}"))
    assert "Partai Kebangkitan Bangsa" in html
    assert names_in_order(html) == ["Kader PKB"]


def test_district_page_lists_every_district_with_the_code(
    client: FlaskClient, make: Factory
) -> None:
    make.district("3304", "DAPIL PROV JATENG IV", office="DPRD_PROVINSI", province="33")
    make.candidacy("Calon DPR", district="3304")
    make.candidacy("Calon DPRD", office="DPRD_PROVINSI", district="3304")
    html = body(client.get("/districts/3304"))
    assert "JAWA TENGAH IV" in html and "DAPIL PROV JATENG IV" in html
    assert set(names_in_order(html)) == {"Calon DPR", "Calon DPRD"}
    assert '<th scope="col">' in html
    narrowed = body(client.get("/districts/3304?office=DPR"))
    assert names_in_order(narrowed) == ["Calon DPR"]
    assert "DAPIL PROV JATENG IV" not in narrowed


# -- escaping ---------------------------------------------------------------------------------


def test_markup_in_every_text_field_is_shown_as_text(client: FlaskClient, make: Factory) -> None:
    candidacy = make.candidacy(
        SCRIPT,
        birth_place=SCRIPT,
        domicile=SCRIPT,
        occupation=SCRIPT,
        education=SCRIPT,
        biography=SCRIPT,
        programme=[SCRIPT],
        track_record=[
            {"title": SCRIPT, "organisation": SCRIPT, "description": SCRIPT},
            {"kind": "legal_case", "title": SCRIPT, "court_reference": SCRIPT},
        ],
    )
    make.reply(candidacy, SCRIPT, author_name=SCRIPT)
    make.update(candidacy.person, domicile=SCRIPT + " 2")
    make.flag(candidacy)
    urls = [
        "/",
        "/candidates",
        "/candidates?district=" + SCRIPT,
        f"/candidates/{candidacy.id}",
        f"/candidates/{candidacy.id}/history",
        f"/parties/{candidacy.party_id}",
        "/districts/3304",
        "/districts/" + SCRIPT,
    ]
    for url in urls:
        html = body(client.get(url))
        assert "<script>" not in html, url
    assert "&lt;script&gt;" in body(client.get(f"/candidates/{candidacy.id}"))


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "title"), [("id", "Tidak ditemukan"), ("en", "Not found")])
def test_404_page_in_both_languages(client: FlaskClient, lang: str, title: str) -> None:
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    assert f"404 · {title}" in body(response)


@pytest.mark.parametrize(
    ("lang", "title"), [("id", "Terjadi kesalahan"), ("en", "Something went wrong")]
)
def test_unexpected_exception_is_a_500_page_without_traceback(
    app: Flask, lang: str, title: str
) -> None:
    @public
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/boom", view_func=boom)
    response = app.test_client().get(f"/boom?lang={lang}")
    assert response.status_code == 500
    html = body(response)
    assert f"500 · {title}" in html
    assert "secret internal detail" not in html and "Traceback" not in html


def test_filter_error_under_the_api_is_json(app: Flask) -> None:
    from transparency.listing import parse_filters

    @public
    def listing_view() -> str:
        parse_filters({"page": "abc"})
        return "unreachable"

    app.add_url_rule("/api/v1/test-list", view_func=listing_view)
    response = app.test_client().get("/api/v1/test-list")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 400


def test_raw_non_utf8_bytes_in_a_path_are_not_a_500(client: FlaskClient) -> None:
    response = client.get("/districts/x", environ_overrides={"PATH_INFO": "/districts/\xff\xfe"})
    assert response.status_code == 404


def test_every_page_follows_the_ballot_order_without_gaps(
    client: FlaskClient, make: Factory, small_pages: int
) -> None:
    from transparency.listing import candidacy_query, parse_filters

    for district, party in [("3304", 2), ("3301", 1), ("3304", 1), ("33", None), ("3201", 4)]:
        office = "DPD" if party is None else "DPR"
        make.candidacies(
            2, name=f"{district}-{party}", district=district, party_number=party, office=office
        )
    expected = [
        c.person.full_name
        for c in make.session.scalars(candidacy_query(make.session, parse_filters({})))
    ]
    shown: list[str] = []
    for page in range(1, 7):
        shown += names_in_order(body(client.get(f"/candidates?page={page}")))
    assert shown == expected and len(shown) == 10


def test_list_follows_changes_at_once(client: FlaskClient, make: Factory) -> None:
    first = make.candidacy("Pertama")
    assert ">1 calon<" in body(client.get("/candidates"))
    make.candidacy("Kedua")
    assert ">2 calon<" in body(client.get("/candidates"))
    make.hide(first)
    html = body(client.get("/candidates"))
    assert ">1 calon<" in html and names_in_order(html) == ["Kedua"]
