"""Volunteers: propose sourced changes and follow their submissions."""

from flask import Blueprint, render_template

from transparency.access import restrict
from transparency.models import Role

bp = Blueprint("contribute", __name__, url_prefix="/contribute")
restrict(bp, Role.VOLUNTEER)


@bp.get("/")
def index() -> str:
    return render_template("contribute/index.html")
