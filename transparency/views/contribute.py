"""Volunteers: propose sourced changes and follow their submissions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from transparency.access import restrict
from transparency.auth_forms import keeps_input
from transparency.contrib.display import (
    KIND_LABELS,
    STATUS_LABELS,
    diff_rows,
    source_views,
)
from transparency.contrib.forms import (
    DISCLOSURE_REQUIREMENTS,
    CandidacyForm,
    DisclosureForm,
    PartyIdentifierForm,
    ProfileForm,
    ProgrammeForm,
    SubmissionForm,
    TrackRecordForm,
)
from transparency.contrib.submissions import (
    DEFAULT_SUBMISSIONS_PER_HOUR,
    RateLimited,
    SubmissionRefused,
    submit,
)
from transparency.contrib.tasks import TaskCounts, task_page
from transparency.disclosure.rulesets import ruleset_in_force
from transparency.extensions import db
from transparency.inputs import MAX_ROW_ID, parse_int
from transparency.labels import DISCLOSURE_ITEMS, label_of
from transparency.listing import CandidateFilters, parse_filters
from transparency.models import (
    Candidacy,
    Election,
    Office,
    Party,
    Role,
    Submission,
    SubmissionKind,
)
from transparency.net import client_address
from transparency.profiles.filters import filter_options
from transparency.visibility import is_public_record

bp = Blueprint("contribute", __name__, url_prefix="/contribute")
restrict(bp, Role.VOLUNTEER)

FORMS: dict[SubmissionKind, type[SubmissionForm]] = {
    SubmissionKind.PROFILE: ProfileForm,
    SubmissionKind.PROGRAMME: ProgrammeForm,
    SubmissionKind.TRACK_RECORD: TrackRecordForm,
    SubmissionKind.DISCLOSURE: DisclosureForm,
}


@bp.app_template_global()
def submission_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))  # type: ignore[call-overload]


@bp.app_template_global()
def party_label(party_id: int | None) -> str:
    party = db.session.get(Party, party_id) if party_id else None
    return f"{party.name} ({party.election.name})" if party else _("unknown party")


@bp.app_template_global()
def disclosure_item_label(item: str) -> str:
    return label_of(DISCLOSURE_ITEMS, item)


@bp.app_template_global()
def submission_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))  # type: ignore[call-overload]


@bp.get("/")
def index() -> str | Response:
    picked = request.args.get("candidacy", "").strip()
    if picked:
        number = parse_int(picked, maximum=MAX_ROW_ID)
        found = db.session.get(Candidacy, number) if number is not None else None
        if found is None or not is_public_record(found):
            flash(_("No candidacy with this number."), "error")
        else:
            return redirect(url_for("contribute.propose", candidacy_id=number, kind="profile"))
    mine = db.paginate(
        select(Submission)
        .where(Submission.submitter_id == current_user.id)
        .options(selectinload(Submission.candidacy).selectinload(Candidacy.person))
        .order_by(Submission.created_at.desc(), Submission.id.desc()),
        per_page=50,
        error_out=False,
    )
    return render_template("contribute/index.html", page=mine, kinds=list(FORMS))


def _public_candidacy(candidacy_id: int) -> Candidacy:
    candidacy = db.get_or_404(Candidacy, candidacy_id)
    if not is_public_record(candidacy):
        abort(404)
    return candidacy


def _send(
    form: SubmissionForm,
    kind: SubmissionKind,
    candidacy: Candidacy | None,
    target: dict[str, Any] | None = None,
) -> Response | None:
    """Submit; on a refusal put the message on the form (input kept) and return None.
    `target` names what a submission without a candidacy changes (a party)."""
    try:
        submission = submit(
            db.session,
            current_user._get_current_object(),
            kind,
            {**(target or {}), **form.payload()},  # type: ignore[attr-defined]
            form.source_rows(),
            candidacy=candidacy,
            note=form.note.data,
            address=client_address(),
            per_hour=current_app.config.get("SUBMISSIONS_PER_HOUR", DEFAULT_SUBMISSIONS_PER_HOUR),
        )
    except SubmissionRefused as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        if isinstance(error, RateLimited):
            form.rate_limited = True  # type: ignore[attr-defined]
        return None
    flash(_("Thank you! Your submission waits for a reviewer."), "success")
    return redirect(url_for("contribute.submission", submission_id=submission.id))


def _render(
    form: SubmissionForm,
    kind: SubmissionKind,
    candidacy: Candidacy | None,
    party: Party | None = None,
) -> tuple[str, int]:
    status = 429 if getattr(form, "rate_limited", False) else 200
    return render_template(
        "contribute/form.html", form=form, kind=kind, candidacy=candidacy, party=party
    ), status


@bp.route("/candidacies/<int:candidacy_id>/<kind>", methods=["GET", "POST"])
@keeps_input
def propose(candidacy_id: int, kind: str) -> Response | tuple[str, int]:
    try:
        submission_kind = SubmissionKind(kind)
        form_class = FORMS[submission_kind]
    except (ValueError, KeyError):
        abort(404)
    candidacy = _public_candidacy(candidacy_id)
    if request.method == "GET" and submission_kind == SubmissionKind.PROFILE:
        form = form_class(obj=candidacy.person)
    elif request.method == "GET" and submission_kind == SubmissionKind.DISCLOSURE:
        # From the task list: the requirement to check is chosen already.
        wanted = request.args.get("requirement", "")
        form = form_class(requirement=wanted) if wanted in DISCLOSURE_REQUIREMENTS else form_class()
    else:
        form = form_class()
    if form.validate_on_submit():
        sent = _send(form, submission_kind, candidacy)
        if sent is not None:
            return sent
    return _render(form, submission_kind, candidacy)


@bp.get("/tasks")
def tasks() -> str:
    """Candidacies whose required disclosure items nobody has checked yet, DPR first."""
    given = parse_filters(request.args)
    filters = CandidateFilters(
        election=given.election,
        office=given.office,
        province=given.province,
        district=given.district,
        party=given.party,
        page=given.page,
    )
    page = task_page(
        db.session,
        filters,
        ruleset_in_force(db.session),
        current_app.config["PER_PAGE"],
        current_app.extensions.setdefault("transparency.task-counts", TaskCounts()),
    )
    return render_template(
        "contribute/tasks.html",
        filters=filters,
        page=page,
        options=filter_options(db.session, filters),
    )


@bp.app_template_global()
def task_link(candidacy: Candidacy, outcome: Any) -> str | None:
    """The task list near this candidacy, for a logged-in user, when a required rule's item
    has no disclosure item row (not checked); None otherwise (anonymous readers see the
    neutral text only)."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    if not (outcome.applicable and outcome.rule.required):
        return None
    if any(item.requirement == outcome.rule.item for item in candidacy.disclosure_items):
        return None
    return url_for(
        "contribute.tasks",
        election=candidacy.election.slug,
        office=candidacy.office.code,
        district=candidacy.district.code,
        **({"party": candidacy.party.slug} if candidacy.party else {}),
    )


