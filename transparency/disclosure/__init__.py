"""The flag: disclosure rules as data, a pure evaluator, stored results and statistics.

`rules` reads and validates ruleset documents, `evaluate` is the pure engine, `store` keeps
the derived columns on Candidacy in step with the data, `stats` aggregates for the pages.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Evaluate, first of the change channel's consumers, whatever a writer changed."""
    from transparency import derived
    from transparency.disclosure import hooks, snapshot

    derived.register(app, "disclosure", hooks.evaluate_changes, order=derived.EVALUATE)
    # The /statistics figures, last: after a bulk write or a recompute, in its transaction;
    # after an edit, by the serving process's rebuilder (seconds between rebuilds).
    derived.register(app, "statistics", snapshot.follow_changes, order=derived.STATISTICS)
    app.config.setdefault("STATISTICS_BACKGROUND_REBUILD", not app.testing)
    app.config.setdefault("STATISTICS_REBUILD_INTERVAL", 5.0)
    snapshot.listen()
