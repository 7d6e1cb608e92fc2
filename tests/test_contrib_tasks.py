"""Volunteers' tasks (/contribute/tasks): listed candidacies with a required disclosure item
that has no row at all, against SQL written here; DPR first; filters; pages; empty state; the
profile's link to it for logged-in users only."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import text

from tests.auth_helpers import AuthActions, english, in_app
from tests.factories import Factory
from transparency.disclosure.rulesets import load_ruleset
from transparency.extensions import db
from transparency.models import DisclosureItem, Stage
from transparency.revisions import provenance

# Rules written for this test, so the expected lists below do not follow the packaged rules:
# the CV is required everywhere, the criminal-record statement for DPR and DPD only, the
# ex-convict announcement of ex-convicts; the photo is not required (never a task).
RULES = {
    "version": "test-tasks",
    "title": {"id": "Aturan uji", "en": "Test rules"},
    "rules": [
        {
            "id": f"R-{item.upper().replace('_', '-')}",
            "item": item,
            "title": {"id": f"Butir {item}", "en": f"Item {item}"},
            "explanation": {"id": "Uji.", "en": "Test."},
            "offices": offices,
            "weight": 10,
            "required": required,
            **({"conditions": conditions} if conditions else {}),
        }
        for item, offices, required, conditions in (
            ("cv", ["DPR", "DPD", "DPRD_PROVINSI", "DPRD_KABKOTA"], True, []),
            ("criminal_record", ["DPR", "DPD"], True, []),
            ("ex_convict_announcement", ["DPR", "DPD"], True, ["ex_convict"]),
            ("photo", ["DPR", "DPD"], False, []),
        )
    ],
}

# The same semantics in SQL, written independently of transparency.contrib.tasks.
EXPECTED_SQL = """
SELECT c.id FROM candidacy c
JOIN person p ON p.id = c.person_id
JOIN office o ON o.id = c.office_id
LEFT JOIN party pa ON pa.id = c.party_id
JOIN district d ON d.id = c.district_id
WHERE c.hidden = :no AND p.hidden = :no AND c.stage IN ('DCS', 'DCT', 'elected')
  AND (
    (o.code IN ('DPR', 'DPD', 'DPRD_PROVINSI', 'DPRD_KABKOTA') AND NOT EXISTS (
        SELECT 1 FROM disclosure_item i WHERE i.candidacy_id = c.id AND i.requirement = 'cv'))
    OR (o.code IN ('DPR', 'DPD') AND NOT EXISTS (
        SELECT 1 FROM disclosure_item i
        WHERE i.candidacy_id = c.id AND i.requirement = 'criminal_record'))
    OR (o.code IN ('DPR', 'DPD')
        AND EXISTS (SELECT 1 FROM track_record_item t WHERE t.person_id = c.person_id
                    AND t.kind = 'legal_case' AND t.legal_status = 'ex_convict'
                    AND t.hidden = :no)
        AND NOT EXISTS (SELECT 1 FROM disclosure_item i WHERE i.candidacy_id = c.id
                        AND i.requirement = 'ex_convict_announcement'))
  )
  {extra}
ORDER BY CASE WHEN o.code = 'DPR' THEN 0 ELSE 1 END, d.code, COALESCE(pa.number, 0),
         c.ballot_number, c.id
