"""auth views: not built yet; the issue that owns them replaces this module."""

from flask import Blueprint, abort

bp = Blueprint("auth", __name__)


@bp.get("/login")
def login() -> str:
    abort(404)


@bp.get("/logout")
def logout() -> str:
    abort(404)


@bp.get("/register")
def register() -> str:
    abort(404)
