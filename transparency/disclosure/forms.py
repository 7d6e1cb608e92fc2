"""The reply form (right of reply)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional

from transparency.disclosure.rules import Ruleset
from transparency.inputs import StrictForm


class ReplyForm(StrictForm):
    rule_id = SelectField(_l("Rule replied to"), validators=[Optional()])
    author_kind = SelectField(
        _l("Reply from"),
        choices=[
            SelectChoice("candidate", _l("The candidate")),
            SelectChoice("party", _l("The party")),
        ],
        validators=[DataRequired()],
    )
    author_name = StringField(
        _l("Name of the author"), validators=[DataRequired(), Length(max=300)]
    )
    text = TextAreaField(_l("Reply"), validators=[DataRequired(), Length(max=20_000)])
    replied_on = DateField(_l("Date of the reply"), validators=[DataRequired()])
    source_url = URLField(
        _l("Source URL"), validators=[DataRequired(), URL(require_tld=True), Length(max=2000)]
    )
    source_title = StringField(_l("Source title"), validators=[DataRequired(), Length(max=500)])

    def set_rules(self, ruleset: Ruleset, language: str) -> None:
        self.rule_id.choices = [SelectChoice("", _l("The profile as a whole"))] + [
            SelectChoice(rule.id, f"{rule.id} · {rule.title.get(language)}")
            for rule in ruleset.rules
        ]
