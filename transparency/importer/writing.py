"""Writing validated rows with Core statements, in batches, each change with its Revision.

Everything runs on the session's connection, inside the caller's transaction: the caller
commits once at the end, or rolls back and nothing of the file remains.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from transparency.importer.validation import Reference, Row
from transparency.models import (
    Candidacy,
    DisclosureItem,
    DisclosureStatus,
    District,
    ImportedCandidacy,
    Person,
    ProgrammeKind,
    ProgrammeStatement,
    Revision,
    Source,
    Stage,
)
from transparency.revisions import Provenance, jsonable, revision_row

PERSON = Person.__table__
CANDIDACY = Candidacy.__table__
DISCLOSURE = DisclosureItem.__table__
PROGRAMME = ProgrammeStatement.__table__
IMPORTED = ImportedCandidacy.__table__
SOURCE = Source.__table__
DISTRICT = District.__table__
REVISION = Revision.__table__

CV = {
    "bersedia": DisclosureStatus.PUBLISHED,
    "sebagian": DisclosureStatus.PARTIAL,
    "tidak_bersedia": DisclosureStatus.REFUSED,
}
# Both criminal statuses are disclosures: the candidate declared the status, as the law
# requires; the note says what was declared, in the words of the list.
CRIMINAL_NOTES = {
    "bukan": "Menyatakan bukan mantan terpidana (daftar calon resmi)",
    "mantan_terpidana": "Mengumumkan diri sebagai mantan terpidana (daftar calon resmi)",
}
# "not_filed" says no LHKPN filing is on the list, not that publication was refused.
LHKPN = {
    "filed": (DisclosureStatus.PUBLISHED, None),
    "not_filed": (
        DisclosureStatus.NOT_FOUND,
        "Tanda terima LHKPN tidak tercantum di daftar calon resmi",
    ),
    "not_required": (DisclosureStatus.NOT_APPLICABLE, None),
}
REQUIREMENTS = ("cv", "criminal_record", "lhkpn", "programme")
PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "birth_place",
    "domicile",
    "education",
    "occupation",
    "biography",
    "photo_url",
)


def disclosures(row: Row) -> dict[str, tuple[str, str | None]]:
    """requirement -> (status, note) for the statuses the row gives; empty cells give none."""
    found: dict[str, tuple[str, str | None]] = {}
    if row.cv_status:
        found["cv"] = (CV[row.cv_status].value, None)
    if row.criminal_status:
        found["criminal_record"] = (
            DisclosureStatus.PUBLISHED.value,
            CRIMINAL_NOTES[row.criminal_status],
        )
    if row.lhkpn_status:
        status, note = LHKPN[row.lhkpn_status]
        found["lhkpn"] = (status.value, note)
    if row.program:
        found["programme"] = (DisclosureStatus.PUBLISHED.value, None)
    return found


def person_values(row: Row) -> dict[str, Any]:
    return {name: getattr(row, name) for name in PERSON_FIELDS}


def _sqlite_value(value: Any) -> Any:
    """A Python value as SQLAlchemy's SQLite types store it."""
    if value is None or isinstance(value, str | int | float):
        return value  # bool is an int: stored as 0/1, as SQLAlchemy does
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value)
    raise TypeError(f"no SQLite form for {type(value).__name__}")


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    """How a column's non-null values are stored by SQLAlchemy on SQLite; None: as they are."""
    if isinstance(column_type, DateTime):
        return lambda value: value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(column_type, Date):
        return date.isoformat
    if isinstance(column_type, JSON):
        return json.dumps
    if isinstance(column_type, Boolean):
        return int
    return None


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {key: jsonable(value) for key, value in values.items()}


