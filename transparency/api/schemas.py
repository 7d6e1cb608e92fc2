"""The JSON Schemas (2020-12) of the API's answers, for the OpenAPI document (openapi.py)."""

from __future__ import annotations

from typing import Any

from transparency.api.reading import MAX_PER_PAGE
from transparency.models import DisclosureStatus


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def query_parameter(
    name: str, description: str, schema: dict[str, Any] | None = None
) -> dict[str, Any]:
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
            "party": {"oneOf": [ref("Party"), {"type": "null"}]},
            "ballot_number": INTEGER,
            "stage": STRING,
            "disclosure_score": _nullable("integer", minimum=0, maximum=100),
            "flagged": {"type": "boolean"},
            "flags": {"type": "array", "items": ref("Flag")},
            "ruleset_version": _nullable("string"),
            "flagged_since": DATETIME,
        }
    ),
    "CandidateDetail": {
        "allOf": [
            ref("CandidateSummary"),
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
                                "source": {"oneOf": [ref("Source"), {"type": "null"}]},
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
                                "sources": {"type": "array", "items": ref("Source")},
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
                                "sections": {
                                    "oneOf": [
                                        _object(
                                            {
                                                "published": {"type": "array", "items": STRING},
                                                "withheld": {"type": "array", "items": STRING},
                                            }
                                        ),
                                        {"type": "null"},
                                    ]
                                },
                                "source": {"oneOf": [ref("Source"), {"type": "null"}]},
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
                                "source": {"oneOf": [ref("Source"), {"type": "null"}]},
                            }
                        ),
                    },
                    "sources": {"type": "array", "items": ref("Source")},
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
            "data": {"type": "array", "items": ref("CandidateSummary")},
            "meta": ref("PageMeta"),
            "links": ref("PageLinks"),
        }
    ),
    "PartyList": _object({"data": {"type": "array", "items": ref("Party")}}),
    "DistrictList": _object(
        {
            "data": {"type": "array", "items": ref("District")},
            "meta": ref("PageMeta"),
            "links": ref("PageLinks"),
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
    # One item's figures: what was established, kept apart; shares over the checked items.
    "ItemFigures": _object(
        {
            "checked": INTEGER,
            "published": INTEGER,
            "partial": INTEGER,
            "refused": INTEGER,
            "not_found": INTEGER,
            "requested": INTEGER,
            "no_response": INTEGER,
            "not_checked": INTEGER,
            "refused_share": _nullable("number", minimum=0, maximum=1),
            "not_found_share": _nullable("number", minimum=0, maximum=1),
            "no_response_share": _nullable("number", minimum=0, maximum=1),
        }
    ),
    "Statistics": _object(
        {
            "filters": {"type": "object", "additionalProperties": STRING},
            "total": INTEGER,
            "flagged": INTEGER,
            "disclosed": INTEGER,
            "not_evaluated": INTEGER,
            "cv": ref("ItemFigures"),
            "by_party": {"type": "array", "items": ref("Tally")},
            "by_province": {"type": "array", "items": ref("Tally")},
            "by_office": {"type": "array", "items": ref("Tally")},
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
