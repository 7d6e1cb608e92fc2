"""The OpenAPI 3.1 document of /api/v1, built from the same constants the API uses.

Schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect); `tests/test_api_openapi.py`
validates every documented endpoint's real answers against them.
"""

from __future__ import annotations

from typing import Any

from transparency.api import parameters
from transparency.api.reading import MAX_PER_PAGE
from transparency.models import DisclosureStatus

SEARCH_PATH = "/api/v1/search"


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
DATE = _nullable("string", format="date")
DATETIME = _nullable("string", format="date-time")

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": _object(
                {
                    "code": INTEGER,
                    "message": {"type": "string", "description": "what is wrong"},
                }
            )
        }
    ),
    "Source": _object(
        {
            "url": STRING,
            "title": STRING,
            "publisher": _nullable("string"),
            "accessed_on": DATE,
            "archived_url": _nullable("string"),
        }
    ),
    "Party": _object(
        {
            "slug": STRING,
            "number": INTEGER,
            "short_name": STRING,
            "name": STRING,
            "election": STRING,
            "region": _nullable("string", description="region code of a local party"),
        }
    ),
    "District": _object(
        {
            "code": STRING,
            "name": STRING,
            "seats": _nullable("integer"),
            "election": STRING,
            "office": STRING,
            "province": _nullable("string"),
        }
    ),
    "Flag": _object(
        {
            "rule_id": _nullable("string"),
            "requirement": _nullable("string"),
            "status": _nullable("string"),
            "checked_at": _nullable("string"),
            "reason_id": _nullable("string", description="the reason, in Bahasa Indonesia"),
            "reason_en": _nullable("string", description="the reason, in English"),
            "source_url": _nullable("string"),
            "source_title": _nullable("string"),
        }
    ),
    "CandidateSummary": _object(
        {
            "id": INTEGER,
            "url": STRING,
            "profile_url": STRING,
            "name": STRING,
            "gender": _nullable("string", enum=["L", "P", None]),
            "election": STRING,
            "office": STRING,
            "province": {"oneOf": [_object({"code": STRING, "name": STRING}), {"type": "null"}]},
            "district": _object({"code": STRING, "name": STRING}),
            "party": {"oneOf": [_ref("Party"), {"type": "null"}]},
            "ballot_number": INTEGER,
            "stage": STRING,
            "disclosure_score": _nullable("integer", minimum=0, maximum=100),
            "flagged": {"type": "boolean"},
            "flags": {"type": "array", "items": _ref("Flag")},
            "ruleset_version": _nullable("string"),
            "flagged_since": DATETIME,
        }
    ),
    "CandidateDetail": {
        "allOf": [
            _ref("CandidateSummary"),
            _object(
                {
                    "person": _object(
                        {
                            "birth_date": DATE,
                            "birth_place": _nullable("string"),
                            "domicile": _nullable("string"),
                            "education": _nullable("string"),
                            "occupation": _nullable("string"),
                            "biography": _nullable("string"),
                            "photo_url": _nullable("string"),
                            "is_fictional": {"type": "boolean"},
                        }
                    ),
                    "programme": {
                        "type": "array",
                        "items": _object(
                            {
                                "kind": STRING,
                                "text": STRING,
                                "source": {"oneOf": [_ref("Source"), {"type": "null"}]},
                            }
                        ),
                    },
                    "track_record": {
                        "type": "array",
                        "items": _object(
                            {
                                "kind": STRING,
                                "title": STRING,
                                "description": _nullable("string"),
                                "organisation": _nullable("string"),
                                "start_year": _nullable("integer"),
                                "end_year": _nullable("integer"),
                                "legal_status": _nullable("string"),
                                "court_reference": _nullable("string"),
                                "amount": _nullable("integer"),
                                "sources": {"type": "array", "items": _ref("Source")},
                            }
                        ),
                    },
                    "disclosure": {
                        "type": "array",
                        "items": _object(
                            {
                                "requirement": STRING,
                                "status": {"enum": [status.value for status in DisclosureStatus]},
                                "checked_at": DATE,
                                "note": _nullable("string"),
                                "source": {"oneOf": [_ref("Source"), {"type": "null"}]},
                            }
                        ),
                    },
                    "replies": {
                        "type": "array",
                        "items": _object(
                            {
                                "rule_id": _nullable("string"),
                                "author_kind": STRING,
                                "author_name": STRING,
                                "text": STRING,
                                "replied_on": DATE,
                                "source": {"oneOf": [_ref("Source"), {"type": "null"}]},
                            }
                        ),
                    },
                    "sources": {"type": "array", "items": _ref("Source")},
                }
            ),
        ]
    },
    "PageMeta": _object(
        {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
            "filters": {"type": "object", "additionalProperties": STRING},
        }
    ),
    "PageLinks": _object(
        {"self": STRING, "next": _nullable("string"), "prev": _nullable("string")}
    ),
    "CandidateList": _object(
        {
            "data": {"type": "array", "items": _ref("CandidateSummary")},
            "meta": _ref("PageMeta"),
            "links": _ref("PageLinks"),
        }
    ),
    "PartyList": _object({"data": {"type": "array", "items": _ref("Party")}}),
    "DistrictList": _object(
        {
            "data": {"type": "array", "items": _ref("District")},
            "meta": _ref("PageMeta"),
            "links": _ref("PageLinks"),
        }
    ),
    "Tally": _object(
        {
            "key": _nullable("string"),
            "name": _nullable("string"),
            "total": INTEGER,
            "flagged": INTEGER,
            "disclosed": INTEGER,
            "flagged_share": _nullable("number", minimum=0, maximum=1),
        }
    ),
    "Statistics": _object(
        {
            "filters": {"type": "object", "additionalProperties": STRING},
            "total": INTEGER,
            "flagged": INTEGER,
            "disclosed": INTEGER,
            "not_evaluated": INTEGER,
            "by_party": {"type": "array", "items": _ref("Tally")},
            "by_province": {"type": "array", "items": _ref("Tally")},
            "by_office": {"type": "array", "items": _ref("Tally")},
        }
    ),
    "ApiIndex": _object(
        {
            "name": STRING,
            "version": STRING,
            "openapi": STRING,
            "endpoints": {"type": "object", "additionalProperties": STRING},
        }
    ),
}


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


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


