"""The pure evaluator: a candidacy's facts and a ruleset, as of a date, give a Result.

Semantics (docs/methodology-engine.md):
- A rule applies when the candidacy's office is in the rule's offices, every condition of the
  rule holds, and the item is not marked not applicable.
- Credit: published 1, partial the rule's partial_credit (0.5 by default), anything else 0.
- Score: 100 x the weighted share of credit over the applicable rules, rounded; None when no
  rule applies.
- A flag: a required item refused (any date), or a required item still unknown (missing,
  not requested, not found) after the rule's deadline.
No Flask, no database: plain data in, plain data out, deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from babel.dates import format_date

from transparency.disclosure.rules import Rule, Ruleset

PUBLISHED = "published"
PARTIAL = "partial"
REFUSED = "refused"
NOT_APPLICABLE = "not_applicable"
UNKNOWN = "unknown"  # no item, not requested, or not found: nothing to read yet
UNKNOWN_STATUSES = frozenset({"not_requested", "not_found"})


@dataclass(frozen=True)
class ItemFact:
    """One disclosure item as the evaluator sees it."""

    status: str
    checked_at: date | None = None
    source_url: str | None = None
    source_title: str | None = None


@dataclass(frozen=True)
class CandidacyFacts:
    office: str
    items: Mapping[str, ItemFact] = field(default_factory=dict)
    conditions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Flag:
    rule_id: str
    requirement: str
    status: str
    kind: str  # refused | missing
    checked_at: date | None
    deadline: date | None
    reason_id: str
    reason_en: str
    source_url: str | None
    source_title: str | None

    def as_json(self) -> dict[str, Any]:
        """The stored form (Candidacy.flags entries); keys fixed by the common brief."""
        return {
            "rule_id": self.rule_id,
            "requirement": self.requirement,
            "status": self.status,
            "kind": self.kind,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "reason_id": self.reason_id,
            "reason_en": self.reason_en,
            "source_url": self.source_url,
            "source_title": self.source_title,
        }


class Outcome(NamedTuple):
    """What one rule says about one candidacy (a tuple: built 2 million times in a recompute)."""

    rule: Rule
    applicable: bool
    status: str  # published | partial | refused | unknown | not_applicable
    credit: float
    item: ItemFact | None
    flag: Flag | None


@dataclass(frozen=True)
class Result:
    ruleset_version: str
    score: int | None
    outcomes: tuple[Outcome, ...]
    flags: tuple[Flag, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def flags_json(self) -> list[dict[str, Any]]:
        return [flag.as_json() for flag in self.flags]


def _long_date(value: date, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


@lru_cache(maxsize=8192)  # few (rule, date) pairs, formatted for many candidacies
def reason_texts(rule: Rule, kind: str, on: date | None) -> tuple[str, str]:
    """The badge wording in both languages, e.g. 'Tidak bersedia membuka data diri (per 14
    November 2023)': a refusal is dated by its check, a missing item by the deadline passed."""
    if kind == REFUSED:
        base = rule.reason_refused
        if on is None:
            return base.id, base.en
        return (
            f"{base.id} (per {_long_date(on, 'id')})",
            f"{base.en} (as of {_long_date(on, 'en')})",
        )
    base = rule.reason_missing
    if on is None:
        return base.id, base.en
    return (
        f"{base.id} (batas waktu {_long_date(on, 'id')})",
        f"{base.en} (deadline {_long_date(on, 'en')})",
    )


def _status(item: ItemFact | None) -> str:
    if item is None or item.status in UNKNOWN_STATUSES:
        return UNKNOWN
    return item.status


def evaluate_rule(rule: Rule, facts: CandidacyFacts, as_of: date) -> Outcome:
    item = facts.items.get(rule.item)
    status = _status(item)
    applicable = (
        facts.office in rule.offices
        and rule.conditions <= facts.conditions
        and status != NOT_APPLICABLE
    )
    if not applicable:
        return Outcome(rule, False, NOT_APPLICABLE, 0.0, item, None)
    if status == PUBLISHED:
        return Outcome(rule, True, status, 1.0, item, None)
    if status == PARTIAL:
        return Outcome(rule, True, status, rule.partial_credit, item, None)
    flag = None
    if rule.required:
        checked_at = item.checked_at if item else None
        kind = None
        if status == REFUSED:
            kind, on = REFUSED, checked_at
        elif status == UNKNOWN and rule.deadline is not None and as_of > rule.deadline:
            kind, on = "missing", rule.deadline
        if kind is not None:
            reason_id, reason_en = reason_texts(rule, kind, on)
            flag = Flag(
                rule_id=rule.id,
                requirement=rule.item,
                status=item.status if item else UNKNOWN,
                kind=kind,
                checked_at=checked_at,
                deadline=rule.deadline,
                reason_id=reason_id,
                reason_en=reason_en,
                source_url=item.source_url if item else None,
                source_title=item.source_title if item else None,
            )
    return Outcome(rule, True, status, 0.0, item, flag)


def evaluate(facts: CandidacyFacts, ruleset: Ruleset, as_of: date) -> Result:
    outcomes = tuple(evaluate_rule(rule, facts, as_of) for rule in ruleset.rules)
    total = sum(outcome.rule.weight for outcome in outcomes if outcome.applicable)
    score = None
    if total:
        earned = sum(outcome.rule.weight * outcome.credit for outcome in outcomes)
        score = round(100 * earned / total)
    flags = tuple(outcome.flag for outcome in outcomes if outcome.flag is not None)
    return Result(ruleset.version, score, outcomes, flags)
