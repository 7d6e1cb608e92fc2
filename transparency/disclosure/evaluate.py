"""The pure evaluator: a candidacy's facts and a ruleset, as of a date, give a Result.

Semantics (docs/methodology-engine.md, rules 2024.2):
- A rule applies when the candidacy's office is in the rule's offices, every condition of the
  rule holds, and the item is not marked not applicable.
- Credit: published 1, partial the rule's partial_credit (0.5 by default), anything else 0.
- Score: 100 x the weighted share of credit over the applicable rules, rounded; None when no
  rule applies.
- Statuses are facts: published, partial, refused, not_found, requested, not_applicable. No
  item (or a value that is not one of these) is "not checked": neutral, never a flag.
- A flag rests only on a sourced, dated fact about a required item: a refusal (any date); an
  item looked for at a named source after the rule's deadline and not found there; a request
  whose response window (respond_by, else checked_at + the rule's response_days) has passed
  as of the evaluation date with no answer recorded ("no response"). Without a source URL and
  a date there is no flag, whatever the status.
No Flask, no database: plain data in, plain data out, deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from babel.dates import format_date

from transparency.disclosure.rules import Rule, Ruleset

PUBLISHED = "published"
PARTIAL = "partial"
REFUSED = "refused"
NOT_FOUND = "not_found"
REQUESTED = "requested"
NOT_APPLICABLE = "not_applicable"
# Outcome statuses the evaluator derives: a request past its window, and no fact at all.
NO_RESPONSE = "no_response"
NOT_CHECKED = "not_checked"
FACT_STATUSES = frozenset({PUBLISHED, PARTIAL, REFUSED, NOT_FOUND, REQUESTED, NOT_APPLICABLE})
# Flag kinds: each names the fact it rests on.
KIND_REFUSED = REFUSED
KIND_NOT_FOUND = NOT_FOUND
KIND_NO_RESPONSE = NO_RESPONSE


@dataclass(frozen=True)
class ItemFact:
    """One disclosure item as the evaluator sees it."""

    status: str
    checked_at: date | None = None  # requested: the day the request was sent
    source_url: str | None = None
    source_title: str | None = None
    respond_by: date | None = None  # requested: the last day of the response window


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
    kind: str  # refused | not_found | no_response
    checked_at: date | None
    deadline: date | None  # the rule's deadline; for no_response, the request's respond_by
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
    # published | partial | refused | not_found | requested | no_response | not_checked |
    # not_applicable
    status: str
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


@lru_cache(maxsize=4096)  # a few hundred dates, each in two languages: Babel costs ~0.2 ms a call
def _long_date(value: date, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


def sourced(item: ItemFact | None) -> bool:
    """A fact a flag may rest on: it names a source (a URL) and a date."""
    return (
        item is not None
        and item.checked_at is not None
        and isinstance(item.source_url, str)
        and bool(item.source_url.strip())
    )


def window_end(rule: Rule, item: ItemFact) -> date | None:
    """The last day a request may be answered: its own respond_by, else the rule's window."""
    if item.respond_by is not None:
        return item.respond_by
    if item.checked_at is None:
        return None
    return item.checked_at + timedelta(days=rule.response_days)


@lru_cache(maxsize=8192)  # few (rule, date) pairs, formatted for many candidacies
def reason_texts(
    rule: Rule, kind: str, on: date | None, until: date | None = None, where: str | None = None
) -> tuple[str, str]:
    """The badge wording in both languages, each naming the fact and its date, e.g.
    'Tidak bersedia membuka data diri (per 14 November 2023)'; 'Tidak menanggapi permintaan
    keterbukaan tertanggal 3 Januari 2024 (batas 17 Januari 2024)'; a not-found item names
    where and when it was looked for, and the deadline passed."""
    if kind == KIND_NO_RESPONSE and on is not None and until is not None:
        return (
            f"Tidak menanggapi permintaan keterbukaan tertanggal {_long_date(on, 'id')} "
            f"(batas {_long_date(until, 'id')})",
            f"Did not respond to the disclosure request dated {_long_date(on, 'en')} "
            f"(deadline {_long_date(until, 'en')})",
        )
    if kind == KIND_NOT_FOUND and on is not None and until is not None:
        base = rule.reason_missing
        return (
            f"{base.id}: tidak ditemukan di {where} pada {_long_date(on, 'id')} "
            f"(batas waktu {_long_date(until, 'id')})",
            f"{base.en}: not found at {where} on {_long_date(on, 'en')} "
            f"(deadline {_long_date(until, 'en')})",
        )
    base = rule.reason_refused
    if on is None:
        return base.id, base.en
    return (
        f"{base.id} (per {_long_date(on, 'id')})",
        f"{base.en} (as of {_long_date(on, 'en')})",
    )


def _status(rule: Rule, item: ItemFact | None, as_of: date) -> str:
    if item is None or item.status not in FACT_STATUSES:
        return NOT_CHECKED
    if item.status == REQUESTED:
        end = window_end(rule, item)
        if end is not None and as_of > end:
            return NO_RESPONSE
    return item.status


def _flag_kind(
    rule: Rule, status: str, item: ItemFact, as_of: date
) -> tuple[str, date | None] | None:
    """The flag a sourced item of a required rule earns, with the date its reason ends on."""
    if status == REFUSED:
        return KIND_REFUSED, None
    if status == NO_RESPONSE:
        return KIND_NO_RESPONSE, window_end(rule, item)
    # still missing after the deadline: looked for after it, and evaluated after it
    if (
        status == NOT_FOUND
        and rule.deadline is not None
        and item.checked_at is not None
        and item.checked_at > rule.deadline
        and as_of > rule.deadline
    ):
        return KIND_NOT_FOUND, rule.deadline
    return None


def evaluate_rule(rule: Rule, facts: CandidacyFacts, as_of: date) -> Outcome:
    item = facts.items.get(rule.item)
    status = _status(rule, item, as_of)
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
    if rule.required and item is not None and sourced(item):
        found = _flag_kind(rule, status, item, as_of)
        if found is not None:
            kind, until = found
            where = item.source_title or item.source_url
            reason_id, reason_en = reason_texts(rule, kind, item.checked_at, until, where)
            flag = Flag(
                rule_id=rule.id,
                requirement=rule.item,
                status=status,
                kind=kind,
                checked_at=item.checked_at,
                deadline=until if kind == KIND_NO_RESPONSE else rule.deadline,
                reason_id=reason_id,
                reason_en=reason_en,
                source_url=item.source_url,
                source_title=item.source_title,
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
