"""What a voter sees from a search: ranking, facets that agree with the database, snippets."""

from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask

from tests.factories import Factory
from transparency.extensions import db
from transparency.listing import FilterError, candidacy_query, parse_filters
from transparency.models import Candidacy, ProgrammeStatement
from transparency.search import SearchPage, search_candidacies, sync
from transparency.search.service import highlight
from transparency.search.store import index_root


def search(app: Flask, **args: str) -> SearchPage:
    with app.test_request_context("/"):
        return search_candidacies(parse_filters(args))


def names(page: SearchPage) -> list[str]:
    return [hit.candidacy.person.full_name for hit in page.hits]


@pytest.fixture
def drained(app: Flask) -> object:
    def run() -> None:
        sync.drain(db.session, index_root(app), wait=True)

    return run


def test_a_programme_about_fishers_ranks_above_a_passing_mention(
    app: Flask, make: Factory, drained: object
) -> None:
    make.candidacy(
        "Sekilas Saja",
        programme=["Membangun jalan desa, pasar, sekolah dan puskesmas; juga nelayan."],
    )
    make.candidacy(
        "Sahabat Laut",
        programme=[
            "Asuransi untuk nelayan kecil",
            "Solar murah bagi para nelayan",
            "Pelabuhan nelayan yang layak",
        ],
    )
    drained()
    assert names(search(app, q="nelayan")) == ["Sahabat Laut", "Sekilas Saja"]


def test_word_forms_find_each_other(app: Flask, make: Factory, drained: object) -> None:
    make.candidacy("Budi Santoso", programme=["Pemberantasan korupsi di pemerintahan desa"])
    make.candidacy("Siti Rahayu", track_record=[{"title": "Ketua kelompok petani"}])
    drained()
    assert names(search(app, q="memberantas")) == ["Budi Santoso"]
    assert names(search(app, q="pertanian ")) == ["Siti Rahayu"]


def test_filters_and_facets_agree_with_the_database(
    app: Flask, make: Factory, drained: object
) -> None:
    layout = [(1, "3304"), (1, "3304"), (2, "3304"), (2, "3301"), (3, "3301"), (4, "1101")]
    for i, (party, district) in enumerate(layout):
        make.candidacy(
            f"Calon {i}",
            party_number=party,
            district=district,
            programme=["Air bersih untuk warga"],
        )
    make.candidacy("Tanpa Sumur", party_number=1, district="3304", programme=["Jalan tol"])
    drained()
    page = search(app, q="air")
    # The database's answer: listed candidacies with "air" in their programme, per party.
    rows = db.session.scalars(
        candidacy_query(db.session, parse_filters({}))
        .join(Candidacy.programme)
        .where(ProgrammeStatement.text.ilike("%air%"))
    ).all()
    expected = Counter(c.party.slug for c in rows)
    assert page.total == len(rows) == len(layout)
    assert {f.value: f.count for f in page.facets["party"]} == dict(expected)
    assert {f.value: f.count for f in page.facets["province"]} == {"33": 5, "11": 1}
    narrowed = search(app, q="air", party="pkb", district="3304")
    assert narrowed.total == 2
    assert all(h.candidacy.party.slug == "pkb" for h in narrowed.hits)
    assert [f.selected for f in narrowed.facets["party"]] == [True]


def test_all_words_must_match_and_or_is_said(app: Flask, make: Factory, drained: object) -> None:
    make.candidacy("Budi Santoso", programme=["Beasiswa guru honorer"])
    make.candidacy("Siti Rahayu", programme=["Perahu nelayan"])
    drained()
    both = search(app, q="guru nelayan")
    assert both.or_fallback
    assert sorted(names(both)) == ["Budi Santoso", "Siti Rahayu"]
    one = search(app, q="guru honorer")
    assert not one.or_fallback and names(one) == ["Budi Santoso"]


def test_phrases_match_words_in_order(app: Flask, make: Factory, drained: object) -> None:
    make.candidacy("Dina", programme=["Kami tidak bersedia membuka data"])
    make.candidacy("Eka", programme=["Bersedia hadir, tidak pernah absen"])
    drained()
    assert names(search(app, q='"tidak bersedia"')) == ["Dina"]
    assert sorted(names(search(app, q="tidak bersedia"))) == ["Dina", "Eka"]


def test_names_match_as_you_type(app: Flask, make: Factory, drained: object) -> None:
    make.candidacy("Siti Rahayu")
    make.candidacy("Siti Aminah")
    drained()
    assert names(search(app, q="siti rah")) == ["Siti Rahayu"]
    assert sorted(names(search(app, q="Sití"))) == ["Siti Aminah", "Siti Rahayu"]