_NULLABLE_STRING = {"type": ["string", "null"]}
SEARCH_SCHEMAS: dict[str, Any] = {
    "SearchHit": {
        "type": "object",
        "required": ["id", "name", "office", "district", "ballot_number", "flagged", "url"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "party": _NULLABLE_STRING,
            "office": {"type": "string"},
            "district": {"type": "string"},
            "district_code": {"type": "string"},
            "ballot_number": {"type": "integer"},
            "flagged": {"type": "boolean"},
            "score": {"type": ["number", "null"]},
            "snippet_html": {
                **_NULLABLE_STRING,
                "description": "escaped text; matches wrapped in <mark>",
            },
            "snippet_field": _NULLABLE_STRING,
            "url": {"type": "string"},
        },
    },
    "SearchPage": {
        "type": "object",
        "required": ["query", "page", "per_page", "total", "total_is_estimate", "hits", "facets"],
        "properties": {
            "query": {"type": "string"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "pages": {"type": "integer"},
            "total": {"type": "integer"},
            "total_is_estimate": {
                "type": "boolean",
                "description": "true past 10,000 matches: the total is then 'more than'",
            },
            "or_fallback": {
                "type": "boolean",
                "description": "no hit had every word; these hits have some of them",
            },
            "suggestion": {**_NULLABLE_STRING, "description": "did you mean"},
            "message": _NULLABLE_STRING,
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["value", "count"],
                        "properties": {
                            "value": {"type": "string"},
                            "label": {"type": "string"},
                            "count": {"type": "integer"},
                            "selected": {"type": "boolean"},
                        },
                    },
                },
            },
        },
    },
    "NameSuggestions": {
        "type": "object",
        "required": ["query", "names"],
        "properties": {
            "query": {"type": "string"},
            "names": {"type": "array", "items": {"type": "object"}},
        },
    },
}


def document(
    server_url: str, include_search: bool = False, known: parameters.KnownValues | None = None
) -> dict[str, Any]:
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
    if include_search:
        # Served by the search module's blueprint; documented here so there is one document.
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
                _query(
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
        "components": {"schemas": {**SCHEMAS, **(SEARCH_SCHEMAS if include_search else {})}},
    }
