"""Compare 2-4 candidates side by side, the comparison tray, and the district chooser.

The URL is the state of a comparison (`/compare?ids=3,1,2`); the tray is a cookie holding the
same list, so a voter can collect candidates while browsing without an account.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    render_template_string,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import HTTPException

from transparency.compare import (
    MAX_COMPARED,
    CompareError,
    format_ids,
    parse_ids,
    read_tray,
    safe_next,
    tray_add,
    tray_remove,
)
from transparency.extensions import db
from transparency.inputs import MAX_ROW_ID, parse_int
from transparency.models import (
    Candidacy,
    District,
    Person,
    ProgrammeStatement,
    Reply,
    TrackRecordItem,
)
from transparency.views.compare_facts import candidate_columns, compare_rows, labels
from transparency.visibility import is_public_record, listed, public_record

bp = Blueprint("compare", __name__)

TRAY_COOKIE = "compare"
TRAY_MAX_AGE = 30 * 24 * 3600
MAX_DISTRICT_CANDIDATES = 1000


def _error_messages() -> dict[str, str]:
    return {
        "too_long": _("The list of candidates is too long."),
        "not_a_number": _("Candidate numbers must be whole numbers, separated by commas."),
        "duplicate": _("The same candidate is listed twice."),
        "too_many": _("At most four candidates can be compared at once."),
        "too_few": _("Choose at least two candidates to compare."),
        "unknown": _("Some of these candidates do not exist or are not shown on this site."),
    }


def visible_candidacies(ids: list[int]) -> dict[int, Candidacy]:
    """Public records by id (withdrawn ones too, as on their profile) with everything the
    comparison shows, in a fixed number of queries."""
    stmt = (
        select(Candidacy)
        .where(Candidacy.id.in_(ids), public_record())
        .options(
            joinedload(Candidacy.person)
            .selectinload(Person.track_record)
            .selectinload(TrackRecordItem.sources),
            joinedload(Candidacy.person).joinedload(Person.source),
            joinedload(Candidacy.party),
            joinedload(Candidacy.district),
            joinedload(Candidacy.office),
            joinedload(Candidacy.election),
            selectinload(Candidacy.programme).joinedload(ProgrammeStatement.source),
            selectinload(Candidacy.disclosure_items),
            selectinload(Candidacy.replies).joinedload(Reply.source),
        )
    )
    return {candidacy.id: candidacy for candidacy in db.session.scalars(stmt).unique()}


def _bad_ids(error: CompareError, suggestion: list[int]) -> tuple[str, int]:
    return render_template(
        "compare/invalid.html",
        message=_error_messages()[error.code],
        suggestion=format_ids(suggestion) if len(suggestion) >= 2 else "",
        tray=current_tray(),
    ), 400


@bp.get("/compare")
def compare() -> tuple[str, int] | str:
    # Checkboxes (district chooser) send ids=1&ids=2; a shared link sends ids=1,2.
    raw = ",".join(request.args.getlist("ids"))
    try:
        ids = parse_ids(raw)
    except CompareError as error:
        return _bad_ids(error, list(error.ids))
    found = visible_candidacies(ids)
    if len(found) != len(ids):
        known = [i for i in ids if i in found]
        return _bad_ids(CompareError("unknown", "unknown", known), known)
    candidacies = [found[i] for i in ids]
    columns = candidate_columns(candidacies)
    return render_template(
        "compare/compare.html",
        candidacies=candidacies,
        rows=compare_rows(columns),
        labels=labels(),
        ids=format_ids(ids),
        same_district=len({c.district_id for c in candidacies}) == 1,
    )


# --- the tray -------------------------------------------------------------------------


# Cached per request in the WSGI environ: `g` outlives a request when an app context is
# already pushed (tests, CLI), and the tray must reflect this request's cookie.
_TRAY_IDS = "transparency.compare.tray_ids"
_TRAY_ROWS = "transparency.compare.tray_rows"
_NEXT = "transparency.compare.next"
_PAGE = "transparency.compare.page"


def current_tray() -> list[int]:
    if _TRAY_IDS not in request.environ:
        request.environ[_TRAY_IDS] = read_tray(request.cookies.get(TRAY_COOKIE))
    return request.environ[_TRAY_IDS]


def compare_page() -> dict[str, Any]:
    """What every compare_toggle form of a page shares, worked out once per request."""
    if _PAGE not in request.environ:
        request.environ[_PAGE] = {
            "tray": frozenset(current_tray()),
            "token": generate_csrf(),
            "next": current_path(),
            "add": _("Add to comparison"),
            "remove": _("Remove from comparison"),
            "add_url": url_for("compare.add", candidacy_id=0).removesuffix("0"),
            "remove_url": url_for("compare.remove", candidacy_id=0).removesuffix("0"),
        }
    return request.environ[_PAGE]


def tray_candidacies() -> list[Candidacy]:
    """The tray's candidacies, for the tray partial; one query, only when the tray is used."""
    ids = current_tray()
    if not ids:
        return []
    if _TRAY_ROWS not in request.environ:
        stmt = (
            select(Candidacy)
            .where(Candidacy.id.in_(ids), public_record())
            .options(joinedload(Candidacy.person), joinedload(Candidacy.party))
        )
        found = {c.id: c for c in db.session.scalars(stmt)}
        request.environ[_TRAY_ROWS] = [found[i] for i in ids if i in found]
    return request.environ[_TRAY_ROWS]


