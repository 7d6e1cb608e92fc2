"""Every public route of the URL map, walked over one fixture: what each shows of a visible
candidacy, a hidden candidacy, a hidden person, a withdrawn candidacy and a pending submission.

The routes come from the app's URL map and the access rules (transparency.access.rule_for);
the expected presence of each fictional name is written below, per route, as literals. A new
public route without a row here fails the walk until someone writes down what it must show.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import fresh_app
from tests.factories import OPEN_DISCLOSURE, Factory
from transparency import create_app
from transparency.access import rule_for
from transparency.extensions import db
from transparency.models import District, Election, Office, Party, Submission
from transparency.search import sync
from transparency.search.store import index_root

# The fixture's people, by what they are.
VISIBLE = "Wulan Kencanasari"
HIDDEN_CANDIDACY = "Bayu Hartawan"
HIDDEN_PERSON = "Citra Lestarini"
WITHDRAWN = "Dimas Prayogo"
PENDING = "Eko Sumarwoto"  # only in a submission nobody has reviewed
NAMES = (VISIBLE, HIDDEN_CANDIDACY, HIDDEN_PERSON, WITHDRAWN, PENDING)
# A word of every candidacy's programme, so a search for it could find them all.
SHARED_WORD = "Sungaikarya"
BANNER_ID = "Mundur dari daftar calon"
BANNER_EN = "Withdrew from the candidate list"

V, HC, HP, W = VISIBLE, HIDDEN_CANDIDACY, HIDDEN_PERSON, WITHDRAWN


@dataclass(frozen=True)
class Case:
    url: str  # {visible}, {hidden_candidacy}, ... stand for the fixture's ids
    status: int = 200
    shows: frozenset[str] = frozenset()  # of NAMES; every other name must be absent
    also: tuple[str, ...] = ()  # literal text that must be there too
    never: tuple[str, ...] = ()  # literal text that must not be there
    method: str = "GET"


def case(url: str, status: int = 200, *shows: str, **options: Any) -> Case:
    return Case(url, status, frozenset(shows), **options)


PROFILE_404 = ("{hidden_candidacy}", "{hidden_person}")

# endpoint -> what each of its URLs must show. Literals only: the expected answers.
ROUTES: dict[str, list[Case]] = {
    "public.index": [case("/", 200, also=("<dd>1</dd>",), never=("<dd>4</dd>", "<dd>3</dd>"))],
    "public.favicon": [case("/favicon.ico")],
    "public.candidates": [
        case("/candidates", 200, V, also=("1 calon",)),
        case("/candidates?stage=withdrawn", 200, W, also=("1 calon",)),
        case(f"/candidates?q={SHARED_WORD}", 200, V, also=("1 hasil",)),
        case(f"/candidates?q={HIDDEN_PERSON.split()[0]}", 200),
        case(f"/candidates?q={WITHDRAWN.split()[0]}", 200),
        case(f"/candidates?q={PENDING.split()[0]}", 200),
        case(f"/candidates?q={SHARED_WORD}&stage=withdrawn", 400),
    ],
    "public.candidate": [
        case("/candidates/{visible}", 200, V),
        case("/candidates/{hidden_candidacy}", 404),
        case("/candidates/{hidden_person}", 404),
        case("/candidates/{withdrawn}", 200, W, also=(BANNER_ID,)),
        case("/candidates/{withdrawn}?lang=en", 200, W, also=(BANNER_EN,)),
    ],
    "public.history": [
        case("/candidates/{visible}/history", 200, V),
        case("/candidates/{hidden_candidacy}/history", 404),
        case("/candidates/{hidden_person}/history", 404),
        case("/candidates/{withdrawn}/history", 200, W, also=(BANNER_ID,)),
    ],
    "public.party": [
        case("/parties/{party1}", 200, V, also=("1 calon",)),
        case("/parties/{party2}", 200, also=("0 calon",)),
        case("/parties/{party3}", 200, also=("0 calon",)),
        case("/parties/{party4}", 200, also=("0 calon",)),
    ],
    "public.district": [case("/districts/3304?office=DPR", 200, V, also=("1 calon",))],
    "disclosure.flagged": [
        case("/flagged", 200, V, also=("1 calon bertanda",)),
        case("/flagged?stage=withdrawn", 200, W, also=("1 calon bertanda",)),
    ],
    "disclosure.statistics": [
        case("/statistics", 200, also=("dari 1 calon terdaftar", "1 calon ditandai")),
    ],
    "disclosure.methodology": [case("/methodology"), case("/methodology/1999.9", 404)],
    "charts.chart_svg": [
        case(
            "/statistics/party.svg",
            200,
            also=("Partai Kebangkitan Bangsa",),
            never=(
                "Partai Gerakan Indonesia Raya",
                "Partai Demokrasi Indonesia Perjuangan",
                "Partai Golongan Karya",
            ),
        ),
        case("/statistics/office.svg"),
        case("/statistics/province.svg"),
        case("/statistics/district.svg"),
    ],
    "voter.find": [case("/find")],
    "voter.ballot": [case("/ballot/pemilu-2024/dpr/3304", 200, V)],
    "compare.compare": [
        case("/compare?ids={visible},{withdrawn}", 200, V, W, also=(BANNER_ID,)),
        case("/compare?ids={visible},{hidden_candidacy}", 400),
        case("/compare?ids={visible},{hidden_person}", 400),
    ],
    "compare.add": [
        case("/compare/add/{visible}", 302, method="POST"),
        case("/compare/add/{withdrawn}", 302, method="POST"),
        case("/compare/add/{hidden_candidacy}", 404, method="POST"),
        case("/compare/add/{hidden_person}", 404, method="POST"),
    ],
    "compare.remove": [case("/compare/remove/{hidden_person}", 302, method="POST")],
    "compare.clear": [case("/compare/clear", 302, method="POST")],
    "compare.tray": [case("/compare/tray")],
    "compare.district": [case("/compare/district/{district}", 200, V)],
    "exports.candidates_csv": [
        case("/export/candidates.csv", 200, V),
        case("/export/candidates.csv?stage=withdrawn", 200, W),
        case(f"/export/candidates.csv?q={SHARED_WORD}", 200, V),
        # The index holds the current list only: text finds no withdrawn candidacy.
        case(f"/export/candidates.csv?q={SHARED_WORD}&stage=withdrawn", 200),
    ],
    "exports.candidates_csv_sha256": [case("/export/candidates.csv.sha256")],
    "exports.candidates_json": [
        case("/export/candidates.json", 200, V),
        case("/export/candidates.json?stage=withdrawn", 200, W),
    ],
    "exports.candidates_xlsx": [
        case("/export/candidates.xlsx", 200, V),
        case("/export/candidates.xlsx?stage=withdrawn", 200, W),
    ],
    "exports.candidates_unknown_format": [case("/export/candidates.txt", 400)],
    "exports.changes_csv": [
        # The hidden two: a "removed" row each, their ids and nothing else.
        case(
            "/export/changes.csv?since=2000-01-01",
            200,
            V,
            also=(",{hidden_candidacy},,", ",{hidden_person},,", "removed"),
        ),
        case("/export/changes.csv?since=2000-01-01&stage=withdrawn", 200, W),
    ],
    "exports.popolo_json": [
        case("/export/popolo.json", 200, V),
        case("/export/popolo.json?stage=withdrawn", 200, W),
    ],
    "feeds.flagged_atom": [
        case("/feeds/flagged.atom", 200, V),
        case("/feeds/flagged.atom?stage=withdrawn", 200, W),
    ],
    "feeds.district_atom": [case("/feeds/districts/3304.atom", 200, V)],
    "feeds.candidate_atom": [
        case("/feeds/candidates/{visible}.atom", 200, V),
        case("/feeds/candidates/{withdrawn}.atom", 200, W),
        case("/feeds/candidates/{hidden_candidacy}.atom", 404),
        case("/feeds/candidates/{hidden_person}.atom", 404),
    ],
    "api.index": [case("/api/v1/")],
    "api.candidates": [
        case("/api/v1/candidates", 200, V, also=('"total":1',)),
        case("/api/v1/candidates?stage=withdrawn", 200, W, also=('"total":1',)),
        case(f"/api/v1/candidates?q={SHARED_WORD}", 200, V, also=('"total":1',)),
    ],
    "api.candidate": [
        case("/api/v1/candidates/{visible}", 200, V),
        case("/api/v1/candidates/{withdrawn}", 200, W, also=('"stage":"withdrawn"',)),
        case("/api/v1/candidates/{hidden_candidacy}", 404),
        case("/api/v1/candidates/{hidden_person}", 404),
    ],
    "api.parties": [case("/api/v1/parties")],
    "api.districts": [case("/api/v1/districts")],
    "api.statistics": [
        case("/api/v1/statistics", 200, also=('"total":1', '"flagged":1')),
        case("/api/v1/statistics?stage=withdrawn", 200, also=('"total":1', '"flagged":1')),
    ],
    "api.openapi_json": [case("/api/v1/openapi.json")],
    "search_api.search": [
        case(f"/api/v1/search?q={SHARED_WORD}", 200, V),
        case(f"/api/v1/search?q={HIDDEN_CANDIDACY.split()[0]}", 200),
        case(f"/api/v1/search?q={WITHDRAWN.split()[0]}", 200),
    ],
    "search_api.suggest": [
        case("/api/v1/search/suggest?q=Wul", 200, V),
        case("/api/v1/search/suggest?q=Bay", 200),
        case("/api/v1/search/suggest?q=Cit", 200),
        case("/api/v1/search/suggest?q=Dim", 200),
        case("/api/v1/search/suggest?q=Eko", 200),
    ],
    "data.index": [case("/data/")],
    "data.snapshot_file": [
        case("/data/{snapshot}/candidates.csv", 200, V),
        case("/data/{snapshot}/candidates.json", 200, V),
        case("/data/{snapshot}/popolo.json", 200, V),
        case("/data/{snapshot}/candidates.xlsx", 200, V),
    ],
    "health.healthz": [case("/healthz")],
    "auth.login": [case("/login")],
    "auth.logout": [case("/logout", 200)],
    "auth.register": [case("/register")],
    "auth.confirm_registration": [case("/register/confirm/not-a-token", 404)],
    "two_factor.verify": [case("/login/code", 302)],
    # an answer link's token that was never issued: nothing of any candidacy shows
    "answers.answer": [case("/answer/not-a-token", 404)],
    "static": [case("/static/favicon.ico")],
}


def _public_endpoints() -> list[str]:
    """Every endpoint the access rules open to everyone, from the URL map of a real app."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-" + "x" * 40,
            "DATABASE_URL": "sqlite://",
            "SEARCH_INDEX_DIR": "",
        }
    )
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()} - _closed(app))


