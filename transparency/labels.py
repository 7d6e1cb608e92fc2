"""Names of the domain's codes in the visitor's language, for the public pages."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_babel import lazy_gettext as _l

PROGRAMME_KINDS = {
    "vision": _l("Vision"),
    "mission": _l("Mission"),
    "programme": _l("Programme proposals"),
}

TRACK_RECORD_KINDS = {
    "education": _l("Education"),
    "career": _l("Career"),
    "organisation": _l("Organisations"),
    "public_office": _l("Public office"),
    "award": _l("Awards"),
    "legal_case": _l("Legal cases"),
    "wealth_report": _l("Wealth reports (LHKPN)"),
    "dynasty_tie": _l("Family ties in politics"),
    "business_tie": _l("Business ties"),
    "statement": _l("Statements"),
    "vote": _l("Votes"),
}

LEGAL_STATUSES = {
    "suspect": _l("Suspect"),
    "defendant": _l("Defendant"),
    "convicted": _l("Convicted"),
    "acquitted": _l("Acquitted"),
    "ex_convict": _l("Former convict"),
}

# The disclosure items the rules read (transparency.disclosure.rules.KNOWN_ITEMS).
DISCLOSURE_ITEMS = {
    "cv": _l("CV"),
    "programme": _l("Programme"),
    "criminal_record": _l("Criminal-record status"),
    "ex_convict_announcement": _l("Ex-convict announcement"),
    "lhkpn": _l("Wealth report (LHKPN)"),
    "photo": _l("Photo"),
    "identity": _l("Basic identity"),
}

DISCLOSURE_STATUSES = {
    "published": _l("Published"),
    "partial": _l("Partly published"),
    "refused": _l("Refused"),
    "not_found": _l("Not found"),
    "requested": _l("Requested"),
    "not_applicable": _l("Not applicable"),
}
# What the evaluator reads besides the stored statuses: a request past its window, no item.
DERIVED_DISCLOSURE_STATUSES = {
    "no_response": _l("No response"),
    "not_checked": _l("Not checked"),
}

REVISION_ACTIONS = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "hide": _l("Hidden"),
    "unhide": _l("Shown again"),
    "revert": _l("Reverted"),
    "delete": _l("Removed"),
}

REVISION_ENTITIES = {
    "person": _l("Identity"),
    "candidacy": _l("Candidacy"),
    "programme_statement": _l("Programme"),
    "track_record_item": _l("Track record"),
    "disclosure_item": _l("Disclosure"),
    "reply": _l("Reply"),
}


def label_of(table: dict, code: str | None) -> str:
    """The code's name in the current language, or the code itself when it has none."""
    return str(table.get(code or "", code or ""))


def _lookup(table: dict) -> Callable[[str | None], str]:
    def label(code: str | None) -> str:
        return str(table.get(code or "", code or ""))

    return label


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        programme_kind_label=_lookup(PROGRAMME_KINDS),
        track_record_kind_label=_lookup(TRACK_RECORD_KINDS),
        legal_status_label=_lookup(LEGAL_STATUSES),
        revision_action_label=_lookup(REVISION_ACTIONS),
        revision_entity_label=_lookup(REVISION_ENTITIES),
    )
