"""The public history in words: every recorded field and code has a label in both languages,
values are dates, names and links, and a reviewed change reads as a reader would say it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import inspect

from tests.auth_helpers import AuthActions, source_fields
from tests.conftest import fresh_app
from tests.factories import Factory
from transparency.disclosure.rules import KNOWN_ITEMS
from transparency.extensions import db
from transparency.labels import (
    DISCLOSURE_ITEMS,
    DISCLOSURE_STATUSES,
    LEGAL_STATUSES,
    PROGRAMME_KINDS,
    STAGES,
    TRACK_RECORD_KIND,
    field_label,
)
from transparency.models import (
    DisclosureStatus,
    LegalStatus,
    ProgrammeKind,
    Revision,
    Revisioned,
    Stage,
    TrackRecordKind,
    User,
)
from transparency.models.base import Base
from transparency.profiles.history import credits
from transparency.revisions import recorded_keys


def revisioned_fields() -> list[tuple[str, str]]:
    fields = []
    for mapper in Base.registry.mappers:
        if not issubclass(mapper.class_, Revisioned):
            continue
        table = mapper.class_.__tablename__
        fields += [(table, key) for key in recorded_keys(mapper.class_)]
        fields += [
            (table, f"{rel.key}_ids")
            for rel in inspect(mapper.class_).relationships
            if rel.secondary is not None
        ]
    return sorted(fields)


def test_every_recorded_field_of_every_revisioned_model_has_a_label(app: Flask) -> None:
    fields = revisioned_fields()
    assert ("person", "domicile") in fields and ("track_record_item", "sources_ids") in fields
    with app.test_request_context("/?lang=en"):
        unlabelled = [(table, key) for table, key in fields if field_label(table, key) == key]
    assert unlabelled == []


@pytest.mark.parametrize(
    ("codes", "labels"),
    [
        (list(DisclosureStatus), DISCLOSURE_STATUSES),
        (list(KNOWN_ITEMS), DISCLOSURE_ITEMS),
        (list(LegalStatus), LEGAL_STATUSES),
        (list(TrackRecordKind), TRACK_RECORD_KIND),
        (list(ProgrammeKind), PROGRAMME_KINDS),
        (list(Stage), STAGES),
    ],
    ids=[
        "disclosure status",
        "disclosure item",
        "legal status",
        "track record",
        "programme",
        "stage",
    ],
)
def test_every_code_a_revision_may_hold_has_a_label(codes: list[str], labels: dict) -> None:
    assert sorted(str(code) for code in codes if str(code) not in labels) == []


VOLUNTEER_EMAIL = "penulis@contoh.example"
REVIEWER_EMAIL = "pemeriksa@contoh.example"
SECOND_REVIEWER_EMAIL = "pemeriksa.kedua@contoh.example"
RULED = "https://pn-contoh.example/putusan/12"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, int]]:
    """A candidacy with a reviewed change of each kind, proposed and approved through the
    forms; pages are read by clients outside any app context, as a visitor's would be."""
    with fresh_app(tmp_path_factory.mktemp("history"), areas=False) as app:
        with app.app_context():
            make = Factory(db.session)
            candidacy_id = make.candidacy(
                "Sekar Arum", domicile="Kota Solo", birth_date=date(1975, 3, 9)
            ).id
            make.user(VOLUNTEER_EMAIL)
            make.user(REVIEWER_EMAIL, role="reviewer")
            make.user(SECOND_REVIEWER_EMAIL, role="reviewer")
        volunteer, reviewer, second = app.test_client(), app.test_client(), app.test_client()
        assert AuthActions(volunteer).login(VOLUNTEER_EMAIL).status_code == 302
        assert AuthActions(reviewer).login(REVIEWER_EMAIL).status_code == 302
        assert AuthActions(second).login(SECOND_REVIEWER_EMAIL).status_code == 302
        proposals: list[tuple[str, dict[str, Any]]] = [
            ("profile", {"domicile": "Kabupaten Sukoharjo"}),
            (
                "disclosure",
                {"requirement": "lhkpn", "status": "not_applicable", "checked_at": "2024-01-02"},
            ),
            (
                "track_record",
                {
                    "kind": "legal_case",
                    "title": "Sengketa lahan pasar",
                    "legal_status": "acquitted",
                    "court_reference": "Putusan 12/Pdt.G/2019",
                },
            ),
        ]
        for kind, data in proposals:
            sent = volunteer.post(
                f"/contribute/candidacies/{candidacy_id}/{kind}",
                data={**data, **source_fields(url=RULED, title="Putusan pengadilan negeri")},
            )
            assert sent.status_code == 302, sent.get_data(as_text=True)
            submission = sent.headers["Location"].rsplit("/", 1)[1]
            # A legal case takes two different reviewers' approvals.
            for client in (reviewer, second) if kind == "track_record" else (reviewer,):
                decided = client.post(
                    f"/review/submissions/{submission}",
                    data={"action": "approve", "reason": "Sahih"},
                )
                assert decided.status_code == 302
        yield app, candidacy_id


