"""Public pages for voters: no account needed.

Paging past the last page shows an empty state (200) with a link back to the first page;
a page number outside 1..100,000 or any unknown filter value is a 400 naming the parameter.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import get_locale

from transparency import labels, listing, profiles, visibility
from transparency.extensions import db
from transparency.listing import CandidateFilters, FilterError, parse_filters
from transparency.models import Office, Party
from transparency.search import rate_limited, search_candidacies

bp = Blueprint("public", __name__)


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    listing.init_app(state.app)
    labels.init_app(state.app)
    state.app.jinja_env.filters["display_name"] = profiles.display_name
    state.app.jinja_env.globals["office_name"] = office_name
    state.app.jinja_env.globals["left_the_list"] = visibility.has_left_the_list


def office_name(office: Office | None) -> str:
    """An office's name in the visitor's language."""
    if office is None:
        return ""
    return office.name_en if str(get_locale()) == "en" else office.name_id


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it whatever the page links: answer rather than log a 404 each time."""
    return current_app.send_static_file("favicon.ico")


@bp.get("/")
def index() -> str:
    return render_template(
        "public/index.html",
        figures=profiles.headline_figures(db.session),
        offices=profiles.listed_offices(db.session),
    )


def _list_filters(**fixed: str) -> CandidateFilters:
    args = request.args.to_dict()
    args.update(fixed)
    return parse_filters(args)


@bp.get("/candidates")
@rate_limited
def candidates() -> str:
    filters = _list_filters()
    if filters.q:
        return render_template("search/page.html", result=search_candidacies(filters))
    page = profiles.list_page(
        db.session, filters, profiles.page_index(current_app), current_app.config["PER_PAGE"]
    )
    return render_template(
        "public/candidates.html",
        filters=filters,
        page=page,
        options=profiles.filter_options(db.session, filters),
    )


@bp.get("/candidates/<int:candidacy_id>")
def candidate(candidacy_id: int) -> str:
    profile = profiles.load_profile(db.session, candidacy_id)
    if profile is None:
        abort(404)
    birth_date = profile.candidacy.person.birth_date
    return render_template(
        "public/candidate.html",
        profile=profile,
        candidacy=profile.candidacy,
        person=profile.candidacy.person,
        age=profiles.age_on(birth_date, date.today()),
    )


@bp.get("/candidates/<int:candidacy_id>/history")
def history(candidacy_id: int) -> str:
    profile = profiles.load_profile(db.session, candidacy_id)
    if profile is None:
        abort(404)
    page = parse_filters({"page": request.args.get("page", "")}).page
    return render_template(
        "public/history.html",
        candidacy=profile.candidacy,
        history=profiles.revision_history(db.session, profile.candidacy, page),
    )


@bp.get("/parties/<int:party_id>")
def party(party_id: int) -> str:
    row = db.get_or_404(Party, party_id)
    filters = _list_filters(party=row.slug, election=row.election.slug)
    page = profiles.list_page(
        db.session, filters, profiles.page_index(current_app), current_app.config["PER_PAGE"]
    )
    return render_template("public/party.html", party=row, filters=filters, page=page)


@bp.get("/districts/<code>")
def district(code: str) -> str:
    """Every district with this KPU code (codes are unique per election and office only);
    `?election=` and `?office=` narrow it to one."""
    try:
        filters = _list_filters(district=code)
    except FilterError as error:
        if error.parameter == "district":
            abort(404)
        raise
    districts = profiles.districts_with_code(
        db.session, filters.district, filters.election, filters.office
    )
    if not districts:
        abort(404)
    page = profiles.list_page(
        db.session, filters, profiles.page_index(current_app), current_app.config["PER_PAGE"]
    )
    return render_template(
        "public/district.html",
        code=filters.district,
        districts=districts,
        filters=filters,
        page=page,
    )
