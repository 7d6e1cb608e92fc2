"""Building the evaluator's facts from the data, one way for the ORM and the bulk path.

An explicit DisclosureItem always wins. Without one, three items are read from the profile:
the programme (any visible statement: published), the photo (a photo URL: published) and
the basic identity (name, gender and birth place or date: published; fewer: partial).
Conditions: `ex_convict` when a visible legal case has the status ex_convict; `incumbent`
when a visible public-office item has no end year (an office held now).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from transparency.disclosure.evaluate import PARTIAL, PUBLISHED, CandidacyFacts, ItemFact

EX_CONVICT = "ex_convict"
INCUMBENT = "incumbent"


def identity_status(gender: str | None, birth_date: date | None, birth_place: str | None) -> str:
    return PUBLISHED if gender and (birth_date or birth_place) else PARTIAL


def condition_of(kind: str, legal_status: str | None, end_year: int | None) -> str | None:
    if kind == "legal_case" and legal_status == "ex_convict":
        return EX_CONVICT
    if kind == "public_office" and end_year is None:
        return INCUMBENT
    return None


def build_facts(
    office: str,
    items: Mapping[str, ItemFact],
    *,
    has_programme: bool,
    photo_url: str | None,
    gender: str | None,
    birth_date: date | None,
    birth_place: str | None,
    profile_source: tuple[str | None, str | None] = (None, None),
    conditions: Iterable[str] = (),
) -> CandidacyFacts:
    merged = dict(items)
    url, title = profile_source
    if "programme" not in merged and has_programme:
        merged["programme"] = ItemFact(PUBLISHED, None, url, title)
    if "photo" not in merged and photo_url:
        merged["photo"] = ItemFact(PUBLISHED, None, url, title)
    if "identity" not in merged:
        status = identity_status(gender, birth_date, birth_place)
        merged["identity"] = ItemFact(status, None, url, title)
    return CandidacyFacts(office=office, items=merged, conditions=frozenset(conditions))
