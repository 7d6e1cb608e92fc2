"""/data/: the dated snapshots of the whole list (`flask export dump`), for download."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, render_template, send_file

from transparency.exports import dumps
from transparency.exports.dumps import CHECKSUMS, MANIFEST

bp = Blueprint("data", __name__, url_prefix="/data")


def dumps_dir(app: Flask) -> Path:
    return Path(app.config.get("DUMPS_DIR") or Path(app.instance_path) / "dumps")


@bp.get("/")
def index() -> str:
    return render_template("public/data.html", snapshots=dumps.snapshots(dumps_dir(current_app)))


@bp.get("/<name>/<file_name>")
def snapshot_file(name: str, file_name: str) -> Response:
    path = dumps.snapshot_file(dumps_dir(current_app), name, file_name)
    if path is None:
        abort(404)
    response = send_file(
        path,
        # SHA256SUMS has no extension to guess its type from: it is text for sha256sum -c.
        mimetype="text/plain" if file_name == CHECKSUMS else None,  # Werkzeug adds the charset
        as_attachment=file_name != MANIFEST,
        download_name=f"jejak-terbuka-{name}-{file_name}",
        conditional=True,
        max_age=3600,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
