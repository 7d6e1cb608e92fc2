"""Ruleset documents: the format, reading a file, and validation that refuses a whole file.

A document (JSON or TOML) holds a `version`, a bilingual `title`, and `rules`; each rule has
a stable `id`, the disclosure `item` it reads, a bilingual `title` and `explanation`, the
`offices` it applies to, optional `conditions`, a `weight` (0-100], whether it is `required`,
an optional `deadline` (YYYY-MM-DD), `partial_credit` (0-1, default 0.5), `response_days`
(a request's response window, 1-365, default 14) and optional bilingual `reason_refused` /
`reason_missing`. Pure: no Flask, no database.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

# The disclosure items a rule may read; DisclosureItem.requirement uses the same names.
KNOWN_ITEMS = (
    "cv",
    "programme",
    "criminal_record",
    "ex_convict_announcement",
    "lhkpn",
    "photo",
    "identity",
)
# Facts about a candidacy that narrow where a rule applies.
KNOWN_CONDITIONS = ("ex_convict", "incumbent")
# The offices of transparency.reference; the store passes the database's own list.
DEFAULT_OFFICES = (
    "PRESIDEN",
    "DPR",
    "DPD",
    "DPRD_PROVINSI",
    "DPRD_KABKOTA",
    "GUBERNUR",
    "BUPATI",
    "WALIKOTA",
)
DEFAULT_FILE = "default_rules_2024.json"
RULE_ID = re.compile(r"^R-[A-Z0-9][A-Z0-9-]{0,28}$")
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_PARTIAL_CREDIT = 0.5
DEFAULT_RESPONSE_DAYS = 14  # a request's response window when the request names no end
MAX_RESPONSE_DAYS = 365
DEFAULT_REASON_REFUSED = (
    "Tidak bersedia membuka data diri",
    "Declined to make personal data public",
)
DEFAULT_REASON_MISSING = ("Belum dipublikasikan", "Not published")


@dataclass(frozen=True)
class Text:
    """A text in Bahasa Indonesia and in English."""

    id: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.id


@dataclass(frozen=True)
class Rule:
    id: str
    item: str
    title: Text
    explanation: Text
    offices: frozenset[str]
    weight: float
    required: bool
    deadline: date | None = None
    conditions: frozenset[str] = frozenset()
    partial_credit: float = DEFAULT_PARTIAL_CREDIT
    reason_refused: Text = Text(*DEFAULT_REASON_REFUSED)
    reason_missing: Text = Text(*DEFAULT_REASON_MISSING)
    response_days: int = DEFAULT_RESPONSE_DAYS


@dataclass(frozen=True)
class Ruleset:
    version: str
    title: Text
    rules: tuple[Rule, ...]
    description: Text = Text("", "")

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


class RulesetError(ValueError):
    """A ruleset document was refused; `messages` name the rule and the field of each fault."""

    def __init__(self, messages: list[str], file_name: str | None = None) -> None:
        self.messages = messages
        self.file_name = file_name
        where = f"{file_name}: " if file_name else ""
        super().__init__(where + "; ".join(messages))


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a ruleset file (.json or .toml) without validating it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RulesetError([f"cannot read the file: {error.strerror}"], str(path)) from None
    try:
        if path.suffix.lower() == ".toml":
            document = tomllib.loads(raw.decode("utf-8"))
        else:
            document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RulesetError(["the file is not UTF-8 text"], str(path)) from None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        kind = path.suffix.lstrip(".").upper() or "JSON"
        raise RulesetError([f"not valid {kind}: {error}"], str(path)) from None
    if not isinstance(document, dict):
        raise RulesetError(["the document must be an object with version and rules"], str(path))
    return document


def default_document() -> dict[str, Any]:
    """The ruleset shipped with the package (Pemilu 2024)."""
    text = resources.files("transparency.disclosure").joinpath(DEFAULT_FILE).read_text("utf-8")
    return json.loads(text)


def default_ruleset() -> Ruleset:
    return parse_ruleset(default_document())


def _text(value: Any, where: str, field: str, errors: list[str], *, optional: bool = False) -> Text:
    if value is None and optional:
        return Text("", "")
    if (
        not isinstance(value, Mapping)
        or not isinstance(value.get("id"), str)
        or not isinstance(value.get("en"), str)
        or not value["id"].strip()
        or not value["en"].strip()
    ):
        errors.append(f"{where}, field {field}: needs non-empty 'id' and 'en' texts")
        return Text("", "")
    return Text(value["id"].strip(), value["en"].strip())


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _parse_rule(
    raw: Any, position: int, offices: frozenset[str] | None, seen: set[str], errors: list[str]
) -> Rule | None:
    if not isinstance(raw, Mapping):
        errors.append(f"rule #{position}: must be an object")
        return None
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        errors.append(
            f"rule #{position}, field id: {rule_id!r} is not an id like R-CV "
            "(R-, capitals, digits, hyphens)"
        )
        return None
    where = f"rule {rule_id}"
    if rule_id in seen:
        errors.append(f"{where}, field id: duplicate id")
    seen.add(rule_id)
    count = len(errors)
    unknown_fields = set(raw) - {
        "id",
        "item",
        "title",
        "explanation",
        "offices",
        "conditions",
        "weight",
        "required",
        "deadline",
        "partial_credit",
        "reason_refused",
        "reason_missing",
        "response_days",
    }
    for field in sorted(unknown_fields):
        errors.append(f"{where}, field {field}: unknown field")
    item = raw.get("item")
    if item not in KNOWN_ITEMS:
        errors.append(
            f"{where}, field item: unknown item {item!r}; use one of: {', '.join(KNOWN_ITEMS)}"
        )
    title = _text(raw.get("title"), where, "title", errors)
    explanation = _text(raw.get("explanation"), where, "explanation", errors)
    raw_offices = raw.get("offices")
    rule_offices: frozenset[str] = frozenset()
    if not isinstance(raw_offices, list) or not raw_offices:
        errors.append(f"{where}, field offices: must be a non-empty list of office codes")
    else:
        for office in raw_offices:
            if offices is not None and office not in offices:
                errors.append(
                    f"{where}, field offices: unknown office {office!r}; "
                    f"use one of: {', '.join(sorted(offices))}"
                )
        rule_offices = frozenset(str(office) for office in raw_offices)
    raw_conditions = raw.get("conditions", [])
    conditions: frozenset[str] = frozenset()
    if not isinstance(raw_conditions, list):
        errors.append(f"{where}, field conditions: must be a list")
    else:
        for condition in raw_conditions:
            if condition not in KNOWN_CONDITIONS:
                errors.append(
                    f"{where}, field conditions: unknown condition {condition!r}; "
                    f"use one of: {', '.join(KNOWN_CONDITIONS)}"
                )
        conditions = frozenset(str(condition) for condition in raw_conditions)
    weight = _number(raw.get("weight"))
    if weight is None or not 0 < weight <= 100:
        errors.append(
            f"{where}, field weight: {raw.get('weight')!r} is out of range; "
            "use a number above 0 and at most 100"
        )
    required = raw.get("required")
    if not isinstance(required, bool):
        errors.append(f"{where}, field required: must be true or false")
    deadline: date | None = None
    raw_deadline = raw.get("deadline")
    if isinstance(raw_deadline, date):  # TOML has a date type of its own
        deadline = raw_deadline
    elif raw_deadline is not None:
        try:
            deadline = date.fromisoformat(str(raw_deadline))
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(raw_deadline)):
                raise ValueError
        except ValueError:
            errors.append(
                f"{where}, field deadline: {raw_deadline!r} is not a date; use YYYY-MM-DD"
            )
    partial = _number(raw.get("partial_credit", DEFAULT_PARTIAL_CREDIT))
    if partial is None or not 0 <= partial <= 1:
        errors.append(f"{where}, field partial_credit: must be a number from 0 to 1")
    response_days = raw.get("response_days", DEFAULT_RESPONSE_DAYS)
    if (
        isinstance(response_days, bool)
        or not isinstance(response_days, int)
        or not 1 <= response_days <= MAX_RESPONSE_DAYS
    ):
        errors.append(
            f"{where}, field response_days: {response_days!r} is out of range; "
            f"use a whole number of days from 1 to {MAX_RESPONSE_DAYS}"
        )
    refused = (
        _text(raw["reason_refused"], where, "reason_refused", errors)
        if "reason_refused" in raw
        else Text(*DEFAULT_REASON_REFUSED)
    )
    missing = (
        _text(raw["reason_missing"], where, "reason_missing", errors)
        if "reason_missing" in raw
        else Text(*DEFAULT_REASON_MISSING)
    )
    if len(errors) > count:
        return None
    return Rule(
        id=rule_id,
        item=str(item),
        title=title,
        explanation=explanation,
        offices=rule_offices,
        weight=float(weight or 0),
        required=bool(required),
        deadline=deadline,
        conditions=conditions,
        partial_credit=float(partial if partial is not None else DEFAULT_PARTIAL_CREDIT),
        reason_refused=refused,
        reason_missing=missing,
        response_days=int(response_days) if isinstance(response_days, int) else 0,
    )


def parse_ruleset(
    document: Mapping[str, Any],
    known_offices: Iterable[str] | None = DEFAULT_OFFICES,
    file_name: str | None = None,
) -> Ruleset:
    """Validate a whole document; any fault refuses all of it with every message.
    `known_offices=None` skips the office check (a stored document was checked on load)."""
    errors: list[str] = []
    offices = None if known_offices is None else frozenset(known_offices)
    version = document.get("version")
    if not isinstance(version, str) or not VERSION.match(version):
        errors.append(
            "ruleset, field version: needs a version like 2024.1 "
            "(letters, digits, dots, hyphens; at most 64)"
        )
    title = _text(document.get("title"), "ruleset", "title", errors)
    description = _text(
        document.get("description"), "ruleset", "description", errors, optional=True
    )
    raw_rules = document.get("rules")
    rules: list[Rule] = []
    if not isinstance(raw_rules, list) or not raw_rules:
        errors.append("ruleset, field rules: must be a non-empty list")
    else:
        seen: set[str] = set()
        for position, raw in enumerate(raw_rules, start=1):
            rule = _parse_rule(raw, position, offices, seen, errors)
            if rule is not None:
                rules.append(rule)
    if errors:
        raise RulesetError(errors, file_name)
    return Ruleset(version=str(version), title=title, rules=tuple(rules), description=description)


def to_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document as JSON-ready data (TOML dates become ISO strings) for storage."""
    return json.loads(json.dumps(document, default=lambda value: value.isoformat()))
