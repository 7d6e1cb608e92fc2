"""Demo data: fictional, realistic in its proportions, deterministic, recorded."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from tests.conftest import fresh_app
from tests.factories import Factory
from transparency import create_app
from transparency.demo import load_demo_data
from transparency.demo.structure import targets
from transparency.extensions import db
from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    ImportBatch,
    Office,
    Party,
    Person,
    ProgrammeStatement,
    Region,
    Revision,
    Source,
    TrackRecordItem,
    track_record_source,
)
from transparency.revisions import snapshot

SAMPLE = 2000
CONTENT_TABLES = (
    "region",
    "district",
    "source",
    "person",
    "candidacy",
    "programme_statement",
    "track_record_item",
    "track_record_source",
    "disclosure_item",
    "revision",
)
# flagged_since is when the flag engine first flagged the row: a time, like the other two.
TIMESTAMPS = frozenset({"created_at", "updated_at", "flagged_since"})


def load(app: Flask, candidates: int, seed: int = 7) -> None:
    with app.app_context():
        load_demo_data(db.session, candidates, seed)
        db.session.commit()


def digest(app: Flask) -> str:
    """A hash of every demo row's content, timestamps aside."""
    sha = hashlib.sha256()
    with app.app_context():
        for name in CONTENT_TABLES:
            table = db.metadata.tables[name]
            columns = [column for column in table.columns if column.name not in TIMESTAMPS]
            order = list(table.primary_key.columns)
            for row in db.session.execute(select(*columns).order_by(*order)):
                sha.update(repr(tuple(row)).encode())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One database with a few thousand demo candidacies, shared by the read-only tests."""
    with fresh_app(tmp_path_factory.mktemp("demo-sample")) as app:
        load(app, SAMPLE, seed=11)
        yield app


@pytest.fixture
def sample(sample_app: Flask) -> Iterator[Flask]:
    with sample_app.app_context():
        yield sample_app


def test_same_seed_gives_identical_rows_and_another_seed_does_not(tmp_path: Path) -> None:
    digests = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        with fresh_app(tmp_path / name) as app:
            load(app, 300, seed)
            digests.append(digest(app))
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_the_requested_number_of_candidacies_at_every_level(sample: Flask) -> None:
    counts = dict(
        db.session.execute(
            select(Office.code, func.count(Candidacy.id))
            .join(Candidacy.office)
            .group_by(Office.code)
        ).all()
    )
    assert sum(counts.values()) == SAMPLE
    assert set(counts) == {"DPR", "DPD", "DPRD_PROVINSI", "DPRD_KABKOTA"}
    # A small demo keeps the national level well represented.
    assert counts["DPR"] >= 0.2 * SAMPLE
    assert counts["DPD"] >= 0.03 * SAMPLE


def test_the_full_scale_mix_resembles_2024() -> None:
    mix = targets(250_000)
    assert mix.total == 250_000
    assert mix.dpr == 9917
    assert mix.dpd == 668
    assert 0.12 <= mix.provinsi / mix.total <= 0.14
    assert mix.kabkota / mix.total > 0.8


def test_cv_disclosure_in_realistic_proportions_with_whole_party_patterns(sample: Flask) -> None:
    statuses = Counter(
        db.session.scalars(select(DisclosureItem.status).where(DisclosureItem.requirement == "cv"))
    )
    total = sum(statuses.values())
    assert total == SAMPLE
    for status, share in (("published", 0.35), ("partial", 0.35), ("refused", 0.30)):
        assert abs(statuses[status] / total - share) < 0.07, statuses
    by_party: dict[str, Counter] = defaultdict(Counter)
    rows = db.session.execute(
        select(Party.short_name, DisclosureItem.status)
        .join(Candidacy, Candidacy.id == DisclosureItem.candidacy_id)
        .join(Party, Party.id == Candidacy.party_id)
        .where(DisclosureItem.requirement == "cv")
    )
    for party, status in rows:
        by_party[party][status] += 1
    shares = {
        party: {status: n / sum(c.values()) for status, n in c.items()}
        for party, c in by_party.items()
        if sum(c.values()) >= 40
    }
    assert any(share.get("refused", 0) > 0.85 for share in shares.values())
    assert any(share.get("published", 0) > 0.8 for share in shares.values())


def test_every_disclosure_item_is_recorded_with_a_date_and_source(sample: Flask) -> None:
    requirements = Counter(db.session.scalars(select(DisclosureItem.requirement)))
    assert {name: requirements[name] for name in ("cv", "programme", "lhkpn", "photo")} == {
        name: SAMPLE for name in ("cv", "programme", "lhkpn", "photo")
    }
    # an empty criminal-status cell is not checked: no item (about 15% of those who did not
    # refuse their CV)
    assert 0.75 * SAMPLE < requirements["criminal_record"] < 0.95 * SAMPLE
    missing = db.session.scalar(
        select(func.count(DisclosureItem.id)).where(
            (DisclosureItem.checked_at.is_(None)) | (DisclosureItem.source_id.is_(None))
        )
    )
    assert missing == 0


def test_at_least_thirty_percent_women_on_every_party_list(sample: Flask) -> None:
    lists: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    rows = db.session.execute(
        select(Candidacy.district_id, Candidacy.party_id, Candidacy.ballot_number, Person.gender)
        .join(Candidacy.person)
        .where(Candidacy.party_id.is_not(None))
    )
    for district_id, party_id, ballot, gender in rows:
        lists[(district_id, party_id)].append((ballot, gender))
    assert len(lists) > 100
    for candidates in lists.values():
        women = sum(1 for _ballot, gender in candidates if gender == "P")
        assert women / len(candidates) >= 0.3
        # ballot numbers run 1..k
        assert sorted(ballot for ballot, _gender in candidates) == list(
            range(1, len(candidates) + 1)
        )


def test_candidacies_stand_in_the_real_districts_of_every_level(sample: Flask) -> None:
    codes = set(
        db.session.execute(
            db.text(
                "SELECT o.code, d.code FROM candidacy c JOIN district d ON d.id = c.district_id"
                " JOIN office o ON o.id = c.office_id WHERE o.code LIKE 'DPRD%'"
            )
        ).all()
    )
    assert codes
    # DPRD provinsi codes are a province and four digits (JAWA TENGAH 6 is 330006),
    # kab/kota codes a regency and two: what the reference files hold, nothing generated.
    for office, code in codes:
        assert code.isdigit() and len(code) == 6, code
        assert (code[2:4] == "00") == (office == "DPRD_PROVINSI"), (office, code)


def test_party_lists_are_no_longer_than_the_seats(sample: Flask) -> None:
    longest = db.session.execute(
        select(District.seats, func.count(Candidacy.id))
        .join(Candidacy.district)
        .where(Candidacy.party_id.is_not(None))
        .group_by(Candidacy.district_id, Candidacy.party_id, District.seats)
    ).all()
    # Aceh's kab/kota districts have no seat count in the sources: the demo lists up to 7.
    assert all(count <= (7 if seats is None else seats) for seats, count in longest)


def test_aceh_local_parties_stand_only_in_aceh_and_never_for_dpr(sample: Flask) -> None:
    province = aliased(Region)
    rows = db.session.execute(
        select(province.code, Office.code)
        .select_from(Candidacy)
        .join(Party, Party.id == Candidacy.party_id)
        .join(District, District.id == Candidacy.district_id)
        .join(province, province.id == District.province_id)
        .join(Office, Office.id == Candidacy.office_id)
        .where(Party.region_id.is_not(None))
    ).all()
    assert rows, "a demo shows Aceh's local parties"
    assert {code for code, _office in rows} == {"11"}
    assert {office for _code, office in rows} <= {"DPRD_PROVINSI", "DPRD_KABKOTA"}


def test_everything_made_up_is_marked_fictional(sample: Flask) -> None:
    assert db.session.scalar(select(func.count(Person.id)).where(~Person.is_fictional)) == 0
    # The places are the real ones of the reference data; the demo invents none.
    assert db.session.scalar(select(func.count(Region.id)).where(Region.is_fictional)) == 0
    assert db.session.scalar(select(func.count(District.id)).where(District.is_fictional)) == 0
    sources = db.session.scalars(select(Source)).all()
    assert all(s.is_fictional and s.url.startswith("https://contoh.example/") for s in sources)


def test_every_track_record_item_has_a_source(sample: Flask) -> None:
    unsourced = db.session.scalar(
        select(func.count(TrackRecordItem.id)).where(
            ~TrackRecordItem.id.in_(select(track_record_source.c.track_record_item_id))
        )
    )
    assert unsourced == 0
    kinds = set(db.session.scalars(select(TrackRecordItem.kind).distinct()))
    assert {"education", "career", "organisation", "wealth_report", "legal_case"} <= kinds
    cases = db.session.scalars(
        select(TrackRecordItem).where(TrackRecordItem.kind == "legal_case")
    ).all()
    assert all(case.legal_status and case.court_reference for case in cases)


def test_names_carry_indonesian_titles_and_traditions(sample: Flask) -> None:
    names = list(db.session.scalars(select(Person.full_name)))
    assert len(set(names)) > 0.8 * len(names)
    for marker in ("Dr.", "S.H.", "M.Si.", "S.E.", "H.", "Hj."):
        assert any(marker in name.split() or f"{marker}," in name for name in names), marker
    assert any(" br. " in name for name in names)  # Batak women with their marga
    assert any(name.startswith(("Teuku ", "Cut ")) for name in names)  # Aceh


def test_programmes_cover_many_topics_in_indonesian(sample: Flask) -> None:
    texts = " ".join(db.session.scalars(select(ProgrammeStatement.text))).lower()
    for word in ("guru honorer", "nelayan", "petani", "umkm", "korupsi", "disabilitas"):
        assert word in texts, word


def test_every_demo_row_is_recorded_as_a_revision(sample: Flask) -> None:
    batch = db.session.scalars(select(ImportBatch).where(ImportBatch.kind == "demo")).one()
    for model in (Person, Candidacy, ProgrammeStatement, TrackRecordItem, DisclosureItem):
        rows = db.session.scalar(select(func.count(model.id)))
        recorded = db.session.scalar(
            select(func.count(Revision.id)).where(
                Revision.entity_type == model.__tablename__,
                Revision.origin == "demo",
                Revision.import_batch_id == batch.id,
                Revision.action == "create",
            )
        )
        assert rows == recorded, model
    generated = db.session.scalar(select(func.count(District.id)).where(District.is_fictional))
    assert (
        db.session.scalar(
            select(func.count(Revision.id)).where(
                Revision.entity_type == "district", Revision.origin == "demo"
            )
        )
        == generated
    )


def test_a_revision_holds_what_the_profile_history_would_record(sample: Flask) -> None:
    person = db.session.scalars(select(Person).order_by(Person.id).limit(1)).one()
    revision = db.session.scalars(
        select(Revision).where(Revision.entity_type == "person", Revision.entity_id == person.id)
    ).one()
    assert revision.after == snapshot(person)
    assert revision.person_id == person.id


@pytest.mark.areas
def test_if_empty_loads_once_then_does_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["demo-data", "--candidates", "60", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "60" in first.output
    second = runner.invoke(args=["demo-data", "--candidates", "60", "--if-empty"])
    assert second.exit_code == 0
    assert "already" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Candidacy.id))) == 60
    again = runner.invoke(args=["demo-data", "--candidates", "60"])
    assert again.exit_code != 0
    assert "empty database" in again.output


@pytest.mark.areas
def test_the_demo_banner_shows_once_demo_data_is_loaded(app: Flask, client: FlaskClient) -> None:
    assert "Data demo" not in client.get("/").get_data(as_text=True)
    load(app, 20)
    page = client.get("/").get_data(as_text=True)
    assert "Data demo — fiktif" in page


@pytest.mark.areas
def test_rows_added_after_the_demo_get_fresh_ids(app: Flask, make: Factory) -> None:
    load(app, 20)
    candidacy = make.candidacy("Siti Rahayu", district="3301", ballot_number=99)
    assert candidacy.id > 20
    assert not candidacy.person.is_fictional


def test_demo_data_on_a_database_without_schema_says_what_to_do(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-" + "x" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        }
    )
    result = app.test_cli_runner().invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code != 0
    assert "init-db" in result.output
    with app.app_context():
        db.engine.dispose()


def test_the_flagged_share_follows_the_refusals(sample: Flask) -> None:
    """About 30% refuse their CV; a few more refuse another required item. Nothing that
    nobody checked flags anyone, so the flagged share stays near the refusals."""
    listed = db.session.scalar(select(func.count(Candidacy.id)))
    flagged = db.session.scalar(select(func.count(Candidacy.id)).where(Candidacy.flagged.is_(True)))
    refused_cv = db.session.scalar(
        select(func.count(DisclosureItem.id)).where(
            DisclosureItem.requirement == "cv", DisclosureItem.status == "refused"
        )
    )
    assert flagged >= refused_cv
    assert flagged / listed < refused_cv / listed + 0.06, (flagged, refused_cv, listed)
