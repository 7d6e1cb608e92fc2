"""The OpenAPI document describes the API as it answers: every documented endpoint is called
and its answer validated against the documented schema."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.test_api import people  # noqa: F401 - the same data

DOC_URI = "urn:jejak-terbuka:openapi"


def validator_for(document: dict, schema: dict) -> Draft202012Validator:
    registry = Registry().with_resource(DOC_URI, Resource(document, DRAFT202012))
    rooted = {"$ref": DOC_URI + schema["$ref"]} if "$ref" in schema else schema
    return Draft202012Validator(rooted, registry=registry)


def check(document: dict, response, operation: dict) -> None:
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"undocumented status {response.status_code}"
    if "content" in documented:
        schema = documented["content"]["application/json"]["schema"]
        errors = list(validator_for(document, schema).iter_errors(response.get_json()))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["openapi"] == "3.1.0"
    return body


def test_every_api_route_is_documented_and_every_document_path_is_served(app, document):
    served = {
        rule.rule.replace("<int:candidacy_id>", "{candidacy_id}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
    }
    assert served == set(document["paths"])


def test_every_documented_endpoint_answers_as_documented(client, people, document):  # noqa: F811
    examples = {"candidacy_id": str(people["first"])}
    for path, item in document["paths"].items():
        operation = item["get"]
        url = path
        for name, value in examples.items():
            url = url.replace("{" + name + "}", value)
        check(document, client.get(url), operation)
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if "per_page" in names:
            check(document, client.get(url, query_string={"per_page": 1, "page": 2}), operation)
            check(document, client.get(url, query_string={"per_page": 100000}), operation)
        if "status" in names:
            check(document, client.get(url, query_string={"status": "flagged"}), operation)
        if "election" in names:
            check(document, client.get(url, query_string={"election": "nope"}), operation)


def test_missing_candidate_answers_the_documented_404(client, people, document):  # noqa: F811
    operation = document["paths"]["/api/v1/candidates/{candidacy_id}"]["get"]
    response = client.get("/api/v1/candidates/999999")
    assert response.status_code == 404
    check(document, response, operation)


def test_every_schema_reference_resolves(document):
    registry = Registry().with_resource(DOC_URI, Resource(document, DRAFT202012))
    resolver = registry.resolver()

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if "$ref" in node else []
            return found + [ref for value in node.values() for ref in refs(value)]
        if isinstance(node, list):
            return [ref for value in node for ref in refs(value)]
        return []

    for ref in refs(document):
        assert resolver.lookup(DOC_URI + ref).contents


def parameters_of(document: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}


def test_filter_parameters_list_the_values_the_code_accepts(document):
    filters = parameters_of(document, "/api/v1/candidates")
    assert filters["district"]["schema"]["enum"][:1] == [""]  # empty: no filter
    assert {"3304", "1101", "33"} <= set(filters["district"]["schema"]["enum"])
    assert "ACEH I" not in filters["district"]["schema"]["enum"]  # names are not codes
    assert set(filters["office"]["schema"]["enum"]) >= {"", "DPR", "DPD", "DPRD_KABKOTA"}
    assert "pkb" in filters["party"]["schema"]["enum"]
    assert filters["province"]["schema"]["enum"][1:3] == ["11", "12"]
    assert filters["election"]["schema"]["enum"] == ["", "pemilu-2024", "pilkada-2024"]
    assert filters["status"]["schema"]["enum"] == ["", "flagged", "disclosed"]
    assert filters["q"]["schema"]["maxLength"] == 200
    assert filters["q"]["schema"]["pattern"] == "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


def test_every_parameter_is_documented_and_search_takes_page(document):
    for path, item in document["paths"].items():
        for parameter in item["get"].get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])
            assert parameter.get("schema"), (path, parameter["name"])
    search = parameters_of(document, "/api/v1/search")
    assert "page" in search and "per_page" not in search
    assert set(parameters_of(document, "/api/v1/districts")) == {
        "election",
        "office",
        "province",
        "page",
        "per_page",
    }


def test_a_value_the_document_lists_is_accepted_and_one_it_does_not_is_refused(client, document):
    enum = parameters_of(document, "/api/v1/candidates")["district"]["schema"]["enum"]
    assert client.get(f"/api/v1/candidates?district={enum[-1]}").status_code == 200
    assert "ACEH+I" not in enum
    assert client.get("/api/v1/candidates?district=ACEH+I").status_code == 400
