"""People, their candidacies, and what is known about them: programme, track record,
disclosure items, sources and replies."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.models.base import Base, utcnow
from transparency.models.elections import District, Election, Office, Party
from transparency.models.revisioned import Revisioned


class Stage(StrEnum):
    DCS = "DCS"  # provisional list
    DCT = "DCT"  # final list
    ELECTED = "elected"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"  # no longer on the latest imported official list


class TrackRecordKind(StrEnum):
    EDUCATION = "education"
    CAREER = "career"
    ORGANISATION = "organisation"
    PUBLIC_OFFICE = "public_office"
    AWARD = "award"
    LEGAL_CASE = "legal_case"
    WEALTH_REPORT = "wealth_report"
    DYNASTY_TIE = "dynasty_tie"
    BUSINESS_TIE = "business_tie"
    STATEMENT = "statement"
    VOTE = "vote"


class LegalStatus(StrEnum):
    SUSPECT = "suspect"
    DEFENDANT = "defendant"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    EX_CONVICT = "ex_convict"


class DisclosureStatus(StrEnum):
    """What was established about one item; every status is a fact with a source and a date.
    No item at all means "not checked" (Belum diperiksa): neutral, never a flag."""

    PUBLISHED = "published"
    PARTIAL = "partial"
    REFUSED = "refused"  # the candidate declined; source required
    NOT_FOUND = "not_found"  # looked for at a named source on a date; source and date required
    REQUESTED = "requested"  # a request was sent on checked_at; respond_by ends its window
    NOT_APPLICABLE = "not_applicable"


class ProgrammeKind(StrEnum):
    VISION = "vision"  # visi
    MISSION = "mission"  # misi
    PROGRAMME = "programme"  # program usulan


class Source(Base):
    """Where a claim comes from. Sources are immutable once cited; a correction is a new one."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    publisher: Mapped[str | None] = mapped_column(String(200))
    accessed_on: Mapped[date | None]
    archived_url: Mapped[str | None] = mapped_column(String(2000))
    is_fictional: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Person(Revisioned, Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300), index=True)  # as on the official list
    gender: Mapped[str | None] = mapped_column(String(1))  # L or P, as KPU records it
    birth_date: Mapped[date | None]
    birth_place: Mapped[str | None] = mapped_column(String(200))
    domicile: Mapped[str | None] = mapped_column(String(300))
    photo_url: Mapped[str | None] = mapped_column(String(2000))
    biography: Mapped[str | None] = mapped_column(Text)
    education: Mapped[str | None] = mapped_column(Text)  # highest education, as declared
    occupation: Mapped[str | None] = mapped_column(String(300))
    # The person's Wikidata item (Q..., models.elections.WIKIDATA_ID), sourced like any fact.
    wikidata_id: Mapped[str | None] = mapped_column(String(16))
    # Where the identity fields above come from (the official list, usually).
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    is_fictional: Mapped[bool] = mapped_column(default=False, index=True)
    # Indexed: every list looks up the few hidden people (transparency.visibility).
    hidden: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    source: Mapped[Source | None] = relationship()
    candidacies: Mapped[list[Candidacy]] = relationship(back_populates="person")
    track_record: Mapped[list[TrackRecordItem]] = relationship(
        back_populates="person", order_by="TrackRecordItem.position"
    )

    def revision_scope(self) -> tuple[int | None, int | None]:
        return self.id, None