def _closed(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule_for(app, rule.endpoint) != "public"
    }


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "endpoint" in metafunc.fixturenames:
        metafunc.parametrize("endpoint", _public_endpoints())


@dataclass
class Walk:
    app: Flask
    ids: dict[str, str]


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    folder = tmp_path_factory.mktemp("walk")
    with fresh_app(folder, areas=False) as app:
        (folder / "dumps").mkdir()
        app.config["DUMPS_DIR"] = str(folder / "dumps")
        with app.app_context():
            ids = _people(Factory(db.session))
            sync.drain(db.session, index_root(app), wait=True)
        dump = app.test_cli_runner().invoke(args=["export", "dump", str(folder / "dumps")])
        assert dump.exit_code == 0, dump.output
        ids["snapshot"] = next((folder / "dumps").iterdir()).name
        yield Walk(app, ids)


def _people(make: Factory) -> dict[str, str]:
    refused = {**OPEN_DISCLOSURE, "cv": "refused"}  # every one of them flagged
    programme = [f"Irigasi desa {SHARED_WORD}"]
    visible = make.candidacy(VISIBLE, party_number=1, disclosure=refused, programme=programme)
    hidden_candidacy = make.candidacy(
        HIDDEN_CANDIDACY, party_number=2, disclosure=refused, programme=programme
    )
    hidden_person = make.candidacy(
        HIDDEN_PERSON, party_number=3, disclosure=refused, programme=programme
    )
    withdrawn = make.candidacy(WITHDRAWN, party_number=4, disclosure=refused, programme=programme)
    make.hide(hidden_candidacy)
    make.hide(hidden_person.person)
    make.update(withdrawn, stage="withdrawn")
    volunteer = make.user()
    session = make.session
    for kind, candidacy_id, payload in (
        ("candidacy", None, {"full_name": PENDING, "district": "3304", "party": "pkb"}),
        ("profile", visible.id, {"biography": f"{PENDING} menulis riwayat ini."}),
    ):
        session.add(
            Submission(
                kind=kind,
                submitter_id=volunteer.id,
                candidacy_id=candidacy_id,
                payload=payload,
                sources=[{"url": "https://contoh.example/usulan", "title": "Usulan"}],
            )
        )
    session.commit()
    election = session.scalar(select(Election.id).where(Election.slug == "pemilu-2024"))
    parties = dict(
        session.execute(
            select(Party.number, Party.id).where(
                Party.election_id == election, Party.number.in_((1, 2, 3, 4))
            )
        ).all()
    )
    district = session.scalar(
        select(District.id)
        .join(Office, District.office_id == Office.id)
        .where(District.election_id == election, District.code == "3304", Office.code == "DPR")
    )
    return {
        "visible": str(visible.id),
        "hidden_candidacy": str(hidden_candidacy.id),
        "hidden_person": str(hidden_person.id),
        "withdrawn": str(withdrawn.id),
        "district": str(district),
        **{f"party{number}": str(party_id) for number, party_id in parties.items()},
    }


