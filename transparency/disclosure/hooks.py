"""The disclosure evaluation as a consumer of the change channel (transparency.derived).

It runs first in the channel's order, inside the transaction that made the change (see
docs/methodology-engine.md for why not after commit), and records the candidacies whose
derived columns moved, so the consumers after it (search, statistics) follow the flag.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from transparency.derived import Change
from transparency.disclosure.store import Counts, recompute


def evaluate_changes(session: Session, change: Change) -> Counts | None:
    """Evaluate what changed: everything on new rules or demo data, else the candidacies."""
    if change.reevaluate or change.all_candidacies:
        # Only a recompute asked for alone may leave the data stamp where it is.
        edited = bool(change.candidacy_ids) or change.all_candidacies or change.bulk
        counts = recompute(session, None, edited=edited)
    elif change.candidacy_ids:
        counts = recompute(session, sorted(change.candidacy_ids))
    else:
        return None
    change.record_derived(counts.changed_ids)
    return counts
