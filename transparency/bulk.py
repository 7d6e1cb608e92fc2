"""Bulk writes of public data: the importers' and the demo loader's one way to write.

A `BulkWriter` works on the session's connection, inside the caller's transaction:

    writer = BulkWriter(session, provenance)      # a Provenance, as for the ORM path
    person_id = writer.new_id(Person)             # ids given up front, rows refer to each other
    writer.insert(Person, [{"id": person_id, "full_name": ...}, ...])
    ids = writer.add(Candidacy, [{"person_id": person_id, ...}, ...])   # ids taken and returned
    writer.update(Candidacy, [Change(candidacy_id, {"stage": "DCT"}, {"stage": "withdrawn"},
                                     person_id=..., candidacy_id=candidacy_id)])
    writer.finish()   # writes the pending revisions, then derived data follows (derived.py)

What it guarantees, whoever calls it:
- values reach the database through the column types' own bind processors (JSON, dates,
  booleans), as Core and the ORM would store them; column defaults (`created_at`, `hidden`)
  are filled in as the ORM would;
- ids: on SQLite the writer holds the write lock from its first statement, so it counts on
  from the largest id; on PostgreSQL it takes them from the table's sequence, so concurrent
  ORM inserts never collide with them;
- every row of a Revisioned model gets the Revision row the ORM hook (revisions.py) records
  for the same change: the same recorded fields, action, scope and source; a row's
  `<relationship>_ids` key (`sources_ids`) fills the association table and is recorded too;
- `finish()` reports the changed candidacies once to `derived.refresh_after_bulk`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from transparency.derived import refresh_after_bulk
from transparency.models import Revision, Revisioned
from transparency.revisions import (
    Provenance,
    change_action,
    jsonable,
    recorded_keys,
    revision_row,
)

REVISION = Revision.__table__
# Values a revision records as they are (jsonable() converts the rest: dates, enums).
PLAIN = frozenset({str, int, float, bool, type(None)})
# PostgreSQL: ids are reserved from a sequence this many at a time (one round trip each).
ID_BLOCK = 1000


class Change(NamedTuple):
    """One row's change: its id, the stored values of the fields it sets, the new values,
    and the (person, candidacy) its history belongs to."""

    entity_id: int
    before: dict[str, Any]
    after: dict[str, Any]
    person_id: int | None = None
    candidacy_id: int | None = None


class Inserter:
    """An INSERT compiled once for the dialect and run with the driver's executemany.

    The columns' bind processors convert the values, as Core would; skipping Core's
    per-row parameter machinery halves the time of a large load. Columns the rows leave
    out get their Python-side default, written into each row (so a revision sees it).
    """

    def __init__(self, connection: Connection, table: Table, keys: Sequence[str]) -> None:
        dialect = connection.dialect
        self.defaults = [
            (column.key, column.default)
            for column in table.columns
            if column.key not in keys and column.default is not None
        ]
        names = [*keys, *(key for key, _ in self.defaults)]
        compiled = insert(table).compile(dialect=dialect, column_keys=names)
        self.sql = compiled.string
        self.positional = compiled.positional
        self.keys = list(compiled.positiontup or []) if self.positional else names
        self.processors = [
            (position, key, processor)
            for position, key in enumerate(self.keys)
            if (processor := table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
        ]
        self.connection = connection

    def fill_defaults(self, rows: list[dict[str, Any]]) -> None:
        for key, default in self.defaults:
            value = default.arg(None) if default.is_callable else default.arg
            for row in rows:
                row[key] = value

    def execute(self, rows: list[dict[str, Any]]) -> None:
        """Insert the rows (given their defaults first); the row dicts are not changed."""
        params: list[Any]
        if self.positional:
            getter = itemgetter(*self.keys)
            if len(self.keys) == 1:
                params = [(getter(row),) for row in rows]
            else:
                params = list(map(getter, rows))
            if self.processors:
                params = [list(values) for values in params]
                for position, _key, processor in self.processors:
                    for values in params:
                        values[position] = processor(values[position])
                params = [tuple(values) for values in params]
        else:
            params = [dict(row) for row in rows]
            for _position, key, processor in self.processors:
                for values in params:
                    values[key] = processor(values[key])
        self.connection.exec_driver_sql(self.sql, params)


class IdAllocator:
    """The next free primary keys of each table a bulk writer fills."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.sequences = connection.dialect.name == "postgresql"
        self.free: dict[str, list[int]] = {}
        self.next: dict[str, int] = {}

    def take_one(self, table: Table) -> int:
        if self.sequences:
            return self.take(table)[0]
        value = self.next.get(table.name)
        if value is None:
            value = self.take(table)[0]
        else:
            self.next[table.name] = value + 1
        return value

    def take(self, table: Table, count: int = 1) -> list[int]:
        if not self.sequences:
            first = self.next.get(table.name)
            if first is None:
                first = (self.connection.scalar(select(func.max(table.c.id))) or 0) + 1
            self.next[table.name] = first + count
            return list(range(first, first + count))
        free = self.free.setdefault(table.name, [])
        if len(free) < count:
            sequence = func.pg_get_serial_sequence(table.name, "id")
            wanted = max(ID_BLOCK, count - len(free))
            free.extend(
                self.connection.scalars(
                    select(func.nextval(sequence)).select_from(func.generate_series(1, wanted))
                )
            )
        taken = free[:count]
        del free[:count]
        return taken


