"""/find ("Surat suara saya") and the ballot page, on every place and district of 2024."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import Factory
from transparency.extensions import db


@pytest.fixture(scope="module")
def seeded(places_app: Flask) -> dict[str, int]:
    """A few fictional candidacies in the real districts of Karanganyar."""
    with places_app.app_context():
        make = Factory(db.session)
        ani = make.candidacy("Ani Lestari", district="3304", party_number=2, ballot_number=1)
        budi = make.candidacy("Budi Santoso", district="3304", party_number=1, ballot_number=2)
        make.flag(budi)
        citra = make.candidacy("Citra Dewi", district="3304", party_number=1, ballot_number=1)
        dewi = make.candidacy(
            "Dewi Anggraini", office="DPRD_KABKOTA", district="331305", party_number=3
        )
        eko = make.candidacy("Eko Prasetyo", office="DPD", district="33", party_number=None)
        return {"ani": ani.id, "budi": budi.id, "citra": citra.id, "dewi": dewi.id, "eko": eko.id}


@pytest.fixture
def client(places_app: Flask, seeded: dict[str, int]) -> Iterator[FlaskClient]:
    with places_app.test_client() as client:
        yield client


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def ballots(client: FlaskClient, query: str) -> str:
    response = client.get("/find", query_string={"q": query})
    assert response.status_code == 200, query
    return text_of(response.get_data(as_text=True))


def test_karanganyar_gives_three_ballots_and_asks_for_the_kecamatan(client: FlaskClient) -> None:
    html = client.get("/find?q=Karanganyar").get_data(as_text=True)
    page = text_of(html)
    for district in ("JAWA TENGAH IV", "JAWA TENGAH", "JAWA TENGAH 6"):
        assert district in page
    assert "KARANGANYAR 1" in page and "KARANGANYAR 5" in page  # the choices, not one answer
    assert "Pilih kecamatan Anda" in page
    assert 'href="/find?area=331311"' in html  # Jaten, one of the 17 kecamatan
    assert 'href="/ballot/pemilu-2024/dpr/3304"' in html
    # Kecamatan of the same name in other kab/kota are offered too.
    assert "Kabupaten Kebumen" in page


def test_jaten_gives_all_four_ballots(client: FlaskClient) -> None:
    html = client.get("/find?q=Jaten").get_data(as_text=True)
    page = text_of(html)
    for district in ("JAWA TENGAH IV", "JAWA TENGAH 6", "KARANGANYAR 5"):
        assert district in page
    assert "Kecamatan Jaten, Kabupaten Karanganyar, Jawa Tengah" in page
    assert 'href="/ballot/pemilu-2024/dprd_kabkota/331305"' in html
    assert "Pilih kecamatan" not in page


@pytest.mark.parametrize(
    "typed",
    [
        "karanganyar",
        "KAB. KARANGANYAR",
        "Kabupaten   Karanganyar ",
        "Kab Karanganyar",
        "Karangayar",  # a letter missing
        "Karanganjar",  # a letter wrong
        "Krangannyar",  # two letters wrong
    ],
)
def test_names_as_people_type_them(client: FlaskClient, typed: str) -> None:
    page = ballots(client, typed)
    assert "JAWA TENGAH IV" in page and "JAWA TENGAH 6" in page


@pytest.mark.parametrize(
    ("typed", "dpr", "provinsi"),
    [
        ("Jaksel", "DKI JAKARTA II", "DKI JAKARTA 7"),
        ("jakarta selatan", "DKI JAKARTA II", "DKI JAKARTA 8"),
        ("Jogja", "DAERAH ISTIMEWA YOGYAKARTA I", "DAERAH ISTIMEWA YOGYAKARTA 1"),
        ("Pandeglang", "BANTEN I", "BANTEN 11"),
        ("Kota Bandung", "JAWA BARAT I", "JAWA BARAT 1"),
    ],
)
def test_short_forms_and_the_cities_the_old_finder_missed(
    client: FlaskClient, typed: str, dpr: str, provinsi: str
) -> None:
    page = ballots(client, typed)
    assert dpr in page and provinsi in page


def test_jakarta_has_no_regency_assembly_and_says_so(client: FlaskClient) -> None:
    page = ballots(client, "Jaksel")
    assert "DKI JAKARTA II" in page
    assert "tidak punya DPRD sendiri" in page


def test_voters_abroad_find_dki_jakarta_ii(client: FlaskClient) -> None:
    for typed in ("luar negeri", "Luar Negeri", "abroad"):
        page = ballots(client, typed)
        assert "DKI JAKARTA II" in page
        assert "Pemilih di luar negeri hanya memilih presiden dan DPR" in page


def test_the_heading_for_voters_abroad_reads_as_a_sentence(client: FlaskClient) -> None:
    assert "Surat suara pemilih di luar negeri" in ballots(client, "luar negeri")
    english = text_of(client.get("/find?q=luar+negeri&lang=en").get_data(as_text=True))
    assert "Ballots of voters abroad" in english
    assert "Ballots of Abroad" not in english


def test_a_province_gives_its_dpd_and_asks_for_the_kab_kota(client: FlaskClient) -> None:
    for query in ("province=33", "area=33", "q=Jawa Tengah", "q=jateng"):
        html = client.get(f"/find?{query}").get_data(as_text=True)
        page = text_of(html)
        assert "JAWA TENGAH I " in page and "JAWA TENGAH X " in page, query  # DPR choices
        assert "Pilih kabupaten/kota Anda" in page, query
        assert 'href="/find?area=3313"' in html, query


def test_a_split_kecamatan_asks_for_the_desa(client: FlaskClient) -> None:
    # Kecamatan 920212 of Manokwari is split: Wosi in MANOKWARI 1, Amban in MANOKWARI 2.
    html = client.get("/find?area=920212").get_data(as_text=True)
    page = text_of(html)
    assert "MANOKWARI 1" in page and "MANOKWARI 2" in page
    assert "Pilih desa atau kelurahan Anda" in page
    assert 'href="/find?area=9202121003"' in html  # Wosi
    wosi = ballots(client, "Wosi")
    assert "MANOKWARI 1" in wosi and "MANOKWARI 2" not in wosi
    assert "Pilih desa" not in wosi


def test_a_shared_name_asks_which_place(client: FlaskClient) -> None:
    html = client.get("/find?q=Bandung").get_data(as_text=True)
    assert 'href="/find?area=3204"' in html and 'href="/find?area=3273"' in html
    assert "JAWA BARAT I" not in text_of(html)  # no answer until the voter picks one


def test_a_kecamatan_with_its_regency(client: FlaskClient) -> None:
    for typed in ("Jaten, Karanganyar", "jaten karanganyar"):
        assert "KARANGANYAR 5" in ballots(client, typed)


def test_a_kecamatan_of_another_regency_is_explained(client: FlaskClient) -> None:
    html = client.get("/find?q=Jaten, Sleman").get_data(as_text=True)
    assert "Tidak ada tempat dengan nama itu di Kabupaten Sleman" in text_of(html)
    assert 'href="/find?area=331311"' in html  # the Jaten there is


def test_unknown_places_get_suggestions_never_a_dead_end(client: FlaskClient) -> None:
    html = client.get("/find?q=Tanjung Jab").get_data(as_text=True)
    assert "Mungkin maksud Anda" in text_of(html)
    assert 'href="/find?area=1506"' in html and 'href="/find?area=1507"' in html
    nothing = client.get("/find?q=Qwxzvbn")
    assert nothing.status_code == 200
    page = text_of(nothing.get_data(as_text=True))
    assert "Tidak ada kab/kota, kecamatan, atau desa dengan nama itu" in page
    assert 'id="find-province"' in nothing.get_data(as_text=True)


@pytest.mark.parametrize(
    "typed", ["Jatenn Karanganyar", "Jaten Karanganyar Jawa Tengah", "Kecamatn Jaten"]
)
def test_an_address_with_a_letter_wrong_is_offered_by_its_parts(
    client: FlaskClient, typed: str
) -> None:
    html = client.get("/find", query_string={"q": typed}).get_data(as_text=True)
    assert "Mungkin maksud Anda" in text_of(html)
    offered = re.findall(r'<li><a href="/find\?area=(\w+)">', html)
    assert offered[0] == "331311", offered  # Kecamatan Jaten of Kabupaten Karanganyar first


@pytest.mark.parametrize("typed", ["Kecamatan", "kabupaten", "Kab."])
def test_a_kind_word_alone_is_not_guessed_as_a_place(client: FlaskClient, typed: str) -> None:
    page = ballots(client, typed)
    assert "Tidak ada kab/kota, kecamatan, atau desa dengan nama itu" in page
    assert "Surat suara Kecamatan" not in page  # Kedamaian, Kadipaten: letters, not meaning
    assert "Yang mana tempat Anda" not in page


def test_a_kecamatan_created_after_the_districts_were_drawn(client: FlaskClient) -> None:
    page = ballots(client, "Toili Jaya")
    assert "SULAWESI TENGAH I" in page and "SULAWESI TENGAH 4" in page
    assert "Sumber kami tidak menyebutkan dapil mana" in page


@pytest.mark.parametrize(
    "query",
    ["q=" + "a" * 101, "q=Jaten%00", "q=Jat%1Ben", "area=33%3B", "area=9999", "area=abc"],
)
def test_bad_input_is_a_clear_400(client: FlaskClient, query: str) -> None:
    response = client.get(f"/find?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["q=Jaten%00", "q=Jaten%0AKaranganyar", "q=" + "Jaten+" * 20, "q=Karanganyar+" + "x" * 100],
)
def test_a_refused_name_comes_with_the_places_it_may_mean(client: FlaskClient, query: str) -> None:
    response = client.get(f"/find?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert "Mungkin maksud Anda" in text_of(html)
    # Jaten (331311) or Karanganyar (3313), offered as links, and the finder's form again.
    assert re.search(r'href="/find\?area=(331311|3313)"', html)
    assert 'id="find-q"' in html


def test_each_ballot_with_its_seats_candidates_and_flagged(client: FlaskClient) -> None:
    page = ballots(client, "Jaten")
    # JAWA TENGAH IV: 7 seats, Ani, Budi and Citra, Budi flagged; KARANGANYAR 5: Dewi.
    assert re.search(r"JAWA TENGAH IV 7 kursi · 3 calon · 1 ditandai", page), page
    assert re.search(r"KARANGANYAR 5 10 kursi · 1 calon", page)


def test_the_page_in_english(client: FlaskClient) -> None:
    page = text_of(client.get("/find?q=Jaten&lang=en").get_data(as_text=True))
    assert "Ballots of Kecamatan Jaten" in page
    assert "7 seats · 3 candidates · 1 flagged" in page
    assert "kursi" not in page


def test_the_ballot_groups_candidates_by_party_as_on_paper(
    client: FlaskClient, seeded: dict[str, int]
) -> None:
    response = client.get("/ballot/pemilu-2024/dpr/3304")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    names = re.findall(r'class="ballot-name" href="/candidates/(\d+)"', html)
    # Party 1 first (Citra no. 1, Budi no. 2), then party 2 (Ani).
    assert names == [str(seeded["citra"]), str(seeded["budi"]), str(seeded["ani"])]
    parties = re.findall(r'<span class="party-number" aria-hidden="true">(\d+)</span>', html)
    assert parties == ["1", "2"]
    assert html.count('class="compare-toggle"') == 3
    assert html.count("badge-flag") == 1  # Budi, refused the CV
    page = text_of(html)
    assert "Surat suara JAWA TENGAH IV" in page and "7 kursi" in page


def test_dpd_ballot_without_parties_and_unknown_ballots(client: FlaskClient) -> None:
    page = text_of(client.get("/ballot/pemilu-2024/DPD/33").get_data(as_text=True))
    assert "Eko Prasetyo" in page and "Calon tanpa partai" in page
    for path in ("/ballot/pemilu-2024/dpr/9999", "/ballot/pilkada-2030/dpr/3304"):
        assert client.get(path).status_code == 404


def test_linked_from_the_home_page_and_every_header(client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    assert 'id="home-find-q"' in home
    for path in ("/", "/candidates", "/methodology", "/find?q=Jaten"):
        assert 'class="header-ballots button" href="/find"' in client.get(path).get_data(
            as_text=True
        )
