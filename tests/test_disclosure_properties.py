"""A property over generated facts: no flag without a source and a date. Whatever the items,
rules and evaluation date, every flag the evaluator gives rests on an item of a required rule
with a non-blank source URL and a date, and a candidacy with nothing checked is never flagged."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from transparency.disclosure.evaluate import CandidacyFacts, ItemFact, evaluate
from transparency.disclosure.rules import KNOWN_ITEMS, default_ruleset, parse_ruleset

STATUSES = [
    "published",
    "partial",
    "refused",
    "not_found",
    "requested",
    "not_applicable",
    "not_requested",  # an old value: reads as not checked
    "",
]
OFFICES = ["DPR", "DPD", "DPRD_PROVINSI", "BUPATI", "PRESIDEN"]
days = st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31))
urls = st.one_of(
    st.none(),
    st.just(""),
    st.just("   "),
    st.sampled_from(["https://kpu.example/dct", "https://elhkpn.example/1"]),
)
items = st.builds(
    ItemFact,
    status=st.sampled_from(STATUSES),
    checked_at=st.one_of(st.none(), days),
    source_url=urls,
    source_title=st.one_of(st.none(), st.just("KPU")),
    respond_by=st.one_of(st.none(), days),
)
candidacies = st.builds(
    CandidacyFacts,
    office=st.sampled_from(OFFICES),
    items=st.dictionaries(st.sampled_from(KNOWN_ITEMS), items, max_size=len(KNOWN_ITEMS)),
    conditions=st.frozensets(st.sampled_from(["ex_convict", "incumbent"])),
)


@st.composite
def rulesets(draw):
    rules = []
    for position, item in enumerate(draw(st.lists(st.sampled_from(KNOWN_ITEMS), min_size=1))):
        deadline = draw(st.one_of(st.none(), days))
        rule = {
            "id": f"R-T{position}",
            "item": item,
            "title": {"id": "Uji", "en": "Test"},
            "explanation": {"id": "Uji", "en": "Test"},
            "offices": draw(st.lists(st.sampled_from(OFFICES), min_size=1, unique=True)),
            "weight": draw(st.integers(1, 100)),
            "required": draw(st.booleans()),
            "response_days": draw(st.integers(1, 365)),
        }
        if deadline:
            rule["deadline"] = deadline.isoformat()
        rules.append(rule)
    return parse_ruleset({"version": "p-1", "title": {"id": "Uji", "en": "Test"}, "rules": rules})


def assert_every_flag_is_sourced_and_dated(facts, ruleset, as_of) -> None:
    result = evaluate(facts, ruleset, as_of)
    for flag in result.flags:
        item = facts.items[flag.requirement]
        rule = ruleset.rule(flag.rule_id)
        assert rule is not None and rule.required
        assert item.source_url and item.source_url.strip()
        assert item.checked_at is not None
        assert flag.source_url == item.source_url and flag.checked_at == item.checked_at
        assert item.status in ("refused", "not_found", "requested")


@settings(max_examples=250, deadline=None)
@given(facts=candidacies, ruleset=rulesets(), as_of=days)
def test_no_flag_without_a_source_and_a_date(facts, ruleset, as_of) -> None:
    assert_every_flag_is_sourced_and_dated(facts, ruleset, as_of)


@settings(max_examples=120, deadline=None)
@given(facts=candidacies, as_of=days)
def test_the_packaged_rules_give_no_flag_without_a_source_and_a_date(facts, as_of) -> None:
    assert_every_flag_is_sourced_and_dated(facts, default_ruleset(), as_of)


@settings(max_examples=60, deadline=None)
@given(office=st.sampled_from(OFFICES), ruleset=rulesets(), as_of=days)
def test_nothing_checked_is_never_flagged(office, ruleset, as_of) -> None:
    assert not evaluate(CandidacyFacts(office, {}), ruleset, as_of).flagged
