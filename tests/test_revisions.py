"""Every change to public data is a recorded revision; public rows are hidden, never deleted."""

import pytest
from sqlalchemy import select

from transparency.extensions import db
from transparency.models import Candidacy, Person, Revision
from transparency.revisions import UnrecordedChange, provenance


def revisions_of(entity_type, entity_id):
    return db.session.scalars(
        select(Revision)
        .where(Revision.entity_type == entity_type, Revision.entity_id == entity_id)
        .order_by(Revision.id)
    ).all()


def test_creation_is_recorded_with_its_provenance(make):
    candidacy = make.candidacy("Budi Santoso", disclosure={"cv": "refused"})
    [created] = revisions_of("candidacy", candidacy.id)
    assert created.action == "create"
    assert created.origin == "test"
    assert created.after["ballot_number"] == candidacy.ballot_number
    assert created.candidacy_id == candidacy.id
    [person] = revisions_of("person", candidacy.person_id)
    assert person.after["full_name"] == "Budi Santoso"


def test_update_records_only_changed_fields(make):
    person = make.candidacy("Budi Santoso").person
    with provenance(db.session, origin="admin", reason="typo"):
        person.full_name = "Budi Santosa"
        person.domicile = person.domicile  # unchanged: not recorded
        db.session.commit()
    update = revisions_of("person", person.id)[-1]
    assert update.action == "update"
    assert update.before == {"full_name": "Budi Santoso"}
    assert update.after == {"full_name": "Budi Santosa"}
    assert update.reason == "typo"


def test_hiding_is_a_revision(make):
    candidacy = make.candidacy()
    with provenance(db.session, origin="admin", reason="duplicate entry"):
        candidacy.hidden = True
        db.session.commit()
    assert revisions_of("candidacy", candidacy.id)[-1].action == "hide"


def test_change_without_provenance_is_refused(make):
    person = make.candidacy().person
    person.full_name = "Tanpa Sumber"
    with pytest.raises(UnrecordedChange):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Person, person.id).full_name != "Tanpa Sumber"


def test_deleting_public_data_is_refused(make):
    candidacy = make.candidacy()
    with provenance(db.session, origin="admin"):
        db.session.delete(candidacy)
        with pytest.raises(UnrecordedChange, match="hide"):
            db.session.commit()
    db.session.rollback()
    assert db.session.get(Candidacy, candidacy.id) is not None


def test_derived_fields_are_not_revisions(make):
    candidacy = make.candidacy()
    count = len(revisions_of("candidacy", candidacy.id))
    candidacy.flagged = True
    candidacy.disclosure_score = 40
    db.session.commit()
    assert len(revisions_of("candidacy", candidacy.id)) == count
