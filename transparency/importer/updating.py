"""What a changed row of the official list changes in the stored candidacy: the fields that
differ, as bulk.Change values, and the disclosure items and programme it newly brings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transparency.bulk import Change
from transparency.importer.mapping import disclosures, person_values, sections
from transparency.importer.validation import Row
from transparency.models import Stage

if TYPE_CHECKING:
    from transparency.importer.writing import Writer


@dataclass
class Found:
    people: list[Change] = field(default_factory=list)
    candidacies: list[Change] = field(default_factory=list)
    items: list[Change] = field(default_factory=list)
    programmes: list[Change] = field(default_factory=list)
    new_items: list[dict[str, Any]] = field(default_factory=list)
    new_programmes: list[dict[str, Any]] = field(default_factory=list)


def changes_of(
    writer: Writer,
    pairs: Sequence[tuple[Row, int]],
    current: dict[int, dict[str, Any]],
    people: dict[int, dict[str, Any]],
    items: dict[tuple[int, str], dict[str, Any]],
    programmes: dict[int, dict[str, Any] | None],
) -> Found:
    """`current`, `people`, `items`, `programmes`: the stored rows, read by the writer."""
    found = Found()
    for row, candidacy_id in pairs:
        candidacy = current[candidacy_id]
        person_id = candidacy["person_id"]
        source_id = writer.source_id(row)
        person = people[person_id]
        changed = {k: v for k, v in person_values(row).items() if person[k] != v}
        if changed:
            if person["source_id"] != source_id:
                changed["source_id"] = source_id
            found.people.append(Change(person_id, person, changed, person_id=person_id))

        wanted: dict[str, Any] = {
            "office_id": row.office_id,
            "district_id": writer.district_id(row),
            "party_id": row.party_id,
            "ballot_number": row.ballot_number,
        }
        if row.external_id is not None:
            wanted["external_id"] = row.external_id
        if candidacy["stage"] == Stage.WITHDRAWN:
            wanted["stage"] = Stage.DCT.value
        changed = {k: v for k, v in wanted.items() if candidacy[k] != v}
        if changed:
            if candidacy["source_id"] != source_id:
                changed["source_id"] = source_id
            found.candidacies.append(
                Change(candidacy_id, candidacy, changed, person_id, candidacy_id)
            )

        for requirement, (status, note) in disclosures(row).items():
            item = items.get((candidacy_id, requirement))
            if item is None:
                found.new_items.append(writer.item(candidacy_id, requirement, status, note, row))
            elif (item["status"], item["note"], item["sections"]) != (
                status,
                note,
                sections(row, requirement),
            ):
                changed = {"status": status, "note": note, "checked_at": writer.today}
                if item["sections"] != sections(row, requirement):
                    changed["sections"] = sections(row, requirement)
                if item["source_id"] != source_id:
                    changed["source_id"] = source_id
                found.items.append(Change(item["id"], item, changed, candidacy_id=candidacy_id))

        programme = programmes.get(candidacy_id)
        if row.program and programme is None:
            found.new_programmes.append(writer.programme(candidacy_id, row))
        elif programme is not None:
            if row.program and (programme["text"] != row.program or programme["hidden"]):
                changed = {"text": row.program, "hidden": False, "source_id": source_id}
            elif not row.program and not programme["hidden"] and row.gives("program"):
                changed = {"hidden": True}
            else:
                changed = {}
            if changed:
                found.programmes.append(
                    Change(programme["id"], programme, changed, candidacy_id=candidacy_id)
                )
    return found
