"""Public pages for voters: no account needed."""

from flask import Blueprint, render_template

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    return render_template("public/index.html")


@bp.get("/candidates")
def candidates() -> str:
    return render_template("public/index.html")
