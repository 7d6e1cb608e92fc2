"""A voter's own ballots: /find ("Surat suara saya") and the ballot page of a district."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from transparency import ballots as ballot_data
from transparency import finder
from transparency.errors import handle_filter_error, wants_json
from transparency.extensions import db
from transparency.inputs import ParameterError
from transparency.models import Election

bp = Blueprint("voter", __name__)

MAX_LISTED_CHOICES = 12  # a province's hundred kab/kota districts: ask for the place instead
AREA_CODE = re.compile(r"^(?:[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}|LN)$")


def _problems() -> dict[str, str]:
    return {
        "too_long": _(
            "That is longer than any place name: type at most %(n)s characters.",
            n=finder.MAX_QUERY,
        ),
        "control": _("The place name holds characters that cannot be part of a name."),
        "unknown": _("No kab/kota, kecamatan or desa of that name is known."),
        "not_within": _("No place of that name lies in %(place)s."),
        "bad_area": _("That place code is not a Kemendagri code."),
        "unknown_area": _("No place has that code."),
    }


# The four ballots of a 2024 voter, named as the ballot papers are, and their paper colours.
BALLOT_NAMES = {
    "DPR": _l("DPR RI (national parliament)"),
    "DPD": _l("DPD RI (regional representatives)"),
    "DPRD_PROVINSI": _l("DPRD provinsi (provincial assembly)"),
    "DPRD_KABKOTA": _l("DPRD kabupaten/kota (regency or city assembly)"),
}
BALLOT_COLOURS = {"DPR": "yellow", "DPD": "red", "DPRD_PROVINSI": "blue", "DPRD_KABKOTA": "green"}


def ballot_url(election: str, office: str, code: str) -> str:
    return url_for("voter.ballot", election=election, office=office.lower(), code=code)


def place_label(place: finder.Place, gazetteer: finder.Gazetteer | None = None) -> str:
    """A place as a voter reads it: "Kabupaten Karanganyar", "Kecamatan Jaten", ..."""
    name = gazetteer.label(place) if gazetteer else place.name
    if place.level == "kecamatan":
        return _("Kecamatan %(name)s", name=name)
    if place.level == "desa":
        return _("Desa/kelurahan %(name)s", name=name)
    if place.level == "province":
        return _("Province of %(name)s", name=name)
    if place.level == "abroad":
        return _("Abroad")
    return name


def place_context(place: finder.Place, gazetteer: finder.Gazetteer) -> str:
    """Where a place lies: "Kecamatan Jaten, Kabupaten Karanganyar, Jawa Tengah"."""
    return ", ".join(
        place_label(p, gazetteer) if p.level != "province" else p.name
        for p in gazetteer.chain(place)
    )


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.update(
        ballot_url=ballot_url,
        ballot_names=BALLOT_NAMES,
        ballot_colours=BALLOT_COLOURS,
        place_label=place_label,
        place_context=place_context,
    )


@bp.get("/find")
def find() -> tuple[str, int]:
    slug = current_app.config.get("FIND_ELECTION", "pemilu-2024")
    election = db.session.scalars(select(Election).filter_by(slug=slug)).one_or_none()
    if election is None:
        abort(404)
    gazetteer = finder.gazetteer_for(db.session, election)
    area = (request.args.get("area") or request.args.get("province") or "").strip()
    query = request.args.get("q", "")
    result = finder.Lookup(query=" ".join(query.split())[: finder.MAX_QUERY])
    if area:
        place = gazetteer.by_code.get(area) if AREA_CODE.match(area) else None
        result.place = place
        if place is None:
            result.problem = "unknown_area" if AREA_CODE.match(area) else "bad_area"
    elif query.strip():
        result = finder.lookup(gazetteer, query)
    answer = finder.ballots(gazetteer, result.place) if result.place else None
    shown = []
    if answer:
        for ballot in answer.ballots:
            if ballot.district:
                shown.append(ballot.district)
            elif len(ballot.choices) <= MAX_LISTED_CHOICES:
                shown.extend(ballot.choices)
    counts = ballot_data.district_counts(db.session, [d.id for d in shown])
    bad = result.problem in ("too_long", "control", "bad_area", "unknown_area")
    message = ""
    if result.problem:
        message = _problems()[result.problem]
        if result.problem == "not_within" and result.within:
            message = message % {"place": gazetteer.label(result.within)}
    return render_template(
        "voter/find.html",
        gazetteer=gazetteer,
        result=result,
        answer=answer,
        counts=counts,
        max_listed=MAX_LISTED_CHOICES,
        message=message,
        election=election,
        provinces=sorted(
            (p for p in gazetteer.places.values() if p.level == "province"), key=lambda p: p.name
        ),
    ), (400 if bad else 200)


@bp.errorhandler(ParameterError)
def refused_parameter(error: ParameterError) -> tuple[Response | str, int]:
    """A place name with a control character is refused before any view runs
    (transparency.inputs); /find still answers with its own page: the reason, and the
    places the name may have meant."""
    control = error.parameter == "q" and error.message == "contains control characters"
    if request.endpoint == "voter.find" and control and not wants_json():
        return find()
    return handle_filter_error(error)


@bp.get("/ballot/<election>/<office>/<code>")
def ballot(election: str, office: str, code: str) -> str:
    if len(election) > 64 or len(office) > 32 or len(code) > 32:
        abort(404)
    district = ballot_data.find_district(db.session, election, office, code)
    if district is None:
        abort(404)
    ballot_page = ballot_data.load_ballot(db.session, district)
    return render_template("voter/ballot.html", ballot=ballot_page)
