"""No public answer shows a contributor's e-mail address, private name or account id.

One fixture where every kind of contributor has left a trace: a volunteer registered through
the form with a public name, proposals approved by two reviewers (one of them renamed on the
account page, one with the default name), a reply, a revert, an official-list import run by
an administrator. Its e-mail addresses and private names are known literals.

The walk starts from every public URL of tests/test_visibility_walk.py's ROUTES (which fails
on a public route nobody wrote down), in both languages, and follows every link of the
public site each answer holds (HTML, Atom, JSON, CSV), up to MAX_ANSWERS answers. No answer
may hold an address, a private name, an account-id field ("user_id", "proposed_by_id"...)
or an account written as "user 3"; JSON keys and CSV headers may not name an e-mail or a user.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from tests.auth_helpers import DEFAULT_PASSWORD, AuthActions, source_fields
from tests.conftest import fresh_app
from tests.factories import Factory
from tests.test_visibility_walk import ROUTES, _people, _text
from transparency.access import rule_for
from transparency.extensions import db
from transparency.models import Candidacy, Person, Revision, Submission, SubmissionKind, User
from transparency.search import sync
from transparency.search.store import index_root

VOLUNTEER = {"email": "sri.rahasia@contoh.example", "public": "Pelita Desa"}
REVIEWER = {"email": "bambang.rahasia@contoh.example", "name": "Bambang Tersembunyi"}
RENAMED = {"email": "dewi.rahasia@contoh.example", "name": "Dewi Tersembunyi"}
RENAMED_PUBLIC = "Mata Elang Nusantara"
ADMIN = {"email": "admin.rahasia@contoh.example", "name": "Admin Tersembunyi"}
IMPORTED = "Gita Impor Fiktif"
VOLUNTEER_PASSWORD = "sebuah kalimat panjang di tepi sungai"
EMAILS = (VOLUNTEER["email"], REVIEWER["email"], RENAMED["email"], ADMIN["email"])
PRIVATE_NAMES = (REVIEWER["name"], RENAMED["name"], ADMIN["name"])
# Fields and phrases of the account tables that no public answer may name.
ACCOUNT_FIELDS = re.compile(
    r"user_?id|user_account|proposed_by|approved_by|recorded_by|submitter|reviewer_id|"
    r"run_by|loaded_by|totp_secret",
    re.IGNORECASE,
)
KEY_WORDS = re.compile(r"e-?mail|user|account", re.IGNORECASE)
MAX_ANSWERS = 700
LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)""")
JSON_LINK = re.compile(r'"(https?://localhost/[^"\s]*|/[^"\s]*)"')


@dataclass
class Walked:
    app: Flask
    ids: dict[str, str]
    users: dict[str, int]
    answers: dict[str, str] = field(default_factory=dict)  # url -> what a reader sees


def _logged_in(app: Flask, email: str, password: str = DEFAULT_PASSWORD) -> FlaskClient:
    client = app.test_client()
    assert AuthActions(client).login(email, password).status_code == 302
    return client


