"""Names of the domain's codes in the visitor's language, for the public pages."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_babel import lazy_gettext as _l

from transparency.contributors import public_name

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


# One track-record item's kind (the headings above are plural).
TRACK_RECORD_KIND = {
    "education": _l("Education"),
    "career": _l("Career"),
    "organisation": _l("Organisation"),
    "public_office": _l("Public office"),
    "award": _l("Award"),
    "legal_case": _l("Legal case"),
    "wealth_report": _l("Wealth report"),
    "dynasty_tie": _l("Dynasty tie"),
    "business_tie": _l("Business tie"),
    "statement": _l("Statement"),
    "vote": _l("Vote"),
}

STAGES = {
    "DCS": _l("Provisional list (DCS)"),
    "DCT": _l("Final list (DCT)"),
    "elected": _l("Elected"),
    "cancelled": _l("Candidacy cancelled"),
    "withdrawn": _l("Withdrew from the candidate list"),
}

GENDERS = {"L": _l("Male"), "P": _l("Female")}

REPLY_AUTHORS = {"candidate": _l("The candidate"), "party": _l("The party")}

# Where a change came from, for the public history. Imports are the organisation's own work:
# no person is named for them.
ORGANISATION_ORIGINS = {
    "import": _l("Official list import"),
    "demo": _l("Official list import"),
    "reference": _l("Reference data"),
}

# Every recorded field of every revisioned model (transparency.models, Revisioned), in words;
# tests/test_history_labels.py fails on a field without one. By table where a name means
# something else in another table.
FIELD_LABELS = {
    "id": _l("Record number"),
    "person_id": _l("Person"),
    "candidacy_id": _l("Candidacy"),
    "full_name": _l("Full name"),
    "gender": _l("Gender"),
    "birth_date": _l("Date of birth"),
    "birth_place": _l("Place of birth"),
    "domicile": _l("Domicile"),
    "photo_url": _l("Photo"),
    "biography": _l("Biography"),
    "education": _l("Highest education"),
    "occupation": _l("Occupation"),
    "wikidata_id": _l("Wikidata item"),
    "source_id": _l("Source"),
    "sources_ids": _l("Sources"),
    "is_fictional": _l("Fictional (demo data)"),
    "hidden": _l("Hidden"),
    "election_id": _l("Election"),
    "office_id": _l("Office"),
    "district_id": _l("Electoral district"),
    "party_id": _l("Party"),
    "ballot_number": _l("Ballot number"),
    "stage": _l("Stage"),
    "external_id": _l("Number on the official list"),
    "kind": _l("Kind"),
    "text": _l("Statement"),
    "position": _l("Order"),
    "title": _l("Title"),
    "description": _l("Description"),
    "organisation": _l("Organisation"),
    "start_year": _l("From (year)"),
    "end_year": _l("Until (year)"),
    "legal_status": _l("Legal status"),
    "court_reference": _l("Court reference"),
    "amount": _l("Amount (Rp)"),
    "requirement": _l("Requirement"),
    "status": _l("Status"),
    "checked_at": _l("Checked on"),
    "respond_by": _l("Answer due by"),
    "note": _l("Note"),
    "sections": _l("CV sections"),
    "rule_id": _l("Flag replied to"),
    "author_kind": _l("Reply from"),
    "author_name": _l("Author"),
    "replied_on": _l("Date of the reply"),
    "recorded_by_id": _l("Recorded by"),
    "slug": _l("Short name in web addresses"),
    "name": _l("Name"),
    "short_name": _l("Short name"),
    "number": _l("Party number"),
    "country": _l("Country"),
    "held_on": _l("Election day"),
    "code": _l("Code"),
    "name_id": _l("Name in Indonesian"),
    "name_en": _l("Name in English"),
    "level": _l("Level"),
    "party_list": _l("Party lists"),
    "other_name": _l("Other name"),
    "parent_id": _l("Part of"),
    "region_id": _l("Region"),
    "province_id": _l("Province"),
    "seats": _l("Seats"),
}
TABLE_FIELD_LABELS = {
    "reply": {"text": _l("Reply")},
    "programme_statement": {"kind": _l("Kind of statement")},
    "track_record_item": {"kind": _l("Kind of item")},
}


def field_label(table: str, key: str) -> str:
    """A recorded field's name in the current language; the key itself if it has none."""
    found = TABLE_FIELD_LABELS.get(table, {}).get(key) or FIELD_LABELS.get(key)
    return str(found) if found is not None else key


def label_of(table: dict, code: str | None) -> str:
    """The code's name in the current language, or the code itself when it has none."""
    return str(table.get(code or "", code or ""))


def _lookup(table: dict) -> Callable[[str | None], str]:
    def label(code: str | None) -> str:
        return str(table.get(code or "", code or ""))

    return label


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        contributor_name=public_name,
        programme_kind_label=_lookup(PROGRAMME_KINDS),
        track_record_kind_label=_lookup(TRACK_RECORD_KINDS),
        legal_status_label=_lookup(LEGAL_STATUSES),
        revision_action_label=_lookup(REVISION_ACTIONS),
        revision_entity_label=_lookup(REVISION_ENTITIES),
    )
