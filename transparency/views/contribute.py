"""contribute views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("contribute", __name__, url_prefix="/contribute")


@bp.get("/")
def index() -> str:
    abort(404)