def _propose(client: FlaskClient, candidacy_id: int, kind: str, data: dict[str, str]) -> int:
    response = client.post(
        f"/contribute/candidacies/{candidacy_id}/{kind}", data={**data, **source_fields()}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _approve(client: FlaskClient, submission_id: int) -> None:
    response = client.post(
        f"/review/submissions/{submission_id}", data={"action": "approve", "reason": "Sahih"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _contributions(app: Flask, folder: Any, visible: int) -> None:
    """Every path by which a contributor's name reaches a revision, through the real forms."""
    registering = app.test_client()
    response = registering.post(
        "/register",
        data={
            "name": VOLUNTEER["public"],
            "email": VOLUNTEER["email"],
            "password": VOLUNTEER_PASSWORD,
            "confirm": VOLUNTEER_PASSWORD,
        },
    )
    assert response.status_code == 302
    volunteer = _logged_in(app, VOLUNTEER["email"], VOLUNTEER_PASSWORD)
    reviewer = _logged_in(app, REVIEWER["email"])
    renamed = _logged_in(app, RENAMED["email"])
    assert renamed.post("/account/name", data={"display_name": RENAMED_PUBLIC}).status_code == 302

    _approve(reviewer, _propose(volunteer, visible, "profile", {"occupation": "Petani kopi"}))
    _approve(
        renamed,
        _propose(volunteer, visible, "track_record", {"kind": "career", "title": "Ketua koperasi"}),
    )
    _approve(
        reviewer,
        _propose(
            volunteer,
            visible,
            "disclosure",
            {"requirement": "lhkpn", "status": "published", "checked_at": "2024-01-02"},
        ),
    )
    reply = reviewer.post(
        f"/candidates/{visible}/replies/new",
        data={
            "author_kind": "candidate",
            "author_name": "Wulan Kencanasari",
            "text": "Data diri saya sudah terbuka.",
            "replied_on": "2023-12-01",
            "source_url": "https://berita.example/hak-jawab",
            "source_title": "Hak jawab",
        },
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)
    with app.app_context():
        entered = db.session.scalars(
            select(Submission.id).where(Submission.kind == SubmissionKind.REPLY)
        ).one()
    # A reply a reviewer entered is public once a second, different reviewer approves it.
    _approve(renamed, entered)
    with app.app_context():
        changed = db.session.scalars(
            select(Revision.id).where(Revision.entity_type == "person", Revision.origin == "review")
        ).one()
    reverted = renamed.post(f"/review/revisions/{changed}/revert", data={"reason": "Keliru"})
    assert reverted.status_code == 302

    official_list = folder / "dct.csv"
    official_list.write_text(
        "election,office,district_code,party_number,ballot_number,full_name,source_url\n"
        f"pemilu-2024,DPR,3304,1,9,{IMPORTED},https://contoh.example/dct\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(
        args=["import-candidates", str(official_list), "--user", ADMIN["email"]]
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walked]:
    folder = tmp_path_factory.mktemp("privacy")
    with fresh_app(folder, areas=False) as app:
        (folder / "dumps").mkdir()
        app.config["DUMPS_DIR"] = str(folder / "dumps")
        with app.app_context():
            make = Factory(db.session)
            ids = _people(make)
            users = {
                "reviewer": make.user(REVIEWER["email"], role="reviewer", name=REVIEWER["name"]).id,
                "renamed": make.user(RENAMED["email"], role="reviewer", name=RENAMED["name"]).id,
                "admin": make.user(ADMIN["email"], role="admin", name=ADMIN["name"]).id,
            }
        _contributions(app, folder, int(ids["visible"]))
        with app.app_context():
            users["volunteer"] = db.session.scalar(
                select(User.id).where(User.email == VOLUNTEER["email"])
            )
            ids["imported"] = str(
                db.session.scalar(
                    select(Candidacy.id).join(Person).where(Person.full_name == IMPORTED)
                )
            )
            sync.drain(db.session, index_root(app), wait=True)
        dump = app.test_cli_runner().invoke(args=["export", "dump", str(folder / "dumps")])
        assert dump.exit_code == 0, dump.output
        ids["snapshot"] = next((folder / "dumps").iterdir()).name
        walk = Walked(app, ids, users)
        _walk(walk)
        yield walk


def _public(app: Flask, path: str) -> bool:
    try:
        endpoint, _args = app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return False
    return endpoint != "static" and rule_for(app, endpoint) == "public"


def _links(url: str, body: str) -> set[str]:
    found = set(LINK.findall(body)) | set(JSON_LINK.findall(body))
    paths = set()
    for link in found:
        absolute = urlsplit(urljoin(f"http://localhost{url}", link.replace("&amp;", "&")))
        if absolute.netloc in ("", "localhost") and absolute.path.startswith("/"):
            paths.add(absolute.path + (f"?{absolute.query}" if absolute.query else ""))
    return paths


def _seeds(ids: dict[str, str]) -> list[str]:
    urls = [
        item.url.format(**ids)
        for cases in ROUTES.values()
        for item in cases
        if item.method == "GET" and item.status == 200
    ]
    urls += [f"/candidates/{ids[key]}/history" for key in ("visible", "imported", "withdrawn")]
    urls += [f"/candidates/{ids['imported']}", f"/api/v1/candidates/{ids['imported']}"]
    return [
        url + ("&" if "?" in url else "?") + f"lang={lang}" for url in urls for lang in ("id", "en")
    ]


def _walk(walk: Walked) -> None:
    queue = _seeds(walk.ids)
    seen = set(queue)
    while queue and len(walk.answers) < MAX_ANSWERS:
        url = queue.pop(0)
        response = walk.app.test_client().get(url)
        body = response.get_data()
        response.close()
        if response.status_code != 200:
            continue
        text = _text(body)
        walk.answers[url] = text
        if "json" in response.content_type or "csv" in response.content_type:
            walk.answers[url + " (structure)"] = _structure(body, response.content_type)
        for link in sorted(_links(url, text)):
            if link not in seen and _public(walk.app, urlsplit(link).path):
                seen.add(link)
                queue.append(link)


def _structure(body: bytes, content_type: str) -> str:
    """The JSON keys or the CSV header of an answer, for the naming checks."""
    text = body.decode("utf-8", errors="replace")
    if "csv" in content_type:
        return "\n".join(next(csv.reader(io.StringIO(text)), []))
    keys: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            keys.extend(value)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(json.loads(text))
    return "\n".join(sorted(set(keys)))


def test_the_walk_reaches_every_kind_of_public_answer(walked: Walked) -> None:
    urls = list(walked.answers)
    assert len(urls) >= 150, len(urls)
    for prefix in (
        "/candidates/",
        "/export/candidates.csv",
        "/export/candidates.json",
        "/export/candidates.xlsx",
        "/export/changes.csv",
        "/export/popolo.json",
        "/feeds/",
        "/api/v1/candidates",
        "/api/v1/statistics",
        "/data/",
    ):
        assert any(url.startswith(prefix) for url in urls), prefix
    assert f"/candidates/{walked.ids['visible']}/history?lang=id" in walked.answers
    assert f"/candidates/{walked.ids['visible']}/history?lang=en" in walked.answers


def test_no_public_answer_shows_an_address_a_private_name_or_an_account(walked: Walked) -> None:
    accounts = re.compile(
        r"\buser\W{0,2}(" + "|".join(str(i) for i in walked.users.values()) + r")\b",
        re.IGNORECASE,
    )
    local_parts = [email.split("@")[0] for email in EMAILS]
    problems = []
    for url, text in walked.answers.items():
        lowered = text.lower()
        for secret in (*EMAILS, *local_parts, *PRIVATE_NAMES):
            if secret.lower() in lowered:
                problems.append(f"{url}: {secret}")
        if "@" in text and re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", text):
            address = re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", text)
            problems.append(f"{url}: an e-mail address {address.group(0)!r}")
        for pattern in (ACCOUNT_FIELDS, accounts):
            found = pattern.search(text)
            if found:
                problems.append(f"{url}: {found.group(0)!r}")
        admin = walked.users["admin"]
        if f"Relawan #{admin}" in text or f"Volunteer #{admin}" in text:
            problems.append(f"{url}: the administrator who ran the import")
        if url.endswith("(structure)"):
            found = KEY_WORDS.search(text)
            if found:
                problems.append(f"{url}: a field named {found.group(0)!r}")
    assert problems == []


def test_the_history_names_contributors_by_their_public_names(walked: Walked) -> None:
    visible, imported = walked.ids["visible"], walked.ids["imported"]
    reviewer = walked.users["reviewer"]
    indonesian = walked.answers[f"/candidates/{visible}/history?lang=id"]
    assert f"Diusulkan oleh {VOLUNTEER['public']}" in indonesian
    assert f"Disetujui oleh Relawan #{reviewer}" in indonesian
    assert f"Disetujui oleh {RENAMED_PUBLIC}" in indonesian
    assert f"Dikembalikan oleh {RENAMED_PUBLIC}" in indonesian
    # The reply the reviewer entered, approved by a second reviewer
    assert f"Diusulkan oleh Relawan #{reviewer}</span>" in indonesian
    english = walked.answers[f"/candidates/{visible}/history?lang=en"]
    assert f"Proposed by {VOLUNTEER['public']}" in english
    assert f"Approved by Volunteer #{reviewer}" in english
    assert f"Reverted by {RENAMED_PUBLIC}" in english
    # An import is the organisation's: the administrator who ran it is not named at all.
    assert "Impor daftar calon resmi" in walked.answers[f"/candidates/{imported}/history?lang=id"]
    assert "Official list import" in walked.answers[f"/candidates/{imported}/history?lang=en"]
    assert "Disetujui oleh" not in walked.answers[f"/candidates/{imported}/history?lang=id"]
