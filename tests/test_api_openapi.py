"""The OpenAPI document describes the API as it answers: every documented endpoint is called
and its answer validated against the documented schema."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.test_api import people  # noqa: F401 - the same data
from transparency.api.openapi import document as openapi_document

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


def test_search_is_documented_once_its_blueprint_is_merged():
    assert "/api/v1/search" not in openapi_document("http://x/")["paths"]
    assert "/api/v1/search" in openapi_document("http://x/", include_search=True)["paths"]


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
