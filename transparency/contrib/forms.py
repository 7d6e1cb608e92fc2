"""The volunteers' forms: one per kind of submission, each with at least one source."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from transparency.inputs import StrictForm, StrictIntegerField, strict_int
from transparency.labels import DISCLOSURE_STATUSES
from transparency.models import LegalStatus, ProgrammeKind, TrackRecordKind
from transparency.models.elections import WIKIDATA_ID

DISCLOSURE_REQUIREMENTS = (
    "cv",
    "programme",
    "criminal_record",
    "ex_convict_announcement",
    "lhkpn",
    "photo",
)
REQUIREMENT_LABELS = {
    "cv": _l("CV (daftar riwayat hidup)"),
    "programme": _l("Programme (visi-misi)"),
    "criminal_record": _l("Criminal record statement"),
    "ex_convict_announcement": _l("Ex-convict announcement"),
    "lhkpn": _l("Wealth report (LHKPN)"),
    "photo": _l("Photo"),
}
# A request is recorded with its window and addressee (the request records), not here.
DISCLOSURE_LABELS = {k: v for k, v in DISCLOSURE_STATUSES.items() if k != "requested"}
PROGRAMME_LABELS = {
    ProgrammeKind.VISION: _l("Vision"),
    ProgrammeKind.MISSION: _l("Mission"),
    ProgrammeKind.PROGRAMME: _l("Programme proposal"),
}
TRACK_RECORD_LABELS = {
    TrackRecordKind.EDUCATION: _l("Education"),
    TrackRecordKind.CAREER: _l("Career"),
    TrackRecordKind.ORGANISATION: _l("Organisation"),
    TrackRecordKind.PUBLIC_OFFICE: _l("Public office"),
    TrackRecordKind.AWARD: _l("Award"),
    TrackRecordKind.LEGAL_CASE: _l("Legal case"),
    TrackRecordKind.WEALTH_REPORT: _l("Wealth report"),
    TrackRecordKind.DYNASTY_TIE: _l("Dynasty tie"),
    TrackRecordKind.BUSINESS_TIE: _l("Business tie"),
    TrackRecordKind.STATEMENT: _l("Statement"),
    TrackRecordKind.VOTE: _l("Vote"),
}
LEGAL_LABELS = {
    LegalStatus.SUSPECT: _l("Suspect"),
    LegalStatus.DEFENDANT: _l("Defendant"),
    LegalStatus.CONVICTED: _l("Convicted"),
    LegalStatus.ACQUITTED: _l("Acquitted"),
    LegalStatus.EX_CONVICT: _l("Ex-convict"),
}
# Statuses that call someone a criminal: a court reference and two reviewers.
GRAVE_LEGAL_STATUSES = frozenset({LegalStatus.CONVICTED, LegalStatus.EX_CONVICT})


def web_url(_form: Any, field: Any) -> None:
    """http or https, with a host; nothing a browser would run or resolve elsewhere."""
    value = (field.data or "").strip()
    field.data = value
    if not value:
        return
    parts = urlsplit(value)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value)
        or "\\" in value
    ):
        raise ValidationError(_l("Give a web address starting with http:// or https://."))


def wikidata_id(_form: Any, field: Any) -> None:
    """Q and a number, as Wikidata writes its item ids (Q1234, never Q0 or Q012)."""
    value = (field.data or "").strip()
    field.data = value
    if value and not WIKIDATA_ID.fullmatch(value):
        raise ValidationError(_l("Give a Wikidata item id: Q followed by its number, e.g. Q42."))


class SourceForm(Form):
    url = StringField(_l("Source address (URL)"), validators=[Length(max=2000), web_url])
    title = StringField(_l("Source title"), validators=[Length(max=500)])
    accessed_on = DateField(_l("Date accessed"), validators=[Optional()])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.url.data or self.title.data:
            if not self.url.data:
                self.url.errors = [*self.url.errors, _l("Give the source's address.")]
                ok = False
            if not (self.title.data or "").strip():
                self.title.errors = [*self.title.errors, _l("Give the source's title.")]
                ok = False
            if self.accessed_on.data is None and not self.accessed_on.errors:
                self.accessed_on.errors = [_l("Give the date you read the source.")]
                ok = False
            elif self.accessed_on.data and self.accessed_on.data > date.today():
                self.accessed_on.errors = [_l("The date accessed cannot be in the future.")]
                ok = False
        return ok


class SubmissionForm(StrictForm):
    sources = FieldList(FormField(SourceForm), min_entries=2, max_entries=3)
    note = TextAreaField(
        _l("Note for the reviewers (optional)"), validators=[Optional(), Length(max=2000)]
    )

    def validate_sources(self, field: FieldList) -> None:
        if not any(entry.form.url.data for entry in field.entries):
            raise ValidationError(_l("Give at least one source."))

    def source_messages(self) -> list[str]:
        return [str(e) for e in self.sources.errors if not isinstance(e, list | dict)]

    def source_rows(self) -> list[dict[str, str]]:
        return [
            {
                "url": entry.form.url.data,
                "title": entry.form.title.data.strip(),
                "accessed_on": entry.form.accessed_on.data.isoformat(),
            }
            for entry in self.sources.entries
            if entry.form.url.data
        ]


def _choices(labels: dict[Any, Any], blank: Any = None) -> list[SelectChoice]:
    rows = [SelectChoice(str(key), label) for key, label in labels.items()]
    return [SelectChoice("", blank), *rows] if blank is not None else rows


PROFILE_FIELDS = {
    "wikidata_id": 16,
    "birth_place": 200,
    "domicile": 300,
    "occupation": 300,
    "education": 2000,
    "biography": 5000,
}


class ProfileForm(SubmissionForm):
    wikidata_id = StringField(
        _l("Wikidata item (e.g. Q42)"), validators=[Optional(), Length(max=16), wikidata_id]
    )
    birth_place = StringField(_l("Place of birth"), validators=[Optional(), Length(max=200)])
    domicile = StringField(_l("Domicile"), validators=[Optional(), Length(max=300)])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=300)])
    education = TextAreaField(_l("Highest education"), validators=[Optional(), Length(max=2000)])
    biography = TextAreaField(_l("Biography"), validators=[Optional(), Length(max=5000)])

    def payload(self) -> dict[str, Any]:
        return {key: (self[key].data or "").strip() or None for key in PROFILE_FIELDS}


class ProgrammeForm(SubmissionForm):
    kind = SelectField(_l("Kind"), choices=_choices(PROGRAMME_LABELS))
    text = TextAreaField(_l("Statement"), validators=[DataRequired(), Length(max=5000)])

    def payload(self) -> dict[str, Any]:
        return {"kind": self.kind.data, "text": self.text.data.strip()}


class TrackRecordForm(SubmissionForm):
    kind = SelectField(_l("Kind"), choices=_choices(TRACK_RECORD_LABELS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    start_year = StrictIntegerField(
        _l("From (year)"), validators=[Optional(), NumberRange(min=1900, max=2100)]
    )
    end_year = StrictIntegerField(
        _l("Until (year)"), validators=[Optional(), NumberRange(min=1900, max=2100)]
    )
    legal_status = SelectField(
        _l("Legal status (legal cases)"), choices=_choices(LEGAL_LABELS, blank="—"), default=""
    )
    court_reference = StringField(
        _l("Court reference (case number)"), validators=[Optional(), Length(max=300)]
    )

    def validate_legal_status(self, field: SelectField) -> None:
        if self.kind.data == TrackRecordKind.LEGAL_CASE and not field.data:
            raise ValidationError(_l("A legal case needs its legal status."))
        if field.data and self.kind.data != TrackRecordKind.LEGAL_CASE:
            raise ValidationError(_l("Only legal cases have a legal status."))
        # Checked here: an empty court reference stops its own field's validation chain.
        if field.data in GRAVE_LEGAL_STATUSES and not (self.court_reference.data or "").strip():
            self.court_reference.errors = [
                *self.court_reference.errors,
                _l("A conviction needs the court reference (the case number of the ruling)."),
            ]
            raise ValidationError(_l("A conviction needs the court reference."))

    def validate_end_year(self, field: StrictIntegerField) -> None:
        if field.data and self.start_year.data and field.data < self.start_year.data:
            raise ValidationError(_l("The end year is before the start year."))

    def payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind.data,
            "title": self.title.data.strip(),
            "description": (self.description.data or "").strip() or None,
            "organisation": (self.organisation.data or "").strip() or None,
            "start_year": self.start_year.data,
            "end_year": self.end_year.data,
            "legal_status": self.legal_status.data or None,
            "court_reference": (self.court_reference.data or "").strip() or None,
        }


class DisclosureForm(SubmissionForm):
    requirement = SelectField(_l("Requirement"), choices=_choices(REQUIREMENT_LABELS))
    status = SelectField(_l("Status"), choices=_choices(DISCLOSURE_LABELS))
    checked_at = DateField(_l("Checked on"), validators=[DataRequired()])

    def validate_checked_at(self, field: DateField) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date cannot be in the future."))

    def validate_status(self, field: SelectField) -> None:
        # A refusal or a not-found item can ground a flag: it needs the source where it was
        # established (validate_sources) and the date (checked_at, required); say so plainly.
        if field.data in ("refused", "not_found") and not any(
            entry.form.url.data for entry in self.sources.entries
        ):
            raise ValidationError(
                _l("A refusal or a not-found item needs the source where it was established.")
            )

    def payload(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement.data,
            "status": self.status.data,
            "checked_at": self.checked_at.data.isoformat(),
        }


class PartyIdentifierForm(SubmissionForm):
    wikidata_id = StringField(
        _l("Wikidata item (e.g. Q42)"), validators=[DataRequired(), Length(max=16), wikidata_id]
    )

    def payload(self) -> dict[str, Any]:
        return {"wikidata_id": self.wikidata_id.data}


class CandidacyForm(SubmissionForm):
    full_name = StringField(
        _l("Full name, as on the official list"), validators=[DataRequired(), Length(max=300)]
    )
    gender = SelectField(
        _l("Gender"),
        choices=_choices({"L": _l("Male (L)"), "P": _l("Female (P)")}, blank="—"),
        default="",
    )
    birth_place = StringField(_l("Place of birth"), validators=[Optional(), Length(max=200)])
    election = SelectField(_l("Election"), coerce=strict_int, validate_choice=True)
    office = SelectField(_l("Office"), coerce=strict_int, validate_choice=True)
    district_code = StringField(
        _l("Electoral district code"), validators=[DataRequired(), Length(max=32)]
    )
    party_number = StrictIntegerField(
        _l("Party number (empty for DPD)"), validators=[Optional(), NumberRange(min=1, max=99)]
    )
    ballot_number = StrictIntegerField(
        # InputRequired, not DataRequired: "١" is given but not a number, and says so.
        _l("Ballot number"),
        validators=[InputRequired(), NumberRange(min=1, max=999)],
    )

    def payload(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name.data.strip(),
            "gender": self.gender.data or None,
            "birth_place": (self.birth_place.data or "").strip() or None,
            "election_id": self.election.data,
            "office_id": self.office.data,
            "district_code": self.district_code.data.strip(),
            "party_number": self.party_number.data,
            "ballot_number": self.ballot_number.data,
        }


class DecisionForm(StrictForm):
    reason = TextAreaField(
        _l("Reason (shown to the volunteer)"), validators=[DataRequired(), Length(max=2000)]
    )


class RevertForm(StrictForm):
    reason = TextAreaField(
        _l("Why revert this change?"), validators=[DataRequired(), Length(max=2000)]
    )
