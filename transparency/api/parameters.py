"""The query parameters of /api/v1 as OpenAPI documents them: exactly what the code accepts.

Filter values name rows (an election slug, an office code, ...), so their schemas are the
values the database holds (`known_values`), with the empty string meaning "no filter"; free
text is at most 200 characters without control characters, as `listing.parse_filters`
checks. Pure once the values are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.api.reading import DEFAULT_PER_PAGE, MAX_PER_PAGE
from transparency.listing import MAX_PAGE, MAX_PARAM_LENGTH, Sort, Status
from transparency.models import District, Election, Office, Party, Region, Stage

# What parse_filters refuses in any text parameter.
# Unicode category Cc, as transparency.inputs refuses it: C0, DEL and C1.
NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


@dataclass(frozen=True)
class KnownValues:
    """The values each filter accepts, as the database holds them now."""

    elections: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()


def known_values(session: Session) -> KnownValues:
    def distinct(column: Any, *where: Any) -> tuple[str, ...]:
        return tuple(sorted(set(session.scalars(select(column).where(*where)))))

    return KnownValues(
        elections=distinct(Election.slug),
        offices=distinct(Office.code),
        provinces=distinct(Region.code, Region.level == "province"),
        districts=distinct(District.code),
        parties=distinct(Party.slug),
    )


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _one_of(values: tuple[str, ...]) -> dict[str, Any]:
    """A filter naming rows: one of the known values, or empty (no filter)."""
    if not values:
        return text_schema()
    return {"type": "string", "enum": ["", *values]}


def text_schema() -> dict[str, Any]:
    return {"type": "string", "maxLength": MAX_PARAM_LENGTH, "pattern": NO_CONTROL_CHARACTERS}


def filter_parameters(known: KnownValues | None) -> list[dict[str, Any]]:
    """election, office, province, district, party, status, stage, sort, q: in this order."""
    known = known or KnownValues()
    return [
        _query("election", "election slug, e.g. pemilu-2024", _one_of(known.elections)),
        _query("office", "office code, e.g. DPR", _one_of(known.offices)),
        _query("province", "province code (Kemendagri), e.g. 33", _one_of(known.provinces)),
        _query(
            "district",
            "district (dapil) code, e.g. 3304; a code may name a district of each election "
            "and office",
            _one_of(known.districts),
        ),
        _query("party", "party slug, e.g. pkb", _one_of(known.parties)),
        _query(
            "status",
            "flagged: a required disclosure refused or missing after its deadline; disclosed: "
            "evaluated and not flagged",
            {"type": "string", "enum": ["", *(status.value for status in Status)]},
        ),
        _query(
            "stage",
            "the current list when empty (DCS, DCT and elected); otherwise only candidacies of "
            "this stage, e.g. withdrawn (left a later official list); with q, only the current "
            "list is searched",
            {"type": "string", "enum": ["", *(stage.value for stage in Stage)]},
        ),
        _query(
            "sort",
            "order of the list: ballot (district, party, ballot number; the default), name, "
            "score (lowest first), relevance (with q)",
            {"type": "string", "enum": ["", *(sort.value for sort in Sort)]},
        ),
        _query(
            "q",
            "full-text query over names, programmes and track records (at most "
            f"{MAX_PARAM_LENGTH} characters)",
            text_schema(),
        ),
    ]


def _whole_number(maximum: int) -> dict[str, Any]:
    """1..maximum, or empty for the default (as the code reads an empty value)."""
    return {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": maximum},
            {"type": "string", "enum": [""]},
        ]
    }


def page_parameters(per_page: bool = True) -> list[dict[str, Any]]:
    page = _query(
        "page", f"page number, 1 to {MAX_PAGE} (empty or absent: 1)", _whole_number(MAX_PAGE)
    )
    if not per_page:
        return [page]
    return [
        page,
        _query(
            "per_page",
            f"items per page, 1 to {MAX_PER_PAGE} (empty or absent: {DEFAULT_PER_PAGE})",
            _whole_number(MAX_PER_PAGE),
        ),
    ]
