"""The pure evaluator, table-tested: each status x required/optional x as_of before and after
each deadline and request window x applicability."""

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
SENT = date(2024, 1, 3)  # a request sent ...
RESPOND_BY = date(2024, 1, 17)  # ... with a 14-day window: 17 January is its last day
WINDOW_LAST_DAY = RESPOND_BY
WINDOW_PASSED = date(2024, 1, 18)
AS_OF = {
    "before-deadline": BEFORE,
    "after-deadline": AFTER,
    "window-last-day": WINDOW_LAST_DAY,
    "window-passed": WINDOW_PASSED,
}

# status -> (score when applicable, outcome status, {as_of: flag kind}), for a required rule
# with a deadline. "absent" means no item was recorded at all; "requested-default" a request
# without its own respond_by (the rule's 14 days from the day it was sent); "not_requested" a
# value no longer written (an old row): both read as not checked and never flag.
NEVER: dict[str, str | None] = dict.fromkeys(AS_OF)
STATUS_TABLE: dict[str, tuple[int | None, str, dict[str, str | None]]] = {
    "published": (100, "published", NEVER),
    "partial": (50, "partial", NEVER),
    "refused": (0, "refused", dict.fromkeys(AS_OF, "refused")),
    "not_found": (
        0,
        "not_found",
        {
            "before-deadline": None,
            "after-deadline": "not_found",
            "window-last-day": "not_found",
            "window-passed": "not_found",
        },
    ),
    "requested": (0, "requested", {**NEVER, "window-passed": "no_response"}),
    "requested-default": (0, "requested", {**NEVER, "window-passed": "no_response"}),
    "not_requested": (0, "not_checked", NEVER),
    "absent": (0, "not_checked", NEVER),
    "not_applicable": (None, "not_applicable", NEVER),
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


def item_of(status: str, url: str | None = "https://kpu.example", day: Any = "default") -> Any:
    if status == "absent":
        return None
    if status.startswith("requested"):
        respond_by = RESPOND_BY if status == "requested" else None
        return ItemFact("requested", SENT if day == "default" else day, url, "KPU", respond_by)
    return ItemFact(status, CHECKED if day == "default" else day, url, "KPU")


def facts(status: str, office: str = "DPR", conditions: frozenset[str] = frozenset()) -> Any:
    item = item_of(status)
    items = {} if item is None else {"cv": item}
    return CandidacyFacts(office=office, items=items, conditions=conditions)


@pytest.mark.parametrize("status", STATUS_TABLE)
@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("when", AS_OF)
@pytest.mark.parametrize("applicable", ["yes", "other-office", "condition-unmet"])
def test_status_required_deadline_window_applicability(
    status: str, required: bool, when: str, applicable: str
) -> None:
    conditions = ["ex_convict"] if applicable == "condition-unmet" else None
    ruleset = one_rule(required=required, conditions=conditions)
    office = "DPD" if applicable == "other-office" else "DPR"
    result = evaluate(facts(status, office), ruleset, AS_OF[when])

    score, outcome_status, kinds = STATUS_TABLE[status]
    if applicable != "yes":
        assert result.score is None
        assert not result.flagged
        assert result.outcomes[0].applicable is False
        return
    expected_flag = kinds[when] if required else None
    if expected_flag == "no_response" or (
        status.startswith("requested") and when == "window-passed"
    ):
        outcome_status = "no_response"
    assert result.score == score
    assert result.outcomes[0].status == outcome_status
    assert result.flagged is (expected_flag is not None)
    if expected_flag:
        assert result.flags[0].kind == expected_flag
        assert result.flags[0].rule_id == "R-CV"
        assert result.flags[0].source_url == "https://kpu.example"


@pytest.mark.parametrize("status", ["refused", "not_found", "requested", "requested-default"])
@pytest.mark.parametrize("missing", ["source", "date", "both", "blank-source"])
def test_no_flag_without_a_source_and_a_date(status: str, missing: str) -> None:
    url = None if missing in ("source", "both") else ("  " if missing == "blank-source" else "x")
    day = None if missing in ("date", "both") else "default"
    item = item_of(status, url=url if url != "x" else "https://kpu.example", day=day)
    result = evaluate(CandidacyFacts("DPR", {"cv": item}), one_rule(), date(2030, 1, 1))
    assert not result.flagged


def test_not_found_before_the_deadline_is_no_proof_it_is_still_missing() -> None:
    looked_early = ItemFact("not_found", date(2023, 11, 1), "https://kpu.example", "KPU")
    facts_early = CandidacyFacts("DPR", {"cv": looked_early})
    assert not evaluate(facts_early, one_rule(), date(2030, 1, 1)).flagged


def test_a_rule_sets_the_window_of_a_request_without_its_own_end() -> None:
    ruleset = one_rule(response_days=30)
    request = CandidacyFacts("DPR", {"cv": ItemFact("requested", SENT, "https://kpu.example")})
    assert not evaluate(request, ruleset, date(2024, 2, 2)).flagged  # 3 January + 30 days
    assert evaluate(request, ruleset, date(2024, 2, 3)).flags[0].kind == "no_response"


def test_no_response_wording_names_the_request_and_its_window() -> None:
    flag = evaluate(facts("requested"), one_rule(), WINDOW_PASSED).flags[0]
    assert flag.reason_id == (
        "Tidak menanggapi permintaan keterbukaan tertanggal 3 Januari 2024 (batas 17 Januari 2024)"
    )
    assert flag.reason_en == (
        "Did not respond to the disclosure request dated January 3, 2024 "
        "(deadline January 17, 2024)"
    )
    assert (flag.checked_at, flag.deadline) == (SENT, RESPOND_BY)
    assert flag.source_url == "https://kpu.example"


def test_not_found_wording_names_where_and_when_it_was_looked_for() -> None:
    flag = evaluate(facts("not_found"), one_rule(), AFTER).flags[0]
    assert flag.reason_id == (
        "Belum dipublikasikan: tidak ditemukan di KPU pada 14 November 2023 "
        "(batas waktu 4 November 2023)"
    )
    assert flag.reason_en == (
        "Not published: not found at KPU on November 14, 2023 (deadline November 4, 2023)"
    )


@pytest.mark.parametrize("status", ["absent", "not_found", "refused", "requested"])
def test_without_a_deadline_a_refusal_and_an_unanswered_request_flag(status: str) -> None:
    result = evaluate(facts(status), one_rule(deadline=None), date(2030, 1, 1))
    assert result.flagged is (status in ("refused", "requested"))


def test_deadline_day_itself_is_still_in_time() -> None:
    ruleset = one_rule()
    looked = CandidacyFacts("DPR", {"cv": ItemFact("not_found", DEADLINE, "https://k.example")})
    assert not evaluate(looked, ruleset, date(2030, 1, 1)).flagged  # looked on the day itself
    looked_after = CandidacyFacts(
        "DPR", {"cv": ItemFact("not_found", date(2023, 11, 5), "https://k.example")}
    )
    assert not evaluate(looked_after, ruleset, DEADLINE).flagged
    assert evaluate(looked_after, ruleset, date(2023, 11, 5)).flagged


def test_nothing_checked_never_flags_even_long_after_every_deadline() -> None:
    result = evaluate(CandidacyFacts("DPR", {}), default_ruleset(), date(2030, 1, 1))
    assert not result.flagged
    assert {outcome.status for outcome in result.outcomes if outcome.applicable} <= {
        "not_checked",
        "published",
        "partial",
    }


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
    refused = {"ex_convict_announcement": ItemFact("refused", CHECKED, "https://kpu.example")}
    plain = evaluate(CandidacyFacts("DPR", refused), ruleset, AFTER)
    convict = evaluate(CandidacyFacts("DPR", refused, frozenset({"ex_convict"})), ruleset, AFTER)
    assert "R-EX-CONVICT" not in {flag.rule_id for flag in plain.flags}
    assert "R-EX-CONVICT" in {flag.rule_id for flag in convict.flags}


def test_lhkpn_rules_read_the_office_and_incumbency() -> None:
    ruleset = default_ruleset()
    refused = {"lhkpn": ItemFact("refused", CHECKED, "https://elhkpn.example")}
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
