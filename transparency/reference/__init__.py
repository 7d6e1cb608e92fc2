"""Reference data: elections, offices, provinces, parties and the districts of 2024.

Built from the public facts in transparency/reference/*.csv (areas-2024.csv and the DPRD
district files are made by `python -m transparency.reference.build`; docs/reference-data.md
gives their sources). Loading is an upsert by natural key, so running it again changes
nothing; every change it makes to a Revisioned row is a Revision.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.models import District, Election, Office, Party, Region
from transparency.reference.areas import load_areas
from transparency.revisions import provenance

ACEH = "11"
DPD_SEATS_PER_PROVINCE = 4


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name_id: str
    name_en: str
    level: str
    party_list: bool


OFFICES = (
    OfficeSpec(
        "PRESIDEN", "Presiden dan Wakil Presiden", "President and Vice-President", "national", False
    ),
    OfficeSpec("DPR", "Dewan Perwakilan Rakyat", "House of Representatives", "national", True),
    OfficeSpec(
        "DPD", "Dewan Perwakilan Daerah", "Regional Representative Council", "province", False
    ),
    OfficeSpec("DPRD_PROVINSI", "DPRD Provinsi", "Provincial Assembly", "province", True),
    OfficeSpec("DPRD_KABKOTA", "DPRD Kabupaten/Kota", "Regency/City Assembly", "regency", True),
    OfficeSpec(
        "GUBERNUR", "Gubernur dan Wakil Gubernur", "Governor and Vice-Governor", "province", False
    ),
    OfficeSpec("BUPATI", "Bupati dan Wakil Bupati", "Regent and Vice-Regent", "regency", False),
    OfficeSpec(
        "WALIKOTA", "Wali Kota dan Wakil Wali Kota", "Mayor and Vice-Mayor", "regency", False
    ),
)

ELECTIONS = (
    ("pemilu-2024", "Pemilu 2024", date(2024, 2, 14)),
    ("pilkada-2024", "Pilkada Serentak 2024", date(2024, 11, 27)),
)


def read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("transparency.reference").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _upsert(session: Session, model: type, key: dict[str, Any], values: dict[str, Any]) -> Any:
    """Find a row by its natural key; create it, or set the values that differ."""
    row = session.scalars(select(model).filter_by(**key)).one_or_none()
    if row is None:
        row = model(**key, **values)
        session.add(row)
    else:
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    return row


def load_reference_data(session: Session, *, areas: bool = True) -> None:
    """Create or correct the reference rows. Flushes; the caller commits.

    `areas=False` leaves out the places below the provinces and the DPRD districts (about
    20,000 rows): for tests that need only the national level."""
    with provenance(session, origin="reference", reason="reference data 2024") as source:
        elections = {
            slug: _upsert(session, Election, {"slug": slug}, {"name": name, "held_on": held_on})
            for slug, name, held_on in ELECTIONS
        }
        offices = {
            spec.code: _upsert(
                session,
                Office,
                {"code": spec.code},
                {
                    "name_id": spec.name_id,
                    "name_en": spec.name_en,
                    "level": spec.level,
                    "party_list": spec.party_list,
                    "position": position,
                },
            )
            for position, spec in enumerate(OFFICES)
        }
        provinces = {
            row["code"]: _upsert(
                session, Region, {"code": row["code"]}, {"name": row["name"], "level": "province"}
            )
            for row in read_csv("provinces.csv")
        }
        session.flush()

        pemilu = elections["pemilu-2024"]
        for row in read_csv("parties-2024.csv"):
            region = provinces[ACEH] if row["aceh_local"] == "1" else None
            _upsert(
                session,
                Party,
                {"election_id": pemilu.id, "number": int(row["ballot_number"])},
                {
                    "slug": slugify(row["short_name"]),
                    "short_name": row["short_name"],
                    "name": row["name"],
                    "region_id": region.id if region else None,
                },
            )
        for row in read_csv("dpr-districts-2024.csv"):
            province = provinces[row["code"][:2]]
            _upsert(
                session,
                District,
                {"election_id": pemilu.id, "office_id": offices["DPR"].id, "code": row["code"]},
                {"name": row["name"], "seats": int(row["seats"]), "province_id": province.id},
            )
        for code, province in provinces.items():
            _upsert(
                session,
                District,
                {"election_id": pemilu.id, "office_id": offices["DPD"].id, "code": code},
                {
                    "name": province.name.upper(),
                    "seats": DPD_SEATS_PER_PROVINCE,
                    "province_id": province.id,
                },
            )
        session.flush()
        if areas:
            load_areas(
                session,
                source,
                pemilu.id,
                {code: office.id for code, office in offices.items()},
                {code: region.id for code, region in provinces.items()},
                read_csv("areas-2024.csv"),
                read_csv("dprd-provinsi-districts-2024.csv"),
                read_csv("dprd-kabkota-districts-2024.csv"),
            )


def slugify(text: str) -> str:
    kept = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in kept.split("-") if part)
