"""What a recompute changes: the stored derived columns of one candidacy against its new
evaluation, as the row UPDATE and the StatusChange history rows (flagged, cleared, a status moved).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from transparency.disclosure.evaluate import Result
from transparency.models import StatusChangeKind


@dataclass
class Counts:
    seen: int = 0
    changed: int = 0
    flagged: int = 0
    cleared: int = 0
    disclosure_changes: int = 0
    ruleset_version: str = ""
    changed_ids: list[int] = field(default_factory=list)


@dataclass
class StoredRow:
    id: int
    person_id: int
    office_id: int
    score: int | None
    flagged: bool
    flags_text: str | None  # stored JSON as text: compared as text, decoded only on a change
    version: str | None
    flagged_since: datetime | None
    statuses_text: str | None
    photo_url: str | None
    gender: str | None
    birth_date: date | None
    birth_place: str | None

    @property
    def flags(self) -> list | None:
        return json.loads(self.flags_text) if self.flags_text else None

    @property
    def statuses(self) -> dict | None:
        return json.loads(self.statuses_text) if self.statuses_text else None


def _rule_ids(flags: list | None) -> str | None:
    if not flags:
        return None
    return ",".join(str(flag.get("rule_id")) for flag in flags)[:64]


def _same(stored_text: str | None, value: object, text: str) -> bool:
    """Stored JSON equals value: by text first (the common case), by value when texts differ."""
    if stored_text is None:
        return False
    return stored_text == text or json.loads(stored_text) == value


def compare(
    row: StoredRow,
    evaluated: tuple[Result, list, str],
    status_values: tuple[dict[str, str], str],
    now: datetime,
    updates: list[dict[str, Any]],
    changes: list[dict[str, Any]],
    counts: Counts,
) -> None:
    result, flags, flags_text = evaluated
    statuses, statuses_text = status_values
    flagged = bool(flags)
    since = row.flagged_since
    change = {"candidacy_id": row.id, "changed_at": now, "ruleset_version": result.ruleset_version}
    was_flagged = bool(row.flagged) and row.version is not None
    statuses_same = _same(row.statuses_text, statuses, statuses_text)
    old_statuses = None if statuses_same else row.statuses
    if old_statuses is not None:
        # The first evaluation has no "before"; afterwards every status move is history.
        for requirement in sorted(set(old_statuses) | set(statuses)):
            old, new = old_statuses.get(requirement), statuses.get(requirement)
            if old != new:
                changes.append(
                    change
                    | {
                        "kind": StatusChangeKind.DISCLOSURE.value,
                        "requirement": requirement,
                        "old_value": old,
                        "new_value": new,
                    }
                )
                counts.disclosure_changes += 1
    if flagged and not was_flagged:
        since = now
        changes.append(
            change
            | {
                "kind": StatusChangeKind.FLAGGED.value,
                "requirement": flags[0]["requirement"],
                "old_value": None,
                "new_value": _rule_ids(flags),
            }
        )
        counts.flagged += 1
    elif was_flagged and not flagged:
        since = None
        changes.append(
            change
            | {
                "kind": StatusChangeKind.CLEARED.value,
                "requirement": None,
                "old_value": _rule_ids(row.flags),
                "new_value": None,
            }
        )
        counts.cleared += 1
    if (
        row.score != result.score
        or bool(row.flagged) != flagged
        or row.version != result.ruleset_version
        or row.flagged_since != since
        or not statuses_same
        or not _same(row.flags_text, flags, flags_text)
    ):
        updates.append(
            {
                "b_id": row.id,
                "b_score": result.score,
                "b_flagged": flagged,
                "b_flags": flags,
                "b_version": result.ruleset_version,
                "b_since": since,
                "b_statuses": statuses,
            }
        )
        counts.changed += 1
