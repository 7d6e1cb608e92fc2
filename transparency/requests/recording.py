"""Recording a disclosure request to one candidacy or to every candidacy of a party in a
district or an election. Flushes, never commits; the items it marks `requested` change through
the ORM, so each change is a revision and the change channel re-evaluates the candidacy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from transparency.disclosure.rules import Ruleset
from transparency.disclosure.rulesets import ruleset_in_force, ruleset_row_in_force
from transparency.models import (
    Candidacy,
    DisclosureItem,
    DisclosureRequest,
    DisclosureStatus,
    RequestChannel,
    RequestStatus,
    Source,
    User,
)
from transparency.revisions import provenance
from transparency.visibility import listed

DEFAULT_WINDOW_DAYS = 14
MIN_WINDOW_DAYS = 1
MAX_WINDOW_DAYS = 365
REQUESTED = DisclosureStatus.REQUESTED.value
# Not yet disclosed: nothing recorded, or looked for at a source and not there.
NOT_YET_DISCLOSED = frozenset({"not_found"})


class RequestRefused(ValueError):
    """A user-facing reason a request was not recorded (nothing was written)."""


@dataclass(frozen=True)
class RequestInput:
    sent_on: date
    channel: str
    addressee: str
    source_url: str
    source_title: str
    window_days: int


def default_window_days(session: Session) -> int:
    """The rules' setting `request_window_days` when the ruleset in force has one, else 14."""
    row = ruleset_row_in_force(session)
    value = (row.rules or {}).get("request_window_days") if row is not None else None
    if isinstance(value, int) and MIN_WINDOW_DAYS <= value <= MAX_WINDOW_DAYS:
        return value
    return DEFAULT_WINDOW_DAYS


def check(data: RequestInput) -> None:
    if not data.addressee.strip():
        raise RequestRefused(_("Name the addressee of the request."))
    if not data.source_url.strip():
        raise RequestRefused(_("Give the source: a link to the copy or the published letter."))
    if not MIN_WINDOW_DAYS <= data.window_days <= MAX_WINDOW_DAYS:
        raise RequestRefused(
            _(
                "The response window must be between %(low)d and %(high)d days.",
                low=MIN_WINDOW_DAYS,
                high=MAX_WINDOW_DAYS,
            )
        )
    if data.channel not in set(RequestChannel):
        raise RequestRefused(_("Choose how the request was sent."))


def required_items(ruleset: Ruleset, candidacy: Candidacy) -> list[str]:
    """The items a rule requires of every candidacy of this office (conditional rules, such as
    an ex-convict's announcement, are left to the volunteers who establish the condition)."""
    office = candidacy.office.code
    seen: list[str] = []
    for rule in ruleset.rules:
        applies = rule.required and not rule.conditions and office in rule.offices
        if applies and rule.item not in seen:
            seen.append(rule.item)
    return seen


def party_candidacies(
    session: Session, party_id: int, *, district_id: int | None = None
) -> list[Candidacy]:
    """Every listed candidacy of the party (in the district, when given)."""
    query = (
        select(Candidacy)
        .where(Candidacy.party_id == party_id, listed(Candidacy))
        .options(selectinload(Candidacy.disclosure_items), selectinload(Candidacy.office))
        .order_by(Candidacy.id)
    )
    if district_id is not None:
        query = query.where(Candidacy.district_id == district_id)
    return list(session.scalars(query))


def record_requests(
    session: Session, candidacies: Sequence[Candidacy], data: RequestInput, user: User
) -> list[DisclosureRequest]:
    """One request per candidacy, all citing one source. Refuses everything, writing nothing,
    on bad input or when no candidacy is given."""
    check(data)
    if not candidacies:
        raise RequestRefused(_("No candidacy matches: nothing was recorded."))
    ruleset = ruleset_in_force(session)
    respond_by = data.sent_on + timedelta(days=data.window_days)
    source = Source(
        url=data.source_url.strip(),
        title=data.source_title.strip() or data.source_url.strip(),
        accessed_on=data.sent_on,
    )
    session.add(source)
    session.flush()
    requests = []
    with provenance(
        session,
        origin="request",
        proposed_by_id=user.id,
        approved_by_id=user.id,
        source_id=source.id,
    ):
        for candidacy in candidacies:
            request = DisclosureRequest(
                candidacy=candidacy,
                sent_on=data.sent_on,
                channel=data.channel,
                addressee=data.addressee.strip(),
                source=source,
                window_days=data.window_days,
                respond_by=respond_by,
                status=RequestStatus.OPEN.value,
                recorded_by_id=user.id,
            )
            session.add(request)
            requests.append(request)
            items = {item.requirement: item for item in candidacy.disclosure_items}
            for requirement in required_items(ruleset, candidacy):
                item = items.get(requirement)
                if item is None:
                    item = DisclosureItem(candidacy=candidacy, requirement=requirement)
                    session.add(item)
                elif item.status not in NOT_YET_DISCLOSED and item.status != REQUESTED:
                    continue
                item.status = REQUESTED
                item.checked_at = data.sent_on
                item.respond_by = respond_by
                item.source = source
        session.flush()
    return requests


def mark_answered(request: DisclosureRequest, on: date) -> None:
    """The request has its answer (the disclosure itself, or a documented refusal)."""
    if request.status == RequestStatus.ANSWERED:
        raise RequestRefused(_("This request was already answered."))
    if on < request.sent_on:
        raise RequestRefused(_("An answer cannot come before the request was sent."))
    request.status = RequestStatus.ANSWERED.value
    request.answered_on = on


def close_when_disclosed(session: Session, candidacy: Candidacy, on: date) -> None:
    """A disclosure recorded another way (a reviewed submission) ends the candidacy's open
    requests once none of its items is still requested."""
    session.flush()
    if any(item.status == REQUESTED for item in candidacy.disclosure_items):
        return
    for request in session.scalars(
        select(DisclosureRequest).where(
            DisclosureRequest.candidacy_id == candidacy.id,
            DisclosureRequest.status == RequestStatus.OPEN,
        )
    ):
        request.status = RequestStatus.ANSWERED.value
        request.answered_on = max(on, request.sent_on)