def test_did_you_mean_comes_from_the_index(app: Flask, make: Factory, drained: object) -> None:
    make.candidacy("Siti Rahayu", programme=["Perahu untuk nelayan"])
    drained()
    page = search(app, q="nelayn ")
    assert page.total == 0
    assert page.suggestion == "nelayan"
    assert search(app, q="rahyu ").suggestion == "rahayu"


def test_snippets_are_escaped_then_marked(app: Flask, make: Factory, drained: object) -> None:
    make.candidacy("Siti", programme=['<script>alert("x")</script> nelayan & petani'])
    drained()
    page = search(app, q="nelayan")
    snippet = str(page.hits[0].snippet)
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>nelayan</mark> &amp; petani" in snippet
    assert page.hits[0].snippet_field == "programme"


def test_highlight_marks_word_forms() -> None:
    marked = str(highlight("Program Pendidikan gratis", frozenset({"didik"})))
    assert marked == "Program <mark>Pendidikan</mark> gratis"


def test_sorting_by_name_and_ballot(app: Flask, make: Factory, drained: object) -> None:
    make.candidacy("Zainal", ballot_number=1, programme=["Air bersih"])
    make.candidacy("Ahmad", ballot_number=2, programme=["Air bersih"])
    drained()
    assert names(search(app, q="air", sort="name")) == ["Ahmad", "Zainal"]
    assert names(search(app, q="air", sort="ballot")) == ["Zainal", "Ahmad"]


def test_pages_of_twenty(app: Flask, make: Factory, drained: object) -> None:
    for i in range(23):
        make.candidacy(f"Calon {i:02d}", programme=["Air bersih"])
    drained()
    first, second = search(app, q="air"), search(app, q="air", page="2")
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (23, 2, 20, 3)
    assert not {h.candidacy.id for h in first.hits} & {h.candidacy.id for h in second.hits}


def test_unknown_filter_values_and_long_text_are_refused(app: Flask) -> None:
    with pytest.raises(FilterError) as error:
        search(app, q="air", party="no-such-party")
    assert error.value.parameter == "party"
    with app.test_request_context("/"), pytest.raises(FilterError) as error:
        from transparency.listing import CandidateFilters

        search_candidacies(CandidateFilters(q="a" * 201))
    assert error.value.parameter == "q"


def test_an_empty_query_asks_for_words(app: Flask) -> None:
    page = search(app, q="")
    assert page.total == 0 and page.message


def test_the_candidates_page_searches_with_q(
    app: Flask, make: Factory, drained: object, client: object
) -> None:
    make.candidacy("Siti Rahayu", programme=["Perahu untuk <b>nelayan</b>"], party_number=2)
    make.candidacy("Budi Santoso", programme=["Irigasi sawah"])
    drained()
    response = client.get("/candidates?q=nelayan&lang=en")  # type: ignore[attr-defined]
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Siti Rahayu" in page and "Budi Santoso" not in page
    assert "<mark>nelayan</mark>" in page and "&lt;b&gt;" in page
    assert "Gerindra (1)" in page  # the party facet with its count
    bad = client.get("/candidates?q=nelayan&party=nope")  # type: ignore[attr-defined]
    assert bad.status_code == 400
    assert client.get("/candidates").status_code == 200  # type: ignore[attr-defined]


def test_snippets_mark_every_word_of_the_query_where_they_meet() -> None:
    filler = "Membangun jalan desa dan pasar rakyat di seluruh kecamatan. " * 6
    text = "Nelayan mendapat solar murah. " + filler + "Asuransi untuk nelayan dan petani kecil."
    marked = str(highlight(text, frozenset({"nelay", "tani"})))  # the stems of both words
    # The stretch holding both words, not the first word alone at the start.
    assert "<mark>nelayan</mark> dan <mark>petani</mark>" in marked
    assert marked.count("<mark>") >= 2


def test_suggestions_tell_two_namesakes_apart(app: Flask, make: Factory, drained: object) -> None:
    make.candidacy("Fitri Handayani", party_number=1, district="3304")
    make.candidacy("Fitri Handayani", party_number=2, district="3305")
    drained()
    with app.test_request_context("/"):
        from transparency.search import suggest_names

        details = sorted(entry["detail"] for entry in suggest_names("Fitri"))
    assert details == ["Gerindra · JAWA TENGAH V", "PKB · JAWA TENGAH IV"]
