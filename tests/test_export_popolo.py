"""/export/popolo.json: valid against the Popolo schemas, every reference resolves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from tests.test_exports import flag

SCHEMAS = Path(__file__).parent / "popolo_schemas"
BASE = "http://www.popoloproject.com/schemas/"


def validators() -> dict[str, Draft3Validator]:
    registry = Registry()
    loaded = {}
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        loaded[path.stem] = schema
        registry = registry.with_resource(BASE + path.name, Resource(schema, DRAFT3))
        registry = registry.with_resource(BASE + path.name + "#", Resource(schema, DRAFT3))
    return {name: Draft3Validator(schema, registry=registry) for name, schema in loaded.items()}


@pytest.fixture
def document(client, make):
    first = make.candidacy("Siti Rahayu", party_number=1, disclosure={"cv": "refused"})
    flag(first)
    make.candidacy("Calon DPD", office="DPD", district="33", party_number=None)
    response = client.get("/export/popolo.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="jejak-')
    return json.loads(response.get_data())


def test_every_item_is_valid_popolo(document):
    check = validators()
    for collection, schema in (
        ("persons", "person"),
        ("organizations", "organization"),
        ("memberships", "membership"),
        ("posts", "post"),
        ("areas", "area"),
    ):
        assert document[collection], collection
        for item in document[collection]:
            errors = list(check[schema].iter_errors(item))
            assert not errors, (collection, item["id"], [e.message for e in errors])


def test_references_between_items_resolve(document):
    ids = {
        name: {item["id"] for item in document[name]}
        for name in ("persons", "organizations", "posts", "areas")
    }
    for name in ids:
        assert len(ids[name]) == len(document[name]), f"duplicate ids in {name}"
    for membership in document["memberships"]:
        assert membership["person_id"] in ids["persons"]
        assert membership["organization_id"] in ids["organizations"]
        assert membership["post_id"] in ids["posts"]
        assert membership["area_id"] in ids["areas"]
        if "on_behalf_of_id" in membership:
            assert membership["on_behalf_of_id"] in ids["organizations"]
    for post in document["posts"]:
        assert post["organization_id"] in ids["organizations"]
        assert post["area_id"] in ids["areas"]
    for area in document["areas"]:
        assert area.get("parent_id", next(iter(ids["areas"]))) in ids["areas"]


def test_disclosure_travels_under_extension_keys(document):
    by_name = {p["id"]: p["name"] for p in document["persons"]}
    flagged = [m for m in document["memberships"] if by_name[m["person_id"]] == "Siti Rahayu"]
    (membership,) = flagged
    disclosure = membership["jejak_terbuka:disclosure"]
    assert disclosure["flagged"] is True
    assert disclosure["flags"][0]["rule_id"] == "R-CV"
    assert disclosure["disclosure"]["cv"]["status"] == "refused"
    assert "jejak_terbuka:disclosure" in document["meta"]["extensions"]
    dpd = [m for m in document["memberships"] if by_name[m["person_id"]] == "Calon DPD"]
    assert "on_behalf_of_id" not in dpd[0]


def test_popolo_follows_the_filters(client, make):
    make.candidacy("Siti Rahayu", party_number=1)
    make.candidacy("Andi", party_number=2)
    document = json.loads(client.get("/export/popolo.json?party=pkb").get_data())
    assert [p["name"] for p in document["persons"]] == ["Siti Rahayu"]
    assert len(document["memberships"]) == 1
