"""Bulk writing for the demo loader: driver-level executemany, ids assigned up front."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm import Session

from transparency.demo.people import Batch
from transparency.models import (
    Candidacy,
    DisclosureItem,
    Person,
    ProgrammeStatement,
    Revision,
    Source,
    TrackRecordItem,
    track_record_source,
)

# Tables whose ids the loader assigns, in insert order (foreign keys point backwards).
ID_TABLES = (Source, Person, Candidacy, ProgrammeStatement, TrackRecordItem, DisclosureItem)
INSERT_ORDER = (
    ("source", Source.__table__),
    ("person", Person.__table__),
    ("candidacy", Candidacy.__table__),
    ("programme_statement", ProgrammeStatement.__table__),
    ("track_record_item", TrackRecordItem.__table__),
    ("track_record_source", track_record_source),
    ("disclosure_item", DisclosureItem.__table__),
    ("revision", Revision.__table__),
)


class BulkInsert:
    """An INSERT compiled once for the dialect, executed with the driver's executemany.

    The columns' own bind processors (JSON, dates, booleans) convert the values, as Core
    would; skipping Core's per-row parameter machinery halves the load time.
    """

    def __init__(self, connection: Connection, table: Table, keys: list[str]) -> None:
        dialect = connection.dialect
        compiled = insert(table).compile(dialect=dialect, column_keys=keys)
        self.sql = compiled.string
        self.keys = list(compiled.positiontup or []) if compiled.positional else keys
        self.positional = compiled.positional
        self.processors = [
            (key, processor)
            for key in self.keys
            if (processor := table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
        ]
        self.connection = connection

    def execute(self, rows: list[dict[str, Any]]) -> None:
        for key, processor in self.processors:
            for row in rows:
                row[key] = processor(row[key])
        if self.positional:
            keys = self.keys
            params: list = [tuple(row[key] for key in keys) for row in rows]
        else:
            params = rows
        self.connection.exec_driver_sql(self.sql, params)


def insert_batch(
    connection: Connection, batch: Batch, counts: dict[str, int], cache: dict[str, BulkInsert]
) -> None:
    """Write one batch, table by table in foreign-key order; count the rows."""
    for name, table in INSERT_ORDER:
        rows = getattr(batch, name)
        if not rows:
            continue
        if name not in cache:
            cache[name] = BulkInsert(connection, table, list(rows[0]))
        cache[name].execute(rows)
        counts[name] = counts.get(name, 0) + len(rows)


def next_id(session: Session, model: type) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1  # type: ignore[attr-defined]


def advance_sequences(session: Session) -> None:
    """PostgreSQL: ids were given by the loader, so move each sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in ID_TABLES:
        table = model.__tablename__
        session.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table, "id"),
                    select(func.coalesce(func.max(model.id), 1)).scalar_subquery(),  # type: ignore[attr-defined]
                )
            )
        )
