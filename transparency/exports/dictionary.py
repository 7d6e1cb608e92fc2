"""The data dictionary of the candidate files: each column's header and meaning, translated.

CSV and JSON keep the codes (`candidacy_id`, `status_cv`) as their header, the same in every
language, for scripts; Excel shows these headers in the visitor's language and lists the codes
beside them on its `dictionary` sheet. docs/exports.md holds the same table.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from transparency.exports.rows import column_kind

HEADERS = {
    "candidacy_id": _l("Candidacy id"),
    "profile_url": _l("Profile"),
    "name": _l("Name"),
    "person_wikidata_id": _l("Person on Wikidata"),
    "gender": _l("Gender"),
    "election": _l("Election"),
    "office": _l("Office (code)"),
    "office_name_id": _l("Office (Indonesian)"),
    "office_name_en": _l("Office (English)"),
    "province": _l("Province (code)"),
    "province_name": _l("Province"),
    "district_code": _l("Electoral district (code)"),
    "district_name": _l("Electoral district"),
    "party": _l("Party (code)"),
    "party_name": _l("Party"),
    "party_wikidata_id": _l("Party on Wikidata"),
    "ballot_number": _l("Ballot number"),
    "disclosure_score": _l("Disclosure score"),
    "flagged": _l("Flagged"),
    "flag_rule_ids": _l("Flagging rules"),
    "flag_reasons_id": _l("Flag reasons (Indonesian)"),
    "flag_reasons_en": _l("Flag reasons (English)"),
    "ruleset_version": _l("Ruleset version"),
    "flagged_since": _l("Flagged since (UTC)"),
    "source_urls": _l("Sources"),
    "last_change": _l("Last change (UTC)"),
    "cv_sections_withheld": _l("CV sections withheld"),
}
MEANINGS = {
    "candidacy_id": _l(
        "Our id of the candidacy: a person standing in one election, for one "
        "office, in one district, for one party."
    ),
    "profile_url": _l("The public profile page of the candidacy."),
    "name": _l("Full name as on the official list."),
    "person_wikidata_id": _l(
        "The person's Wikidata item (Q...), where a volunteer gave it "
        "with a source; empty otherwise."
    ),
    "gender": _l("L or P, as the election commission records it."),
    "election": _l("The election, e.g. pemilu-2024."),
    "office": _l("The office stood for: DPR, DPD, DPRD_PROVINSI, DPRD_KABKOTA, ..."),
    "office_name_id": _l("The office's name in Bahasa Indonesia."),
    "office_name_en": _l("The office's name in English."),
    "province": _l("Kemendagri code of the district's province, e.g. 33."),
    "province_name": _l("The province's name."),
    "district_code": _l("KPU code of the electoral district (dapil), e.g. 3304."),
    "district_name": _l("The electoral district's name, e.g. JAWA TENGAH IV."),
    "party": _l("The party's code, e.g. pkb; empty for DPD candidates."),
    "party_name": _l("The party's full name; empty for DPD candidates."),
    "party_wikidata_id": _l("The party's Wikidata item (Q...), where known."),
    "ballot_number": _l("Number on the ballot paper (nomor urut)."),
    "disclosure_score": _l("0 to 100 under the rules in force; empty when not evaluated."),
    "flagged": _l("True when a required disclosure is refused, or missing after its deadline."),
    "flag_rule_ids": _l("Ids of the rules that flag, separated by ' | '."),
    "flag_reasons_id": _l(
        "The reasons as shown on the site, in Bahasa Indonesia, separated by ' | '."
    ),
    "flag_reasons_en": _l("The same reasons in English, separated by ' | '."),
    "ruleset_version": _l("Version of the disclosure rules that gave the score and flags."),
    "flagged_since": _l("When the candidacy was first flagged; empty if not flagged."),
    "source_urls": _l(
        "Sources of the candidacy, the person, each disclosure item and each "
        "flag, separated by ' | '."
    ),
    "last_change": _l("The latest change to the candidacy, the person or a disclosure item."),
    "cv_sections_withheld": _l(
        "The CV sections the candidate's consent on the commission's portal (Bersedia "
        "Sebagian) leaves out, separated by ' | ', in the commission's words (datadiri, alamat, "
        "pekerjaan, hukum, pasangan, pendidikan, riwayatpekerjaan, kursus, organisasi, "
        "penghargaan, motivasi, program); empty when no sections are recorded."
    ),
}
KINDS = {
    "integer": _l("whole number"),
    "url": _l("web address"),
    "boolean": _l("true or false"),
    "list": _l("list"),
    "date": _l("date"),
    "datetime": _l("date and time (UTC)"),
    "text": _l("text"),
}


def header(column: str, requirement_label: str | None = None) -> str:
    """The column's header in the current language."""
    if column.startswith("status_"):
        return _("Status: %(item)s", item=requirement_label or column[7:])
    if column.startswith("checked_at_"):
        return _("Checked on: %(item)s", item=requirement_label or column[11:])
    return str(HEADERS.get(column, column))


def meaning(column: str) -> str:
    if column.startswith("status_"):
        return _(
            "Status of this disclosure requirement: published, partial, refused, not_found "
            "(looked for at a source on a date, not there), requested (a request was sent, its "
            "window still open), no_response (its window ended unanswered), not_applicable, or "
            "empty when not checked."
        )
    if column.startswith("checked_at_"):
        return _("When that status was last checked.")
    return str(MEANINGS.get(column, ""))


def requirement_of(column: str) -> str | None:
    for prefix in ("status_", "checked_at_"):
        if column.startswith(prefix):
            return column[len(prefix) :]
    return None


def headers(columns: Sequence[str], requirement_labels: dict[str, str]) -> list[str]:
    return [header(c, requirement_labels.get(requirement_of(c) or "")) for c in columns]


def dictionary_rows(columns: Sequence[str], requirement_labels: dict[str, str]) -> list[list[str]]:
    """One row per column: its header here, its code in CSV and JSON, its kind, its meaning."""
    return [
        [
            header(column, requirement_labels.get(requirement_of(column) or "")),
            column,
            str(KINDS[column_kind(column)]),
            meaning(column),
        ]
        for column in columns
    ]


def dictionary_header() -> list[str]:
    return [_("Header"), _("Code (CSV and JSON)"), _("Kind"), _("Meaning")]
