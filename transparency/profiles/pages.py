"""A page of candidacies: the count, the page's ids from the covering index, then its rows.

Every list loads its rows in a fixed number of queries, whatever the page size (no N+1).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session, joinedload

from transparency.listing import CandidateFilters, Sort, candidacy_query
from transparency.models import (
    Candidacy,
)
from transparency.visibility import hidden_people_stamp

PER_PAGE = 50


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def first_number(self) -> int:
        """The position of the first item on this page, counted from 1."""
        return (self.page - 1) * self.per_page + 1


def _row_options() -> tuple:
    return (
        joinedload(Candidacy.person),
        joinedload(Candidacy.party),
        joinedload(Candidacy.office),
        joinedload(Candidacy.district),
        joinedload(Candidacy.election),
    )


def candidacy_rows(session: Session, ids: Sequence[int]) -> list[Candidacy]:
    """Candidacies by id (from a listed query), in the order given, with what a list row
    shows: one query."""
    if not ids:
        return []
    rows = session.scalars(select(Candidacy).where(Candidacy.id.in_(ids)).options(*_row_options()))
    by_id = {row.id: row for row in rows.unique()}
    return [by_id[key] for key in ids if key in by_id]


BALLOT_KEY = (
    Candidacy.list_district,
    Candidacy.list_party,
    Candidacy.ballot_number,
    Candidacy.id,
)


@dataclass
class _Layout:
    version: Any
    total: int
    anchors: list[tuple]  # the ballot key of the last row of page 1, 2, ...


class PageIndex:
    """Where each page of a list begins, per filter set, while the candidacies do not change.

    A deep page by OFFSET walks the index up to it: 100+ ms at 250,000 rows on a busy machine.
    With the key of each page's last row known, any page is one index seek (keyset). The
    count and the page keys are computed once per data version (the newest
    Candidacy.updated_at, an index lookup, and visibility.hidden_people_stamp, since hiding a
    person changes no candidacy row), so every process sees changes at once.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._layouts: OrderedDict[Hashable, _Layout] = OrderedDict()

    def get(self, key: Hashable, version: Any) -> _Layout | None:
        layout = self._layouts.get(key)
        if layout is None or layout.version != version:
            return None
        self._layouts.move_to_end(key)
        return layout

    def put(self, key: Hashable, layout: _Layout) -> None:
        self._layouts[key] = layout
        self._layouts.move_to_end(key)
        while len(self._layouts) > self.size:
            self._layouts.popitem(last=False)


def candidacy_page(
    session: Session,
    stmt: Select,
    page: int,
    per_page: int | None = None,
    *,
    index: PageIndex | None = None,
    key: Hashable | None = None,
) -> Page:
    """One page of a candidacy_query statement: the count, the page's ids, then the rows.

    The ids come from the covering index alone; only the page's rows are read in full.
    Pass `index` and `key` (the filters) when the statement is in ballot order (BALLOT_KEY):
    pages are then found by keyset instead of OFFSET.
    """
    per_page = per_page or PER_PAGE
    ids_stmt = stmt.with_only_columns(Candidacy.id)
    if index is None or key is None:
        total = _count(session, ids_stmt)
        ids = list(session.scalars(ids_stmt.limit(per_page).offset((page - 1) * per_page)))
        return Page(candidacy_rows(session, ids), total, page, per_page)
    version = tuple(
        session.execute(select(func.max(Candidacy.updated_at), *hidden_people_stamp())).one()
    )
    layout_key = (key, per_page)
    layout = index.get(layout_key, version)
    if layout is None:
        layout = _Layout(version, _count(session, ids_stmt), _anchors(stmt, session, per_page))
        index.put(layout_key, layout)
    # Never ask for more rows than the page holds: on a sparse filter, LIMIT 50 with 30 rows
    # left (or none at all) walks the index to its end looking for the rest.
    wanted = min(per_page, layout.total - (page - 1) * per_page)
    anchors = layout.anchors
    if wanted <= 0 or page - 2 >= len(anchors):
        ids = []
    elif any(None in anchor for anchor in anchors[max(0, page - 2) : page]):
        # sort keys not filled in yet (a bulk write without its refresh): plain OFFSET
        ids = list(session.scalars(ids_stmt.limit(wanted).offset((page - 1) * per_page)))
    else:
        # Bounded by the last row of the previous page and the last row of this one, the
        # scan covers this page's stretch of the ballot order and nothing more, whichever
        # index the planner picks.
        keyset = ids_stmt
        if page > 1:
            keyset = keyset.where(tuple_(*BALLOT_KEY) > anchors[page - 2])
        if page - 1 < len(anchors):
            keyset = keyset.where(tuple_(*BALLOT_KEY) <= anchors[page - 1])
        ids = list(session.scalars(keyset.limit(wanted)))
    return Page(candidacy_rows(session, ids), layout.total, page, per_page)


def page_index(app: Any) -> PageIndex:
    """The app's PageIndex, shared by its list pages."""
    return app.extensions.setdefault("transparency.pages", PageIndex())


def list_page(
    session: Session, filters: CandidateFilters, index: PageIndex, per_page: int | None = None
) -> Page:
    """A page of the filtered list (/candidates, /flagged); in ballot order through `index`
    (keyset, any page one index seek), in another order by OFFSET."""
    stmt = candidacy_query(session, filters)
    if filters.sort not in (None, Sort.BALLOT):
        return candidacy_page(session, stmt, filters.page, per_page)
    key = tuple(sorted(filters.as_args(page="").items()))
    return candidacy_page(session, stmt, filters.page, per_page, index=index, key=key)


def _count(session: Session, ids_stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(ids_stmt.order_by(None).subquery())) or 0


def _anchors(stmt: Select, session: Session, per_page: int) -> list[tuple]:
    numbered = (
        stmt.with_only_columns(
            *BALLOT_KEY, func.row_number().over(order_by=BALLOT_KEY).label("position")
        )
        .order_by(None)
        .subquery()
    )
    rows = session.execute(
        select(*(numbered.c[column.key] for column in BALLOT_KEY))
        .where(numbered.c.position % per_page == 0)
        .order_by(numbered.c.position)
    )
    return [tuple(row) for row in rows]
