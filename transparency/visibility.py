"""What is public: the one rule every page, export, feed, count and API answer uses.

Two levels, and nothing else decides them:

- A **public record** (`public_record`): neither the candidacy nor its person is hidden. It
  can be reached by its id: the profile, its history, the comparison, the API detail and the
  candidacy's own feed. A hidden candidacy, or any candidacy of a hidden person, is a 404
  everywhere and absent from every output, count and statistic.
- **Listed** (`listed`): a public record on the current official list (stage DCS, DCT or
  elected). Lists, search, counts, statistics, exports and feeds show listed candidacies only.
  A withdrawn candidacy (missing from a later official list) stays a public record, shown with
  a "Withdrew from the candidate list" banner; lists and exports include it only when asked for
  its stage (`stage=withdrawn`).

The conditions select from `candidacy` alone (the hidden people enter through a subquery of
candidacy ids), so a list keeps reading the covering index `ix_candidacy_ballot_order`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, func, select
from sqlalchemy.orm import aliased

from transparency.models import Candidacy, Person, Stage

# The stages of a candidacy on the current official list.
LISTED_STAGES = (Stage.DCS, Stage.DCT, Stage.ELECTED)
# The stages of a public record that has left the list: reachable by id, listed only on request.
OFF_LIST_STAGES = (Stage.WITHDRAWN, Stage.CANCELLED)

T = TypeVar("T")
_of_hidden_person = aliased(Candidacy, name="of_hidden_person")


def candidacies_of_hidden_people() -> Select:
    """The ids of every candidacy whose person is hidden: a subquery never correlated with
    the statement around it (which may join Person itself), so it runs once."""
    return (
        select(_of_hidden_person.id)
        .join(Person, _of_hidden_person.person_id == Person.id)
        .where(Person.hidden.is_(True))
        .correlate(None)
    )


def public_record(candidacy: Any = Candidacy) -> ColumnElement[bool]:
    """SQL: this candidacy may be shown by its id (neither it nor its person is hidden).

    `candidacy` is the Candidacy entity or an alias of it.
    """
    return and_(
        candidacy.hidden.is_(False),
        candidacy.id.not_in(candidacies_of_hidden_people()),
    )


def listed(candidacy: Any = Candidacy, stage: Stage | None = None) -> ColumnElement[bool]:
    """SQL: this candidacy belongs on public lists, counts and exports.

    Without `stage`, a public record on the current list; with one, a public record of that
    stage (`stage=withdrawn` asks for the candidacies that left the list).
    """
    stages = LISTED_STAGES if stage is None else (stage,)
    return and_(public_record(candidacy), candidacy.stage.in_(stages))


def search_hit(candidacy: Any = Candidacy) -> ColumnElement[bool]:
    """SQL: a search document or hit may show this candidacy. The index holds listed
    candidacies only; the database has the last word over an index a moment behind."""
    return listed(candidacy)


def hidden_people_stamp() -> tuple[ScalarSelect, ScalarSelect]:
    """How many people are hidden, and the newest change among them: it moves whenever a
    person is hidden or shown again, which no candidacy row records. A cached count of a list
    (profiles.pages.PageIndex) is keyed by it too."""
    hidden = Person.hidden.is_(True)
    # The newest change through the ids the index on `hidden` finds: asked directly, SQLite's
    # planner (its statistics see one value in nearly every row) read all 250,000 people.
    hidden_ids = select(Person.id).where(hidden)
    return (
        select(func.count(Person.id)).where(hidden).scalar_subquery(),
        select(func.max(Person.updated_at)).where(Person.id.in_(hidden_ids)).scalar_subquery(),
    )


def shown(items: Iterable[T]) -> list[T]:
    """The rows of a public record a reader sees: its programme statements, track-record
    items and replies that are not hidden (a hidden row is kept, with its revision)."""
    return [item for item in items if not item.hidden]


def row_shown(model: Any) -> ColumnElement[bool]:
    """SQL: `shown` for a programme statement, track-record item or reply."""
    return model.hidden.is_(False)


def is_public_record(candidacy: Candidacy) -> bool:
    """Python: `public_record` for a loaded candidacy (its person is loaded with it)."""
    return not candidacy.hidden and not candidacy.person.hidden


def is_listed(candidacy: Candidacy) -> bool:
    """Python: `listed` for a loaded candidacy."""
    return is_public_record(candidacy) and candidacy.stage in LISTED_STAGES


def has_left_the_list(candidacy: Candidacy) -> bool:
    """A public record no longer on the official list: its pages carry a banner saying so."""
    return candidacy.stage in OFF_LIST_STAGES
