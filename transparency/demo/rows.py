"""What the demo's row builders share: the batch they fill, the statuses, the sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from random import Random
from typing import Any

from transparency.bulk import BulkWriter
from transparency.models import (
    Candidacy,
    DisclosureItem,
    DisclosureStatus,
    Person,
    ProgrammeStatement,
    Source,
    TrackRecordItem,
)

P = DisclosureStatus.PUBLISHED.value
PA = DisclosureStatus.PARTIAL.value
R = DisclosureStatus.REFUSED.value
NF = DisclosureStatus.NOT_FOUND.value
NA = DisclosureStatus.NOT_APPLICABLE.value
CONTOH = "https://contoh.example"


@dataclass
class Batch:
    """The rows of up to a batch of candidacies, per table, in insert order."""

    source: list[dict[str, Any]] = field(default_factory=list)
    person: list[dict[str, Any]] = field(default_factory=list)
    candidacy: list[dict[str, Any]] = field(default_factory=list)
    programme_statement: list[dict[str, Any]] = field(default_factory=list)
    track_record_item: list[dict[str, Any]] = field(default_factory=list)
    disclosure_item: list[dict[str, Any]] = field(default_factory=list)
    candidacies: int = 0

    def write(self, bulk: BulkWriter) -> None:
        """Insert the rows table by table, foreign keys pointing backwards, then their
        revisions (bulk.py records one per public row)."""
        for model, rows in (
            (Source, self.source),
            (Person, self.person),
            (Candidacy, self.candidacy),
            (ProgrammeStatement, self.programme_statement),
            (TrackRecordItem, self.track_record_item),
            (DisclosureItem, self.disclosure_item),
        ):
            bulk.insert(model, rows)
        bulk.write_revisions()


def pick(rng: Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    roll = rng.random()
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


class RowBuilder:
    """A seeded generator and the bulk writer that hands out ids."""

    rng: Random
    bulk: BulkWriter
    now: datetime

    def _source(self, batch: Batch, url: str, title: str, publisher: str, accessed: date) -> int:
        source_id = self.bulk.new_id(Source)
        batch.source.append(
            {
                "id": source_id,
                "url": url,
                "title": title,
                "publisher": publisher,
                "accessed_on": accessed,
                "archived_url": None,
                "is_fictional": True,
                "created_at": self.now,
            }
        )
        return source_id