class Candidacy(Revisioned, Base):
    """A person standing in one election, for one office, in one district, for one party."""

    __tablename__ = "candidacy"
    __table_args__ = (
        UniqueConstraint("election_id", "external_id"),
        # A candidacy's place on the ballot (the import's natural key). It leads with the
        # district, not the election: led by a one-value column, SQLite's planner skip-scans
        # it for election/office filters and reads the table row by row (400 ms at 250,000).
        Index("ix_candidacy_list_order", "district_id", "party_id", "ballot_number"),
        # The ballot-paper order (district code, party number, ballot number) as one covering
        # index, with the listing filters inside it: a page of /candidates at 250,000 rows is an
        # index walk, never a sort or a table scan. Kept by transparency.listing.
        Index(
            "ix_candidacy_ballot_order",
            "list_district",
            "list_party",
            "ballot_number",
            "id",
            "hidden",
            "stage",
            "election_id",
            "office_id",
            "district_id",
            "party_id",
            "flagged",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"), index=True)  # None: DPD
    ballot_number: Mapped[int]  # nomor urut
    # stage and flagged have no index of their own: they split the table in a few large
    # parts, and such an index only lures the planner away from ix_candidacy_ballot_order.
    stage: Mapped[str] = mapped_column(String(16), default=Stage.DCT)
    external_id: Mapped[str | None] = mapped_column(String(100))  # the commission's id
    # Stored result of the disclosure rules (transparency.disclosure), for lists and facets.
    disclosure_score: Mapped[int | None]
    flagged: Mapped[bool] = mapped_column(default=False)
    flags: Mapped[list | None] = mapped_column(JSON)  # [{rule_id, reason_id, reason_en, ...}]
    ruleset_version: Mapped[str | None] = mapped_column(String(64))
    flagged_since: Mapped[datetime | None]
    # Denormalised sort keys (district code; party ballot number, 0 without a party), derived
    # from district_id and party_id by transparency.listing; not public data of their own.
    list_district: Mapped[str | None] = mapped_column(String(32))
    list_party: Mapped[int | None]
    # The raw disclosure statuses last evaluated ({requirement: status}): what changed since.
    disclosure_statuses: Mapped[dict | None] = mapped_column(JSON)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Indexed: its maximum is the version stamp of the candidate lists (profiles.PageIndex).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    person: Mapped[Person] = relationship(back_populates="candidacies")
    election: Mapped[Election] = relationship()
    office: Mapped[Office] = relationship()
    district: Mapped[District] = relationship()
    party: Mapped[Party | None] = relationship()
    source: Mapped[Source | None] = relationship()
    programme: Mapped[list[ProgrammeStatement]] = relationship(
        back_populates="candidacy", order_by="ProgrammeStatement.position"
    )
    disclosure_items: Mapped[list[DisclosureItem]] = relationship(back_populates="candidacy")
    replies: Mapped[list[Reply]] = relationship(back_populates="candidacy")

    def revision_scope(self) -> tuple[int | None, int | None]:
        return self.person_id, self.id


class ProgrammeStatement(Revisioned, Base):
    """Visi, misi or a programme proposal of one candidacy."""

    __tablename__ = "programme_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=ProgrammeKind.PROGRAMME)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    candidacy: Mapped[Candidacy] = relationship(back_populates="programme")
    source: Mapped[Source | None] = relationship()

    def revision_scope(self) -> tuple[int | None, int | None]:
        return None, self.candidacy_id


track_record_source = Table(
    "track_record_source",
    Base.metadata,
    Column("track_record_item_id", ForeignKey("track_record_item.id"), primary_key=True),
    Column("source_id", ForeignKey("source.id"), primary_key=True, index=True),
)


class TrackRecordItem(Revisioned, Base):
    """One fact of a person's record; it belongs to the person, across elections."""

    __tablename__ = "track_record_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # TrackRecordKind
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(String(300))
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]
    legal_status: Mapped[str | None] = mapped_column(String(16))  # LegalStatus, legal cases
    court_reference: Mapped[str | None] = mapped_column(String(300))
    # rupiah, for wealth reports: a DPR member's wealth passes 2**31 (BIGINT on PostgreSQL)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="track_record")
    sources: Mapped[list[Source]] = relationship(secondary=track_record_source)

    def revision_scope(self) -> tuple[int | None, int | None]:
        return self.person_id, None


class DisclosureItem(Revisioned, Base):
    """One disclosure requirement of one candidacy (CV, programme, LHKPN, ...) and its status."""

    __tablename__ = "disclosure_item"
    __table_args__ = (
        UniqueConstraint("candidacy_id", "requirement"),
        # The latest change of one requirement's items (a CV's sections), read by every
        # /statistics visit: an index walk, not a scan of 250,000 rows (384 ms).
        Index("ix_disclosure_item_requirement_updated_at", "requirement", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"))
    requirement: Mapped[str] = mapped_column(String(32), index=True)  # cv, programme, ...
    status: Mapped[str] = mapped_column(String(16), index=True)  # DisclosureStatus
    checked_at: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    # CV items from a per-section consent: {"published": [...], "withheld": [...]}, section
    # names in the commission's order (transparency.importer.kpu_json.SECTIONS); else None.
    sections: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    # status requested: the last day of the request's response window (checked_at = sent on)
    respond_by: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    candidacy: Mapped[Candidacy] = relationship(back_populates="disclosure_items")
    source: Mapped[Source | None] = relationship()

    def revision_scope(self) -> tuple[int | None, int | None]:
        return None, self.candidacy_id


class Reply(Revisioned, Base):
    """Hak jawab: a candidate's or party's response, shown beside a flag."""

    __tablename__ = "reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacy.id"), index=True)
    rule_id: Mapped[str | None] = mapped_column(String(32))  # the flag replied to, if any
    author_kind: Mapped[str] = mapped_column(String(16))  # candidate | party
    author_name: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    replied_on: Mapped[date]
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    candidacy: Mapped[Candidacy] = relationship(back_populates="replies")
    source: Mapped[Source | None] = relationship()

    def revision_scope(self) -> tuple[int | None, int | None]:
        return None, self.candidacy_id