@bp.route("/parties/<int:party_id>/identifier", methods=["GET", "POST"])
@keeps_input
def party_identifier(party_id: int) -> Response | tuple[str, int]:
    """A party's Wikidata item, with its sources, like any other fact."""
    party = db.get_or_404(Party, party_id)
    form = PartyIdentifierForm(obj=party) if request.method == "GET" else PartyIdentifierForm()
    if form.validate_on_submit():
        sent = _send(form, SubmissionKind.PARTY, None, {"party_id": party.id})
        if sent is not None:
            return sent
    return _render(form, SubmissionKind.PARTY, None, party)


@bp.route("/new-candidacy", methods=["GET", "POST"])
@keeps_input
def new_candidacy() -> Response | tuple[str, int]:
    form = CandidacyForm()
    form.election.choices = [
        SelectChoice(e.id, e.name)
        for e in db.session.scalars(select(Election).order_by(Election.id))
    ]
    form.office.choices = [
        SelectChoice(
            o.id, f"{o.code} · {o.name_en if get_locale().language == 'en' else o.name_id}"
        )
        for o in db.session.scalars(select(Office).order_by(Office.position, Office.id))
    ]
    if form.validate_on_submit():
        sent = _send(form, SubmissionKind.CANDIDACY, None)
        if sent is not None:
            return sent
    return _render(form, SubmissionKind.CANDIDACY, None)


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int) -> str:
    item = db.get_or_404(Submission, submission_id)
    if item.submitter_id != current_user.id:
        abort(404)  # another volunteer's submission: as if it did not exist
    return render_template(
        "contribute/submission.html",
        submission=item,
        rows=diff_rows(db.session, item),
        sources=source_views(item),
    )
