"""Writing validated rows in batches through transparency.bulk, each change with its Revision.

Everything runs on the session's connection, inside the caller's transaction: the caller
commits once at the end, or rolls back and nothing of the file remains.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from transparency.bulk import BulkWriter, Change
from transparency.importer.mapping import REQUIREMENTS, disclosures, person_values, sections
from transparency.importer.updating import changes_of
from transparency.importer.validation import Reference, Row
from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    ImportedCandidacy,
    Person,
    ProgrammeKind,
    ProgrammeStatement,
    Source,
    Stage,
)
from transparency.revisions import Provenance

PERSON = Person.__table__
CANDIDACY = Candidacy.__table__
DISCLOSURE = DisclosureItem.__table__
PROGRAMME = ProgrammeStatement.__table__
IMPORTED = ImportedCandidacy.__table__
SOURCE = Source.__table__


class Writer:
    """One import's writes; `bulk` holds its revisions and the candidacies it changed."""

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
        self.bulk = BulkWriter(session, provenance)
        self.ref = reference
        self.prov = provenance
        self.today = today
        self.file_source_url = file_source_url
        self.file_name = file_name
        self.sources: dict[str, int] = {}
        self.source_titles: dict[str, str] = {}  # url -> title, when not the file's name

    # -- sources -----------------------------------------------------------------------

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
        ids = self.bulk.add(
            Source,
            [
                {
                    "url": url,
                    "title": self.source_titles.get(url, title)[:500],
                    "accessed_on": self.today,
                    "is_fictional": False,
                }
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
        ids = self.bulk.add(District, rows)
        for key, district_id in zip(keys, ids, strict=True):
            self.ref.districts[key] = district_id
        self.bulk.write_revisions()
        return len(ids)

    # -- new candidacies ---------------------------------------------------------------

    def district_id(self, row: Row) -> int:
        return self.ref.districts[(row.election_id, row.office_id, row.district_code)]

    def create(self, rows: Sequence[Row]) -> list[int]:
        """New people and their candidacies, disclosure items and programme statements."""
        self.ensure_sources(rows)
        person_ids = self.bulk.add(
            Person,
            [
                {
                    **person_values(row, new=True),
                    "source_id": self.source_id(row),
                    "is_fictional": False,
                    "hidden": False,
                }
                for row in rows
            ],
        )
        candidacy_ids = self.bulk.add(
            Candidacy,
            [
                {
                    "person_id": person_id,
                    "election_id": row.election_id,
                    "office_id": row.office_id,
                    "district_id": self.district_id(row),
                    "party_id": row.party_id,
                    "ballot_number": row.ballot_number,
                    "stage": Stage.DCT.value,
                    "external_id": row.external_id,
                    "source_id": self.source_id(row),
                    "hidden": False,
                }
                for row, person_id in zip(rows, person_ids, strict=True)
            ],
        )
        items = []
        programmes = []
        for row, candidacy_id in zip(rows, candidacy_ids, strict=True):
            for requirement, (status, note) in disclosures(row).items():
                items.append(self.item(candidacy_id, requirement, status, note, row))
            if row.program:
                programmes.append(self.programme(candidacy_id, row))
        self.bulk.add(DisclosureItem, items)
        programme_ids = self.add_programmes(programmes)
        self.bulk.insert(
            ImportedCandidacy,
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
        self.bulk.write_revisions()
        return candidacy_ids

    def item(
        self, candidacy_id: int, requirement: str, status: str, note: str | None, row: Row
    ) -> dict[str, Any]:
        return {
            "candidacy_id": candidacy_id,
            "requirement": requirement,
            "status": status,
            "checked_at": self.today,
            "note": note,
            "sections": sections(row, requirement),
            "source_id": self.source_id(row),
        }

    def programme(self, candidacy_id: int, row: Row) -> dict[str, Any]:
        return {
            "candidacy_id": candidacy_id,
            "kind": ProgrammeKind.PROGRAMME.value,
            "text": row.program,
            "position": 0,
            "source_id": self.source_id(row),
            "hidden": False,
        }

    def add_programmes(self, programmes: list[dict[str, Any]]) -> dict[int, int]:
        """candidacy id -> the id of its new programme statement."""
        ids = self.bulk.add(ProgrammeStatement, programmes)
        return {p["candidacy_id"]: i for i, p in zip(ids, programmes, strict=True)}

    # -- matched candidacies -----------------------------------------------------------

    def update(self, pairs: Sequence[tuple[Row, int]]) -> None:
        """Matched candidacies whose row changed: write only the fields that differ."""
        self.ensure_sources([row for row, _ in pairs])
        ids = [candidacy_id for _, candidacy_id in pairs]
        current = {
            r.id: r._asdict()
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
                select(PERSON).where(PERSON.c.id.in_({c["person_id"] for c in current.values()}))
            )
        }
        items = {
            (r.candidacy_id, r.requirement): r._asdict()
            for r in self.conn.execute(
                select(
                    DISCLOSURE.c.id,
                    DISCLOSURE.c.candidacy_id,
                    DISCLOSURE.c.requirement,
                    DISCLOSURE.c.status,
                    DISCLOSURE.c.note,
                    DISCLOSURE.c.sections,
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
            r.id: r._asdict()
            for r in self.conn.execute(
                select(
                    PROGRAMME.c.id, PROGRAMME.c.text, PROGRAMME.c.hidden, PROGRAMME.c.source_id
                ).where(PROGRAMME.c.id.in_({i for i in state.values() if i is not None}))
            )
        }
        programmes = {c: programme_rows.get(p) for c, p in state.items() if p is not None}
        found = changes_of(self, pairs, current, people, items, programmes)
        self.bulk.update(Person, found.people)
        self.bulk.update(Candidacy, found.candidacies)
        self.bulk.update(DisclosureItem, found.items)
        self.bulk.update(ProgrammeStatement, found.programmes)
        self.bulk.add(DisclosureItem, found.new_items)
        created_programmes = self.add_programmes(found.new_programmes)
        self.record_state(pairs, state, created_programmes)
        self.bulk.write_revisions()

    def record_state(
        self,
        pairs: Sequence[tuple[Row, int]],
        state: dict[int, int | None],
        created_programmes: dict[int, int],
    ) -> None:
        """The digest of the row now imported for each candidacy, and its programme."""
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
        self.bulk.insert(ImportedCandidacy, fresh)

    def withdraw(self, withdrawn: Sequence[tuple[int, int, str]]) -> None:
        """(candidacy id, person id, current stage): marked withdrawn, never deleted."""
        self.bulk.update(
            Candidacy,
            [
                Change(
                    candidacy_id,
                    {"stage": stage},
                    {"stage": Stage.WITHDRAWN.value},
                    person_id=person_id,
                    candidacy_id=candidacy_id,
                )
                for candidacy_id, person_id, stage in withdrawn
            ],
        )
        self.bulk.write_revisions()
