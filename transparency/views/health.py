"""/healthz for load balancers and supervisors: answers without touching the database."""

from flask import Blueprint, Response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    # Liveness only: a database outage must not make a proxy take every worker out at once.
    response = Response("ok\n", mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response
