"""Public pages for voters: no account needed."""

from flask import Blueprint, abort, render_template, request

from transparency.listing import FilterError, parse_filters
from transparency.search import search_candidacies

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    return render_template("public/index.html")


@bp.get("/candidates")
def candidates() -> str:
    if request.args.get("q", "").strip():
        try:
            result = search_candidacies(parse_filters(request.args))
        except FilterError as error:
            abort(400, f"{error.parameter}: {error.message}")
        return render_template("search/page.html", result=result)
    return render_template("public/index.html")
