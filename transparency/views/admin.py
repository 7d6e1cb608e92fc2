"""admin views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
def index() -> str:
    abort(404)
