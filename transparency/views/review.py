"""Reviewers: the queue of submissions, approvals, rejections and reverts."""

from flask import Blueprint, render_template

from transparency.access import restrict
from transparency.models import Role

bp = Blueprint("review", __name__, url_prefix="/review")
restrict(bp, Role.REVIEWER)


@bp.get("/")
def index() -> str:
    return render_template("review/queue.html")
