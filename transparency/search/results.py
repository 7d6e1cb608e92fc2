"""What a search returns, whichever backend answered: pages of hits, facets, totals.

Totals are exact up to TOTAL_CAP matches and "more than TOTAL_CAP" past it: counting every
match of a common word at 250,000 documents costs hundreds of milliseconds in any engine,
and nobody pages past 500 pages. Facet counts come from the same bounded pass.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup

from transparency.listing import CandidateFilters, Sort
from transparency.models import Candidacy
from transparency.search.query import UserQuery
from transparency.search.schema import FACET_FIELDS

TOTAL_CAP = 10_000
PER_PAGE = 20
SUGGEST_LIMIT = 8


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Hit:
    candidacy: Candidacy
    score: float | None
    snippet: Markup | None = None
    snippet_field: str | None = None


@dataclass
class SearchPage:
    filters: CandidateFilters
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    total_is_estimate: bool = False
    page: int = 1
    per_page: int = PER_PAGE
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    suggestion: str | None = None
    or_fallback: bool = False
    message: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class Found:
    """A backend's answer to one search, before the database turns ids into hits.

    `total` counts matches up to `cap` + 1 (more means "more than cap"); `counters` hold
    the facet values of those counted matches, in FACET_FIELDS order; `ranked` is the
    requested page as (candidacy id, score or None when sorted by a field)."""

    total: int = 0
    counters: list[Counter] = field(default_factory=lambda: [Counter() for _ in FACET_FIELDS])
    ranked: list[tuple[int, float | None]] = field(default_factory=list)
    or_fallback: bool = False
    suggestion: str | None = None


def restrictions_of(filters: CandidateFilters) -> dict[str, str]:
    return {
        "election": filters.election,
        "office": filters.office,
        "party": filters.party,
        "province": filters.province,
        "district": filters.district,
        "status": filters.status.value if filters.status else "",
    }


def sort_of(filters: CandidateFilters, user: UserQuery) -> Sort:
    return filters.sort or (Sort.RELEVANCE if not user.empty else Sort.BALLOT)
