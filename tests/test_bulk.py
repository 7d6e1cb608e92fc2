"""transparency.bulk: the importers' and the demo's writes record the same revisions, and
store the same values, as the ORM path does for the same change."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select, text

from transparency.bulk import BulkWriter, Change
from transparency.extensions import db
from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    Election,
    Office,
    Party,
    Person,
    Source,
    TrackRecordItem,
)
from transparency.revisions import Provenance, provenance

REVISION_COLUMNS = (
    "entity_type, entity_id, action, before, after, person_id, candidacy_id, source_id,"
    " origin, reason, import_batch_id, proposed_by_id, approved_by_id, reverts_id"
)
PERSON = {
    "full_name": "Sari Wulandari",
    "gender": "P",
    "birth_date": date(1980, 5, 17),
    "birth_place": "Klaten",
    "domicile": None,
    "education": "S2 Pendidikan",
}


def _reference() -> dict[str, int]:
    election = db.session.scalars(select(Election).filter_by(slug="pemilu-2024")).one()
    office = db.session.scalars(select(Office).filter_by(code="DPR")).one()
    district = db.session.scalars(
        select(District).filter_by(election_id=election.id, office_id=office.id, code="3304")
    ).one()
    party = db.session.scalars(select(Party).filter_by(election_id=election.id, number=1)).one()
    return {
        "election_id": election.id,
        "office_id": office.id,
        "district_id": district.id,
        "party_id": party.id,
    }


def _through_the_orm(source_id: int, reference: dict[str, int]) -> dict[str, int]:
    with provenance(db.session, origin="import", reason="the same change"):
        person = Person(**PERSON, source_id=source_id)
        candidacy = Candidacy(
            person=person, ballot_number=3, stage="DCT", source_id=source_id, **reference
        )
        item = DisclosureItem(
            candidacy=candidacy,
            requirement="cv",
            status="refused",
            checked_at=date(2023, 11, 14),
            source_id=source_id,
        )
        record = TrackRecordItem(
            person=person,
            kind="career",
            title="Guru SMA",
            start_year=2001,
            sources=[db.session.get(Source, source_id)],
        )
        db.session.add_all([person, candidacy, item, record])
        db.session.commit()
    with provenance(db.session, origin="import", reason="the same change"):
        person.full_name = "Sari Wulandari Putri"
        candidacy.hidden = True
        db.session.commit()
    return {"person": person.id, "candidacy": candidacy.id, "item": item.id, "record": record.id}


def _through_bulk(source_id: int, reference: dict[str, int]) -> dict[str, int]:
    writer = BulkWriter(db.session, Provenance(origin="import", reason="the same change"))
    person_id = writer.new_id(Person)
    candidacy_id = writer.new_id(Candidacy)
    writer.insert(Person, [{"id": person_id, **PERSON, "source_id": source_id}])
    writer.insert(
        Candidacy,
        [
            {
                "id": candidacy_id,
                "person_id": person_id,
                "ballot_number": 3,
                "stage": "DCT",
                "source_id": source_id,
                **reference,
            }
        ],
    )
    [item_id] = writer.add(
        DisclosureItem,
        [
            {
                "candidacy_id": candidacy_id,
                "requirement": "cv",
                "status": "refused",
                "checked_at": date(2023, 11, 14),
                "source_id": source_id,
            }
        ],
    )
    [record_id] = writer.add(
        TrackRecordItem,
        [
            {
                "person_id": person_id,
                "kind": "career",
                "title": "Guru SMA",
                "start_year": 2001,
                "sources_ids": [source_id],
            }
        ],
    )
    writer.write_revisions()
    writer.update(
        Person,
        [
            Change(
                person_id,
                {"full_name": "Sari Wulandari", "source_id": source_id},
                {"full_name": "Sari Wulandari Putri"},
                person_id=person_id,
            )
        ],
    )
    writer.update(
        Candidacy,
        [
            Change(
                candidacy_id,
                {"hidden": False, "source_id": source_id},
                {"hidden": True},
                person_id,
                candidacy_id,
            )
        ],
    )
    writer.finish()
    db.session.commit()
    return {"person": person_id, "candidacy": candidacy_id, "item": item_id, "record": record_id}


def _revisions(ids: dict[str, int]) -> list[dict[str, Any]]:
    """The revisions of these rows, read with SQL, their own ids replaced by names."""
    names = {
        ("person", ids["person"]): "person",
        ("candidacy", ids["candidacy"]): "candidacy",
        ("disclosure_item", ids["item"]): "item",
        ("track_record_item", ids["record"]): "record",
    }
    rows = db.session.execute(
        text(
            f"SELECT {REVISION_COLUMNS} FROM revision"  # noqa: S608 - constant column list
            " WHERE (entity_type = 'person' AND entity_id = :person)"
            " OR (entity_type = 'candidacy' AND entity_id = :candidacy)"
            " OR (entity_type = 'disclosure_item' AND entity_id = :item)"
            " OR (entity_type = 'track_record_item' AND entity_id = :record)"
            " ORDER BY entity_type, id"
        ),
        ids,
    ).mappings()
    person, candidacy = str(ids["person"]), str(ids["candidacy"])
    found = []
    for row in rows:
        row = dict(row)
        row["entity_id"] = names[(row["entity_type"], row["entity_id"])]
        row["person_id"] = "person" if row["person_id"] == ids["person"] else row["person_id"]
        row["candidacy_id"] = (
            "candidacy" if row["candidacy_id"] == ids["candidacy"] else row["candidacy_id"]
        )
        for side in ("before", "after"):
            value = row[side]
            value = json.loads(value) if isinstance(value, str) else value
            if value:
                value.pop("id", None)
                if str(value.get("person_id")) == person:
                    value["person_id"] = "person"
                if str(value.get("candidacy_id")) == candidacy:
                    value["candidacy_id"] = "candidacy"
            row[side] = value
        found.append(row)
    return found


def _stored(table: str, entity_id: int, columns: str) -> dict[str, Any]:
    return dict(
        db.session.execute(
            text(f"SELECT {columns} FROM {table} WHERE id = :id"),  # noqa: S608 - constants
            {"id": entity_id},
        )
        .mappings()
        .one()
    )


def test_orm_and_bulk_record_identical_revisions(make):
    source_id = make.source().id
    db.session.commit()
    reference = _reference()
    orm = _revisions(_through_the_orm(source_id, reference))
    bulk = _revisions(_through_bulk(source_id, reference))
    assert bulk == orm
    # What both record, written out: a create of each row with every recorded field, the
    # rename, and the hiding (the candidacy's own revisions first, by entity type).
    assert [(r["entity_type"], r["action"]) for r in bulk] == [
        ("candidacy", "create"),
        ("candidacy", "hide"),
        ("disclosure_item", "create"),
        ("person", "create"),
        ("person", "update"),
        ("track_record_item", "create"),
    ]
    person_created = bulk[3]
    assert person_created["after"] == {
        "full_name": "Sari Wulandari",
        "gender": "P",
        "birth_date": "1980-05-17",
        "birth_place": "Klaten",
        "domicile": None,
        "photo_url": None,
        "biography": None,
        "education": "S2 Pendidikan",
        "occupation": None,
        "wikidata_id": None,
        "source_id": source_id,
        "is_fictional": False,
        "hidden": False,
    }
    assert bulk[4]["before"] == {"full_name": "Sari Wulandari"}
    assert bulk[4]["after"] == {"full_name": "Sari Wulandari Putri"}
    assert bulk[1]["before"] == {"hidden": False} and bulk[1]["after"] == {"hidden": True}
    assert bulk[5]["after"]["sources_ids"] == [source_id]
    assert {r["source_id"] for r in bulk if r["entity_type"] != "track_record_item"} == {source_id}
    assert all(r["origin"] == "import" and r["reason"] == "the same change" for r in bulk)


def test_bulk_stores_values_as_the_orm_does(make):
    source_id = make.source().id
    db.session.commit()
    reference = _reference()
    orm = _through_the_orm(source_id, reference)
    bulk = _through_bulk(source_id, reference)
    person_columns = "full_name, gender, birth_date, birth_place, hidden, is_fictional"
    candidacy_columns = "stage, hidden, ballot_number, flagged, external_id"
    item_columns = "requirement, status, checked_at, note"
    assert _stored("person", bulk["person"], person_columns) == _stored(
        "person", orm["person"], person_columns
    )
    assert _stored("candidacy", bulk["candidacy"], candidacy_columns) == _stored(
        "candidacy", orm["candidacy"], candidacy_columns
    )
    assert _stored("disclosure_item", bulk["item"], item_columns) == _stored(
        "disclosure_item", orm["item"], item_columns
    )
    # Read back through the ORM, the bulk rows carry Python values, not stored strings.
    db.session.expire_all()
    person = db.session.get(Person, bulk["person"])
    assert person.birth_date == date(1980, 5, 17)
    assert person.hidden is False and person.created_at is not None
    assert db.session.get(Candidacy, bulk["candidacy"]).hidden is True
    record = db.session.get(TrackRecordItem, bulk["record"])
    assert [s.id for s in record.sources] == [source_id]
    links = db.session.execute(
        text("SELECT source_id FROM track_record_source WHERE track_record_item_id = :id"),
        {"id": bulk["record"]},
    ).scalars()
    assert list(links) == [source_id]


def test_ids_do_not_collide_with_later_orm_inserts(make):
    """PostgreSQL takes bulk ids from the sequence; SQLite counts on from the largest id.
    Either way an ORM insert after a bulk write gets a fresh id."""
    source_id = make.source().id
    db.session.commit()
    reference = _reference()
    bulk = _through_bulk(source_id, reference)
    orm = _through_the_orm(source_id, reference)
    assert orm["person"] > bulk["person"] and orm["candidacy"] > bulk["candidacy"]
    count = db.session.execute(text("SELECT count(*) FROM person")).scalar()
    assert count == 2