def history(app: Flask, candidacy_id: int, lang: str) -> str:
    client: FlaskClient = app.test_client()
    html = client.get(f"/candidates/{candidacy_id}/history?lang={lang}").get_data(as_text=True)
    return " ".join(html.split())


# Raw names a reader must never meet: columns, codes, ISO dates, ids.
RAW = (
    "candidacy_id",
    "person_id",
    "source_id",
    "sources_ids",
    "legal_status",
    "not_applicable",
    "legal_case",
    "lhkpn<",
    "acquitted",
    "2024-01-02",
    "1975-03-09",
    "Origin:",
)


def test_the_history_speaks_indonesian(reviewed: tuple[Flask, int]) -> None:
    html = history(*reviewed, "id")
    for text in (
        "<dt>Domisili</dt>",
        "<del>Kota Solo</del>",
        "<ins>Kabupaten Sukoharjo</ins>",
        "<dt>Tanggal lahir</dt>",
        "<ins>9 Maret 1975</ins>",
        '<dt>Persyaratan</dt> <dd><span class="visually-hidden">Sesudah:</span> '
        "<ins>Laporan harta kekayaan (LHKPN)</ins>",
        "<ins>Tidak berlaku</ins>",
        "<ins>2 Januari 2024</ins>",
        "<dt>Jenis rekam jejak</dt>",
        "<ins>Perkara hukum</ins>",
        "<dt>Status hukum</dt>",
        "<ins>Dibebaskan</ins>",
        f'<ins><a href="{RULED}" rel="nofollow noopener">Putusan pengadilan negeri</a></ins>',
        "Diusulkan oleh Relawan #",
        "Disetujui oleh Relawan #",
        "Alasan: Sahih",
    ):
        assert text in html, text
    for raw in RAW:
        assert raw not in html, raw
    assert "Volunteer #" not in html and "Approved by" not in html


def test_the_history_speaks_english(reviewed: tuple[Flask, int]) -> None:
    html = history(*reviewed, "en")
    for text in (
        "<dt>Domicile</dt>",
        "<del>Kota Solo</del>",
        "<ins>March 9, 1975</ins>",
        "<ins>Wealth report (LHKPN)</ins>",
        "<ins>Not applicable</ins>",
        "<ins>January 2, 2024</ins>",
        "<dt>Kind of item</dt>",
        "<ins>Legal case</ins>",
        "<ins>Acquitted</ins>",
        f'<ins><a href="{RULED}" rel="nofollow noopener">Putusan pengadilan negeri</a></ins>',
        "Proposed by Volunteer #",
        "Approved by Volunteer #",
    ):
        assert text in html, text
    for raw in RAW:
        assert raw not in html, raw
    assert "Relawan #" not in html and "Disetujui" not in html


