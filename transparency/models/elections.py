"""Elections, offices, regions, electoral districts (dapil) and parties."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.models.base import Base
from transparency.models.revisioned import Revisioned

# A Wikidata item id: Q and a number without leading zeros (people and parties).
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")


class Election(Revisioned, Base):
    __tablename__ = "election"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)  # e.g. pemilu-2024
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), default="ID")  # ISO 3166-1 alpha-2
    held_on: Mapped[date | None]


class Office(Revisioned, Base):
    """An office one stands for: PRESIDEN, DPR, DPD, DPRD_PROVINSI, DPRD_KABKOTA, ..."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    # national, province or regency: the level of the region a seat belongs to
    level: Mapped[str] = mapped_column(String(16))
    party_list: Mapped[bool] = mapped_column(default=True)  # False for DPD and executives
    position: Mapped[int] = mapped_column(default=0)


class Region(Revisioned, Base):
    """Administrative region by Kemendagri code: province (2 digits), kab/kota (4),
    kecamatan (6) or desa/kelurahan (10); and KPU's area of the voters abroad ("LN")."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Another spelling the same unit goes by (KPU's, where it differs from Kemendagri's).
    other_name: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # province | regency | kecamatan | desa | abroad
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    is_fictional: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[Region | None] = relationship(remote_side=[id])


class District(Revisioned, Base):
    """An electoral district (dapil) for one office in one election."""

    __tablename__ = "district"
    __table_args__ = (UniqueConstraint("election_id", "office_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), index=True)  # KPU code, e.g. 3304
    name: Mapped[str] = mapped_column(String(200))
    seats: Mapped[int | None]
    province_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    is_fictional: Mapped[bool] = mapped_column(default=False)

    election: Mapped[Election] = relationship()
    office: Mapped[Office] = relationship()
    province: Mapped[Region | None] = relationship(foreign_keys=[province_id])
    region: Mapped[Region | None] = relationship(foreign_keys=[region_id])


class DistrictArea(Base):
    """A place a district holds: a whole region, with the region's own parts unless a part
    is listed in another district of the same office (a place belongs to the most precise
    row that names it). Rebuilt from the packaged reference file by `init-db`."""

    __tablename__ = "district_area"
    __table_args__ = (UniqueConstraint("district_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)


class Party(Revisioned, Base):
    """A party as it stands in one election, with its ballot number there."""

    __tablename__ = "party"
    __table_args__ = (UniqueConstraint("election_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"))
    number: Mapped[int]  # ballot number in this election
    slug: Mapped[str] = mapped_column(String(64), index=True)  # stable across elections
    short_name: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    # Set for parties that stand in one region only (Aceh's local parties).
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    # The party's Wikidata item (Q...), submitted by volunteers with a source.
    wikidata_id: Mapped[str | None] = mapped_column(String(16))

    election: Mapped[Election] = relationship()
    region: Mapped[Region | None] = relationship()
