"""The flag: disclosure rules as data, a pure evaluator, stored results and statistics.

`rules` reads and validates ruleset documents, `evaluate` is the pure engine, `store` keeps
the derived columns on Candidacy in step with the data, `stats` aggregates for the pages.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Recompute inside every commit that touches what a flag reads, and after bulk writes."""
    from transparency import derived
    from transparency.disclosure import hooks

    hooks.install_hooks()
    derived.register(app, "disclosure", hooks.refresh)