def _links(model: type) -> list[tuple[str, Table, str, str]]:
    """(row key, association table, its column to this row, its column to the other row)."""
    found = []
    for rel in model.__mapper__.relationships:  # type: ignore[attr-defined]
        if rel.secondary is not None:
            (_, own), (_, other) = rel.synchronize_pairs[0], rel.secondary_synchronize_pairs[0]
            found.append((f"{rel.key}_ids", rel.secondary, own.key, other.key))
    return found


class BulkWriter:
    """Inserts, updates and their revisions for one provenance; see the module's text."""

    def __init__(self, session: Session, provenance: Provenance) -> None:
        self.session = session
        self.connection = session.connection()
        self.provenance = provenance
        self.ids = IdAllocator(self.connection)
        self.inserters: dict[tuple[str, tuple[str, ...]], Inserter] = {}
        self.revisions: list[dict[str, Any]] = []
        self.changed: set[int] = set()
        self.counts: dict[str, int] = defaultdict(int)
        # revision_row() once, as the template of every revision: its dataclass conversion
        # per call would be a third of a demo load.
        self.template = revision_row("", 0, "create", None, None, provenance)

    # -- ids -------------------------------------------------------------------------------
    def new_id(self, model: type) -> int:
        return self.ids.take_one(model.__table__)  # type: ignore[attr-defined]

    def new_ids(self, model: type, count: int) -> list[int]:
        return self.ids.take(_table(model), count) if count else []

    # -- inserts ---------------------------------------------------------------------------
    def add(self, model: type, rows: list[dict[str, Any]]) -> list[int]:
        """Give the rows new ids, insert them (with revisions); returns the ids in order."""
        ids = self.new_ids(model, len(rows))
        self.insert(model, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids

    def insert(self, model: type | Table, rows: list[dict[str, Any]]) -> None:
        """Insert rows that carry their ids; a Revisioned model's rows get a "create"
        revision each. The row dicts are completed with their defaults."""
        if not rows:
            return
        table = _table(model)
        links = _links(model) if isinstance(model, type) else []
        linked: list[tuple[Table, list[dict[str, Any]]]] = []
        for key, association, own, other in links:
            pairs = [
                {own: row["id"], other: target}
                for row in rows
                for target in sorted(row.get(key) or ())
            ]
            linked.append((association, pairs))
        names = tuple(key for key in rows[0] if key not in {link[0] for link in links})
        inserter = self._inserter(table, names)
        inserter.fill_defaults(rows)
        inserter.execute(rows)
        self.counts[table.name] += len(rows)
        for association, pairs in linked:
            if pairs:
                self._inserter(association, tuple(pairs[0])).execute(pairs)
                self.counts[association.name] += len(pairs)
        if isinstance(model, type) and issubclass(model, Revisioned):
            self._record_creates(model, rows, [link[0] for link in links])

    def _inserter(self, table: Table, names: tuple[str, ...]) -> Inserter:
        key = (table.name, names)
        if key not in self.inserters:
            self.inserters[key] = Inserter(self.connection, table, names)
        return self.inserters[key]

    def _record_creates(self, model: type, rows: list[dict[str, Any]], links: list[str]) -> None:
        keys = recorded_keys(model)
        scope = model.revision_scope  # type: ignore[attr-defined]
        source_id = self.provenance.source_id
        for row in rows:
            after = {
                key: value if type(value := row.get(key)) in PLAIN else jsonable(value)
                for key in keys
            }
            for link in links:
                after[link] = sorted(row.get(link) or ())
            person_id, candidacy_id = scope(SimpleNamespace(**row))
            self._revision(
                model,
                row["id"],
                "create",
                None,
                after,
                person_id,
                candidacy_id,
                source_id or row.get("source_id"),
            )

    # -- updates ---------------------------------------------------------------------------
    def update(self, model: type, changes: Iterable[Change]) -> int:
        """UPDATE ... WHERE id = ?, executemany, one statement per set of changed fields;
        each changed row gets its revision (update, hide or unhide). Returns rows changed."""
        table = _table(model)
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        recorded = issubclass(model, Revisioned)
        written = 0
        for change in changes:
            after = {k: v for k, v in change.after.items() if change.before.get(k) != v}
            if not after:
                continue
            columns = tuple(sorted(after))
            groups[columns].append(
                {"w_id": change.entity_id, **{f"v_{name}": after[name] for name in columns}}
            )
            written += 1
            if not recorded:
                continue
            old = {key: jsonable(change.before.get(key)) for key in after}
            new = {key: jsonable(value) for key, value in after.items()}
            self._revision(
                model,
                change.entity_id,
                change_action(old, new),
                old,
                new,
                change.person_id,
                change.candidacy_id,
                self.provenance.source_id or after.get("source_id", change.before.get("source_id")),
            )
        for columns, params in groups.items():
            statement = (
                update(table)
                .where(table.c.id == bindparam("w_id"))
                .values({name: bindparam(f"v_{name}") for name in columns})
            )
            self.connection.execute(statement, params)
        return written

    # -- revisions and the end -------------------------------------------------------------
    def _revision(
        self,
        model: type,
        entity_id: int,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        person_id: int | None,
        candidacy_id: int | None,
        source_id: int | None,
    ) -> None:
        row = self.template.copy()
        row["entity_type"] = model.__tablename__  # type: ignore[attr-defined]
        row["entity_id"] = entity_id
        row["action"] = action
        row["before"] = before
        row["after"] = after
        row["person_id"] = person_id
        row["candidacy_id"] = candidacy_id
        row["source_id"] = source_id
        self.revisions.append(row)
        if candidacy_id is not None:
            self.changed.add(candidacy_id)

    def touch(self, candidacy_ids: Iterable[int]) -> None:
        """Candidacies whose derived data must follow though no row of theirs was recorded
        (a change to their person, say)."""
        self.changed.update(candidacy_ids)

    def write_revisions(self) -> None:
        """Insert the revisions recorded so far (their rows' inserts came first)."""
        if self.revisions:
            inserter = self._inserter(REVISION, tuple(self.revisions[0]))
            inserter.fill_defaults(self.revisions)
            inserter.execute(self.revisions)
            self.counts["revision"] += len(self.revisions)
            self.revisions = []

    def finish(self, *, everything: bool = False) -> list[str]:
        """Write the pending revisions, then let derived data follow the changed candidacies
        (every candidacy when `everything`). Returns the names of the consumers that ran."""
        self.write_revisions()
        if not everything and not self.changed:
            return []
        self.session.flush()
        return refresh_after_bulk(self.session, None if everything else sorted(self.changed))


def _table(model: type | Table) -> Table:
    return model if isinstance(model, Table) else model.__table__  # type: ignore[attr-defined]
