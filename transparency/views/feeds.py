"""feeds views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.get("/flagged.atom")
def flagged_atom() -> str:
    abort(404)
