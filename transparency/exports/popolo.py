"""The candidate list as Popolo (popoloproject.com): areas, organizations, posts, persons
and memberships, with our disclosure data under `jejak_terbuka:` extension keys.

Mapping: provinces and electoral districts are areas; each party in an election and each
legislature (office in an election) is an organization; each district's seats are one post
of its legislature; each candidacy is a membership (role "candidate") of the person in the
legislature, for the district's post, on behalf of the party. Streamed like the other
exports: persons and memberships in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.exports import records
from transparency.exports.documents import ExportPlan, filter_args
from transparency.exports.rows import ExportRecord, json_record
from transparency.models import Candidacy, District, Election, Office, Party, Person, Region

EXTENSION = "jejak_terbuka"
GENDERS = {"L": "male", "P": "female"}


def province_area_id(code: str) -> str:
    return f"area/province/{code}"


def district_area_id(election: str, office: str, code: str) -> str:
    return f"area/district/{election}/{office}/{code}"


def legislature_id(election: str, office: str) -> str:
    return f"organization/legislature/{election}/{office}"


def party_id(election: str, slug: str) -> str:
    return f"organization/party/{election}/{slug}"


def post_id(election: str, office: str, code: str) -> str:
    return f"post/{election}/{office}/{code}"


def person_id(identifier: int) -> str:
    return f"person/{identifier}"


def _dump(value: Any) -> bytes:
    return orjson.dumps(value)


def _array(items: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    yield b"["
    parts: list[bytes] = []
    first = True
    for item in items:
        parts.append((b"\n" if first else b",\n") + _dump(item))
        first = False
        if len(parts) >= records.BATCH_SIZE:
            yield b"".join(parts)
            parts = []
    parts.append(b"\n]")
    yield b"".join(parts)


def areas(session: Session) -> Iterator[dict[str, Any]]:
    for region in session.scalars(
        select(Region).where(Region.level == "province").order_by(Region.code)
    ):
        yield {
            "id": province_area_id(region.code),
            "name": region.name,
            "classification": "province",
            "identifiers": [{"scheme": "kemendagri", "identifier": region.code}],
        }
    province = Region.__table__.alias("province")
    rows = session.execute(
        select(
            District.code,
            District.name,
            District.seats,
            Election.slug.label("election"),
            Office.code.label("office"),
            province.c.code.label("province"),
        )
        .join(Election, District.election_id == Election.id)
        .join(Office, District.office_id == Office.id)
        .outerjoin(province, District.province_id == province.c.id)
        .order_by(Election.slug, Office.position, District.code)
    )
    for row in rows:
        area: dict[str, Any] = {
            "id": district_area_id(row.election, row.office, row.code),
            "name": row.name,
            "classification": "electoral district",
            "identifiers": [{"scheme": "kpu-dapil", "identifier": row.code}],
        }
        if row.province:
            area["parent_id"] = province_area_id(row.province)
        yield area


def organizations(session: Session) -> Iterator[dict[str, Any]]:
    legislatures = session.execute(
        select(Election.slug, Election.name, Office.code, Office.name_id, Office.name_en)
        .join(District, District.election_id == Election.id)
        .join(Office, District.office_id == Office.id)
        .distinct()
        .order_by(Election.slug, Office.code)
    )
    for election, election_name, office, name_id, name_en in legislatures:
        yield {
            "id": legislature_id(election, office),
            "name": f"{name_id} ({election_name})",
            "other_names": [{"name": name_en, "note": "English"}],
            "classification": "legislature",
            f"{EXTENSION}:election": election,
            f"{EXTENSION}:office": office,
        }
    parties = session.execute(
        select(
            Party.slug, Party.name, Party.short_name, Party.number, Election.slug, Party.wikidata_id
        )
        .join(Election, Party.election_id == Election.id)
        .order_by(Election.slug, Party.number)
    )
    for slug, name, short_name, number, election, wikidata_id in parties:
        identifiers = [{"scheme": f"ballot-number/{election}", "identifier": str(number)}]
        if wikidata_id:
            identifiers.append({"scheme": "wikidata", "identifier": wikidata_id})
        yield {
            "id": party_id(election, slug),
            "name": name,
            "other_names": [{"name": short_name, "note": "short name"}],
            "classification": "party",
            "identifiers": identifiers,
            f"{EXTENSION}:election": election,
        }


def posts(session: Session) -> Iterator[dict[str, Any]]:
    rows = session.execute(
        select(
            District.code,
            District.name,
            District.seats,
            Election.slug.label("election"),
            Office.code.label("office"),
            Office.name_id,
        )
        .join(Election, District.election_id == Election.id)
        .join(Office, District.office_id == Office.id)
        .order_by(Election.slug, Office.position, District.code)
    )
    for row in rows:
        yield {
            "id": post_id(row.election, row.office, row.code),
            "label": f"Anggota {row.name_id}, {row.name}",
            "role": "member",
            "organization_id": legislature_id(row.election, row.office),
            "area_id": district_area_id(row.election, row.office, row.code),
            f"{EXTENSION}:seats": row.seats,
        }


def persons(session: Session, export: ExportPlan) -> Iterator[dict[str, Any]]:
    listed = records.matching_ids(session, export.filters).order_by(None)
    people = select(Candidacy.person_id).where(Candidacy.id.in_(listed))
    stmt = (
        select(
            Person.id,
            Person.full_name,
            Person.gender,
            Person.birth_date,
            Person.biography,
            Person.photo_url,
            Person.is_fictional,
            Person.wikidata_id,
        )
        .where(Person.id.in_(people))
        .order_by(Person.id)
        .execution_options(yield_per=records.BATCH_SIZE)
    )
    result = session.connection().execute(stmt)
    try:
        yield from (_person(row) for row in result)
    finally:  # a reader that stops early leaves no server-side cursor open
        result.close()


def _person(row: Any) -> dict[str, Any]:
    identifier, name, gender, birth_date, biography, photo_url, fictional, wikidata_id = row
    item: dict[str, Any] = {
        "id": person_id(identifier),
        "name": name,
        f"{EXTENSION}:fictional": fictional,
    }
    if gender in GENDERS:
        item["gender"] = GENDERS[gender]
    if birth_date:
        item["birth_date"] = birth_date.isoformat()
    if biography:
        item["biography"] = biography
    if photo_url:
        item["image"] = photo_url
    if wikidata_id:
        item["identifiers"] = [{"scheme": "wikidata", "identifier": wikidata_id}]
    return item


def membership(record: ExportRecord) -> dict[str, Any]:
    """One candidacy as a Popolo membership of its person in the legislature."""
    data = json_record(record)
    item: dict[str, Any] = {
        "id": f"membership/candidacy/{record.candidacy_id}",
        "label": f"Calon {record.office}, {record.district_name}",
        "role": "candidate",
        "person_id": person_id(record.person_id),  # type: ignore[arg-type] - always loaded
        "organization_id": legislature_id(record.election, record.office),
        "post_id": post_id(record.election, record.office, record.district_code),
        "area_id": district_area_id(record.election, record.office, record.district_code),
        "links": [{"url": record.profile_url, "note": "profile"}],
        "sources": [{"url": url} for url in record.sources],
        f"{EXTENSION}:candidacy": {
            "candidacy_id": record.candidacy_id,
            "election": record.election,
            "stage": record.stage,
            "ballot_number": record.ballot_number,
            "external_id": record.external_id,
        },
        f"{EXTENSION}:disclosure": {
            key: data[key]
            for key in (
                "disclosure_score",
                "flagged",
                "flags",
                "disclosure",
                "ruleset_version",
                "flagged_since",
            )
        },
    }
    if record.party:
        item["on_behalf_of_id"] = party_id(record.election, record.party)
    return item


def popolo_body(
    session: Session, export: ExportPlan, rows: Iterable[ExportRecord] | None = None
) -> Iterator[bytes]:
    """The document; its memberships are `rows` (the export's records, read here if None)."""
    if rows is None:
        rows = records.iter_records(session, export.filters, export.profile_url)
    meta = {
        **export.metadata("popolo"),
        "filters": filter_args(export.filters),
        "specification": "http://www.popoloproject.com/specs/",
        "extensions": {
            f"{EXTENSION}:candidacy": "candidacy facts: id, election, stage, ballot number",
            f"{EXTENSION}:disclosure": "disclosure score, flag, flags with reasons and sources,"
            " per-requirement status, ruleset version",
            f"{EXTENSION}:seats": "seats of the district's post",
            f"{EXTENSION}:election": "election slug of an organization",
            f"{EXTENSION}:office": "office code of a legislature",
            f"{EXTENSION}:fictional": "true for demo data",
        },
    }
    meta.pop("columns", None)
    yield b'{"meta": ' + _dump(meta)
    for name, items in (
        ("areas", areas(session)),
        ("organizations", organizations(session)),
        ("posts", posts(session)),
        ("persons", persons(session, export)),
        ("memberships", (membership(record) for record in rows)),
    ):
        yield f', "{name}": '.encode()
        yield from _array(items)
    yield b"}\n"
