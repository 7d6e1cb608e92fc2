"""Plain JSON shapes of the API, from loaded model objects. The OpenAPI document in
`transparency.api.openapi` describes exactly these shapes; keep the two together."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    Party,
    ProgrammeStatement,
    Reply,
    Source,
    TrackRecordItem,
)
from transparency.visibility import shown


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    return value.isoformat()


def source(item: Source | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "url": item.url,
        "title": item.title,
        "publisher": item.publisher,
        "accessed_on": iso(item.accessed_on),
        "archived_url": item.archived_url,
    }


def party(item: Party | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "slug": item.slug,
        "number": item.number,
        "short_name": item.short_name,
        "name": item.name,
        "election": item.election.slug,
        "region": item.region.code if item.region else None,
    }


def district(item: District) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "seats": item.seats,
        "election": item.election.slug,
        "office": item.office.code,
        "province": item.province.code if item.province else None,
    }


def flag(item: dict[str, Any]) -> dict[str, Any]:
    keys = ("rule_id", "requirement", "status", "checked_at", "reason_id", "reason_en")
    return {
        **{key: item.get(key) for key in keys},
        "source_url": item.get("source_url"),
        "source_title": item.get("source_title"),
    }


def candidate_summary(candidacy: Candidacy, root: str) -> dict[str, Any]:
    province = candidacy.district.province
    return {
        "id": candidacy.id,
        "url": f"{root}api/v1/candidates/{candidacy.id}",
        "profile_url": f"{root}candidates/{candidacy.id}",
        "name": candidacy.person.full_name,
        "gender": candidacy.person.gender,
        "election": candidacy.election.slug,
        "office": candidacy.office.code,
        "province": {"code": province.code, "name": province.name} if province else None,
        "district": {"code": candidacy.district.code, "name": candidacy.district.name},
        "party": party(candidacy.party),
        "ballot_number": candidacy.ballot_number,
        "stage": candidacy.stage,
        "disclosure_score": candidacy.disclosure_score,
        "flagged": candidacy.flagged,
        "flags": [flag(item) for item in candidacy.flags or [] if isinstance(item, dict)],
        "ruleset_version": candidacy.ruleset_version,
        "flagged_since": iso(candidacy.flagged_since),
    }


def _programme(item: ProgrammeStatement) -> dict[str, Any]:
    return {"kind": item.kind, "text": item.text, "source": source(item.source)}


def _track_record(item: TrackRecordItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "organisation": item.organisation,
        "start_year": item.start_year,
        "end_year": item.end_year,
        "legal_status": item.legal_status,
        "court_reference": item.court_reference,
        "amount": item.amount,
        "sources": [source(s) for s in item.sources],
    }


def _disclosure(item: DisclosureItem) -> dict[str, Any]:
    return {
        "requirement": item.requirement,
        "status": item.status,
        "checked_at": iso(item.checked_at),
        "note": item.note,
        "sections": item.sections,
        "source": source(item.source),
    }


def _reply(item: Reply) -> dict[str, Any]:
    return {
        "rule_id": item.rule_id,
        "author_kind": item.author_kind,
        "author_name": item.author_name,
        "text": item.text,
        "replied_on": iso(item.replied_on),
        "source": source(item.source),
    }


def candidate_detail(candidacy: Candidacy, root: str) -> dict[str, Any]:
    person = candidacy.person
    programme = shown(candidacy.programme)
    track_record = shown(person.track_record)
    replies = shown(candidacy.replies)
    disclosure = sorted(candidacy.disclosure_items, key=lambda item: item.requirement)
    cited: list[Source] = [
        s
        for s in (
            candidacy.source,
            person.source,
            *(item.source for item in programme),
            *(s for item in track_record for s in item.sources),
            *(item.source for item in disclosure),
            *(item.source for item in replies),
        )
        if s is not None
    ]
    unique = list({s.id: s for s in cited}.values())
    return {
        **candidate_summary(candidacy, root),
        "person": {
            "birth_date": iso(person.birth_date),
            "birth_place": person.birth_place,
            "domicile": person.domicile,
            "education": person.education,
            "occupation": person.occupation,
            "biography": person.biography,
            "photo_url": person.photo_url,
            "is_fictional": person.is_fictional,
        },
        "programme": [_programme(item) for item in programme],
        "track_record": [_track_record(item) for item in track_record],
        "disclosure": [_disclosure(item) for item in disclosure],
        "replies": [_reply(item) for item in replies],
        "sources": [source(s) for s in unique],
    }