"""

CHECKED = {"cv": "published", "criminal_record": "published"}
EX_CONVICT = [{"kind": "legal_case", "title": "Perkara", "legal_status": "ex_convict"}]


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PER_PAGE": 3}


@pytest.fixture
def world(app, make):
    """Candidacies with and without gaps, in several offices, districts and parties."""
    with in_app(app):
        load_ruleset(db.session, RULES)
        db.session.commit()
    make.district("3301", "JAWA TENGAH I", province="33")
    c = {}
    c["dprd_nothing"] = make.candidacy(
        "Dewi Kabupaten", office="DPRD_PROVINSI", district="3301", disclosure={}
    )
    c["dpd_no_criminal"] = make.candidacy(
        "Dodi Senator", office="DPD", district="33", party_number=None, disclosure={"cv": "refused"}
    )
    c["dpr_nothing"] = make.candidacy("Ani Kosong", district="3304", disclosure={})
    c["dpr_other_district"] = make.candidacy(
        "Bagus Jakarta", district="3101", party_number=2, disclosure={"criminal_record": "refused"}
    )
    c["dpr_done"] = make.candidacy("Citra Lengkap", district="3304", disclosure=CHECKED)
    c["dpr_not_applicable"] = make.candidacy(
        "Eko Tidak Berlaku",
        district="3304",
        disclosure={"cv": "not_applicable", "criminal_record": "not_found"},
    )
    c["dpr_ex_convict"] = make.candidacy(
        "Fajar Mantan", district="3304", party_number=3, disclosure=CHECKED, track_record=EX_CONVICT
    )
    c["dpr_party_2"] = make.candidacy(
        "Gita Dua", district="3304", party_number=2, disclosure={"cv": "published"}
    )
    hidden_person = make.candidacy("Hana Tersembunyi", district="3304", disclosure={})
    make.hide(hidden_person.person)
    hidden = make.candidacy("Indra Disembunyikan", district="3304", disclosure={})
    make.hide(hidden)
    withdrawn = make.candidacy("Joko Mundur", district="3304", disclosure={})
    make.update(withdrawn, stage=Stage.WITHDRAWN)
    c["volunteer"] = make.user("relawan.tugas@contoh.example", name="Relawan Tugas")
    return c


def expected(app, extra: str = "", **params) -> list[int]:
    with in_app(app):
        rows = db.session.execute(
            text(EXPECTED_SQL.format(extra=extra)), {"no": False, **params}
        ).all()
    return [row[0] for row in rows]


def logged_in(app, user):
    client = english(app.test_client())
    assert AuthActions(client).login(user).status_code == 302
    return client


def listed_ids(html: str) -> list[int]:
    """The candidacies of a task page, in order (each row's profile link)."""
    rows = re.findall(
        r'<li class="candidate-row task-row">\s*<a class="candidate-name" '
        r'href="/candidates/(\d+)"',
        html,
    )
    return [int(row) for row in rows]


def all_pages(client, query: str = "") -> list[int]:
    ids: list[int] = []
    for number in range(1, 20):
        html = client.get(f"/contribute/tasks?{query}&page={number}").get_data(as_text=True)
        found = listed_ids(html)
        if not found:
            break
        ids += found
    return ids


def test_the_tasks_are_the_unchecked_required_items_dpr_first(app, world):
    client = logged_in(app, world["volunteer"])
    want = expected(app)
    c = world
    # Written out once by hand too: DPR first (ballot order), then DPD, then DPRD.
    assert want == [
        c["dpr_other_district"].id,
        c["dpr_nothing"].id,
        c["dpr_party_2"].id,
        c["dpr_ex_convict"].id,
        c["dpd_no_criminal"].id,
        c["dprd_nothing"].id,
    ]
    assert all_pages(client) == want
    first = client.get("/contribute/tasks").get_data(as_text=True)
    assert "6 candidates to check" in first and "Page 1 of 2" in first
    for name in ("Citra Lengkap", "Eko Tidak Berlaku", "Hana", "Indra", "Joko"):
        assert name not in first + client.get("/contribute/tasks?page=2").get_data(as_text=True)


def test_each_row_links_the_form_prefilled_for_its_missing_items(app, world):
    client = logged_in(app, world["volunteer"])
    html = client.get("/contribute/tasks").get_data(as_text=True)
    ani = world["dpr_nothing"].id
    links = re.findall(rf'href="/contribute/candidacies/{ani}/disclosure\?requirement=(\w+)"', html)
    assert links == ["cv", "criminal_record"]
    fajar = world["dpr_ex_convict"].id
    html = client.get("/contribute/tasks?page=2").get_data(as_text=True)
    assert re.findall(rf"/contribute/candidacies/{fajar}/disclosure\?requirement=(\w+)", html) == [
        "ex_convict_announcement"
    ]
    form = client.get(f"/contribute/candidacies/{ani}/disclosure?requirement=criminal_record")
    assert re.search(
        r'<option selected value="criminal_record"|<option value="criminal_record" '
        r"selected",
        form.get_data(as_text=True),
    )


@pytest.mark.parametrize(
    ("query", "extra", "params"),
    [
        ("office=DPR", "AND o.code = :office", {"office": "DPR"}),
        ("office=DPD", "AND o.code = :office", {"office": "DPD"}),
        ("district=3304", "AND d.code = :district", {"district": "3304"}),
        ("party=pkb", "AND pa.slug = :party", {"party": "pkb"}),
        (
            "province=33",
            "AND d.province_id = (SELECT id FROM region WHERE code = :province)",
            {"province": "33"},
        ),
        (
            "election=pemilu-2024&office=DPR&district=3304&party=pkb",
            "AND o.code = 'DPR' AND d.code = '3304' AND pa.slug = 'pkb'",
            {},
        ),
    ],
)
def test_the_filters_narrow_the_list(app, world, query, extra, params):
    client = logged_in(app, world["volunteer"])
    want = expected(app, extra, **params)
    assert want, "the world has a task for every filter tried"
    assert all_pages(client, query) == want


def test_an_unknown_filter_value_is_a_clear_400(app, world):
    client = logged_in(app, world["volunteer"])
    response = client.get("/contribute/tasks?party=nope")
    assert response.status_code == 400
    assert "party" in response.get_data(as_text=True)


def test_nothing_left_shows_the_empty_state_in_both_languages(app):
    # No shared app context here: each request picks its own language.
    with app.app_context():
        factory = Factory(db.session)
        factory.candidacy("Citra Lengkap")  # the packaged rules: CV and criminal record checked
        volunteer = factory.user().email
    client = logged_in(app, volunteer)
    html = client.get("/contribute/tasks").get_data(as_text=True)
    assert "Everything has been checked" in html and listed_ids(html) == []
    indonesian = client.get("/contribute/tasks?lang=id").get_data(as_text=True)
    assert "Semua sudah diperiksa" in indonesian and 'lang="id"' in indonesian


def test_the_list_needs_an_account(app, world):
    response = app.test_client().get("/contribute/tasks")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_profile_links_unchecked_items_for_logged_in_users_only(app, world):
    ani = world["dpr_nothing"]
    done = world["dpr_done"]
    anonymous = english(app.test_client()).get(f"/candidates/{ani.id}").get_data(as_text=True)
    assert "/contribute/tasks" not in anonymous and "help check it" not in anonymous
    client = logged_in(app, world["volunteer"])
    page = client.get(f"/candidates/{ani.id}").get_data(as_text=True)
    links = re.findall(r'<a class="task-link" href="([^"]+)"', page)
    # One per required item not checked (CV, criminal record); none for the photo (optional).
    assert len(links) == 2
    assert links[0].startswith("/contribute/tasks?")
    for part in ("election=pemilu-2024", "office=DPR", "district=3304", "party=pkb"):
        assert part in links[0]
    assert ani.id in listed_ids(client.get(links[0].replace("&amp;", "&")).get_data(as_text=True))
    checked = client.get(f"/candidates/{done.id}").get_data(as_text=True)
    assert 'class="task-link"' not in checked


def test_the_list_follows_new_items_and_hidden_people_at_once(app, make, world):
    client = logged_in(app, world["volunteer"])
    assert "6 candidates to check" in client.get("/contribute/tasks").get_data(as_text=True)
    ani = world["dpr_nothing"]
    with in_app(app), provenance(db.session, origin="test"):
        for requirement in ("cv", "criminal_record"):
            db.session.add(
                DisclosureItem(
                    candidacy_id=ani.id,
                    requirement=requirement,
                    status="not_found",
                    checked_at=date(2024, 1, 3),
                )
            )
        db.session.commit()
    html = client.get("/contribute/tasks").get_data(as_text=True)
    assert "5 candidates to check" in html
    assert all_pages(client) == [i for i in expected(app) if i != ani.id] == expected(app)
    make.hide(world["dpr_other_district"].person)
    html = client.get("/contribute/tasks").get_data(as_text=True)
    assert "4 candidates to check" in html
    assert world["dpr_other_district"].id not in all_pages(client)


def test_deep_pages_read_the_same_rows(app, world, monkeypatch):
    """Past PER_ROW_UP_TO skipped rows a page reads its conditions from lists built once:
    the same candidacies, in the same order."""
    from transparency.contrib import tasks

    monkeypatch.setattr(tasks, "PER_ROW_UP_TO", 0)
    client = logged_in(app, world["volunteer"])
    assert all_pages(client) == expected(app)
    html = client.get("/contribute/tasks?page=2").get_data(as_text=True)
    fajar = world["dpr_ex_convict"].id
    assert re.findall(rf"/contribute/candidacies/{fajar}/disclosure\?requirement=(\w+)", html) == [
        "ex_convict_announcement"
    ]
