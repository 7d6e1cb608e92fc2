"""compare views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("compare", __name__)


@bp.get("/compare")
def compare() -> str:
    abort(404)
