"""The OpenAPI 3.1 document of /api/v1, built from the same constants the API uses.

Schemas (schemas.py) are JSON Schema 2020-12 (OpenAPI 3.1's dialect);
`tests/test_api_openapi.py` validates every documented endpoint's real answers against them.
"""

from __future__ import annotations

from typing import Any

from transparency.api import parameters
from transparency.api.schemas import SCHEMAS, SEARCH_SCHEMAS, query_parameter, ref

SEARCH_PATH = "/api/v1/search"


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


ERRORS = {
    "400": _json("bad input: the message names the parameter and what is wrong", "Error"),
    "429": {
        **_json("too many requests; retry after the Retry-After header's seconds", "Error"),
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
}
NOT_MODIFIED = {"304": {"description": "not modified (If-None-Match matched the ETag)"}}


def _get(summary: str, ok: dict[str, Any], parameters: list, **responses: Any) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {"200": ok, **NOT_MODIFIED, **ERRORS, **responses},
        }
    }


def document(server_url: str, known: parameters.KnownValues | None = None) -> dict[str, Any]:
    """`known`: the filter values the database holds (their enums); without it, strings."""
    filters = parameters.filter_parameters(known)
    election, office, province = filters[:3]
    pages = parameters.page_parameters()
    paths: dict[str, Any] = {
        "/api/v1/": _get("Index of the API", _json("the endpoints", "ApiIndex"), []),
        "/api/v1/candidates": _get(
            "Candidates, with the filters of /candidates",
            _json("a page of candidates", "CandidateList"),
            filters + pages,
        ),
        "/api/v1/candidates/{candidacy_id}": _get(
            "One candidate: identity, programme, track record, disclosure, sources, replies",
            _json("the candidate", "CandidateDetail"),
            [
                {
                    "name": "candidacy_id",
                    "in": "path",
                    "required": True,
                    "description": "the candidacy's id",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                }
            ],
            **{"404": _json("no such public candidacy (missing or hidden)", "Error")},
        ),
        "/api/v1/parties": _get(
            "Parties with their ballot numbers",
            _json("all parties", "PartyList"),
            [election],
        ),
        "/api/v1/districts": _get(
            "Electoral districts (dapil) with their seats",
            _json("a page of districts", "DistrictList"),
            [election, office, province, *pages],
        ),
        "/api/v1/statistics": _get(
            "Disclosure figures of the filtered list, by party, province and office",
            _json("the figures", "Statistics"),
            filters,
        ),
        "/api/v1/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }
    # Served by the search module's blueprint (views/search_api.py); one document for both.
    paths[SEARCH_PATH] = _get(
        "Full-text search over candidates, with the list filters",
        _json("20 hits a page, best matches first, with facets", "SearchPage"),
        # The index holds the current list only: search takes no `stage`.
        [item for item in filters if item["name"] != "stage"]
        + parameters.page_parameters(per_page=False),
    )
    paths[SEARCH_PATH + "/suggest"] = _get(
        "Candidate names starting with the typed text, for suggestions as you type",
        _json("up to 10 names", "NameSuggestions"),
        [
            query_parameter(
                "q",
                "the text typed so far (at most 200 characters)",
                parameters.text_schema(),
            )
        ],
    )
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Jejak Terbuka API",
            "version": "1.0.0",
            "description": "Read-only API: candidates, their disclosure, parties, districts "
            "and statistics. Lists take the filters of /candidates. Errors are "
            '{"error": {"code", "message"}}. Responses carry an ETag (send If-None-Match '
            "for a 304); CORS is open for GET; requests are rate-limited per client address.",
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": paths,
        "components": {"schemas": {**SCHEMAS, **SEARCH_SCHEMAS}},
    }
