"""What the public pages read: headline figures, a page of candidacies, a profile, its history.

Plain functions over a Session: no request, no commit. Every list loads its rows in a fixed
number of queries, whatever the page size (no N+1).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from typing import Any

from sqlalchemy import Select, distinct, func, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload, selectinload

from transparency.listing import CandidateFilters, Sort, candidacy_query
from transparency.models import (
    Candidacy,
    DisclosureItem,
    DisclosureStatus,
    District,
    Election,
    Office,
    Party,
    Person,
    ProgrammeKind,
    ProgrammeStatement,
    Region,
    Reply,
    Revision,
    Source,
    TrackRecordItem,
    TrackRecordKind,
)
from transparency.visibility import listed, public_record

PER_PAGE = 50
HISTORY_PER_PAGE = 30
# More districts than this (e.g. every DPRD kab/kota district of the country) is not a usable
# select; the form then asks for the district code as text.
MAX_DISTRICT_OPTIONS = 400


@dataclass(frozen=True)
class Figures:
    candidacies: int
    refused_cv: int
    parties: int
    districts: int

    @property
    def refused_cv_share(self) -> float:
        return self.refused_cv / self.candidacies if self.candidacies else 0.0


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


def headline_figures(session: Session) -> Figures:
    rows = select(Candidacy).where(listed()).subquery()
    candidacies, parties, districts = session.execute(
        select(
            func.count(),
            func.count(distinct(rows.c.party_id)),
            func.count(distinct(rows.c.district_id)),
        ).select_from(rows)
    ).one()
    refused_cv = session.scalar(
        select(func.count())
        .select_from(DisclosureItem)
        .join(Candidacy, DisclosureItem.candidacy_id == Candidacy.id)
        .where(
            DisclosureItem.requirement == "cv",
            DisclosureItem.status == DisclosureStatus.REFUSED,
            listed(),
        )
    )
    return Figures(candidacies, refused_cv or 0, parties, districts)


def listed_offices(session: Session) -> list[Office]:
    """Offices that have at least one listed candidacy, in their usual order."""
    has_candidacy = select(Candidacy.id).where(Candidacy.office_id == Office.id, listed())
    return list(
        session.scalars(
            select(Office).where(has_candidacy.exists()).order_by(Office.position, Office.id)
        )
    )


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
    Candidacy.updated_at, an index lookup), so every process sees changes at once.
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
    version = session.scalar(select(func.max(Candidacy.updated_at)))
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


# -- the filter form --------------------------------------------------------------------------


@dataclass
class FilterOptions:
    elections: list[Election]
    offices: list[Office]
    provinces: list[Region]
    parties: list[tuple[str, str]]  # (slug, label)
    districts: list[tuple[str, str]] | None  # (code, name); None: too many, ask for the code


def filter_options(session: Session, filters: CandidateFilters) -> FilterOptions:
    elections = list(
        session.scalars(select(Election).order_by(Election.held_on.desc(), Election.id))
    )
    offices = list(session.scalars(select(Office).order_by(Office.position, Office.id)))
    provinces = list(
        session.scalars(select(Region).where(Region.level == "province").order_by(Region.code))
    )
    party_stmt = select(Party.slug, Party.short_name, Party.number).order_by(Party.number)
    if filters.election:
        party_stmt = party_stmt.join(Party.election).where(Election.slug == filters.election)
    parties: dict[str, str] = {}
    for slug, short_name, number in session.execute(party_stmt):
        parties.setdefault(slug, f"{number}. {short_name}" if filters.election else short_name)
    return FilterOptions(
        elections, offices, provinces, list(parties.items()), _districts(session, filters)
    )


def _districts(session: Session, filters: CandidateFilters) -> list[tuple[str, str]] | None:
    stmt = select(District.code, District.name).distinct().order_by(District.code, District.name)
    if filters.election:
        stmt = stmt.join(District.election).where(Election.slug == filters.election)
    if filters.office:
        stmt = stmt.join(District.office).where(Office.code == filters.office)
    if filters.province:
        province_id = session.scalar(select(Region.id).where(Region.code == filters.province))
        stmt = stmt.where(District.province_id == province_id)
    elif not filters.office:
        return None
    rows = [(code, name) for code, name in session.execute(stmt.limit(MAX_DISTRICT_OPTIONS + 1))]
    return rows if len(rows) <= MAX_DISTRICT_OPTIONS else None


# -- the profile ------------------------------------------------------------------------------


@dataclass
class Profile:
    candidacy: Candidacy
    programme: list[tuple[str, list[ProgrammeStatement]]]
    track_record: list[tuple[str, list[TrackRecordItem]]]
    replies: list[Reply]
    other_candidacies: list[Candidacy] = field(default_factory=list)


def load_profile(session: Session, candidacy_id: int) -> Profile | None:
    """A public record (visibility.public_record, withdrawn ones included) with everything its
    profile needs; None when missing or hidden."""
    candidacy = session.scalars(
        select(Candidacy)
        .where(Candidacy.id == candidacy_id, public_record())
        .options(
            joinedload(Candidacy.person).joinedload(Person.source),
            joinedload(Candidacy.party),
            joinedload(Candidacy.office),
            joinedload(Candidacy.election),
            joinedload(Candidacy.district).joinedload(District.province),
            selectinload(Candidacy.programme).joinedload(ProgrammeStatement.source),
            selectinload(Candidacy.disclosure_items).joinedload(DisclosureItem.source),
            selectinload(Candidacy.replies).joinedload(Reply.source),
            joinedload(Candidacy.person)
            .selectinload(Person.track_record)
            .selectinload(TrackRecordItem.sources),
        )
    ).one_or_none()
    if candidacy is None:
        return None
    programme = _grouped(
        [item for item in candidacy.programme if not item.hidden],
        [kind.value for kind in ProgrammeKind],
    )
    track_record = _grouped(
        [item for item in candidacy.person.track_record if not item.hidden],
        [kind.value for kind in TrackRecordKind],
    )
    replies = sorted(
        (reply for reply in candidacy.replies if not reply.hidden),
        key=lambda reply: (reply.replied_on, reply.id),
    )
    return Profile(candidacy, programme, track_record, replies)


def _grouped(items: list[Any], order: list[str]) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(item.kind, []).append(item)
    rank = {kind: position for position, kind in enumerate(order)}
    return sorted(groups.items(), key=lambda pair: (rank.get(pair[0], len(rank)), pair[0]))


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


_TITLE_TOKEN = re.compile(r"[.,]")


def display_name(name: str) -> str:
    """Names the commission lists in capitals, in title case; academic titles kept as written.

    "Dr. H. AHMAD SYAHRONI, S.H., M.Si." -> "Dr. H. Ahmad Syahroni, S.H., M.Si."
    Names already in mixed case are shown as they are.
    """
    words = name.split(" ")
    plain = [word for word in words if word and not _TITLE_TOKEN.search(word.rstrip(","))]
    letters = "".join(plain)
    if not letters or letters != letters.upper() or letters == letters.lower():
        return name
    return " ".join(
        word if _TITLE_TOKEN.search(word.rstrip(",")) else _capitalise(word) for word in words
    )


def _capitalise(word: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda match: match.group(0).capitalize(), word)


# -- history ----------------------------------------------------------------------------------

# Bookkeeping fields a reader does not need in a diff.
HIDDEN_DIFF_FIELDS = frozenset({"id", "list_district", "list_party"})


@dataclass
class HistoryPage:
    page: Page
    sources: dict[int, Source]


def revision_history(session: Session, candidacy: Candidacy, page: int) -> HistoryPage:
    """Revisions of this candidacy or its person, newest first, with their sources."""
    stmt = (
        select(Revision)
        .where(
            or_(Revision.candidacy_id == candidacy.id, Revision.person_id == candidacy.person_id)
        )
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    )
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(
        session.scalars(
            stmt.options(joinedload(Revision.proposed_by), joinedload(Revision.approved_by))
            .limit(HISTORY_PER_PAGE)
            .offset((page - 1) * HISTORY_PER_PAGE)
        )
    )
    source_ids = {row.source_id for row in rows if row.source_id}
    sources = (
        {s.id: s for s in session.scalars(select(Source).where(Source.id.in_(source_ids)))}
        if source_ids
        else {}
    )
    return HistoryPage(Page(rows, total, page, HISTORY_PER_PAGE), sources)


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str


def revision_diff(revision: Revision) -> list[FieldChange]:
    """Field by field, before -> after, as text (escaped by the template like any text)."""
    before = revision.before or {}
    after = revision.after or {}
    changes = []
    for name in sorted(set(before) | set(after)):
        if name in HIDDEN_DIFF_FIELDS:
            continue
        old, new = _as_text(before.get(name)), _as_text(after.get(name))
        if old != new:
            changes.append(FieldChange(name, old, new))
    return changes


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value)
    return str(value)


# -- parties and districts --------------------------------------------------------------------


def districts_with_code(
    session: Session, code: str, election: str = "", office: str = ""
) -> list[District]:
    """Every district with this KPU code, optionally in one election and for one office."""
    stmt = (
        select(District)
        .where(District.code == code)
        .options(
            joinedload(District.election),
            joinedload(District.office),
            joinedload(District.province),
        )
        .order_by(District.election_id, District.office_id, District.id)
    )
    if election:
        stmt = stmt.join(District.election).where(Election.slug == election)
    if office:
        stmt = stmt.join(District.office).where(Office.code == office)
    return list(session.scalars(stmt))
