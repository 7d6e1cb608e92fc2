"""The candidate-list filters shared by /candidates, /flagged, exports, feeds and the API.

`parse_filters` turns query arguments into a CandidateFilters (or a FilterError naming the
parameter); `candidacy_query` turns those into a SELECT of the listed candidacies
(`transparency.visibility.listed`), the same for every surface.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    any_,
    bindparam,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased

from transparency import derived
from transparency.inputs import MAX_PAGE, ParameterError, parse_int
from transparency.models import (
    Candidacy,
    District,
    Election,
    Office,
    Party,
    Person,
    Region,
    Stage,
)
from transparency.visibility import listed

MAX_PARAM_LENGTH = 200
E = TypeVar("E", bound=StrEnum)


class Status(StrEnum):
    FLAGGED = "flagged"
    DISCLOSED = "disclosed"


class Sort(StrEnum):
    BALLOT = "ballot"  # district, party, ballot number: the order of the ballot paper
    NAME = "name"
    SCORE = "score"
    RELEVANCE = "relevance"  # only with a text query


class FilterError(ParameterError):
    """A list filter that cannot be read or names nothing: 400, naming the parameter."""


@dataclass(frozen=True)
class CandidateFilters:
    q: str = ""
    election: str = ""  # slug, e.g. pemilu-2024
    office: str = ""  # code, e.g. DPR
    province: str = ""  # Kemendagri code, e.g. 33
    district: str = ""  # KPU code, e.g. 3304
    party: str = ""  # slug, e.g. pkb
    status: Status | None = None
    # None: the current official list; a stage (e.g. withdrawn) lists that stage instead.
    stage: Stage | None = None
    sort: Sort | None = None
    page: int = 1

    def with_status(self, status: Status | None) -> CandidateFilters:
        return replace(self, status=status)

    def as_args(self, **overrides: object) -> dict[str, str]:
        """Non-empty parameters, for links that keep the current filters."""
        values: dict[str, object] = {
            "q": self.q,
            "election": self.election,
            "office": self.office,
            "province": self.province,
            "district": self.district,
            "party": self.party,
            "status": self.status.value if self.status else "",
            "stage": self.stage.value if self.stage else "",
            "sort": self.sort.value if self.sort else "",
            "page": self.page if self.page != 1 else "",
        }
        values.update(overrides)
        return {key: str(value) for key, value in values.items() if value not in ("", None)}


def _text(args: Mapping[str, str], name: str) -> str:
    value = (args.get(name) or "").strip()
    if len(value) > MAX_PARAM_LENGTH:
        raise FilterError(name, f"longer than {MAX_PARAM_LENGTH} characters")
    if any(ord(ch) < 32 for ch in value):
        raise FilterError(name, "contains control characters")
    return value


def _enum(args: Mapping[str, str], name: str, kind: type[E]) -> E | None:
    value = _text(args, name)
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise FilterError(name, f"unknown value {value!r}; use one of: {allowed}") from None


def parse_filters(args: Mapping[str, str]) -> CandidateFilters:
    page = parse_int(_text(args, "page") or "1", maximum=MAX_PAGE)
    if page is None:
        raise FilterError("page", f"must be a whole number from 1 to {MAX_PAGE}")
    return CandidateFilters(
        q=_text(args, "q"),
        election=_text(args, "election"),
        office=_text(args, "office").upper(),
        province=_text(args, "province"),
        district=_text(args, "district"),
        party=_text(args, "party").lower(),
        status=_enum(args, "status", Status),
        stage=_enum(args, "stage", Stage),
        sort=_enum(args, "sort", Sort),
        page=page,
    )


# Each filter parameter names its rows by a public key: election slug, office code,
# province code, district code, party slug.
_KEYS = {
    "election": lambda value: select(Election.id).where(Election.slug == value),
    "office": lambda value: select(Office.id).where(Office.code == value),
    "province": lambda value: select(Region.id).where(
        Region.code == value, Region.level == "province"
    ),
    "district": lambda value: select(District.id).where(District.code == value),
    "party": lambda value: select(Party.id).where(Party.slug == value),
}


def resolve_ids(session: Session, parameter: str, value: str) -> list[int]:
    """The ids a filter value names (a district code may name several); FilterError if none."""
    ids = list(session.scalars(_KEYS[parameter](value)))
    if not ids:
        raise FilterError(parameter, f"unknown value {value!r}")
    return ids


def id_among(session: Session, column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """`column IN ids` with the ids bound as one parameter, however many there are.

    An IN list of 250,000 bound values exceeds both SQLite's and PostgreSQL's parameter
    limits; an array (PostgreSQL) or a JSON array read by json_each (SQLite) does not.
    """
    values = [int(value) for value in ids]
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("id_among", values, type_=ARRAY(Integer)))
    table = func.json_each(bindparam("id_among", json.dumps(values))).table_valued("value")
    return column.in_(select(table.c.value))


def candidacy_query(session: Session, filters: CandidateFilters) -> Select:
    """Listed candidacies matching the filters (not the text query), in the chosen order.

    Listed means `visibility.listed`: public records on the current list, or of the stage
    `filters.stage` names.
    Unknown filter values raise FilterError; the text query `q` is the search module's.
    The statement selects from `candidacy` alone (no join to district or party): every filter
    and the default order use columns of the covering index `ix_candidacy_ballot_order`.
    Join District or Party yourself if you need their columns.
    """
    stmt = apply_filters(session, select(Candidacy).where(listed(stage=filters.stage)), filters)
    if filters.sort is Sort.NAME:
        stmt = stmt.join(Candidacy.person)
    return stmt.order_by(*_order(filters.sort))


def apply_filters(session: Session, stmt: Select, filters: CandidateFilters) -> Select:
    """`stmt` (a SELECT from candidacy) narrowed by the filters other than q, stage and sort.

    candidacy_query is the listed candidacies so narrowed; changes.csv narrows the removed
    ones the same way."""
    if filters.election:
        stmt = stmt.where(
            Candidacy.election_id.in_(resolve_ids(session, "election", filters.election))
        )
    if filters.office:
        stmt = stmt.where(Candidacy.office_id.in_(resolve_ids(session, "office", filters.office)))
    if filters.province:
        provinces = resolve_ids(session, "province", filters.province)
        stmt = stmt.where(
            Candidacy.district_id.in_(
                select(District.id).where(District.province_id.in_(provinces))
            )
        )
    if filters.district:
        stmt = stmt.where(
            Candidacy.district_id.in_(resolve_ids(session, "district", filters.district))
        )
    if filters.party:
        stmt = stmt.where(Candidacy.party_id.in_(resolve_ids(session, "party", filters.party)))
    if filters.status is Status.FLAGGED:
        stmt = stmt.where(Candidacy.flagged.is_(True))
    elif filters.status is Status.DISCLOSED:
        stmt = stmt.where(Candidacy.flagged.is_(False), Candidacy.ruleset_version.is_not(None))
    return stmt


def _order(sort: Sort | None) -> tuple:
    if sort is Sort.NAME:
        return (Person.full_name, Candidacy.id)
    if sort is Sort.SCORE:
        return (Candidacy.disclosure_score.asc().nulls_first(), Candidacy.id)
    return (
        Candidacy.list_district,
        Candidacy.list_party,
        Candidacy.ballot_number,
        Candidacy.id,
    )


# -- the denormalised sort keys ---------------------------------------------------------------

NO_PARTY = 0  # sorts before party 1, as DPD (no party) candidacies come first on their ballot
_SYNC_CHUNK = 500


def sync_list_keys(session: Session, candidacy_ids: Sequence[int] | None = None) -> None:
    """Recompute list_district / list_party from the district and party (all rows when None).

    Bulk writers reach this through the change channel (transparency.derived).
    """
    district_code = (
        select(District.code).where(District.id == Candidacy.district_id).scalar_subquery()
    )
    party_number = select(Party.number).where(Party.id == Candidacy.party_id).scalar_subquery()
    stmt = update(Candidacy).values(
        list_district=district_code, list_party=func.coalesce(party_number, NO_PARTY)
    )
    if candidacy_ids is None:
        session.execute(stmt.execution_options(synchronize_session=False))
        return
    ids = list(candidacy_ids)
    for start in range(0, len(ids), _SYNC_CHUNK):
        chunk = ids[start : start + _SYNC_CHUNK]
        session.execute(
            stmt.where(Candidacy.id.in_(chunk)).execution_options(synchronize_session=False)
        )


def _related(session: Session, obj: Candidacy, name: str, model: type) -> Any:
    """The district or party a pending candidacy points to, whichever way it was set."""
    if inspect(obj).attrs[name].history.has_changes():
        return getattr(obj, name)
    key = getattr(obj, f"{name}_id")
    return session.get(model, key) if key else getattr(obj, name)


def _set_list_keys(session: Session, _context: Any, _instances: Any) -> None:
    """ORM writes keep the sort keys themselves, before the row reaches the database."""
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty):
            if not isinstance(obj, Candidacy):
                continue
            state = inspect(obj)
            moved = any(
                state.attrs[key].history.has_changes()
                for key in ("district", "district_id", "party", "party_id")
            )
            if obj not in session.new and not moved and obj.list_district is not None:
                continue
            district = _related(session, obj, "district", District)
            party = _related(session, obj, "party", Party)
            code = district.code if district is not None else None
            number = party.number if party is not None else NO_PARTY
            if obj.list_district != code:
                obj.list_district = code
            if obj.list_party != number:
                obj.list_party = number


def follow_changes(session: Session, change: derived.Change) -> None:
    """The change channel's list-keys consumer: ORM writes set the keys before their flush
    (below); rows written in bulk get them here. A flag change moves no sort key."""
    if change.all_candidacies:
        sync_list_keys(session, None)
    elif change.candidacy_ids:
        sync_list_keys(session, sorted(change.candidacy_ids))


def init_app(app: Flask) -> None:
    derived.register(app, "list-keys", follow_changes, order=derived.LIST_KEYS)
    if not event.contains(Session, "before_flush", _set_list_keys):
        event.listen(Session, "before_flush", _set_list_keys)


# -- flat rows --------------------------------------------------------------------------------

# The province of a candidacy's district, for flat rows: `PROVINCE.code` in the columns.
PROVINCE = aliased(Region, name="district_province")


def join_context(stmt: Select) -> Select:
    """Join a SELECT of Candidacy columns to what a flat row of it shows: its person,
    election, office, district, the district's province (PROVINCE) and party (if any)."""
    return (
        stmt.join(Person, Candidacy.person_id == Person.id)
        .join(Election, Candidacy.election_id == Election.id)
        .join(Office, Candidacy.office_id == Office.id)
        .join(District, Candidacy.district_id == District.id)
        .outerjoin(PROVINCE, District.province_id == PROVINCE.id)
        .outerjoin(Party, Candidacy.party_id == Party.id)
    )
