"""How the official list's values become ours: disclosure statuses and notes, person fields."""

from __future__ import annotations

from typing import Any

from transparency.importer.validation import Row
from transparency.models import DisclosureStatus

CV = {
    "bersedia": DisclosureStatus.PUBLISHED,
    "sebagian": DisclosureStatus.PARTIAL,
    "tidak_bersedia": DisclosureStatus.REFUSED,
    # The commission's JSON: an empty profile, no CV on its portal; never worded as a refusal.
    "not_published": DisclosureStatus.NOT_FOUND,
}
# Both criminal statuses are disclosures: the candidate declared the status, as the law
# requires; the note says what was declared, in the words of the list.
CRIMINAL_NOTES = {
    "bukan": "Menyatakan bukan mantan terpidana (daftar calon resmi)",
    "mantan_terpidana": "Mengumumkan diri sebagai mantan terpidana (daftar calon resmi)",
}
# "not_filed" says no LHKPN filing is on the list, not that publication was refused.
LHKPN = {
    "filed": (DisclosureStatus.PUBLISHED, None),
    "not_filed": (
        DisclosureStatus.NOT_FOUND,
        "Tanda terima LHKPN tidak tercantum di daftar calon resmi",
    ),
    "not_required": (DisclosureStatus.NOT_APPLICABLE, None),
}
REQUIREMENTS = ("cv", "criminal_record", "lhkpn", "programme")
PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "birth_place",
    "domicile",
    "education",
    "occupation",
    "biography",
    "photo_url",
)


def disclosures(row: Row) -> dict[str, tuple[str, str | None]]:
    """requirement -> (status, note) for the statuses the row gives; empty cells give none."""
    found: dict[str, tuple[str, str | None]] = {}
    if row.cv_status:
        found["cv"] = (CV[row.cv_status].value, row.cv_note)
    if row.criminal_status:
        found["criminal_record"] = (
            DisclosureStatus.PUBLISHED.value,
            CRIMINAL_NOTES[row.criminal_status],
        )
    if row.lhkpn_status:
        status, note = LHKPN[row.lhkpn_status]
        found["lhkpn"] = (status.value, note)
    if row.program:
        found["programme"] = (DisclosureStatus.PUBLISHED.value, None)
    return found


def sections(row: Row, requirement: str) -> dict[str, list[str]] | None:
    """A CV item's per-section consent (the commission's JSON only)."""
    return row.cv_sections if requirement == "cv" else None


def person_values(row: Row, *, new: bool = False) -> dict[str, Any]:
    """The person fields the row's format carries (all of them for the CSV); for a new person
    every field, those the format does not carry being empty."""
    return {name: getattr(row, name) for name in PERSON_FIELDS if new or row.gives(name)}
