"""/flagged, /methodology and the right of reply, as a visitor and a reviewer see them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from tests.auth_helpers import AuthActions, in_app
from tests.factories import Factory
from transparency.disclosure import rulesets
from transparency.disclosure.evaluate import evaluate
from transparency.disclosure.panel import facts_of
from transparency.disclosure.rules import default_document
from transparency.extensions import db
from transparency.models import Candidacy, Reply, Revision, User, utcnow
from transparency.revisions import provenance

OPEN = {"cv": "published", "criminal_record": "published"}


@pytest.fixture
def mixed(make: Factory) -> list[Candidacy]:
    """Candidacies in two parties and two provinces, flagged for different reasons or not."""
    specs: list[tuple[str, str, int, dict[str, str]]] = [
        ("Ani Refused", "3304", 1, {**OPEN, "cv": "refused"}),
        ("Budi Open", "3304", 1, OPEN),
        ("Citra Partial", "3304", 2, {**OPEN, "cv": "partial"}),
        # looked for on 14 November 2023, after the deadline, at a named source: not there
        ("Dedi NotFound", "3304", 2, {**OPEN, "criminal_record": "not_found"}),
        ("Eka Refused", "1101", 1, {**OPEN, "cv": "refused"}),
        # the criminal record was never checked: neutral, whatever the deadline
        ("Fajar Unchecked", "1101", 2, {"cv": "published"}),
        ("Gita Open", "1101", 2, OPEN),
    ]
    return [
        make.candidacy(name, district=district, party_number=party, disclosure=disclosure)
        for name, district, party, disclosure in specs
    ]


def names_on(html: str, candidacies: list[Candidacy]) -> set[str]:
    return {c.person.full_name for c in candidacies if c.person.full_name in html}


def test_flagged_list_matches_the_evaluator(client: FlaskClient, mixed: list[Candidacy]) -> None:
    ruleset = rulesets.ruleset_in_force(db.session)
    today = utcnow().date()
    expected = {c.person.full_name for c in mixed if evaluate(facts_of(c), ruleset, today).flagged}
    assert expected == {"Ani Refused", "Dedi NotFound", "Eka Refused"}
    html = client.get("/flagged?lang=id").get_data(as_text=True)
    assert names_on(html, mixed) == expected
    assert "Tidak bersedia membuka data diri (per 14 November 2023)" in html
    assert (
        "Status hukum pidana belum dinyatakan: tidak ditemukan di Sumber uji pada "
        "14 November 2023 (batas waktu 4 November 2023)"
    ) in html


def test_flagged_filters_by_party_and_province_and_links_the_export(
    client: FlaskClient, mixed: list[Candidacy]
) -> None:
    party = mixed[0].party.slug
    html = client.get(f"/flagged?party={party}&province=33").get_data(as_text=True)
    assert names_on(html, mixed) == {"Ani Refused"}
    for path in ("candidates.csv", "candidates.xlsx", "candidates.json", "popolo.json"):
        link = re.search(rf'href="(/export/{re.escape(path)}\?[^"]*)"', html).group(1)
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        assert query == {"party": [party], "province": ["33"], "status": ["flagged"]}, path
    feed = re.search(r'href="(/feeds/flagged\.atom\?[^"]*)"', html).group(1)
    assert parse_qs(urlsplit(feed.replace("&amp;", "&")).query) == {
        "party": [party],
        "province": ["33"],
    }


def test_flagged_reasons_follow_the_language(client: FlaskClient, mixed: list[Candidacy]) -> None:
    html = client.get("/flagged?lang=en").get_data(as_text=True)
    assert "Declined to make personal data public (as of November 14, 2023)" in html


def test_flagged_empty_state_and_bad_filter(client: FlaskClient, mixed: list[Candidacy]) -> None:
    empty = client.get("/flagged?office=DPD")
    assert empty.status_code == 200
    assert "Tidak ada calon bertanda" in empty.get_data(as_text=True)
    bad = client.get("/flagged?party=no-such-party")
    assert bad.status_code == 400
    assert "no-such-party" in bad.get_data(as_text=True)


def test_flagged_list_is_paginated(app: Flask, client: FlaskClient, make: Factory) -> None:
    app.config["PER_PAGE"] = 2
    for number in range(5):
        make.candidacy(f"Calon {number}", disclosure={**OPEN, "cv": "refused"})
    first = client.get("/flagged").get_data(as_text=True)
    assert 'rel="next"' in first
    third = client.get("/flagged?page=3").get_data(as_text=True)
    assert third.count('class="flagged-row"') == 1


def test_flagged_list_leaves_out_hidden_people(client: FlaskClient, make: Factory) -> None:
    """A hidden person hides all their candidacies, on /flagged as on /candidates, from the
    rows and from the count above them."""
    make.candidacy("Calon Terlihat", disclosure={**OPEN, "cv": "refused"})
    hidden = make.candidacy("Calon Tersembunyi", disclosure={**OPEN, "cv": "refused"})
    make.hide(hidden.person)
    flagged = client.get("/flagged?lang=en").get_data(as_text=True)
    assert "Calon Terlihat" in flagged
    assert "Calon Tersembunyi" not in flagged
    assert "1 flagged candidate" in flagged and "2 flagged candidates" not in flagged
    listed = client.get("/candidates?lang=en").get_data(as_text=True)
    assert "Calon Terlihat" in listed and "Calon Tersembunyi" not in listed
    assert "1 candidate" in listed and "2 candidates" not in listed


def test_methodology_shows_every_rule_in_force_and_earlier_versions(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path, make: Factory
) -> None:
    rulesets.load_default_rules(db.session)
    db.session.commit()
    document = default_document()
    document["version"] = "2024.3"
    document["rules"].pop()  # drop R-IDENTITY
    path = tmp_path / "r.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert runner.invoke(args=["disclosure", "load-rules", str(path)]).exit_code == 0

    html = unescape(client.get("/methodology?lang=en").get_data(as_text=True))
    for rule in document["rules"]:
        assert f'id="{rule["id"]}"' in html
        assert rule["title"]["en"] in html
    assert 'id="R-IDENTITY"' not in html
    assert "/methodology/2024.2" in html
    old = client.get("/methodology/2024.2?lang=en").get_data(as_text=True)
    assert 'id="R-IDENTITY"' in old
    assert "no longer in force" in old
    assert client.get("/methodology/1999.9").status_code == 404


def test_methodology_before_init_db_shows_the_packaged_rules(client: FlaskClient) -> None:
    html = client.get("/methodology").get_data(as_text=True)
    assert all(f'id="{rule["id"]}"' in html for rule in default_document()["rules"])
    assert "4 November 2023" in html


def test_withholding_the_legal_section_is_partial_and_no_flag_of_its_own(
    app: Flask, client: FlaskClient, make: Factory, runner: FlaskCliRunner
) -> None:
    """Rules 2024.2's decision (#18): a CV consent that leaves out "hukum" is partial, said on
    /methodology in both languages, and flags nobody."""
    rulesets.load_default_rules(db.session)
    db.session.commit()
    candidacy = make.candidacy(
        "Calon Sebagian", disclosure={"cv": "partial", "criminal_record": "published"}
    )
    item = next(item for item in candidacy.disclosure_items if item.requirement == "cv")
    make.update(item, sections={"published": ["datadiri", "pendidikan"], "withheld": ["hukum"]})
    assert runner.invoke(args=["disclosure", "recompute"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Candidacy, candidacy.id).flagged is False
    db.session.commit()
    # Each in its own app context: Flask-Babel keeps a request's locale on the context's `g`.
    with app.app_context():
        english = unescape(client.get("/methodology?lang=en").get_data(as_text=True))
    with app.app_context():
        indonesian = unescape(client.get("/methodology?lang=id").get_data(as_text=True))
    assert (
        "withholding a section, the legal-status section included, counts as partial and is "
        "not a flag of its own" in english
    )
    assert (
        "tidak membuka satu bagian, termasuk bagian status hukum, dihitung sebagian dan bukan "
        "tanda tersendiri" in indonesian
    )


# -- right of reply -------------------------------------------------------------------------


def login_as(app: Flask, client: FlaskClient, role: str) -> User:
    """A user of this role, logged in through the real form."""
    with in_app(app):
        user = Factory(db.session).user(role=role)
        email = user.email
    response = AuthActions(client).login(email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


@pytest.fixture
def reviewer_client(app: Flask, client: FlaskClient, make: Factory) -> Iterator[FlaskClient]:
    login_as(app, client, "reviewer")
    yield client


REPLY = {
    "rule_id": "R-CV",
    "author_kind": "candidate",
    "author_name": "Ani Refused",
    "text": "Saya akan membuka daftar riwayat hidup setelah verifikasi.",
    "replied_on": "2023-11-20",
    "source_url": "https://berita.example/hak-jawab",
    "source_title": "Hak jawab Ani",
}


def test_a_reviewer_records_a_reply_shown_beside_the_flag_and_in_history(
    app: Flask, reviewer_client: FlaskClient, make: Factory
) -> None:
    candidacy = make.candidacy("Ani Refused", disclosure={**OPEN, "cv": "refused"})
    form = reviewer_client.get(f"/candidates/{candidacy.id}/replies/new")
    assert form.status_code == 200
    response = reviewer_client.post(f"/candidates/{candidacy.id}/replies/new", data=REPLY)
    assert response.status_code == 302
    # Not public until a second reviewer approves it (tests/test_review_two_reviewers.py).
    assert db.session.scalars(select(Reply)).first() is None
    submission_id = int(response.headers["Location"].rsplit("/", 1)[1])
    second = app.test_client()
    login_as(app, second, "reviewer")
    approved = second.post(
        f"/review/submissions/{submission_id}", data={"action": "approve", "reason": "Sahih"}
    )
    assert approved.status_code == 302

    db.session.expire_all()
    reply = db.session.scalars(select(Reply)).one()
    revision = db.session.scalars(select(Revision).filter_by(entity_type="reply")).one()
    assert revision.origin == "reply"
    assert revision.candidacy_id == candidacy.id
    assert revision.after["text"] == REPLY["text"]
    assert candidacy.flagged  # a reply does not clear a flag

    with app.test_request_context("/?lang=id"):
        html = render_template("disclosure/_panel.html", candidacy=candidacy)
    assert REPLY["text"] in html
    assert "Hak jawab Ani" in html
    assert "Tidak bersedia membuka data diri (per 14 November 2023)" in html
    assert html.index("Tidak bersedia membuka data diri") < html.index(REPLY["text"])
    assert reply.source.url == REPLY["source_url"]


def test_a_bad_reply_form_is_refused_without_writing(
    reviewer_client: FlaskClient, make: Factory
) -> None:
    candidacy = make.candidacy(disclosure=OPEN)
    response = reviewer_client.post(
        f"/candidates/{candidacy.id}/replies/new",
        data={**REPLY, "source_url": "not a url", "replied_on": "kemarin"},
    )
    assert response.status_code == 200
    assert 'class="field-errors"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Reply)).first() is None


@pytest.mark.parametrize("role", [None, "volunteer"])
def test_only_reviewers_and_admins_record_replies(
    app: Flask, client: FlaskClient, make: Factory, role: str | None
) -> None:
    candidacy = make.candidacy(disclosure=OPEN)
    if role:
        login_as(app, client, role)
    response = client.post(f"/candidates/{candidacy.id}/replies/new", data=REPLY)
    if role is None:  # anonymous: sent to the log-in page
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
    assert db.session.scalars(select(Reply)).first() is None


def test_panel_lists_every_rule_of_the_office_with_status_date_and_source(
    app: Flask, make: Factory
) -> None:
    candidacy = make.candidacy(disclosure={**OPEN, "cv": "partial"})  # a DPR candidacy
    with app.test_request_context("/?lang=en"):
        html = render_template("disclosure/_panel.html", candidacy=candidacy)
    rules = default_document()["rules"]
    assert any("DPR" not in rule["offices"] for rule in rules)
    for rule in rules:
        # A rule for other offices (the executives' LHKPN) is not the DPR candidate's.
        assert (f'id="panel-{rule["id"]}"' in html) == ("DPR" in rule["offices"]), rule["id"]
    assert "Partial" in html
    assert "November 14, 2023" in html
    assert "Sumber uji" in html


def test_a_flag_on_the_profile_names_its_rule_date_and_source_and_its_history(
    client: FlaskClient, make: Factory
) -> None:
    candidacy = make.candidacy("Hana Refused", disclosure={**OPEN, "cv": "refused"})
    html = unescape(client.get(f"/candidates/{candidacy.id}?lang=en").get_data(as_text=True))
    basis = html[html.index('class="flag-basis"') :]
    basis = basis[: basis.index("</p>")]
    assert "Rule R-CV (rules 2024.2)" in basis
    assert "November 14, 2023" in basis
    assert 'href="https://contoh.example/sumber"' in basis
    since = datetime.now(ZoneInfo("Asia/Jakarta")).date()  # pages date in Jakarta time
    assert "Flag history" in html
    assert f"Flagged since {since:%B} {since.day}, {since.year} under R-CV" in html

    with provenance(db.session, origin="test"):
        cv = next(item for item in candidacy.disclosure_items if item.requirement == "cv")
        cv.status = "published"
        db.session.flush()
    db.session.commit()
    html = unescape(client.get(f"/candidates/{candidacy.id}?lang=en").get_data(as_text=True))
    assert 'class="flag-basis"' not in html
    assert f"Cleared on {since:%B} {since.day}, {since.year} (was flagged under R-CV)" in html


def test_not_checked_items_read_neutrally_on_the_profile(client: FlaskClient, make) -> None:
    candidacy = make.candidacy("Ira Unchecked", disclosure={})
    html = client.get(f"/candidates/{candidacy.id}?lang=id").get_data(as_text=True)
    assert "Belum diperiksa" in html
    assert "badge-flag" not in html
