"""Upgrading past a5c19f3e7d20: a not_requested item recorded no fact, so it goes (the
requirement then reads as not checked) and a revision keeps what it held."""

import json

from flask_migrate import upgrade
from sqlalchemy import text

from transparency import create_app
from transparency.extensions import db

ROWS = [
    "INSERT INTO election (id, slug, name, country, held_on) "
    "VALUES (1, 'pemilu-2024', 'Pemilu 2024', 'ID', '2024-02-14')",
    "INSERT INTO office (id, code, name_id, name_en, level, party_list, position) "
    "VALUES (1, 'DPR', 'DPR RI', 'House', 'national', true, 1)",
    "INSERT INTO district (id, election_id, office_id, code, name, seats, is_fictional) "
    "VALUES (1, 1, 1, '9901', 'Dapil Contoh I', 8, true)",
    "INSERT INTO person (id, full_name, is_fictional, hidden, created_at, updated_at) "
    "VALUES (1, 'Sari Contoh', true, false, '2023-11-14 09:00:00', '2023-11-14 09:00:00')",
    "INSERT INTO candidacy (id, person_id, election_id, office_id, district_id, ballot_number,"
    " stage, flagged, hidden, created_at, updated_at) VALUES (1, 1, 1, 1, 1, 1, 'DCT', false,"
    " false, '2023-11-14 09:00:00', '2023-11-14 09:00:00')",
    "INSERT INTO disclosure_item (id, candidacy_id, requirement, status, checked_at, updated_at)"
    " VALUES (1, 1, 'cv', 'not_requested', NULL, '2023-11-14 09:00:00')",
    "INSERT INTO disclosure_item (id, candidacy_id, requirement, status, checked_at, updated_at)"
    " VALUES (2, 1, 'lhkpn', 'refused', '2023-11-14', '2023-11-14 09:00:00')",
]


def test_not_requested_items_go_with_a_revision(app_config):
    app = create_app(app_config)
    with app.app_context():
        upgrade(revision="e41d7a9c2b55")
        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        upgrade()
        with db.engine.connect() as connection:
            items = connection.execute(
                text("SELECT id, status FROM disclosure_item ORDER BY id")
            ).all()
            revision = connection.execute(
                text(
                    "SELECT entity_type, entity_id, action, before, candidacy_id, origin "
                    "FROM revision WHERE entity_type = 'disclosure_item'"
                )
            ).one()
        db.engine.dispose()
    assert [tuple(item) for item in items] == [(2, "refused")]
    before = revision.before if isinstance(revision.before, dict) else json.loads(revision.before)
    assert (revision.entity_id, revision.action, revision.candidacy_id) == (1, "delete", 1)
    assert before["status"] == "not_requested" and before["requirement"] == "cv"
    assert revision.origin == "migration"