def _back(fallback: str) -> str:
    return safe_next(request.form.get("next"), fallback)


def _store(response: Response, ids: list[int]) -> Response:
    if ids:
        response.set_cookie(
            TRAY_COOKIE,
            format_ids(ids),
            max_age=TRAY_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    else:
        response.delete_cookie(TRAY_COOKIE)
    return response


def _candidacy_or_404(candidacy_id: int) -> Candidacy:
    candidacy = db.session.get(Candidacy, candidacy_id)
    if candidacy is None or not is_public_record(candidacy):
        abort(404)
    return candidacy


def _answer(candidacy_id: int, ids: list[int]) -> Response:
    """A redirect back for a plain form; for compare.js, the new button and tray as HTML,
    so the page changes in place (no reload, no jump to the top)."""
    if request.headers.get("X-Requested-With") != "fetch":
        return _store(redirect(_back(url_for("compare.tray"))), ids)
    request.environ[_TRAY_IDS] = ids
    request.environ.pop(_TRAY_ROWS, None)
    request.environ.pop(_PAGE, None)
    request.environ[_NEXT] = _back(url_for("compare.tray"))
    candidacy = db.session.get(Candidacy, candidacy_id)
    toggle = ""
    if candidacy is not None and is_public_record(candidacy):
        toggle = render_template_string(
            '{% from "macros.html" import compare_toggle %}{{ compare_toggle(c) }}', c=candidacy
        )
    added = candidacy_id in ids
    message = _("Added to the comparison.") if added else _("Removed from the comparison.")
    payload = {
        "id": candidacy_id,
        "in_tray": added,
        "count": len(ids),
        "toggle": toggle,
        "tray": render_template("compare/_tray.html"),
        "message": message,
    }
    return _store(jsonify(payload), ids)


@bp.post("/compare/add/<int:candidacy_id>")
def add(candidacy_id: int) -> Response:
    _candidacy_or_404(candidacy_id)
    return _answer(candidacy_id, tray_add(current_tray(), candidacy_id))


@bp.post("/compare/remove/<int:candidacy_id>")
def remove(candidacy_id: int) -> Response:
    return _answer(candidacy_id, tray_remove(current_tray(), candidacy_id))


@bp.post("/compare/clear")
def clear() -> Response:
    return _store(redirect(_back(url_for("compare.tray"))), [])


@bp.get("/compare/tray")
def tray() -> str:
    """The tray on a page of its own: where a no-JS add lands when it has nowhere to go back."""
    return render_template("compare/tray.html")


# --- choosing within a district -------------------------------------------------------


@bp.get("/compare/district/<int:district_id>")
def district(district_id: int) -> str:
    district_row = db.get_or_404(District, district_id)
    stmt = (
        select(Candidacy)
        .outerjoin(Candidacy.party)
        .where(Candidacy.district_id == district_row.id, listed())
        .options(joinedload(Candidacy.person), joinedload(Candidacy.party))
        .order_by(Candidacy.party_id.is_(None), Candidacy.ballot_number, Candidacy.id)
        .limit(MAX_DISTRICT_CANDIDATES)
    )
    candidacies = sorted(
        db.session.scalars(stmt),
        key=lambda c: (c.party.number if c.party else 10_000, c.ballot_number, c.id),
    )
    groups: dict[int | None, list[Candidacy]] = {}
    for candidacy in candidacies:
        groups.setdefault(candidacy.party_id, []).append(candidacy)
    chosen = set(current_tray())
    with_id = parse_int(request.args.get("with", ""), maximum=MAX_ROW_ID)
    if with_id is not None:
        chosen.add(with_id)
    return render_template(
        "compare/district.html",
        district=district_row,
        groups=list(groups.values()),
        chosen=chosen,
        max_compared=MAX_COMPARED,
    )


@bp.record_once
def register_template_helpers(state: BlueprintSetupState) -> None:
    # Globals, not a context processor: imported macros (compare_toggle) see only globals.
    state.app.jinja_env.globals.update(
        compare_tray_ids=current_tray,
        compare_page=compare_page,
        compare_tray=tray_candidacies,
        compare_max=MAX_COMPARED,
        compare_next=current_path,
        candidacy_path=candidacy_path,
        format_ids=format_ids,
        suggest_url=suggest_url,
    )


SUGGEST_PATH = "/api/v1/search/suggest"


def suggest_url() -> str:
    """The search-suggestion API when the app has one; empty keeps suggest.js idle."""
    adapter = current_app.url_map.bind("")
    try:
        adapter.match(SUGGEST_PATH, method="GET")
    except HTTPException:
        return ""
    return request.script_root + SUGGEST_PATH


def current_path() -> str:
    """Where a tray form sends the visitor back to: this page, with its query (for a form
    answered in place, the page it was sent from)."""
    return request.environ.get(_NEXT) or request.full_path.rstrip("?")


def candidacy_path(candidacy_id: int) -> str:
    """The profile's address, part of the stable public surface."""
    return f"{request.script_root}/candidates/{candidacy_id}"
