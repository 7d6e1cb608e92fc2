"""The smaller things a voter, a volunteer or a reviewer notices on the pages."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from tests.auth_helpers import DEFAULT_PASSWORD, AuthActions
from tests.factories import Factory
from transparency.extensions import db


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_log_in_from_a_profile_comes_back_to_it(client: FlaskClient, make: Factory) -> None:
    candidacy = make.candidacy()
    user = make.user()
    profile = client.get(f"/candidates/{candidacy.id}").get_data(as_text=True)
    link = re.search(r'href="(/login\?next=[^"]+)">Masuk<', profile)
    assert link and f"/candidates/{candidacy.id}" in link.group(1).replace("%2F", "/")
    form = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    back = re.search(r'name="next" type="hidden" value="([^"]+)"', form)
    assert back and back.group(1) == f"/candidates/{candidacy.id}"
    answer = client.post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "next": back.group(1)}
    )
    assert answer.headers["Location"] == f"/candidates/{candidacy.id}"


def test_the_header_has_the_account_links(
    client: FlaskClient, make: Factory, auth: AuthActions
) -> None:
    auth.login(make.user(role="reviewer"))
    page = client.get("/").get_data(as_text=True)
    for link in ('href="/contribute/"', 'href="/review/"', 'href="/logout"'):
        assert link in page.split("</header>")[0], link


def test_each_profile_links_to_a_contribution_for_that_candidacy(
    client: FlaskClient, make: Factory
) -> None:
    candidacy = make.candidacy()
    page = client.get(f"/candidates/{candidacy.id}").get_data(as_text=True)
    assert f'href="/contribute/candidacies/{candidacy.id}/profile"' in page


def test_rules_for_other_offices_are_not_listed_on_a_profile(
    client: FlaskClient, make: Factory
) -> None:
    candidacy = make.candidacy(office="DPR")
    page = text_of(client.get(f"/candidates/{candidacy.id}").get_data(as_text=True))
    assert "calon eksekutif" not in page  # the LHKPN rule of executive candidates
    assert "Daftar riwayat hidup" in page or "riwayat hidup" in page.lower()


def test_the_photo_item_agrees_with_the_photo_shown(client: FlaskClient, make: Factory) -> None:
    shown_elsewhere = make.candidacy(
        "Rina Wati", disclosure={"cv": "published", "photo": "published"}
    )
    page = text_of(client.get(f"/candidates/{shown_elsewhere.id}").get_data(as_text=True))
    assert "Foto dipublikasikan di sumbernya, tidak disimpan di situs ini" in page
    assert "Foto tidak tersedia" not in page
    none = make.candidacy("Tono Sugiarto", disclosure={"cv": "published"})
    assert "Foto tidak tersedia" in client.get(f"/candidates/{none.id}").get_data(as_text=True)


def test_approve_and_reject_look_different(
    client: FlaskClient, make: Factory, auth: AuthActions
) -> None:
    from tests.auth_helpers import source_fields

    candidacy = make.candidacy()
    volunteer = make.user()
    auth.login(volunteer)
    client.post(
        f"/contribute/candidacies/{candidacy.id}/programme",
        data={"kind": "programme", "text": "Air bersih", **source_fields()},
    )
    auth.logout()
    auth.login(make.user(role="reviewer"))
    queue = client.get("/review/").get_data(as_text=True)
    link = re.search(r'href="(/review/submissions/\d+)"', queue)
    assert link
    page = client.get(link.group(1)).get_data(as_text=True)
    assert re.search(r'value="approve" class="approve"', page)
    assert re.search(r'value="reject" class="reject"', page)


def test_the_site_has_a_favicon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    response.close()


def test_a_bad_filter_is_explained_in_the_page_language(client: FlaskClient) -> None:
    indonesian = text_of(client.get("/candidates?status=bogus").get_data(as_text=True))
    assert "nilai 'bogus' tidak dikenal" in indonesian
    assert "unknown value" not in indonesian
    english = text_of(client.get("/candidates?status=bogus&lang=en").get_data(as_text=True))
    assert "unknown value 'bogus'" in english


def test_no_page_keeps_the_language_of_an_earlier_visitor(app: Flask, client: FlaskClient) -> None:
    # Not the `make` fixture: its app context would be shared by the requests, and hold the
    # first request's language as no real request would.
    with app.app_context():
        Factory(db.session).candidacy("Siti Rahayu", party_number=None, office="DPD", district="33")
    assert "Tanpa partai · No. urut" in text_of(client.get("/candidates").get_data(as_text=True))
    english = text_of(client.get("/candidates?lang=en").get_data(as_text=True))
    assert "No party · No. " in english
    assert "Tanpa partai" not in english and "No. urut" not in english


def test_zero_results_come_with_hints(client: FlaskClient) -> None:
    page = text_of(client.get("/candidates?q=zzyzxqqq&party=pkb").get_data(as_text=True))
    assert "Tidak ada calon yang cocok" in page
    assert "mencari lagi tanpa penyaring" in page


def test_adding_to_the_comparison_from_a_script_answers_in_place(
    client: FlaskClient, make: Factory
) -> None:
    candidacy = make.candidacy()
    answer = client.post(
        f"/compare/add/{candidacy.id}",
        data={"next": "/candidates"},
        headers={"X-Requested-With": "fetch"},
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["in_tray"] is True and body["count"] == 1
    assert f'action="/compare/remove/{candidacy.id}"' in body["toggle"]
    assert 'name="next" value="/candidates"' in body["toggle"]
    assert "compare-tray" in body["tray"]
    # Without the script, the same form still redirects back.
    plain = client.post(f"/compare/remove/{candidacy.id}", data={"next": "/candidates"})
    assert plain.status_code == 302 and plain.headers["Location"] == "/candidates"


def test_an_ongoing_role_keeps_its_dash_in_the_comparison(
    client: FlaskClient, make: Factory
) -> None:
    a = make.candidacy(
        "Ani", track_record=[{"kind": "career", "title": "Wartawan", "start_year": 1985}]
    )
    b = make.candidacy("Budi")
    page = text_of(client.get(f"/compare?ids={a.id},{b.id}").get_data(as_text=True))
    assert "Wartawan (1985–)" in page


def test_statistics_tables_say_they_slide_and_can_be_scrolled_by_keyboard(
    client: FlaskClient, make: Factory
) -> None:
    make.candidacy()
    page = client.get("/statistics").get_data(as_text=True)
    assert "geser ke samping" in page
    assert re.search(r'class="table-scroll" role="region" tabindex="0" aria-label="', page)
    assert "tidak bersedia dipublikasikan" not in page


def test_the_footer_links_the_methodology(client: FlaskClient) -> None:
    for path in ("/", "/candidates", "/find?q=Jaten"):
        footer = client.get(path).get_data(as_text=True).split('<footer class="site-footer">')[1]
        assert '<a href="/methodology">lihat metodologi</a>' in footer, path
    english = client.get("/?lang=en").get_data(as_text=True).split("<footer")[1]
    assert '<a href="/methodology">see the methodology</a>' in english


def test_filters_in_force_show_as_chips_that_each_remove_one(
    client: FlaskClient, make: Factory
) -> None:
    make.candidacy("Pkb Calon", party_number=1)
    page = client.get("/candidates?party=pkb&office=DPR").get_data(as_text=True)
    chips = dict(
        (text_of(label).replace("✕", "").replace("(hapus penyaring ini)", "").strip(), href)
        for href, label in re.findall(r'<a class="chip" href="([^"]+)">(.*?)</a>', page, re.S)
    )
    assert chips == {
        "Partai: PKB": "/candidates?office=DPR",
        "Jabatan: Dewan Perwakilan Rakyat": "/candidates?party=pkb",
    }
    # On a phone the filters wait behind one closed "Saring" control.
    assert re.search(r"<details class=\"list-filters\"[^>]*>\s*<summary>Saring</summary>", page)


def test_a_refused_page_says_why_in_the_page_language(client: FlaskClient) -> None:
    flagged = client.get("/flagged?office=XYZ")
    assert flagged.status_code == 400
    indonesian = text_of(flagged.get_data(as_text=True))
    assert "Parameter “office” tidak valid: nilai 'XYZ' tidak dikenal" in indonesian
    english = text_of(client.get("/flagged?office=XYZ&lang=en").get_data(as_text=True))
    assert "The parameter “office” is not valid: unknown value 'XYZ'" in english
    statistics = text_of(client.get("/statistics?election=bogus&lang=id").get_data(as_text=True))
    assert "election: nilai tidak dikenal" in statistics
