"""A profile's history: its revisions, newest first, each field by field, in words.

Who made a change is said by the contributor's public display name (transparency.contributors),
or by the organisation for its imports: never an e-mail address or an account id. Fields and
values are labelled in the visitor's language (transparency.labels,
transparency.profiles.revision_values); sources are links. A revision of a programme
statement, track-record item or reply that a reviewer has since hidden keeps its place (what was
done, when, by whom, from which source) but not its content: hiding it would mean nothing if its
history still showed the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from transparency.contributors import public_name
from transparency.labels import (
    ORGANISATION_ORIGINS,
    REVISION_ACTIONS,
    REVISION_ENTITIES,
    field_label,
    label_of,
)
from transparency.models import (
    Candidacy,
    ProgrammeStatement,
    Reply,
    Revision,
    Source,
    TrackRecordItem,
)
from transparency.profiles.pages import Page
from transparency.profiles.revision_values import References, Shown, load_references, shown

HISTORY_PER_PAGE = 30

# Bookkeeping fields a reader does not need in a diff: the record's own number, the profile
# it belongs to (the page says which), its order among its kind and the list's sort keys.
HIDDEN_DIFF_FIELDS = frozenset(
    {"id", "person_id", "candidacy_id", "position", "list_district", "list_party"}
)
# Off unless said otherwise: a new record's "hidden: no" tells a reader nothing.
QUIET_WHEN_NEW = frozenset({"hidden", "is_fictional"})
# Origins whose reason is written by the software (in English, with file digests): the
# origin's label says it in the reader's language instead.
MACHINE_REASONS = frozenset(ORGANISATION_ORIGINS)
# Rows a reviewer can hide on a public profile, by their revisions' entity type.
HIDEABLE = {model.__tablename__: model for model in (ProgrammeStatement, TrackRecordItem, Reply)}


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Shown
    after: Shown


@dataclass(frozen=True)
class HistoryEntry:
    revision: Revision
    action: str
    entity: str
    credits: list[str]  # "Proposed by Ani", "Official list import"
    source: Source | None
    reason: str | None
    changes: list[FieldChange] = field(default_factory=list)
    withheld: bool = False  # its row is hidden now: the content is not shown


@dataclass
class HistoryPage:
    page: Page
    entries: list[HistoryEntry]


def revision_history(session: Session, candidacy: Candidacy, page: int) -> HistoryPage:
    """Revisions of this candidacy or its person, newest first, in words."""
    stmt = (
        select(Revision)
        .where(
            or_(Revision.candidacy_id == candidacy.id, Revision.person_id == candidacy.person_id)
        )
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    )
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(
        session.scalars(
            stmt.options(joinedload(Revision.proposed_by), joinedload(Revision.approved_by))
            .limit(HISTORY_PER_PAGE)
            .offset((page - 1) * HISTORY_PER_PAGE)
        )
    )
    references = load_references(session, rows)
    withheld = hidden_rows(session, rows)
    entries = [
        history_entry(row, references, session, (row.entity_type, row.entity_id) in withheld)
        for row in rows
    ]
    return HistoryPage(Page(rows, total, page, HISTORY_PER_PAGE), entries)


def hidden_rows(session: Session, revisions: list[Revision]) -> set[tuple[str, int]]:
    """(entity type, id) of the hideable rows these revisions are about that are hidden now."""
    wanted: dict[str, set[int]] = {}
    for revision in revisions:
        if revision.entity_type in HIDEABLE:
            wanted.setdefault(revision.entity_type, set()).add(revision.entity_id)
    hidden = set()
    for table, ids in wanted.items():
        model = HIDEABLE[table]
        found = session.scalars(select(model.id).where(model.id.in_(ids), model.hidden.is_(True)))
        hidden.update((table, row_id) for row_id in found)
    return hidden


def history_entry(
    revision: Revision,
    references: References,
    session: Session | None = None,
    withheld: bool = False,
) -> HistoryEntry:
    source = references.get("sources", revision.source_id)
    machine = revision.origin in MACHINE_REASONS
    return HistoryEntry(
        revision=revision,
        action=label_of(REVISION_ACTIONS, revision.action),
        entity=label_of(REVISION_ENTITIES, revision.entity_type),
        credits=credits(revision),
        source=source,
        # A reviewer's reason for hiding may quote what was hidden: withheld with the content.
        reason=None if machine or withheld else revision.reason,
        changes=[] if withheld else revision_diff(revision, references, session),
        withheld=withheld,
    )


def credits(revision: Revision) -> list[str]:
    """Who made the change, as the public may read it."""
    organisation = ORGANISATION_ORIGINS.get(revision.origin)
    if organisation is not None:
        return [str(organisation)]
    proposer, approver = revision.proposed_by, revision.approved_by
    if proposer is not None and approver is not None and proposer.id == approver.id:
        return [_("Recorded by %(name)s", name=public_name(proposer))]
    said = []
    if proposer is not None:
        said.append(_("Proposed by %(name)s", name=public_name(proposer)))
    if approver is not None:
        if revision.origin == "revert":
            said.append(_("Reverted by %(name)s", name=public_name(approver)))
        else:
            said.append(_("Approved by %(name)s", name=public_name(approver)))
    return said


def revision_diff(
    revision: Revision, references: References | None = None, session: Session | None = None
) -> list[FieldChange]:
    """Field by field, before -> after, in words, in the order the labels sort."""
    before = revision.before or {}
    after = revision.after or {}
    table = revision.entity_type or ""
    changes = []
    for key in set(before) | set(after):
        if key in HIDDEN_DIFF_FIELDS:
            continue
        if revision.action == "create" and key in QUIET_WHEN_NEW and after.get(key) is False:
            continue
        old = shown(table, key, before.get(key), references, session)
        new = shown(table, key, after.get(key), references, session)
        if old != new:
            changes.append(FieldChange(field_label(table, key), old, new))
    return sorted(changes, key=lambda change: change.name.casefold())
