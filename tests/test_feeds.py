"""/feeds/flagged.atom: well-formed Atom, newest first, with links, filterable."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

import pytest

from transparency.extensions import db
from transparency.models import StatusChange

NS = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def changes(make):
    first = make.candidacy("Siti Rahayu", party_number=1, district="3304")
    second = make.candidacy("Andi \x0b <b>&amp;</b> 😀", party_number=2, district="1101")
    ids = (first.id, second.id)
    db.session.add_all(
        [
            StatusChange(
                candidacy_id=ids[0],
                changed_at=datetime(2023, 11, 14),
                kind="flagged",
                old_value="false",
                new_value="true",
            ),
            StatusChange(
                candidacy_id=ids[1],
                changed_at=datetime(2023, 12, 1),
                kind="disclosure",
                requirement="cv",
                old_value="not_found",
                new_value="refused",
            ),
            StatusChange(
                candidacy_id=ids[0],
                changed_at=datetime(2024, 1, 5),
                kind="cleared",
                old_value="true",
                new_value="false",
            ),
        ]
    )
    db.session.commit()
    return ids


def entries(client, query: str = "") -> list[ET.Element]:
    response = client.get("/feeds/flagged.atom" + query)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.get_data())  # noqa: S314 - our own feed; raises unless well-formed
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.find("a:id", NS) is not None and root.find("a:updated", NS) is not None
    return root.findall("a:entry", NS)


def test_feed_is_well_formed_newest_first_with_links(client, changes):
    found = entries(client, "?lang=en")
    updated = [entry.find("a:updated", NS).text for entry in found]
    assert updated == sorted(updated, reverse=True)
    assert len(found) == 3
    assert found[0].find("a:title", NS).text == "Siti Rahayu is no longer flagged"
    links = [entry.find("a:link", NS).get("href") for entry in found]
    assert links[0].endswith(f"/candidates/{changes[0]}")
    assert "<b>&amp;</b>" in found[1].find("a:title", NS).text  # escaped, not markup
    ids = [entry.find("a:id", NS).text for entry in found]
    assert len(set(ids)) == 3


def test_feed_filters_by_party_and_province(client, changes):
    by_party = entries(client, "?party=pkb")
    assert {e.find("a:link", NS).get("href").rsplit("/", 1)[1] for e in by_party} == {
        str(changes[0])
    }
    by_province = entries(client, "?province=11")
    assert [e.find("a:link", NS).get("href").rsplit("/", 1)[1] for e in by_province] == [
        str(changes[1])
    ]


def test_feed_is_in_indonesian_by_default(client, changes):
    title = entries(client)[0].find("a:title", NS).text
    assert "Siti Rahayu" in title and "flagged" not in title


def test_feed_refuses_unknown_filters(client, changes):
    response = client.get("/feeds/flagged.atom?province=xx")
    assert response.status_code == 400
    assert "province" in response.get_json()["error"]["message"]
