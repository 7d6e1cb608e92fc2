"""Stored results follow every kind of change, in the same transaction, with history."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from tests.factories import Factory
from transparency import derived
from transparency.disclosure import rulesets
from transparency.disclosure.rules import default_document
from transparency.extensions import db
from transparency.models import (
    Candidacy,
    DisclosureItem,
    ProgrammeStatement,
    Ruleset,
    StatusChange,
    TrackRecordItem,
)
from transparency.revisions import provenance

OPEN = {"cv": "published", "criminal_record": "published"}


def changes(candidacy: Candidacy) -> list[tuple[str, str | None, str | None]]:
    rows = db.session.scalars(
        select(StatusChange).filter_by(candidacy_id=candidacy.id).order_by(StatusChange.id)
    )
    return [(row.kind, row.requirement, row.new_value) for row in rows]


def set_status(candidacy: Candidacy, requirement: str, status: str) -> None:
    item = db.session.scalars(
        select(DisclosureItem).filter_by(candidacy_id=candidacy.id, requirement=requirement)
    ).one()
    with provenance(db.session, origin="test"):
        item.status = status
        item.checked_at = date(2024, 1, 10)
        db.session.flush()
    db.session.commit()


def test_a_new_candidacy_is_evaluated_when_committed(make: Factory) -> None:
    refuser = make.candidacy(disclosure={"cv": "refused", "criminal_record": "published"})
    assert refuser.flagged
    reason = refuser.flags[0]["reason_id"]
    assert reason == "Tidak bersedia membuka data diri (per 14 November 2023)"
    assert refuser.ruleset_version == "2024.2"
    assert refuser.flagged_since is not None
    assert changes(refuser) == [("flagged", "cv", "R-CV")]
    opener = make.candidacy(disclosure=OPEN)
    assert not opener.flagged and opener.flags == []
    assert opener.disclosure_score is not None


def test_changing_a_disclosure_status_flags_clears_and_keeps_history(make: Factory) -> None:
    candidacy = make.candidacy(disclosure=OPEN)
    set_status(candidacy, "cv", "refused")
    assert candidacy.flagged
    since = candidacy.flagged_since
    assert since is not None
    set_status(candidacy, "criminal_record", "refused")
    assert candidacy.flagged_since == since  # still flagged: "since" does not move
    set_status(candidacy, "cv", "published")
    set_status(candidacy, "criminal_record", "published")
    assert not candidacy.flagged
    assert candidacy.flagged_since is None
    assert changes(candidacy) == [
        ("disclosure", "cv", "refused"),
        ("flagged", "cv", "R-CV"),
        ("disclosure", "criminal_record", "refused"),
        ("disclosure", "cv", "published"),
        ("disclosure", "criminal_record", "published"),
        ("cleared", None, None),
    ]


def test_a_rollback_leaves_no_derived_change(make: Factory) -> None:
    candidacy = make.candidacy(disclosure=OPEN)
    item = candidacy.disclosure_items[0]
    with provenance(db.session, origin="test"):
        item.status = "refused"
        db.session.flush()
    db.session.rollback()
    assert not candidacy.flagged
    assert changes(candidacy) == []


def test_programme_and_track_record_changes_are_followed(make: Factory) -> None:
    # The announcement was looked for on 14 November 2023 (after the deadline), not found;
    # the rule reads it only once the person's record shows a conviction.
    candidacy = make.candidacy(disclosure={**OPEN, "ex_convict_announcement": "not_found"})
    assert not candidacy.flagged
    before = candidacy.disclosure_score
    with provenance(db.session, origin="test"):
        db.session.add(ProgrammeStatement(candidacy=candidacy, text="Sekolah gratis"))
        db.session.flush()
    db.session.commit()
    assert candidacy.disclosure_score > before

    with provenance(db.session, origin="test"):
        db.session.add(
            TrackRecordItem(
                person=candidacy.person,
                kind="legal_case",
                title="Perkara",
                legal_status="ex_convict",
            )
        )
        db.session.flush()
    db.session.commit()
    assert candidacy.flagged
    assert [flag["rule_id"] for flag in candidacy.flags] == ["R-EX-CONVICT"]


def test_a_candidacy_change_is_followed(make: Factory) -> None:
    from transparency.models import Office

    candidacy = make.candidacy(disclosure={**OPEN, "lhkpn": "refused"})
    assert not candidacy.flagged  # a DPR candidate who holds no office need not file
    with provenance(db.session, origin="test"):
        candidacy.office = db.session.scalars(select(Office).filter_by(code="PRESIDEN")).one()
        db.session.flush()
    db.session.commit()
    assert [flag["rule_id"] for flag in candidacy.flags] == ["R-LHKPN-EXECUTIVE"]


def test_loading_a_ruleset_recomputes_and_older_versions_stay(
    make: Factory, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    candidacy = make.candidacy(disclosure={"cv": "partial", "criminal_record": "published"})
    assert not candidacy.flagged
    document = default_document()
    document["version"] = "2024.3"
    document["rules"][0]["partial_credit"] = 0  # a stricter reading of "Bersedia Sebagian"
    document["rules"][0]["title"]["en"] = "CV published in full"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    rulesets.load_default_rules(db.session)
    db.session.commit()
    score = candidacy.disclosure_score

    result = runner.invoke(args=["disclosure", "load-rules", str(path)])
    assert result.exit_code == 0, result.output
    assert "2024.3" in result.output
    db.session.expire_all()
    assert candidacy.ruleset_version == "2024.3"
    assert candidacy.disclosure_score < score
    versions = {row.version: row.in_force for row in db.session.scalars(select(Ruleset))}
    assert versions == {"2024.2": False, "2024.3": True}


def test_an_existing_database_keeps_2024_1_until_load_rules_puts_2024_2_in_force(
    make: Factory, runner: FlaskCliRunner
) -> None:
    old = default_document()
    old["version"] = "2024.1"
    for rule in old["rules"]:
        rule.pop("response_days", None)
    rulesets.load_ruleset(db.session, old, loaded_by="an earlier init-db")
    db.session.commit()
    rulesets.load_default_rules(db.session)  # init-db on an existing database
    db.session.commit()
    assert rulesets.ruleset_in_force(db.session).version == "2024.1"

    packaged = "transparency/disclosure/default_rules_2024.json"
    result = runner.invoke(args=["disclosure", "load-rules", packaged])
    assert result.exit_code == 0, result.output
    assert "Ruleset 2024.2" in result.output
    versions = {row.version: row.in_force for row in db.session.scalars(select(Ruleset))}
    assert versions == {"2024.1": False, "2024.2": True}


def test_a_bad_ruleset_file_changes_nothing(
    make: Factory, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    rulesets.load_default_rules(db.session)
    db.session.commit()
    document = default_document()
    document["version"] = "2024.9"
    document["rules"][1]["weight"] = 500
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(args=["disclosure", "load-rules", str(path)])
    assert result.exit_code != 0
    assert "rule R-PROGRAMME, field weight" in result.output
    assert "bad.json" in result.output
    assert "Traceback" not in result.output
    assert [row.version for row in db.session.scalars(select(Ruleset))] == ["2024.2"]
    assert rulesets.ruleset_in_force(db.session).version == "2024.2"


def test_loading_the_default_rules_twice_changes_nothing(make: Factory) -> None:
    rulesets.load_default_rules(db.session)
    db.session.commit()
    rulesets.load_default_rules(db.session)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Ruleset)) == 1


def test_bulk_refresh_and_recompute_command(make: Factory, runner: FlaskCliRunner) -> None:
    candidacy = make.candidacy(disclosure={**OPEN, "cv": "refused"})
    # A bulk writer changes rows behind the ORM's back, then calls the one door.
    db.session.execute(
        DisclosureItem.__table__.update()
        .where(DisclosureItem.__table__.c.candidacy_id == candidacy.id)
        .values(status="published")
    )
    assert "disclosure" in derived.refresh_after_bulk(db.session, [candidacy.id])
    db.session.commit()
    assert not candidacy.flagged

    db.session.execute(
        DisclosureItem.__table__.update()
        .where(DisclosureItem.__table__.c.requirement == "cv")
        .values(status="refused")
    )
    db.session.commit()
    result = runner.invoke(args=["disclosure", "recompute"])
    assert result.exit_code == 0, result.output
    assert "1 newly flagged" in result.output
    db.session.expire_all()
    assert candidacy.flagged
    again = runner.invoke(args=["disclosure", "recompute"])
    assert "0 changed" in again.output


def test_a_profile_change_is_followed(make: Factory) -> None:
    candidacy = make.candidacy(disclosure=OPEN)
    before = candidacy.disclosure_score
    with provenance(db.session, origin="test"):
        candidacy.person.photo_url = "https://contoh.example/foto.jpg"
        db.session.flush()
    db.session.commit()
    assert candidacy.disclosure_score > before


def test_hook_recomputes_only_what_the_commit_touched(make: Factory) -> None:
    untouched = make.candidacy(disclosure={**OPEN, "cv": "refused"})
    # Behind the engine's back: a stale stored result that only a recompute would correct.
    db.session.execute(
        Candidacy.__table__.update()
        .where(Candidacy.__table__.c.id == untouched.id)
        .values(disclosure_score=1)
    )
    db.session.commit()
    make.candidacy(disclosure=OPEN)
    db.session.expire_all()
    assert untouched.disclosure_score == 1
