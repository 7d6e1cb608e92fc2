"""Wikidata items of people and parties: proposed with a source, reviewed, then in every
export (CSV, JSON, Excel's dictionary, Popolo identifiers with scheme `wikidata`)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from tests.auth_helpers import in_app, source_fields
from tests.test_export_popolo import validators
from tests.test_review import client_for, decide, propose
from transparency.extensions import db
from transparency.models import Party, Person, Revision, Submission


def approve_profile(app, make, candidacy_id: int, data: dict) -> None:
    volunteer, _ = client_for(app, make)
    reviewer, _ = client_for(app, make, role="reviewer")
    submission_id = propose(volunteer, candidacy_id, "profile", data)
    assert decide(reviewer, submission_id).status_code == 302


@pytest.mark.parametrize("value", ["Q0", "Q012", "q42", "Q", "42", "Q42x", "Q 42", "P31"])
def test_a_malformed_item_id_is_refused_with_the_input_kept(app, make, value):
    candidacy = make.candidacy("Siti Rahayu")
    volunteer, _ = client_for(app, make)
    response = volunteer.post(
        f"/contribute/candidacies/{candidacy.id}/profile",
        data={"wikidata_id": value, **source_fields()},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give a Wikidata item id: Q followed by its number" in page
    with in_app(app):
        assert db.session.scalars(select(Submission)).all() == []


def test_a_persons_item_is_reviewed_recorded_and_exported(app, make, client):
    candidacy = make.candidacy("Siti Rahayu", party_number=1)
    approve_profile(app, make, candidacy.id, {"wikidata_id": "Q42"})
    with in_app(app):
        person = db.session.get(Person, candidacy.person_id)
        assert person.wikidata_id == "Q42"
        revision = db.session.scalars(
            select(Revision).where(Revision.entity_type == "person").order_by(Revision.id.desc())
        ).first()
        assert revision.after["wikidata_id"] == "Q42" and revision.source_id is not None
    text = client.get("/export/candidates.csv").get_data().decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text, newline=""))
    assert row["person_wikidata_id"] == "Q42" and row["party_wikidata_id"] == ""
    (record,) = client.get("/export/candidates.json").get_json()["rows"]
    assert record["person_wikidata_id"] == "Q42"
    popolo = json.loads(client.get("/export/popolo.json").get_data())
    (person_item,) = popolo["persons"]
    assert person_item["identifiers"] == [{"scheme": "wikidata", "identifier": "Q42"}]
    assert not list(validators()["person"].iter_errors(person_item))


def test_a_partys_item_is_proposed_with_a_source_and_exported(app, make, client):
    candidacy = make.candidacy("Siti Rahayu", party_number=1)
    with in_app(app):
        party_id = db.session.scalar(select(Party.id).where(Party.slug == "pkb"))
    volunteer, _ = client_for(app, make)
    assert "Propose a change" in volunteer.get(f"/parties/{party_id}").get_data(as_text=True)
    form = f"/contribute/parties/{party_id}/identifier"
    refused = volunteer.post(form, data={"wikidata_id": "Q42"})  # no source
    assert "Give at least one source." in refused.get_data(as_text=True)
    sent = volunteer.post(form, data={"wikidata_id": "Q1234", **source_fields()})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    submission_id = int(sent.headers["Location"].rsplit("/", 1)[1])
    reviewer, _ = client_for(app, make, role="reviewer")
    page = reviewer.get(f"/review/submissions/{submission_id}").get_data(as_text=True)
    assert "Partai Kebangkitan Bangsa" in page and "Q1234" in page
    assert decide(reviewer, submission_id).status_code == 302
    with in_app(app):
        assert db.session.get(Party, party_id).wikidata_id == "Q1234"
        assert db.session.scalar(
            select(Revision.id).where(
                Revision.entity_type == "party", Revision.entity_id == party_id
            )
        )
    text = client.get("/export/candidates.csv").get_data().decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text, newline=""))
    assert row["party_wikidata_id"] == "Q1234"
    popolo = json.loads(client.get("/export/popolo.json").get_data())
    party = next(o for o in popolo["organizations"] if o["id"].endswith("/pkb"))
    assert {"scheme": "wikidata", "identifier": "Q1234"} in party["identifiers"]
    assert not list(validators()["organization"].iter_errors(party))
    assert candidacy.id
