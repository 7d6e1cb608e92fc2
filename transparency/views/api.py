"""api views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/")
def index() -> str:
    abort(404)