def _text(body: bytes) -> str:
    """What a reader of the answer sees: an Excel file's sheets and strings, or the text."""
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            return "\n".join(
                workbook.read(name).decode("utf-8")
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
    text = body.decode("utf-8", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        # JSON as written, and with its escapes read, so "\u00e9" and "é" both match.
        return text + "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return text


def test_every_public_route_shows_what_is_public(walk: Walk, endpoint: str) -> None:
    assert endpoint in ROUTES, (
        f"public route {endpoint!r} is not walked: add what it must show to ROUTES"
    )
    for item in ROUTES[endpoint]:
        url = item.url.format(**walk.ids)
        # A client each: a comparison tray kept in one answer's cookie stays out of the next.
        response = walk.app.test_client().open(url, method=item.method)
        body = response.get_data()
        response.close()
        assert response.status_code == item.status, url
        seen = _text(body)
        compact = seen.replace(": ", ":").replace(", ", ",")
        for name in NAMES:
            if name in item.shows:
                assert name in seen, f"{url} should show {name}"
            else:
                assert name not in seen, f"{url} shows {name}"
        for text in item.also:
            assert text.format(**walk.ids) in compact, f"{url} lacks {text!r}"
        for text in item.never:
            assert text not in compact, f"{url} shows {text!r}"


def test_the_walk_names_no_route_the_app_lacks() -> None:
    """A row of ROUTES for a route that is gone (or closed) would test nothing."""
    assert sorted(ROUTES) == _public_endpoints()


def test_hiding_a_person_leaves_every_count_at_once(client: Any, make: Factory) -> None:
    """Counts seen before the hide (the list's page index, the statistics cache, the home
    figures) do not keep counting a person hidden after them."""
    refused = {**OPEN_DISCLOSURE, "cv": "refused"}
    make.candidacy(VISIBLE, disclosure=refused)
    later_hidden = make.candidacy(HIDDEN_PERSON, disclosure=refused)
    pages = ("/candidates", "/flagged", "/statistics", "/", "/api/v1/statistics")
    before = {url: client.get(url + "?lang=id").get_data(as_text=True) for url in pages}
    assert "2 calon" in before["/candidates"] and "2 calon bertanda" in before["/flagged"]
    assert "dari 2 calon terdaftar" in before["/statistics"]
    make.hide(later_hidden.person)
    after = {url: client.get(url + "?lang=id").get_data(as_text=True) for url in pages}
    assert "1 calon" in after["/candidates"] and HIDDEN_PERSON not in after["/candidates"]
    assert "1 calon bertanda" in after["/flagged"]
    assert "dari 1 calon terdaftar" in after["/statistics"]
    assert "<dd>1</dd>" in after["/"] and "<dd>2</dd>" not in after["/"]
    assert '"total":1' in after["/api/v1/statistics"].replace(": ", ":")