def test_the_created_item_hides_its_bookkeeping(reviewed: tuple[Flask, int]) -> None:
    """A new record's own number, its profile's ids, its order and "hidden: no" say nothing."""
    html = history(*reviewed, "en")
    for label in ("<dt>Record number</dt>", "<dt>Person</dt>", "<dt>Candidacy</dt>"):
        assert label not in html
    assert "<dt>Order</dt>" not in html and "<dt>Hidden</dt>" not in html


def test_sources_are_named_links_never_numbers(reviewed: tuple[Flask, int]) -> None:
    for lang, label in (("id", "Sumber"), ("en", "Source")):
        html = history(*reviewed, lang)
        values = re.findall(rf"<dt>{label}s?</dt> <dd>(.*?)</dd>", html)
        # the candidacy, its person and three items were created; the profile's source changed
        assert len(values) >= 5, values
        for value in values:
            assert re.search(r'<ins><a href="https://[^"]+" rel="nofollow noopener">[^<\d]', value)


def _account(ident: int, shown: str | None = None) -> User:
    return User(
        id=ident,
        email=f"akun{ident}@contoh.example",
        name=f"Nama Pribadi {ident}",
        display_name=shown,
        display_key=shown.casefold() if shown else None,
    )


@pytest.mark.parametrize(
    ("origin", "proposer", "approver", "indonesian", "english"),
    [
        ("import", 7, None, ["Impor daftar calon resmi"], ["Official list import"]),
        ("demo", None, None, ["Impor daftar calon resmi"], ["Official list import"]),
        ("reference", None, None, ["Data rujukan"], ["Reference data"]),
        (
            "review",
            3,
            4,
            ["Diusulkan oleh Relawan #3", "Disetujui oleh Pelita Desa"],
            ["Proposed by Volunteer #3", "Approved by Pelita Desa"],
        ),
        ("reply", 4, 4, ["Dicatat oleh Pelita Desa"], ["Recorded by Pelita Desa"]),
        ("revert", None, 4, ["Dikembalikan oleh Pelita Desa"], ["Reverted by Pelita Desa"]),
    ],
)
def test_who_made_a_change_in_both_languages(
    app: Flask,
    origin: str,
    proposer: int | None,
    approver: int | None,
    indonesian: list[str],
    english: list[str],
) -> None:
    accounts = {3: _account(3), 4: _account(4, "Pelita Desa"), 7: _account(7)}
    revision = Revision(
        origin=origin,
        proposed_by=accounts.get(proposer or 0),
        approved_by=accounts.get(approver or 0),
    )
    for lang, expected in (("id", indonesian), ("en", english)):
        with app.test_request_context(f"/?lang={lang}"):
            refresh()
            assert credits(revision) == expected


def test_a_hidden_entry_keeps_its_place_in_the_history_but_not_its_text(
    app: Flask, client: FlaskClient
) -> None:
    """A reviewer hides a programme statement (say, a defamatory one): the profile leaves it
    out, and so must its history, which still says that something was added and hidden."""
    with app.app_context():
        factory = Factory(db.session)
        candidacy = factory.candidacy(
            "Wulan Sari", programme=["Kalimat yang disembunyikan", "Jalan desa diaspal"]
        )
        hidden = candidacy.programme[0]
        factory.update(hidden, hidden=True, origin="review")
        candidacy_id = candidacy.id
    page = client.get(f"/candidates/{candidacy_id}/history?lang=id")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kalimat yang disembunyikan" not in html
    assert "Jalan desa diaspal" in html
    assert "Peninjau telah menyembunyikan entri ini dari publik" in html
    with app.app_context():
        english = client.get(f"/candidates/{candidacy_id}/history?lang=en").get_data(as_text=True)
    assert "Kalimat yang disembunyikan" not in english
    assert "A reviewer has hidden this entry from the public" in english
