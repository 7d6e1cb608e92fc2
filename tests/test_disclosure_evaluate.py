"""The pure evaluator, table-tested: each status x required/optional x deadline x applicability."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from transparency.disclosure.evaluate import CandidacyFacts, ItemFact, evaluate
from transparency.disclosure.rules import default_ruleset, parse_ruleset

DEADLINE = date(2023, 11, 4)
BEFORE = date(2023, 11, 1)
AFTER = date(2023, 12, 1)
CHECKED = date(2023, 11, 14)

# status -> (score when applicable, flag kind before the deadline, flag kind after it),
# for a required rule with a deadline. "absent" means no item was recorded at all.
STATUS_TABLE: dict[str, tuple[int | None, str | None, str | None]] = {
    "published": (100, None, None),
    "partial": (50, None, None),
    "refused": (0, "refused", "refused"),
    "not_requested": (0, None, "missing"),
    "not_found": (0, None, "missing"),
    "absent": (0, None, "missing"),
    "not_applicable": (None, None, None),
}


def one_rule(**overrides: Any) -> Any:
    rule = {
        "id": "R-CV",
        "item": "cv",
        "title": {"id": "DRH", "en": "CV"},
        "explanation": {"id": "Penjelasan", "en": "Explanation"},
        "offices": ["DPR"],
        "weight": 10,
        "required": True,
        "deadline": DEADLINE.isoformat(),
        **overrides,
    }
    rule = {key: value for key, value in rule.items() if value is not None}
    return parse_ruleset({"version": "t-1", "title": {"id": "Uji", "en": "Test"}, "rules": [rule]})


def facts(status: str, office: str = "DPR", conditions: frozenset[str] = frozenset()) -> Any:
    item = ItemFact(status, CHECKED, "https://kpu.example", "KPU")
    items = {} if status == "absent" else {"cv": item}
    return CandidacyFacts(office=office, items=items, conditions=conditions)


@pytest.mark.parametrize("status", STATUS_TABLE)
@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("as_of", [BEFORE, AFTER], ids=["before", "after"])
@pytest.mark.parametrize("applicable", ["yes", "other-office", "condition-unmet"])
def test_status_required_deadline_applicability(
    status: str, required: bool, as_of: date, applicable: str
) -> None:
    conditions = ["ex_convict"] if applicable == "condition-unmet" else None
    ruleset = one_rule(required=required, conditions=conditions)
    office = "DPD" if applicable == "other-office" else "DPR"
    result = evaluate(facts(status, office), ruleset, as_of)

    score, flag_before, flag_after = STATUS_TABLE[status]
    if applicable != "yes":
        assert result.score is None
        assert not result.flagged
        assert result.outcomes[0].applicable is False
        return
    expected_flag = (flag_before if as_of == BEFORE else flag_after) if required else None
    assert result.score == score
    assert result.flagged is (expected_flag is not None)
    if expected_flag:
        assert result.flags[0].kind == expected_flag
        assert result.flags[0].rule_id == "R-CV"


@pytest.mark.parametrize("status", ["absent", "not_found", "refused"])
def test_without_a_deadline_only_a_refusal_flags(status: str) -> None:
    result = evaluate(facts(status), one_rule(deadline=None), date(2030, 1, 1))
    assert result.flagged is (status == "refused")


def test_deadline_day_itself_is_still_in_time() -> None:
    ruleset = one_rule()
    assert not evaluate(facts("absent"), ruleset, DEADLINE).flagged
    assert evaluate(facts("absent"), ruleset, date(2023, 11, 5)).flagged


def test_refusal_wording_is_dated_in_both_languages_with_its_source() -> None:
    flag = evaluate(facts("refused"), default_ruleset(), AFTER).flags[0]
    assert flag.reason_id == "Tidak bersedia membuka data diri (per 14 November 2023)"
    assert flag.reason_en == "Declined to make personal data public (as of November 14, 2023)"
    stored = flag.as_json()
    for key in (
        "rule_id",
        "requirement",
        "status",
        "checked_at",
        "reason_id",
        "reason_en",
        "source_url",
        "source_title",
    ):
        assert key in stored
    assert stored["checked_at"] == "2023-11-14"
    assert stored["source_url"] == "https://kpu.example"


def test_missing_after_deadline_names_the_deadline_not_an_accusation() -> None:
    flag = evaluate(facts("absent"), one_rule(), AFTER).flags[0]
    assert flag.kind == "missing"
    assert flag.reason_id == "Belum dipublikasikan (batas waktu 4 November 2023)"
    assert flag.checked_at is None


def test_score_is_the_weighted_share_of_applicable_rules() -> None:
    ruleset = parse_ruleset(
        {
            "version": "t-2",
            "title": {"id": "Uji", "en": "Test"},
            "rules": [
                {
                    "id": f"R-{item.upper()}",
                    "item": item,
                    "title": {"id": item, "en": item},
                    "explanation": {"id": item, "en": item},
                    "offices": offices,
                    "weight": weight,
                    "required": False,
                }
                for item, weight, offices in (
                    ("cv", 30, ["DPR"]),
                    ("programme", 10, ["DPR"]),
                    ("photo", 60, ["DPD"]),  # not applicable to DPR: does not count
                )
            ],
        }
    )
    items = {"cv": ItemFact("published"), "programme": ItemFact("partial")}
    result = evaluate(CandidacyFacts("DPR", items), ruleset, AFTER)
    assert result.score == round(100 * (30 + 5) / 40)


def test_partial_credit_follows_the_rule() -> None:
    result = evaluate(facts("partial"), one_rule(partial_credit=0.25), AFTER)
    assert result.score == 25


def test_ex_convict_rule_applies_only_to_ex_convicts() -> None:
    ruleset = default_ruleset()
    plain = evaluate(CandidacyFacts("DPR", {}), ruleset, AFTER)
    convict = evaluate(CandidacyFacts("DPR", {}, frozenset({"ex_convict"})), ruleset, AFTER)
    assert "R-EX-CONVICT" not in {flag.rule_id for flag in plain.flags}
    assert "R-EX-CONVICT" in {flag.rule_id for flag in convict.flags}


def test_lhkpn_rules_read_the_office_and_incumbency() -> None:
    ruleset = default_ruleset()
    refused = {"lhkpn": ItemFact("refused", CHECKED)}
    for office, conditions, flagged in (
        ("BUPATI", frozenset(), True),
        ("DPR", frozenset(), False),
        ("DPR", frozenset({"incumbent"}), True),
    ):
        result = evaluate(CandidacyFacts(office, refused, conditions), ruleset, AFTER)
        assert any(flag.requirement == "lhkpn" for flag in result.flags) is flagged


def test_evaluation_is_deterministic() -> None:
    ruleset = default_ruleset()
    first = evaluate(facts("refused"), ruleset, AFTER)
    assert evaluate(facts("refused"), ruleset, AFTER) == first


def test_the_engine_modules_import_no_web_or_database_code() -> None:
    import ast
    from pathlib import Path

    import transparency.disclosure as package

    for name in ("evaluate.py", "rules.py", "facts.py"):
        tree = ast.parse((Path(package.__file__).parent / name).read_text())
        imported = {
            (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not {mod for mod in imported if mod.split(".")[0] in {"flask", "sqlalchemy"}}