class Writer:
    def __init__(
        self,
        session: Session,
        reference: Reference,
        provenance: Provenance,
        today: date,
        file_source_url: str | None,
        file_name: str,
    ) -> None:
        self.conn = session.connection()
        self.ref = reference
        self.prov = provenance
        self.today = today
        self.file_source_url = file_source_url
        self.file_name = file_name
        self.sources: dict[str, int] = {}
        self.revisions: list[dict[str, Any]] = []
        # revision_row() gives the columns of a Revision; building each row from this template
        # keeps its shape without re-copying the provenance for every one of millions of rows.
        self.revision_template = revision_row("", 0, "", None, None, provenance)
        # SQLite: the import holds the write lock (BEGIN IMMEDIATE) from its first statement,
        # so ids can be handed out here and rows inserted with a plain executemany; there,
        # RETURNING in parameter order would cost one statement per row.
        self.assign_ids = self.conn.dialect.name == "sqlite"
        self.next_ids: dict[str, int] = {}

    # -- bookkeeping -------------------------------------------------------------------

    def _revision(
        self,
        table: Table,
        entity_id: int,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        person_id: int | None = None,
        candidacy_id: int | None = None,
        source_id: int | None = None,
    ) -> None:
        row = dict(self.revision_template)
        row.update(
            entity_type=table.name,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
            person_id=person_id,
            candidacy_id=candidacy_id,
        )
        if source_id is not None:
            row["source_id"] = source_id
        self.revisions.append(row)

    def flush_revisions(self) -> None:
        if self.revisions:
            self._insert_many(REVISION, self.revisions)
            self.revisions = []

    def _insert_many(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """INSERT rows, executemany. On SQLite straight through the driver: SQLAlchemy's
        per-row parameter processing costs more than SQLite's insert itself at millions of
        rows. Values are stored exactly as SQLAlchemy's types would store them."""
        if not self.assign_ids:
            self.conn.execute(insert(table), rows)
            return
        names = list(rows[0])
        defaults = [
            (column.name, column.default)
            for column in table.columns
            if column.name not in rows[0] and column.default is not None
        ]
        names += [name for name, _ in defaults]
        compiled = (
            insert(table)
            .values({name: bindparam(name) for name in names})
            .compile(dialect=self.conn.dialect)
        )
        order = [names.index(name) for name in compiled.positiontup or ()]
        default_values = [
            default.arg(None) if default.is_callable else default.arg for _, default in defaults
        ]
        given = names[: len(names) - len(defaults)]
        default_values = [_sqlite_value(value) for value in default_values]
        converters = [_sqlite_converter(table.c[name].type) for name in names]
        params = []
        for row in rows:
            values = [
                value if convert is None or value is None else convert(value)
                for value, convert in zip([row[name] for name in given], converters, strict=False)
            ] + default_values
            params.append(tuple(values[i] for i in order))
        self.conn.exec_driver_sql(str(compiled), params)

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        if not self.assign_ids:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return list(self.conn.scalars(statement, rows))
        first = self.next_ids.get(table.name)
        if first is None:
            first = (self.conn.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
        self.next_ids[table.name] = first + len(rows)
        self._insert_many(table, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids

    def _update(self, table: Table, changes: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """UPDATE ... WHERE id = ?, executemany, one statement per set of changed columns."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for entity_id, values in changes:
            columns = tuple(sorted(values))
            groups[columns].append(
                {"w_id": entity_id, **{f"v_{name}": values[name] for name in columns}}
            )
        for columns, params in groups.items():
            statement = (
                update(table)
                .where(table.c.id == bindparam("w_id"))
                .values({name: bindparam(f"v_{name}") for name in columns})
            )
            self.conn.execute(statement, params)

    def source_id(self, row: Row) -> int | None:
        url = row.source_url or self.file_source_url
        return self.sources.get(url) if url else None

    def ensure_sources(self, rows: Sequence[Row]) -> None:
        """One Source per distinct URL, reused when a source with that URL exists."""
        wanted = {row.source_url or self.file_source_url for row in rows} - {None}
        missing = sorted(url for url in wanted if url not in self.sources)
        if not missing:
            return
        found = self.conn.execute(
            select(SOURCE.c.url, SOURCE.c.id).where(SOURCE.c.url.in_(missing))
        ).all()
        self.sources.update({url: source_id for url, source_id in found})
        new = [url for url in missing if url not in self.sources]
        title = f"Daftar calon tetap (DCT): {self.file_name}"
        ids = self._insert(
            SOURCE,
            [
                {"url": url, "title": title[:500], "accessed_on": self.today, "is_fictional": False}
                for url in new
            ],
        )
        self.sources.update(zip(new, ids, strict=True))

    # -- districts ---------------------------------------------------------------------

    def create_districts(self, new: dict[tuple[int, int, str], tuple[str, str, str, int]]) -> int:
        keys = sorted(new)
        rows = []
        for election_id, office_id, code in keys:
            name, province, region_code, _line = new[(election_id, office_id, code)]
            rows.append(
                {
                    "election_id": election_id,
                    "office_id": office_id,
                    "code": code,
                    "name": name,
                    "seats": None,
                    "province_id": self.ref.provinces.get(province),
                    "region_id": self.ref.regions.get(region_code),
                    "is_fictional": False,
                }
            )
        ids = self._insert(DISTRICT, rows)
        for key, district_id, values in zip(keys, ids, rows, strict=True):
            self.ref.districts[key] = district_id
            self._revision(DISTRICT, district_id, "create", None, {"id": district_id, **values})
        self.flush_revisions()
        return len(ids)

    # -- candidacies -------------------------------------------------------------------

    def _district_id(self, row: Row) -> int:
        return self.ref.districts[(row.election_id, row.office_id, row.district_code)]

    def create(self, rows: Sequence[Row]) -> list[int]:
        """New people and their candidacies, disclosure items and programme statements."""
        self.ensure_sources(rows)
        people = [
            {**person_values(row), "source_id": self.source_id(row), "is_fictional": False}
            for row in rows
        ]
        person_ids = self._insert(PERSON, [{**p, "hidden": False} for p in people])
        candidacies = [
            {
                "person_id": person_id,
                "election_id": row.election_id,
                "office_id": row.office_id,
                "district_id": self._district_id(row),
                "party_id": row.party_id,
                "ballot_number": row.ballot_number,
                "stage": Stage.DCT.value,
                "external_id": row.external_id,
                "source_id": self.source_id(row),
                "hidden": False,
            }
            for row, person_id in zip(rows, person_ids, strict=True)
        ]
        candidacy_ids = self._insert(CANDIDACY, candidacies)
        for person_id, candidacy_id, person, candidacy in zip(
            person_ids, candidacy_ids, people, candidacies, strict=True
        ):
            self._revision(
                PERSON,
                person_id,
                "create",
                None,
                _json({"id": person_id, **person, "hidden": False}),
                person_id=person_id,
                source_id=person["source_id"],
            )
            self._revision(
                CANDIDACY,
                candidacy_id,
                "create",
                None,
                {"id": candidacy_id, **candidacy},
                person_id=person_id,
                candidacy_id=candidacy_id,
                source_id=candidacy["source_id"],
            )
        items = []
        programmes = []
        for row, candidacy_id in zip(rows, candidacy_ids, strict=True):
            for requirement, (status, note) in disclosures(row).items():
                items.append(self._item(candidacy_id, requirement, status, note, row))
            if row.program:
                programmes.append(self._programme(candidacy_id, row))
        self._insert_items(items)
        programme_ids = self._insert_programmes(programmes)
        self._insert_many(
            IMPORTED,
            [
                {
                    "candidacy_id": candidacy_id,
                    "digest": row.digest,
                    "programme_statement_id": programme_ids.get(candidacy_id),
                    "import_batch_id": self.prov.import_batch_id,
                }
                for row, candidacy_id in zip(rows, candidacy_ids, strict=True)
            ],
        )
        self.flush_revisions()
        return candidacy_ids

    def _item(
        self, candidacy_id: int, requirement: str, status: str, note: str | None, row: Row
    ) -> dict[str, Any]:
        return {
            "candidacy_id": candidacy_id,
            "requirement": requirement,
            "status": status,
            "checked_at": self.today,
            "note": note,
            "source_id": self.source_id(row),
        }

    def _programme(self, candidacy_id: int, row: Row) -> dict[str, Any]:
        return {
            "candidacy_id": candidacy_id,
            "kind": ProgrammeKind.PROGRAMME.value,
            "text": row.program,
            "position": 0,
            "source_id": self.source_id(row),
            "hidden": False,
        }

    def _insert_items(self, items: list[dict[str, Any]]) -> None:
        for item_id, item in zip(self._insert(DISCLOSURE, items), items, strict=True):
            self._revision(
                DISCLOSURE,
                item_id,
                "create",
                None,
                _json({"id": item_id, **item}),
                candidacy_id=item["candidacy_id"],
                source_id=item["source_id"],
            )

    def _insert_programmes(self, programmes: list[dict[str, Any]]) -> dict[int, int]:
        ids = self._insert(PROGRAMME, programmes)
        for programme_id, programme in zip(ids, programmes, strict=True):
            self._revision(
                PROGRAMME,
                programme_id,
                "create",
                None,
                {"id": programme_id, **programme},
                candidacy_id=programme["candidacy_id"],
                source_id=programme["source_id"],
            )
        return {p["candidacy_id"]: i for i, p in zip(ids, programmes, strict=True)}

    def update(self, pairs: Sequence[tuple[Row, int]]) -> None:
        """Matched candidacies whose row changed: write only the fields that differ."""
        self.ensure_sources([row for row, _ in pairs])
        ids = [candidacy_id for _, candidacy_id in pairs]
        current = {
            r.id: r
            for r in self.conn.execute(
                select(
                    CANDIDACY.c.id,
                    CANDIDACY.c.person_id,
                    CANDIDACY.c.office_id,
                    CANDIDACY.c.district_id,
                    CANDIDACY.c.party_id,
                    CANDIDACY.c.ballot_number,
                    CANDIDACY.c.external_id,
                    CANDIDACY.c.stage,
                    CANDIDACY.c.source_id,
                ).where(CANDIDACY.c.id.in_(ids))
            )
        }
        people = {
            r.id: r._asdict()
            for r in self.conn.execute(
                select(
                    PERSON.c.id, PERSON.c.source_id, *(PERSON.c[f] for f in PERSON_FIELDS)
                ).where(PERSON.c.id.in_({c.person_id for c in current.values()}))
            )
        }
        items = {
            (r.candidacy_id, r.requirement): r
            for r in self.conn.execute(
                select(
                    DISCLOSURE.c.id,
                    DISCLOSURE.c.candidacy_id,
                    DISCLOSURE.c.requirement,
                    DISCLOSURE.c.status,
                    DISCLOSURE.c.note,
                    DISCLOSURE.c.checked_at,
                    DISCLOSURE.c.source_id,
                ).where(
                    DISCLOSURE.c.candidacy_id.in_(ids),
                    DISCLOSURE.c.requirement.in_(REQUIREMENTS),
                )
            )
        }
        state = dict(
            self.conn.execute(
                select(IMPORTED.c.candidacy_id, IMPORTED.c.programme_statement_id).where(
                    IMPORTED.c.candidacy_id.in_(ids)
                )
            ).all()
        )
        programme_rows = {
            r.id: r
            for r in self.conn.execute(
                select(PROGRAMME.c.id, PROGRAMME.c.text, PROGRAMME.c.hidden).where(
                    PROGRAMME.c.id.in_({i for i in state.values() if i is not None})
                )
            )
        }

        person_changes: list[tuple[int, dict[str, Any]]] = []
        candidacy_changes: list[tuple[int, dict[str, Any]]] = []
        item_changes: list[tuple[int, dict[str, Any]]] = []
        programme_changes: list[tuple[int, dict[str, Any]]] = []
        new_items: list[dict[str, Any]] = []
        new_programmes: list[dict[str, Any]] = []
        for row, candidacy_id in pairs:
            candidacy = current[candidacy_id]
            source_id = self.source_id(row)
            person = people[candidacy.person_id]
            wanted = person_values(row)
            changed = {k: v for k, v in wanted.items() if person[k] != v}
            if changed:
                if person["source_id"] != source_id:
                    changed["source_id"] = source_id
                person_changes.append((candidacy.person_id, changed))
                self._changed(PERSON, candidacy.person_id, person, changed, candidacy.person_id)

            wanted = {
                "office_id": row.office_id,
                "district_id": self._district_id(row),
                "party_id": row.party_id,
                "ballot_number": row.ballot_number,
            }
            if row.external_id is not None:
                wanted["external_id"] = row.external_id
            if candidacy.stage == Stage.WITHDRAWN:
                wanted["stage"] = Stage.DCT.value
            before = candidacy._asdict()
            changed = {k: v for k, v in wanted.items() if before[k] != v}
            if changed:
                if candidacy.source_id != source_id:
                    changed["source_id"] = source_id
                candidacy_changes.append((candidacy_id, changed))
                self._changed(
                    CANDIDACY, candidacy_id, before, changed, candidacy.person_id, candidacy_id
                )

            for requirement, (status, note) in disclosures(row).items():
                item = items.get((candidacy_id, requirement))
                if item is None:
                    new_items.append(self._item(candidacy_id, requirement, status, note, row))
                elif (item.status, item.note) != (status, note):
                    changed = {"status": status, "note": note, "checked_at": self.today}
                    if item.source_id != source_id:
                        changed["source_id"] = source_id
                    item_changes.append((item.id, changed))
                    self._changed(DISCLOSURE, item.id, item._asdict(), changed, None, candidacy_id)

            programme_id = state.get(candidacy_id)
            programme = programme_rows.get(programme_id) if programme_id else None
            if row.program and programme is None:
                new_programmes.append(self._programme(candidacy_id, row))
            elif programme is not None:
                if row.program and (programme.text != row.program or programme.hidden):
                    changed = {"text": row.program, "hidden": False, "source_id": source_id}
                elif not row.program and not programme.hidden:
                    changed = {"hidden": True}
                else:
                    changed = {}
                changed = {k: v for k, v in changed.items() if programme._asdict().get(k) != v}
                if changed:
                    programme_changes.append((programme.id, changed))
                    self._changed(
                        PROGRAMME, programme.id, programme._asdict(), changed, None, candidacy_id
                    )

        self._update(PERSON, person_changes)
        self._update(CANDIDACY, candidacy_changes)
        self._update(DISCLOSURE, item_changes)
        self._update(PROGRAMME, programme_changes)
        self._insert_items(new_items)
        created_programmes = self._insert_programmes(new_programmes)
        self._record_state(pairs, state, created_programmes)
        self.flush_revisions()

    def _changed(
        self,
        table: Table,
        entity_id: int,
        before: dict[str, Any],
        changed: dict[str, Any],
        person_id: int | None,
        candidacy_id: int | None = None,
    ) -> None:
        old = _json({key: before.get(key) for key in changed})
        new = _json(changed)
        if set(changed) == {"hidden"}:
            action = "hide" if changed["hidden"] else "unhide"
        else:
            action = "update"
        self._revision(
            table,
            entity_id,
            action,
            old,
            new,
            person_id=person_id,
            candidacy_id=candidacy_id,
            source_id=changed.get("source_id"),
        )

    def _record_state(
        self,
        pairs: Sequence[tuple[Row, int]],
        state: dict[int, int | None],
        created_programmes: dict[int, int],
    ) -> None:
        known = []
        fresh = []
        for row, candidacy_id in pairs:
            values = {
                "digest": row.digest,
                "import_batch_id": self.prov.import_batch_id,
                "programme_statement_id": created_programmes.get(
                    candidacy_id, state.get(candidacy_id)
                ),
            }
            if candidacy_id in state:
                known.append({"w_id": candidacy_id, **{f"v_{k}": v for k, v in values.items()}})
            else:
                fresh.append({"candidacy_id": candidacy_id, **values})
        if known:
            self.conn.execute(
                update(IMPORTED)
                .where(IMPORTED.c.candidacy_id == bindparam("w_id"))
                .values({k: bindparam(f"v_{k}") for k in ("digest", "import_batch_id")})
                .values(programme_statement_id=bindparam("v_programme_statement_id")),
                known,
            )
        if fresh:
            self._insert_many(IMPORTED, fresh)

    def withdraw(self, withdrawn: Sequence[tuple[int, int, str]]) -> None:
        """(candidacy id, person id, current stage): marked withdrawn, never deleted."""
        self._update(
            CANDIDACY,
            ((candidacy_id, {"stage": Stage.WITHDRAWN.value}) for candidacy_id, _, _ in withdrawn),
        )
        for candidacy_id, person_id, stage in withdrawn:
            self._revision(
                CANDIDACY,
                candidacy_id,
                "update",
                {"stage": stage},
                {"stage": Stage.WITHDRAWN.value},
                person_id=person_id,
                candidacy_id=candidacy_id,
            )
        self.flush_revisions()
