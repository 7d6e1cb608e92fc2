"""Stored results: the derived columns on Candidacy follow the data, in the same transaction.

`recompute(session, ids)` reads facts with a few set queries per batch, evaluates, and writes
only the rows whose result changed (one executemany UPDATE per batch), plus StatusChange rows
when a candidacy is flagged or cleared or one of its disclosure statuses changed.

`hooks` calls it, as the first consumer of the change channel (transparency.derived), inside
every transaction that touched what a flag reads, so the derived columns commit or roll back
with the change that caused them (docs/methodology-engine.md). The ids whose columns it
changed (`Counts.changed_ids`) go on down the channel, to the search outbox among others.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Text,
    bindparam,
    cast,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from transparency.disclosure.evaluate import ItemFact, Result, evaluate
from transparency.disclosure.facts import build_facts, condition_of, identity_status
from transparency.disclosure.outcome import Counts, StoredRow, compare
from transparency.disclosure.rulesets import STAMP, ruleset_in_force
from transparency.models import (
    Candidacy,
    DisclosureItem,
    DisclosureStamp,
    Office,
    Person,
    ProgrammeStatement,
    Source,
    StatusChange,
    TrackRecordItem,
    utcnow,
)

BATCH_SIZE = 5000
MEMO_LIMIT = 50_000
ID_CHUNK = 1000  # ids bound in one IN (...): well under every driver's parameter limit
DERIVED_ATTRS = (
    "disclosure_score",
    "flagged",
    "flags",
    "ruleset_version",
    "flagged_since",
    "disclosure_statuses",
)


# -- facts from the database ----------------------------------------------------------------

_c = Candidacy.__table__.c
_p = Person.__table__.c
_d = DisclosureItem.__table__.c
_s = Source.__table__.c
_ps = ProgrammeStatement.__table__.c
_t = TrackRecordItem.__table__.c


# Statements built once: a batch is either an id range (the bulk path) or a list of ids.
_LO, _HI = bindparam("lo"), bindparam("hi")
_IDS = bindparam("ids", expanding=True)


def _both(build: Any) -> dict[bool, Any]:
    return {
        True: build(lambda column: column.between(_LO, _HI)),
        False: build(lambda c: c.in_(_IDS)),
    }


_CANDIDACIES = _both(
    lambda where: (
        select(
            _c.id,
            _c.person_id,
            _c.office_id,
            _c.disclosure_score,
            _c.flagged,
            cast(_c.flags, Text),
            _c.ruleset_version,
            _c.flagged_since,
            cast(_c.disclosure_statuses, Text),
            _p.photo_url,
            _p.gender,
            _p.birth_date,
            _p.birth_place,
        )
        .join(Person.__table__, _p.id == _c.person_id)
        .where(where(_c.id))
        .order_by(_c.id)
    )
)
_ITEMS = _both(
    lambda where: (
        select(
            _d.candidacy_id,
            _d.requirement,
            _d.status,
            _d.checked_at,
            _s.url,
            _s.title,
            _d.respond_by,
        )
        .outerjoin(Source.__table__, _s.id == _d.source_id)
        .where(where(_d.candidacy_id))
    )
)
_PROGRAMMES = _both(
    lambda where: (
        select(_ps.candidacy_id).where(where(_ps.candidacy_id), _ps.hidden.is_(False)).distinct()
    )
)
_CONDITIONS = select(_t.person_id, _t.kind, _t.legal_status, _t.end_year).where(
    _t.person_id.in_(bindparam("persons", expanding=True)),
    _t.hidden.is_(False),
    _t.kind.in_(("legal_case", "public_office")),
)

ItemRow = tuple[str, str, date | None, str | None, str | None, date | None]


def _batch_rows(
    conn: Connection, ids: Sequence[int], bounds: tuple[int, int] | None
) -> tuple[list[StoredRow], dict[int, list[ItemRow]], set[int], dict[int, frozenset[str]]]:
    ranged = bounds is not None
    params: dict[str, Any] = {"lo": bounds[0], "hi": bounds[1]} if bounds else {"ids": list(ids)}
    rows = [StoredRow(*row) for row in conn.execute(_CANDIDACIES[ranged], params).all()]
    items: dict[int, list[ItemRow]] = defaultdict(list)
    for cid, *item in conn.execute(_ITEMS[ranged], params).all():
        items[cid].append(tuple(item))  # type: ignore[arg-type]
    programmes = set(conn.scalars(_PROGRAMMES[ranged], params).all())
    found: dict[int, set[str]] = defaultdict(set)
    person_ids = sorted({row.person_id for row in rows})
    for start in range(0, len(person_ids), ID_CHUNK):
        chunk = person_ids[start : start + ID_CHUNK]
        for person_id, kind, legal_status, end_year in conn.execute(
            _CONDITIONS, {"persons": chunk}
        ).all():
            condition = condition_of(kind, legal_status, end_year)
            if condition:
                found[person_id].add(condition)
    conditions = {person_id: frozenset(names) for person_id, names in found.items()}
    return rows, items, programmes, conditions


def _batches(
    conn: Connection, candidacy_ids: Sequence[int] | None, size: int
) -> Iterator[tuple[Sequence[int], tuple[int, int] | None]]:
    if candidacy_ids is not None:
        unique = sorted(set(candidacy_ids))
        for start in range(0, len(unique), ID_CHUNK):
            yield unique[start : start + ID_CHUNK], None
        return
    last = 0
    while True:
        ids = conn.scalars(select(_c.id).where(_c.id > last).order_by(_c.id).limit(size)).all()
        if not ids:
            return
        yield ids, (ids[0], ids[-1])
        last = ids[-1]


# -- recompute ------------------------------------------------------------------------------

_UPDATE = (
    update(Candidacy.__table__)
    .where(_c.id == bindparam("b_id"))
    .values(
        disclosure_score=bindparam("b_score"),
        flagged=bindparam("b_flagged"),
        flags=bindparam("b_flags"),
        ruleset_version=bindparam("b_version"),
        flagged_since=bindparam("b_since"),
        disclosure_statuses=bindparam("b_statuses"),
    )
)


def recompute(
    session: Session,
    candidacy_ids: Sequence[int] | None = None,
    *,
    as_of: date | None = None,
    batch_size: int = BATCH_SIZE,
    edited: bool = False,
) -> Counts:
    """Bring the stored results of these candidacies (all when None) up to date. Flushes
    pending ORM changes first; writes with Core; never commits. Called by the change
    channel's disclosure consumer: a writer reports to transparency.derived instead.

    The data stamp moves after a change of data (`candidacy_ids`, or `edited` when a bulk
    writer or an edit also asks for every candidacy), whatever the results: hiding someone
    or withdrawing a list moves the statistics, not a flag. A full recompute asked for alone
    moves it only when a result moved, so a daily recompute that changes nothing keeps the
    statistics snapshot (snapshot.follow_changes)."""
    if session.new or session.dirty:
        session.flush()
    ruleset = ruleset_in_force(session)
    as_of = as_of or utcnow().date()
    conn = session.connection()
    offices = dict(conn.execute(select(Office.__table__.c.id, Office.__table__.c.code)).all())
    counts = Counts(ruleset_version=ruleset.version)
    now = utcnow()
    memo: dict[tuple, tuple[Result, list, str]] = {}
    texts: dict[tuple, tuple[dict, str]] = {}
    for ids, bounds in _batches(conn, candidacy_ids, batch_size):
        rows, items, programmes, conditions = _batch_rows(conn, ids, bounds)
        updates: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for row in rows:
            found = tuple(sorted(items.get(row.id, ())))
            # Many candidacies share their facts exactly (same statuses, dates, sources):
            # each distinct set is evaluated once. The profile's own source is left out: it
            # only labels the fallback items, which never flag.
            key = (
                row.office_id,
                found,
                row.id in programmes,
                bool(row.photo_url),
                identity_status(row.gender, row.birth_date, row.birth_place),
                conditions.get(row.person_id, frozenset()),
            )
            evaluated = memo.get(key)
            if evaluated is None:
                facts = build_facts(
                    offices.get(row.office_id, ""),
                    {item[0]: ItemFact(*item[1:]) for item in found},
                    has_programme=key[2],
                    photo_url=row.photo_url,
                    gender=row.gender,
                    birth_date=row.birth_date,
                    birth_place=row.birth_place,
                    conditions=key[5],
                )
                result = evaluate(facts, ruleset, as_of)
                flags = result.flags_json()
                evaluated = memo[key] = (result, flags, json.dumps(flags))
            status_key = tuple((item[0], item[1]) for item in found)
            status_values = texts.get(status_key)
            if status_values is None:
                statuses = dict(status_key)
                status_values = texts[status_key] = (statuses, json.dumps(statuses))
            compare(row, evaluated, status_values, now, updates, changes, counts)
        counts.seen += len(rows)
        if len(memo) > MEMO_LIMIT:
            memo.clear()
            texts.clear()
        if updates:
            conn.execute(_UPDATE, updates)
            changed = [values["b_id"] for values in updates]
            counts.changed_ids.extend(changed)
            _expire(session, changed)
        if changes:
            conn.execute(insert(StatusChange.__table__), changes)
    if candidacy_ids or edited or counts.changed or counts.disclosure_changes:
        _bump_stamp(conn, now)
    return counts


def _expire(session: Session, ids: list[int]) -> None:
    """Objects already loaded must not show the values the Core update just replaced."""
    if not session.identity_map:
        return
    mapper = inspect(Candidacy)
    for candidacy_id in ids:
        obj = session.identity_map.get(mapper.identity_key_from_primary_key((candidacy_id,)))
        if obj is not None:
            session.expire(obj, DERIVED_ATTRS)


def _bump_stamp(conn: Connection, now: datetime) -> None:
    table = DisclosureStamp.__table__
    result = conn.execute(
        update(table)
        .where(table.c.name == STAMP)
        .values(counter=table.c.counter + 1, changed_at=now)
    )
    if result.rowcount == 0:
        conn.execute(insert(table).values(name=STAMP, counter=1, changed_at=now))


def data_stamp(session: Session) -> int:
    return session.scalar(select(DisclosureStamp.counter).filter_by(name=STAMP)) or 0
