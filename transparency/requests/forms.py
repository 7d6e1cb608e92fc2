"""Forms of disclosure requests: recording one (staff), marking it answered (staff), and the
candidate's answer through a link (public, CSRF as every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from transparency.inputs import StrictForm, StrictIntegerField
from transparency.models import RequestChannel
from transparency.requests.recording import MAX_WINDOW_DAYS, MIN_WINDOW_DAYS

CHANNEL_LABELS = {
    RequestChannel.LETTER: _l("Letter"),
    RequestChannel.EMAIL: _l("E-mail"),
    RequestChannel.WHATSAPP: _l("WhatsApp"),
    RequestChannel.IN_PERSON: _l("In person"),
}
SCOPE_LABELS = {
    "candidacy": _l("One candidacy"),
    "district": _l("Every candidacy of a party in an electoral district"),
    "election": _l("Every candidacy of a party in an election"),
}


class RequestForm(StrictForm):
    scope = SelectField(
        _l("Sent to"),
        choices=[SelectChoice(key, label) for key, label in SCOPE_LABELS.items()],
        validators=[DataRequired()],
    )
    candidacy_id = StrictIntegerField(
        _l("Candidacy number"),
        description=_l("The number in the profile's address: /candidates/<number>."),
        validators=[Optional(), NumberRange(min=1)],
    )
    party_id = SelectField(_l("Party"), validators=[Optional()], coerce=str)
    office = SelectField(_l("Office"), validators=[Optional()], coerce=str)
    district_code = StringField(
        _l("Electoral district code"),
        description=_l("The KPU code of the district (dapil), e.g. 3304."),
        validators=[Optional(), Length(max=16)],
    )
    sent_on = DateField(_l("Date sent"), validators=[InputRequired()])
    channel = SelectField(
        _l("Channel"),
        choices=[SelectChoice(key.value, label) for key, label in CHANNEL_LABELS.items()],
        validators=[DataRequired()],
    )
    addressee = StringField(
        _l("Addressee"),
        description=_l("The candidate, or the party liaison the request went to."),
        validators=[DataRequired(_l("Name the addressee of the request.")), Length(max=300)],
    )
    source_url = URLField(
        _l("Source"),
        description=_l("A link to the copy of the request or the published letter."),
        validators=[
            DataRequired(_l("Give the source: a link to the copy or the published letter.")),
            URL(require_tld=True),
            Length(max=2000),
        ],
    )
    source_title = StringField(_l("Source title"), validators=[Optional(), Length(max=500)])
    window_days = StrictIntegerField(
        _l("Response window (days)"),
        validators=[
            InputRequired(),
            NumberRange(
                min=MIN_WINDOW_DAYS,
                max=MAX_WINDOW_DAYS,
                message=_l("The response window must be between 1 and 365 days."),
            ),
        ],
    )


class AnsweredForm(StrictForm):
    answered_on = DateField(_l("Answered on"), validators=[InputRequired()])


class LinkForm(StrictForm):
    """Issuing or revoking a link: the CSRF token is all it carries."""


class AnswerForm(StrictForm):
    author_kind = SelectField(
        _l("Who answers"),
        choices=[
            SelectChoice("candidate", _l("The candidate")),
            SelectChoice("party", _l("The party")),
        ],
        validators=[DataRequired()],
    )
    author_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=300)])
    cv = URLField(
        _l("Link to the CV"),
        validators=[Optional(), URL(require_tld=True), Length(max=2000)],
    )
    lhkpn = URLField(
        _l("Link to the LHKPN filing"),
        validators=[Optional(), URL(require_tld=True), Length(max=2000)],
    )
    programme = URLField(
        _l("Link to the programme"),
        validators=[Optional(), URL(require_tld=True), Length(max=2000)],
    )
    refused = BooleanField(_l("I do not disclose the data that is still requested"))
    refusal_reason = TextAreaField(
        _l("Why not (when you refuse)"), validators=[Optional(), Length(max=5000)]
    )
    reply_text = TextAreaField(
        _l("Your reply (hak jawab)"),
        description=_l("Shown beside the profile's disclosure once a reviewer approves it."),
        validators=[Optional(), Length(max=20_000)],
    )
