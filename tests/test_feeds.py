"""/feeds/flagged.atom: well-formed Atom, newest first, with links, filterable."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree as ET

import feedparser
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
                new_value="R-CV",
                ruleset_version="2024.1",
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
                old_value="R-CV",
                ruleset_version="2024.1",
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


def parse(client, url: str, **headers: str):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    return response, feed


def test_each_filter_set_is_its_own_feed_with_its_own_alternate_page(client, changes):
    _, whole = parse(client, "/feeds/flagged.atom")
    _, party = parse(client, "/feeds/flagged.atom?party=pkb&lang=en")
    _, party_id = parse(client, "/feeds/flagged.atom?party=pkb")
    _, both = parse(client, "/feeds/flagged.atom?province=33&party=pkb")
    _, swapped = parse(client, "/feeds/flagged.atom?party=pkb&province=33")
    assert whole.feed.id.startswith("urn:uuid:")
    assert len({whole.feed.id, party.feed.id, both.feed.id}) == 3
    assert party.feed.id == party_id.feed.id  # the same feed in another language
    assert both.feed.id == swapped.feed.id
    alternate = next(link.href for link in party.feed.links if link.rel == "alternate")
    assert alternate.endswith("/flagged?lang=en&party=pkb")


def test_entry_ids_are_stable_urns_shared_by_every_feed_of_the_change(client, changes):
    _, first = parse(client, "/feeds/flagged.atom")
    _, again = parse(client, "/feeds/flagged.atom?lang=en")
    _, race = parse(client, "/feeds/districts/3304.atom")
    ids = [entry.id for entry in first.entries]
    assert all(entry_id.startswith("urn:uuid:") for entry_id in ids)
    assert ids == [entry.id for entry in again.entries]
    assert {entry.id for entry in race.entries} <= set(ids)


def test_feed_answers_304_to_its_own_validators(client, changes):
    response, _ = parse(client, "/feeds/flagged.atom?party=pkb")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    again = client.get("/feeds/flagged.atom?party=pkb", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    since = client.get("/feeds/flagged.atom?party=pkb", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other = client.get("/feeds/flagged.atom?party=pkb&lang=en", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another language is another body
    # recorded a second after the feed's newest moment, as the engine records one now
    later = parsedate_to_datetime(modified).replace(tzinfo=None) + timedelta(seconds=1)
    db.session.add(
        StatusChange(
            candidacy_id=changes[0],
            changed_at=later,
            kind="flagged",
            new_value="R-CV",
            ruleset_version="2024.1",
        )
    )
    db.session.commit()
    changed = client.get("/feeds/flagged.atom?party=pkb", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    newer = client.get("/feeds/flagged.atom?party=pkb", headers={"If-Modified-Since": modified})
    assert newer.status_code == 200


def test_an_empty_feed_keeps_its_validators(client, changes):
    first = client.get("/feeds/flagged.atom?party=golkar")
    second = client.get("/feeds/flagged.atom?party=golkar")
    assert first.headers["ETag"] == second.headers["ETag"]
    assert feedparser.parse(first.get_data()).entries == []


@pytest.fixture
def refused(make):
    flagged = make.candidacy(
        "Ani Menolak", party_number=1, disclosure={"cv": "refused", "criminal_record": "published"}
    )
    assert flagged.flagged
    db.session.add(
        StatusChange(
            candidacy_id=flagged.id,
            changed_at=datetime(2023, 11, 1),
            kind="disclosure",
            requirement="cv",
            old_value="not_found",
            new_value="refused",
        )
    )
    db.session.commit()
    return flagged.id


def test_entries_state_the_reason_in_words_with_labels(client, refused):
    _, feed = parse(client, f"/feeds/candidates/{refused}.atom")
    entry = next(e for e in feed.entries if "flagged" in [t.term for t in e.tags])
    assert entry.title == "Ani Menolak kini ditandai"
    assert "R-CV (Daftar riwayat hidup dipublikasikan)" in entry.summary
    assert "Tidak bersedia membuka data diri (per 14 November 2023)" in entry.summary
    assert "Sumber: https://contoh.example/sumber" in entry.summary
    assert "Partai Kebangkitan Bangsa (PKB)" in entry.summary
    assert "Dewan Perwakilan Rakyat, JAWA TENGAH IV (3304)" in entry.summary
    status = next(e for e in feed.entries if "disclosure" in [t.term for t in e.tags])
    assert status.title == (
        "Ani Menolak: Daftar riwayat hidup berubah dari “Tidak ditemukan” menjadi “Tidak bersedia”"
    )


def test_entries_in_english_on_request(client, refused):
    # (the first request of the test: the factories' app context keeps a request's locale)
    _, english = parse(client, f"/feeds/candidates/{refused}.atom?lang=en")
    entry = next(e for e in english.entries if "flagged" in [t.term for t in e.tags])
    assert entry.title == "Ani Menolak is now flagged"
    assert "Declined to make personal data public (as of November 14, 2023)" in entry.summary
    assert "House of Representatives" in entry.summary


def test_district_and_candidate_feeds_follow_one_race(client, changes):
    _, race = parse(client, "/feeds/districts/1101.atom")
    assert {entry.link.rsplit("/", 1)[1] for entry in race.entries} == {str(changes[1])}
    assert "1101" in race.feed.title
    alternate = next(link.href for link in race.feed.links if link.rel == "alternate")
    assert alternate.endswith("/candidates?district=1101")
    _, one = parse(client, f"/feeds/candidates/{changes[0]}.atom")
    assert len(one.entries) == 2
    assert {entry.link.rsplit("/", 1)[1] for entry in one.entries} == {str(changes[0])}
    alternate = next(link.href for link in one.feed.links if link.rel == "alternate")
    assert alternate.endswith(f"/candidates/{changes[0]}")
    assert client.get("/feeds/districts/9999.atom").status_code == 404
    missing = client.get("/feeds/candidates/999999.atom")
    assert missing.status_code == 404 and "error" in missing.get_json()


def test_a_candidacy_feed_follows_its_public_profile(client, make):
    """A withdrawn candidacy keeps its public profile, so its feed; a hidden one, or one
    whose person is hidden, has neither: the same JSON 404 as an id never used."""
    from transparency.models import Stage
    from transparency.revisions import provenance

    withdrawn = make.candidacy("Mundur", party_number=1, disclosure={"cv": "refused"})
    hidden = make.candidacy("Tersembunyi", party_number=1, disclosure={"cv": "refused"})
    person_hidden = make.candidacy("Orang Tersembunyi", party_number=2)
    with provenance(db.session, origin="test"):
        withdrawn.stage = Stage.WITHDRAWN
        hidden.hidden = True
        person_hidden.person.hidden = True
        db.session.flush()
    ids = (withdrawn.id, hidden.id, person_hidden.id)
    db.session.commit()
    _, feed = parse(client, f"/feeds/candidates/{ids[0]}.atom")
    assert feed.feed.title == "Jejak Terbuka: perubahan untuk Mundur"
    assert [entry.title for entry in feed.entries] == ["Mundur kini ditandai"]
    for candidacy_id in ids[1:]:
        missing = client.get(f"/feeds/candidates/{candidacy_id}.atom")
        assert missing.status_code == 404 and missing.mimetype == "application/json"
        assert missing.get_json()["error"]["message"] == (
            f"no public candidacy with id {candidacy_id}"
        )
