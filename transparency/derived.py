"""Derived data (search documents, disclosure flags) follows bulk writes through one door.

Bulk writers (imports, demo data) call `refresh_after_bulk(session, ids)` after their rows are
flushed; the search and disclosure modules register what they must redo with `register(...)`
from their own `init_app`. This keeps the writers ignorant of the features that follow them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, current_app
from sqlalchemy.orm import Session

# (session, candidacy ids or None for "all") -> None; runs inside the writer's transaction.
Refresher = Callable[[Session, Sequence[int] | None], None]

_EXTENSION = "transparency.derived"


def register(app: Flask, name: str, refresher: Refresher) -> None:
    app.extensions.setdefault(_EXTENSION, {})[name] = refresher


def refresh_after_bulk(session: Session, candidacy_ids: Sequence[int] | None = None) -> list[str]:
    """Bring derived data up to date for these candidacies (all when None); returns what ran."""
    refreshers: dict[str, Refresher] = current_app.extensions.get(_EXTENSION, {})
    for refresher in refreshers.values():
        refresher(session, candidacy_ids)
    return list(refreshers)
