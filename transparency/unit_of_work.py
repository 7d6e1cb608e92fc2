"""One commit point: a request that changes data commits once, after its view returns.

As Indico's `RH.process` does it: views and domain functions only add and flush; the request
handler commits when the view has returned a response below 400, and rolls back on an error
response or an exception. The commit runs the change channel's consumers (flag, search,
statistics: transparency.derived) in the same transaction, so no view can forget them.

Two declarations are left to a view:

- `keep_on_error()`: its error response is itself a record to keep (a failed log-in
  attempt that counts towards the throttle, a conflict's audit entry).
- `on_commit(callback)`: work that may only start once the data is committed (a background
  import job reading the row the request wrote). Runs after the commit, never after a rollback.

CLI commands are their own unit of work: each commits once at its end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, g

from transparency.extensions import db

log = logging.getLogger(__name__)

_KEEP = "_unit_of_work_keep"
_CALLBACKS = "_unit_of_work_after_commit"


def keep_on_error() -> None:
    """Commit this request's writes even though its response is an error."""
    setattr(g, _KEEP, True)


def on_commit(callback: Callable[[], object]) -> None:
    """Call this once the request's writes are committed (not at all if they are not)."""
    g.setdefault(_CALLBACKS, []).append(callback)


def _finish(response: Response) -> Response:
    if response.status_code < 400 or g.get(_KEEP, False):
        db.session.commit()
        for callback in g.pop(_CALLBACKS, []):
            callback()
    else:
        db.session.rollback()
    return response


def _rollback_on_exception(error: BaseException | None) -> None:
    if error is not None:
        db.session.rollback()
    g.pop(_CALLBACKS, None)


def init_app(app: Flask) -> None:
    # Registered first, so it runs last among after_request functions (Flask calls them in
    # reverse): the response is final when the data commits.
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
    app.teardown_request(_rollback_on_exception)
