"""Reviewers: disclosure requests (record one or in bulk, list, mark answered) and their
one-time answer links (issue, revoke). Staff only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from transparency.access import restrict
from transparency.auth_forms import keeps_input
from transparency.extensions import db
from transparency.i18n import long_date
from transparency.inputs import MAX_ROW_ID, parse_int
from transparency.models import (
    AnswerLink,
    Candidacy,
    DisclosureRequest,
    District,
    Election,
    Office,
    Party,
    RequestStatus,
    Role,
    Submission,
)
from transparency.models.base import utcnow
from transparency.requests import links
from transparency.requests.forms import (
    CHANNEL_LABELS,
    AnsweredForm,
    LinkForm,
    RequestForm,
)
from transparency.requests.recording import (
    RequestInput,
    RequestRefused,
    default_window_days,
    mark_answered,
    party_candidacies,
    record_requests,
)
from transparency.visibility import public_record

bp = Blueprint("requests", __name__, url_prefix="/review/requests")
restrict(bp, Role.REVIEWER)

FILTERS = ("open", "past", "answered")


@bp.get("/")
def index() -> str:
    status = request.args.get("status", "")
    if status and status not in FILTERS:
        abort(400, _("Unknown request status."))
    query = (
        select(DisclosureRequest)
        .options(
            selectinload(DisclosureRequest.candidacy).selectinload(Candidacy.person),
            selectinload(DisclosureRequest.candidacy).selectinload(Candidacy.party),
        )
        .order_by(DisclosureRequest.sent_on.desc(), DisclosureRequest.id.desc())
    )
    today = utcnow().date()
    if status == "answered":
        query = query.where(DisclosureRequest.status == RequestStatus.ANSWERED)
    elif status == "open":
        query = query.where(
            DisclosureRequest.status == RequestStatus.OPEN,
            DisclosureRequest.respond_by >= today,
        )
    elif status == "past":
        query = query.where(
            DisclosureRequest.status == RequestStatus.OPEN,
            DisclosureRequest.respond_by < today,
        )
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template(
        "requests/index.html", page=page, status=status, today=today, channels=CHANNEL_LABELS
    )


def _choices(form: RequestForm) -> None:
    language = str(get_locale())
    parties = db.session.execute(
        select(Party.id, Party.number, Party.name, Election.name)
        .join(Election, Party.election_id == Election.id)
        .order_by(Election.held_on.desc(), Party.number)
    ).all()
    form.party_id.choices = [SelectChoice("", _("Choose a party"))] + [
        SelectChoice(str(pid), f"{number}. {name} ({election})")
        for pid, number, name, election in parties
    ]
    offices = db.session.execute(
        select(Office.code, Office.name_id, Office.name_en).order_by(Office.position)
    ).all()
    form.office.choices = [SelectChoice("", _("Any office"))] + [
        SelectChoice(code, name_en if language == "en" else name_id)
        for code, name_id, name_en in offices
    ]


def _targets(form: RequestForm) -> list[Candidacy]:
    """The candidacies the form names; RequestRefused with the reason when it names none."""
    scope = form.scope.data
    if scope == "candidacy":
        if not form.candidacy_id.data:
            raise RequestRefused(_("Give the candidacy number."))
        if form.candidacy_id.data > MAX_ROW_ID:  # no row has it; PostgreSQL cannot compare it
            raise RequestRefused(_("No candidacy with this number."))
        candidacy = db.session.scalars(
            select(Candidacy).where(Candidacy.id == form.candidacy_id.data, public_record())
        ).first()
        if candidacy is None:
            raise RequestRefused(_("No candidacy with this number."))
        return [candidacy]
    party = db.session.get(Party, int(form.party_id.data)) if form.party_id.data else None
    if party is None:
        raise RequestRefused(_("Choose the party."))
    if scope == "election":
        return party_candidacies(db.session, party.id)
    code = (form.district_code.data or "").strip()
    if not code:
        raise RequestRefused(_("Give the electoral district code."))
    query = select(District).where(District.election_id == party.election_id, District.code == code)
    if form.office.data:
        query = query.join(Office, District.office_id == Office.id).where(
            Office.code == form.office.data
        )
    districts = list(db.session.scalars(query.limit(2)))
    if not districts:
        raise RequestRefused(_("No electoral district with this code in the party's election."))
    if len(districts) > 1:
        raise RequestRefused(_("Several districts have this code: choose the office."))
    return party_candidacies(db.session, party.id, district_id=districts[0].id)


@bp.route("/new", methods=["GET", "POST"])
@keeps_input
def new() -> Response | str | tuple[str, int]:
    form = RequestForm()
    _choices(form)
    if request.method == "GET":
        form.window_days.data = default_window_days(db.session)
        form.sent_on.data = utcnow().date()
        candidacy = parse_int(request.args.get("candidacy", "").strip(), maximum=MAX_ROW_ID)
        if candidacy is not None:  # the profile's link; anything else leaves the field empty
            form.scope.data = "candidacy"
            form.candidacy_id.data = candidacy
        return render_template("requests/new.html", form=form)
    if not form.validate_on_submit():
        return render_template("requests/new.html", form=form), 400
    try:
        made = record_requests(
            db.session,
            _targets(form),
            RequestInput(
                sent_on=form.sent_on.data,
                channel=form.channel.data,
                addressee=form.addressee.data,
                source_url=form.source_url.data,
                source_title=form.source_title.data or "",
                window_days=form.window_days.data,
            ),
            current_user._get_current_object(),
        )
    except RequestRefused as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return render_template("requests/new.html", form=form), 400
    flash(
        _(
            "Request recorded for %(n)d candidacies. Their requested items read as requested "
            "until %(date)s.",
            n=len(made),
            date=long_date(made[0].respond_by),
        ),
        "success",
    )
    if len(made) == 1:
        return redirect(url_for("requests.detail", request_id=made[0].id))
    return redirect(url_for("requests.index", status="open"))


def _show(item: DisclosureRequest, token: str | None = None, status: int = 200) -> tuple[str, int]:
    now = utcnow()
    answer_url = url_for("answers.answer", token=token, _external=True) if token else None
    return render_template(
        "requests/detail.html",
        item=item,
        link_states=[(link, links.state(link, now)) for link in item.links],
        answer_url=answer_url,
        link_form=LinkForm(formdata=None),
        answered_form=AnsweredForm(formdata=None),
        channels=CHANNEL_LABELS,
        today=now.date(),
        submissions=list(
            db.session.scalars(
                select(Submission)
                .where(Submission.disclosure_request_id == item.id)
                .order_by(Submission.id)
            )
        ),
    ), status


@bp.get("/<int:request_id>")
def detail(request_id: int) -> tuple[str, int]:
    return _show(db.get_or_404(DisclosureRequest, request_id))


@bp.post("/<int:request_id>/links")
def issue_link(request_id: int) -> tuple[str, int] | Response:
    item = db.get_or_404(DisclosureRequest, request_id)
    if not LinkForm().validate_on_submit():
        abort(400, _("The form's security token is missing or expired. Send the form again."))
    if item.status == RequestStatus.ANSWERED:
        flash(_("This request already has its answer."), "error")
        return redirect(url_for("requests.detail", request_id=item.id))
    _link, token = links.issue(db.session, item, current_user._get_current_object())
    # The token is shown this once: only its hash is kept.
    return _show(item, token=token)


@bp.post("/<int:request_id>/links/<int:link_id>/revoke")
def revoke_link(request_id: int, link_id: int) -> Response:
    link = db.get_or_404(AnswerLink, link_id)
    if link.request_id != request_id:
        abort(404)
    if not LinkForm().validate_on_submit():
        abort(400, _("The form's security token is missing or expired. Send the form again."))
    links.revoke(link, current_user._get_current_object())
    flash(_("Link withdrawn: it no longer opens the answer form."), "success")
    return redirect(url_for("requests.detail", request_id=request_id))


@bp.post("/<int:request_id>/answered")
def answered(request_id: int) -> Response | tuple[str, int]:
    item = db.get_or_404(DisclosureRequest, request_id)
    form = AnsweredForm()
    if not form.validate_on_submit():
        flash(_("Give the date of the answer."), "error")
        return _show(item, status=400)
    try:
        mark_answered(item, form.answered_on.data)
    except RequestRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return _show(item, status=409)
    flash(_("The request is recorded as answered."), "success")
    return redirect(url_for("requests.detail", request_id=item.id))
