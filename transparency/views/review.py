"""review views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.get("/")
def index() -> str:
    abort(404)
