"""exports views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("exports", __name__, url_prefix="/export")


@bp.get("/candidates.csv")
def candidates_csv() -> str:
    abort(404)
