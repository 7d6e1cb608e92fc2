"""disclosure views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("disclosure", __name__)


@bp.get("/flagged")
def flagged() -> str:
    abort(404)


@bp.get("/statistics")
def statistics() -> str:
    abort(404)


@bp.get("/methodology")
def methodology() -> str:
    abort(404)
