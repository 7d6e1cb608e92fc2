"""From loaded candidacies to the comparison's columns and rows, and the words that label them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from transparency.compare import Column, Row, align
from transparency.models import Candidacy, Source
from transparency.visibility import shown

ALWAYS = ("education", "career", "programme")
LAST = ("replies",)


@dataclass
class Fact:
    """One thing shown in a cell, whatever its origin (declared identity, record, programme)."""

    title: str = ""
    text: str = ""
    years: str = ""
    on: date | None = None
    detail: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


def _years(start: int | None, end: int | None) -> str:
    """As the profile writes them: "2013–2019", an ongoing role "1985–", an end alone "…–2019"."""
    if start and end:
        return str(start) if start == end else f"{start}–{end}"
    if start:
        return f"{start}–"
    return f"…–{end}" if end else ""


def _column(candidacy: Candidacy) -> Column:
    person = candidacy.person
    facts: dict[str, list[Any]] = {kind: [] for kind in ALWAYS}
    declared_source = [person.source] if person.source else []
    if person.education:
        facts["education"].append(
            Fact(
                title=str(_l("Declared education")), text=person.education, sources=declared_source
            )
        )
    if person.occupation:
        facts["career"].append(
            Fact(
                title=str(_l("Declared occupation")),
                text=person.occupation,
                sources=declared_source,
            )
        )
    for item in shown(person.track_record):
        detail = []
        if item.organisation:
            detail.append(item.organisation)
        if item.legal_status:
            detail.append(str(legal_status_label(item.legal_status)))
        if item.court_reference:
            detail.append(item.court_reference)
        if item.amount is not None:
            detail.append(f"Rp {item.amount:,}".replace(",", "."))
        facts.setdefault(item.kind, []).append(
            Fact(
                title=item.title,
                text=item.description or "",
                years=_years(item.start_year, item.end_year),
                detail=detail,
                sources=list(item.sources),
            )
        )
    facts["programme"] = [
        Fact(
            title=str(programme_kind_label(statement.kind)),
            text=statement.text,
            sources=[statement.source] if statement.source else [],
        )
        for statement in shown(candidacy.programme)
    ]
    facts["replies"] = [
        Fact(
            title=reply.author_name,
            text=reply.text,
            on=reply.replied_on,
            detail=[reply.rule_id] if reply.rule_id else [],
            sources=[reply.source] if reply.source else [],
        )
        for reply in sorted(shown(candidacy.replies), key=lambda r: r.replied_on)
    ]
    disclosure = {item.requirement: item.status for item in candidacy.disclosure_items}
    return Column(candidacy_id=candidacy.id, facts=facts, disclosure=disclosure)


def candidate_columns(candidacies: Sequence[Candidacy]) -> list[Column]:
    return [_column(candidacy) for candidacy in candidacies]


def compare_rows(columns: Sequence[Column]) -> list[Row]:
    return align(columns, always=ALWAYS, last=LAST)


KIND_LABELS = {
    "education": _l("Education"),
    "career": _l("Career"),
    "programme": _l("Programme"),
    "organisation": _l("Organisations"),
    "public_office": _l("Public office"),
    "award": _l("Awards"),
    "legal_case": _l("Legal cases"),
    "wealth_report": _l("Wealth reports (LHKPN)"),
    "dynasty_tie": _l("Family ties"),
    "business_tie": _l("Business ties"),
    "statement": _l("Statements"),
    "vote": _l("Votes"),
    "replies": _l("Replies (right of reply)"),
}
STATUS_LABELS = {
    "published": _l("published"),
    "partial": _l("partly published"),
    "refused": _l("refused to publish"),
    "not_found": _l("not found"),
    "requested": _l("requested"),
    "not_applicable": _l("not applicable"),
}
REQUIREMENT_LABELS = {
    "cv": _l("CV"),
    "programme": _l("Programme"),
    "lhkpn": _l("Wealth report (LHKPN)"),
    "criminal_record": _l("Criminal record"),
    "photo": _l("Photo"),
}
PROGRAMME_KIND_LABELS = {
    "vision": _l("Vision"),
    "mission": _l("Mission"),
    "programme": _l("Programme proposal"),
}
LEGAL_STATUS_LABELS = {
    "suspect": _l("suspect"),
    "defendant": _l("defendant"),
    "convicted": _l("convicted"),
    "acquitted": _l("acquitted"),
    "ex_convict": _l("ex-convict"),
}


def programme_kind_label(kind: str) -> Any:
    return PROGRAMME_KIND_LABELS.get(kind, kind)


def legal_status_label(status: str) -> Any:
    return LEGAL_STATUS_LABELS.get(status, status)


def labels() -> dict[str, dict[str, Any]]:
    return {
        "kind": KIND_LABELS,
        "status": STATUS_LABELS,
        "requirement": REQUIREMENT_LABELS,
    }
