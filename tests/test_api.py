"""/api/v1: the same lists as the pages, JSON errors, caching, CORS and rate limits."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import drop_test_tables
from tests.test_exports import flag
from transparency import create_app
from transparency.extensions import db
from transparency.models import Reply
from transparency.revisions import provenance


@pytest.fixture
def people(make):
    first = make.candidacy(
        "Siti Rahayu",
        party_number=1,
        disclosure={"cv": "refused", "criminal_record": "published"},
        programme=["Sekolah gratis"],
        track_record=[{"kind": "legal_case", "title": "Perkara", "legal_status": "acquitted"}],
    )
    flag(first)
    with provenance(db.session, origin="test"):
        db.session.add(
            Reply(
                candidacy=first,
                author_kind="candidate",
                author_name="Siti Rahayu",
                text="Data akan kami buka.",
                replied_on=date(2023, 11, 20),
            )
        )
        db.session.flush()
    second = make.candidacy("Andi", party_number=2, district="3301")
    hidden = make.candidacy("Tersembunyi", party_number=1)
    with provenance(db.session, origin="test"):
        hidden.hidden = True
        db.session.flush()
    ids = {"first": first.id, "second": second.id, "hidden": hidden.id}
    db.session.commit()
    return ids


def test_candidate_list_agrees_with_the_list_query(client, people, make):
    """Each filter gives the fixture's candidacies it names, in ballot order (3301 before
    3304); a hidden person's flagged candidacy is in none, a withdrawn one only on request."""
    hidden_person = make.candidacy(
        "Orang Tersembunyi",
        party_number=1,
        disclosure={"cv": "refused", "criminal_record": "published"},
    )
    make.hide(hidden_person.person)
    withdrawn = make.update(make.candidacy("Sudah Mundur", party_number=1), stage="withdrawn")
    expected = {
        (): [people["second"], people["first"]],
        (("status", "flagged"),): [people["first"]],
        (("party", "pkb"),): [people["first"]],
        (("district", "3301"),): [people["second"]],
        (("stage", "withdrawn"),): [withdrawn.id],
    }
    for args, ids in expected.items():
        body = client.get("/api/v1/candidates", query_string=dict(args)).get_json()
        assert [item["id"] for item in body["data"]] == ids, args
        assert body["meta"]["total"] == len(ids), args
    assert client.get(f"/api/v1/candidates/{hidden_person.id}").status_code == 404
    detail = client.get(f"/api/v1/candidates/{withdrawn.id}").get_json()
    assert detail["stage"] == "withdrawn" and detail["name"] == "Sudah Mundur"


def test_pagination_pages_and_links(client, people):
    body = client.get("/api/v1/candidates?per_page=1").get_json()
    assert body["meta"] == {
        "page": 1,
        "per_page": 1,
        "total": 2,
        "pages": 2,
        "filters": {},
    }
    assert body["links"]["prev"] is None
    second = client.get(body["links"]["next"]).get_json()
    assert second["meta"]["page"] == 2 and second["links"]["next"] is None
    assert {body["data"][0]["id"], second["data"][0]["id"]} == {people["first"], people["second"]}


def test_one_candidate_has_programme_record_disclosure_sources_and_replies(client, people):
    body = client.get(f"/api/v1/candidates/{people['first']}").get_json()
    assert body["name"] == "Siti Rahayu"
    assert body["flagged"] is True and body["flags"][0]["rule_id"] == "R-CV"
    assert [p["text"] for p in body["programme"]] == ["Sekolah gratis"]
    assert body["track_record"][0]["legal_status"] == "acquitted"
    statuses = {item["requirement"]: item["status"] for item in body["disclosure"]}
    assert statuses == {"cv": "refused", "criminal_record": "published"}
    assert body["replies"][0]["text"] == "Data akan kami buka."
    assert body["sources"][0]["url"] == "https://contoh.example/sumber"


@pytest.mark.parametrize(
    ("url", "code", "word"),
    [
        ("/api/v1/candidates?per_page=100000", 400, "per_page"),
        ("/api/v1/candidates?per_page=0", 400, "per_page"),
        ("/api/v1/candidates?party=none", 400, "party"),
        ("/api/v1/candidates?status=maybe", 400, "status"),
        ("/api/v1/candidates?page=-1", 400, "page"),
        ("/api/v1/districts?office=KING", 400, "office"),
        ("/api/v1/parties?election=pemilu-1955", 400, "election"),
        ("/api/v1/candidates/999999", 404, "999999"),
        ("/api/v1/nothing-here", 404, ""),
    ],
)
def test_errors_are_json_objects_saying_what_is_wrong(client, people, url, code, word):
    response = client.get(url)
    assert response.status_code == code
    error = response.get_json()["error"]
    assert error["code"] == code
    assert word in error["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_hidden_candidate_is_not_found(client, people):
    assert client.get(f"/api/v1/candidates/{people['hidden']}").status_code == 404


def test_etag_gives_304_and_cors_is_open(client, people):
    response = client.get("/api/v1/parties?election=pemilu-2024")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    etag = response.headers["ETag"]
    again = client.get("/api/v1/parties?election=pemilu-2024", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert len(response.get_json()["data"]) == 24


def test_statistics_count_the_filtered_list(client, people):
    body = client.get("/api/v1/statistics").get_json()
    assert (body["total"], body["flagged"]) == (2, 1)
    by_party = {row["key"]: row for row in body["by_party"]}
    assert by_party["pkb"]["flagged"] == 1 and by_party["pkb"]["flagged_share"] == 1.0


def test_statistics_keep_refused_not_found_no_response_and_not_checked_apart(client, people, make):
    make.candidacy("Belum Diperiksa", party_number=3, disclosure={})
    make.candidacy("Tak Ditemukan", party_number=3, disclosure={"cv": "not_found"})
    cv = client.get("/api/v1/statistics").get_json()["cv"]
    assert (cv["checked"], cv["refused"], cv["not_found"], cv["no_response"]) == (3, 1, 1, 0)
    assert (cv["published"], cv["not_checked"]) == (1, 1)
    assert cv["refused_share"] == 0.333  # 1 of the 3 checked, not of all 4


@pytest.fixture
def limited_client(app_config, ratelimit_store):
    app = create_app(
        {
            **app_config,
            **ratelimit_store,
            "RATELIMIT_ENABLED": True,
            "API_RATE_LIMIT": "2 per minute",
            "EXPORT_RATE_LIMIT": "1 per minute",
        }
    )
    with app.app_context():
        db.create_all()
    yield app.test_client()
    drop_test_tables(app)


def test_rate_limit_answers_429_with_retry_after(limited_client):
    for _ in range(2):
        assert limited_client.get("/api/v1/parties").status_code == 200
    response = limited_client.get("/api/v1/parties")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == 429
    assert limited_client.get("/export/candidates.csv").status_code == 200
    exports = limited_client.get("/export/candidates.csv")
    assert exports.status_code == 429
    assert int(exports.headers["Retry-After"]) > 0
