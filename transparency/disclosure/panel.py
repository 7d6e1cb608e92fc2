"""The profile's disclosure panel: the same evaluation as the stored result, rule by rule,
from the objects the profile already loaded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.disclosure.evaluate import ItemFact, Result, evaluate
from transparency.disclosure.facts import build_facts, condition_of
from transparency.disclosure.rules import Ruleset
from transparency.disclosure.rulesets import ruleset_in_force
from transparency.models import Candidacy, Reply, StatusChange, StatusChangeKind, utcnow
from transparency.visibility import shown


@dataclass(frozen=True)
class Panel:
    ruleset: Ruleset
    result: Result
    replies: list[Reply]
    # when the candidacy was flagged and cleared, newest first (StatusChange rows)
    flag_history: list[StatusChange]

    def replies_to(self, rule_id: str | None) -> list[Reply]:
        return [reply for reply in self.replies if reply.rule_id == rule_id]


def facts_of(candidacy: Candidacy) -> object:
    person = candidacy.person
    source = person.source
    items = {
        item.requirement: ItemFact(
            item.status,
            item.checked_at,
            item.source.url if item.source else None,
            item.source.title if item.source else None,
            item.respond_by,
        )
        for item in candidacy.disclosure_items
    }
    conditions = {
        condition_of(entry.kind, entry.legal_status, entry.end_year)
        for entry in shown(person.track_record)
    }
    return build_facts(
        candidacy.office.code,
        items,
        has_programme=bool(shown(candidacy.programme)),
        photo_url=person.photo_url,
        gender=person.gender,
        birth_date=person.birth_date,
        birth_place=person.birth_place,
        profile_source=(source.url, source.title) if source else (None, None),
        conditions={condition for condition in conditions if condition},
    )


def panel(session: Session, candidacy: Candidacy) -> Panel:
    ruleset = ruleset_in_force(session)
    result = evaluate(facts_of(candidacy), ruleset, utcnow().date())  # type: ignore[arg-type]
    replies = sorted(
        shown(candidacy.replies),
        key=lambda reply: (reply.replied_on, reply.id),
    )
    history = list(
        session.scalars(
            select(StatusChange)
            .where(
                StatusChange.candidacy_id == candidacy.id,
                StatusChange.kind.in_(
                    (StatusChangeKind.FLAGGED.value, StatusChangeKind.CLEARED.value)
                ),
            )
            .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())
            .limit(20)
        )
    )
    return Panel(ruleset, result, replies, history)
