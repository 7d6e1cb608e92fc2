"""The feeds' entries: each status change stated in words, with labels, its reason and source.

Texts are in the current language (flask_babel); everything else is plain data. Entry and
feed ids are URNs (RFC 4122 name-based UUIDs) derived from the site's address and what they
name, so they never change and never pretend to be pages.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.disclosure.rules import Ruleset
from transparency.disclosure.rulesets import parsed, ruleset_in_force
from transparency.exports.atom import Entry
from transparency.exports.changes import ChangeRecord, rule_ids
from transparency.labels import DISCLOSURE_ITEMS, DISCLOSURE_STATUSES, label_of
from transparency.models import Candidacy, Person
from transparency.models import Ruleset as RulesetRow
from transparency.models.records import StatusChangeKind

# Any fixed UUID will do: it only keeps our names apart from other name-based UUIDs.
NAMESPACE = uuid.UUID("4c0b7a4e-51f6-5f0e-9d1e-6a3e7b1f2c10")


def urn(site: str, name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, site.rstrip('/') + '/' + name)}"


@dataclass(frozen=True)
class Context:
    """What the entries say beside each change: the candidacy's current flags, the rules of
    each ruleset version named, and when the shown facts last changed."""

    flags: Mapping[int, Sequence[Mapping[str, Any]]]
    rulesets: Mapping[str, Ruleset]
    updated: Mapping[int, datetime]


def context(session: Session, changes: Sequence[ChangeRecord]) -> Context:
    """Two small queries for at most one page of changes."""
    ids = {change.candidacy_id for change in changes}
    flags: dict[int, list] = {}
    updated: dict[int, datetime] = {}
    if ids:
        rows = session.execute(
            select(Candidacy.id, Candidacy.flags, Candidacy.updated_at, Person.updated_at)
            .join(Person, Candidacy.person_id == Person.id)
            .where(Candidacy.id.in_(ids))
        )
        for candidacy_id, raw, candidacy_at, person_at in rows:
            flags[candidacy_id] = [flag for flag in raw or () if isinstance(flag, dict)]
            updated[candidacy_id] = max(candidacy_at, person_at)
    versions = {change.ruleset_version for change in changes if change.ruleset_version}
    rulesets = {}
    if versions:
        for row in session.scalars(select(RulesetRow).where(RulesetRow.version.in_(versions))):
            rulesets[row.version] = parsed(row)
        in_force = ruleset_in_force(session)  # the packaged rules before init-db stores them
        if in_force.version in versions:
            rulesets.setdefault(in_force.version, in_force)
    return Context(flags, rulesets, updated)


def _language() -> str:
    return str(get_locale())


def _rule_label(rule_id: str, ruleset: Ruleset | None) -> str:
    rule = ruleset.rule(rule_id) if ruleset else None
    return f"{rule_id} ({rule.title.get(_language())})" if rule else rule_id


def _reasons(change: ChangeRecord, ctx: Context) -> list[str]:
    """For a newly flagged candidacy: each flagging rule with the reason and source the site
    shows for it now, or the rule's title when that flag has since gone."""
    language = _language()
    current = {flag.get("rule_id"): flag for flag in ctx.flags.get(change.candidacy_id, ())}
    ruleset = ctx.rulesets.get(change.ruleset_version or "")
    lines = []
    for rule_id in rule_ids(change.new_value):
        flag = current.get(rule_id)
        label = _rule_label(rule_id, ruleset)
        if flag is None:
            # the flag has gone since: its rule's wording, not a reason it no longer has
            lines.append(_("%(rule)s (no longer flagged)", rule=label))
            continue
        reason = flag.get("reason_en" if language == "en" else "reason_id") or ""
        source = flag.get("source_url")
        text = _("%(rule)s: %(reason)s", rule=label, reason=reason)
        lines.append(
            _("%(text)s. Source: %(source)s", text=text, source=source) if source else text
        )
    return lines


def _where(change: ChangeRecord) -> str:
    office = change.office_name_en if _language() == "en" else change.office_name_id
    party = f"{change.party_name} ({change.party.upper()})" if change.party else _("no party")
    return _(
        "%(party)s; %(office)s, %(district)s (%(code)s).",
        party=party,
        office=office,
        district=change.district_name,
        code=change.district_code,
    )


def _status(code: str | None) -> str:
    return label_of(DISCLOSURE_STATUSES, code) if code else _("not recorded")


def title(change: ChangeRecord, ctx: Context) -> str:
    if change.kind == StatusChangeKind.FLAGGED:
        return _("%(name)s is now flagged", name=change.name)
    if change.kind == StatusChangeKind.CLEARED:
        return _("%(name)s is no longer flagged", name=change.name)
    return _(
        "%(name)s: %(item)s changed from “%(old)s” to “%(new)s”",
        name=change.name,
        item=label_of(DISCLOSURE_ITEMS, change.requirement),
        old=_status(change.old_value),
        new=_status(change.new_value),
    )


def summary(change: ChangeRecord, ctx: Context) -> str:
    parts: list[str] = []
    if change.kind == StatusChangeKind.FLAGGED:
        reasons = _reasons(change, ctx)
        parts.append(_("Flagged under the rules: %(reasons)s.", reasons="; ".join(reasons)))
    elif change.kind == StatusChangeKind.CLEARED:
        ruleset = ctx.rulesets.get(change.ruleset_version or "")
        rules = [_rule_label(rule_id, ruleset) for rule_id in rule_ids(change.old_value)]
        parts.append(_("No longer flagged under the rules: %(rules)s.", rules="; ".join(rules)))
    else:
        parts.append(
            _(
                "Disclosure status of %(item)s: “%(old)s” before, “%(new)s” now.",
                item=label_of(DISCLOSURE_ITEMS, change.requirement),
                old=_status(change.old_value),
                new=_status(change.new_value),
            )
        )
    parts.append(_where(change))
    if change.ruleset_version:
        parts.append(_("Rules of version %(version)s.", version=change.ruleset_version))
    return " ".join(parts)


def entries(
    changes: Iterable[ChangeRecord], ctx: Context, site: str, profile_url: str
) -> list[Entry]:
    """`profile_url` has a `{id}` for the candidacy."""
    return [
        Entry(
            id=urn(site, f"status-change/{change.id}"),
            title=title(change, ctx),
            link=profile_url.format(id=change.candidacy_id),
            updated=change.changed_at,
            summary=summary(change, ctx),
            categories=(change.kind, *filter(None, [change.party, change.requirement])),
        )
        for change in changes
    ]


def last_modified(changes: Sequence[ChangeRecord], ctx: Context) -> datetime | None:
    """The newest moment anything an entry shows changed: the change, or its candidacy's
    name, party or district since (so If-Modified-Since never hides an edit)."""
    moments = [change.changed_at for change in changes]
    moments += [ctx.updated[c.candidacy_id] for c in changes if c.candidacy_id in ctx.updated]
    return max(moments) if moments else None
