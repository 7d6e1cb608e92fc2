"""One fictional candidacy as rows: the person, the candidacy, programme, track record,
disclosure items and sources, each public row with its Revision row.

Rows are plain dicts appended to a `Batch`, inserted later with Core executemany; ids are
assigned here so rows can refer to each other before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from random import Random
from typing import Any

from transparency.demo import profile
from transparency.demo.names import (
    CHRISTIAN,
    HINDU,
    MUSLIM,
    TRADITIONS,
    ballot_name,
    plain_name,
    traditions_for,
)
from transparency.demo.places import CITIES
from transparency.demo.programme import mission, pick_topics, programme, vision
from transparency.demo.records import (
    BILLS,
    EXTRA_CHANCES,
    EXTRA_TITLES,
    LEGAL_CASES,
    LEGAL_DESCRIPTIONS,
    LEGAL_STATUS_WEIGHTS,
    NOTES,
)
from transparency.demo.structure import DistrictSpec, PartySpec
from transparency.models import DisclosureStatus, LegalStatus, ProgrammeKind, TrackRecordKind
from transparency.revisions import Provenance, revision_row

P = DisclosureStatus.PUBLISHED.value
PA = DisclosureStatus.PARTIAL.value
R = DisclosureStatus.REFUSED.value
NF = DisclosureStatus.NOT_FOUND.value
NA = DisclosureStatus.NOT_APPLICABLE.value

OFFICE_NAMES = {
    "DPR": "DPR RI",
    "DPD": "DPD RI",
    "DPRD_PROVINSI": "DPRD provinsi",
    "DPRD_KABKOTA": "DPRD kabupaten/kota",
}
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DCT_DAY = date(2023, 11, 4)  # the final lists (DCT) were announced on 4 November 2023
CHECK_DAYS = (
    date(2023, 11, 14),
    date(2023, 11, 14),
    date(2023, 11, 14),
    date(2023, 11, 20),
    date(2023, 12, 5),
)
CONTOH = "https://contoh.example"


@dataclass
class Batch:
    """The rows of up to a batch of candidacies, per table, in insert order."""

    source: list[dict[str, Any]] = field(default_factory=list)
    person: list[dict[str, Any]] = field(default_factory=list)
    candidacy: list[dict[str, Any]] = field(default_factory=list)
    programme_statement: list[dict[str, Any]] = field(default_factory=list)
    track_record_item: list[dict[str, Any]] = field(default_factory=list)
    track_record_source: list[dict[str, Any]] = field(default_factory=list)
    disclosure_item: list[dict[str, Any]] = field(default_factory=list)
    revision: list[dict[str, Any]] = field(default_factory=list)
    candidacies: int = 0


class Ids:
    """The next free primary key of each table this loader writes."""

    def __init__(self, starts: dict[str, int]) -> None:
        self._next = dict(starts)

    def take(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


def _iso(row: dict[str, Any], skip: frozenset[str]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in row.items()
        if key not in skip
    }


SKIP = frozenset({"created_at", "updated_at"})
SKIP_CANDIDACY = SKIP | {"disclosure_score", "flagged", "flags", "ruleset_version", "flagged_since"}


def _pick(rng: Random, weighted: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


@dataclass(frozen=True)
class CvProfile:
    """How a party's candidates answer KPU's question whether their CV may be published."""

    published: float
    partial: float

    def status(self, rng: Random) -> str:
        roll = rng.random()
        if roll < self.published:
            return P
        return PA if roll < self.published + self.partial else R


CLOSED = CvProfile(0.03, 0.05)  # whole parties refused, as in 2024
OPEN = CvProfile(0.88, 0.10)
MIXED = CvProfile(0.245, 0.522)
NO_PARTY = CvProfile(0.40, 0.35)  # DPD


def party_profiles(seed: int, parties: list[PartySpec]) -> dict[int, CvProfile]:
    """A few parties closed, a few open, the rest mixed: about 35/35/30 overall."""
    rng = Random(f"{seed}:parties")  # noqa: S311 - demo data, not secrets
    national = sorted((p for p in parties if not p.local), key=lambda p: p.number)
    rng.shuffle(national)
    profiles = {p.id: MIXED for p in parties}
    for party in national[:3]:
        profiles[party.id] = CLOSED
    for party in national[3:7]:
        profiles[party.id] = OPEN
    return profiles


class CandidacyWriter:
    """Builds the rows of candidacies, one list at a time, from one seeded generator."""

    def __init__(
        self,
        seed: int,
        ids: Ids,
        provenance: Provenance,
        now: datetime,
        election_id: int,
        office_ids: dict[str, int],
        profiles: dict[int, CvProfile],
    ) -> None:
        self.rng = Random(f"{seed}:people")  # noqa: S311 - demo data, not secrets
        self.ids = ids
        self.provenance = provenance
        self.now = now
        self.election_id = election_id
        self.office_ids = office_ids
        self.profiles = profiles
        # revision_row() once, as the template of every revision this load writes: the
        # dataclass conversion it does per call would be a third of the load time.
        self._template = revision_row("", 0, "create", None, None, provenance)

    # -- helpers -------------------------------------------------------------------------
    def _revision(
        self,
        batch: Batch,
        table: str,
        row: dict[str, Any],
        skip: frozenset[str],
        *,
        person_id: int | None = None,
        candidacy_id: int | None = None,
        source_id: int | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        revision = self._template.copy()
        revision["entity_type"] = table
        revision["entity_id"] = row["id"]
        revision["after"] = after or _iso(row, skip)
        revision["person_id"] = person_id
        revision["candidacy_id"] = candidacy_id
        revision["source_id"] = source_id
        batch.revision.append(revision)

    def _source(self, batch: Batch, url: str, title: str, publisher: str, accessed: date) -> int:
        source_id = self.ids.take("source")
        batch.source.append(
            {
                "id": source_id,
                "url": url,
                "title": title,
                "publisher": publisher,
                "accessed_on": accessed,
                "archived_url": None,
                "is_fictional": True,
                "created_at": self.now,
            }
        )
        return source_id

    # -- one list ------------------------------------------------------------------------
    def write_list(
        self, batch: Batch, district: DistrictSpec, party: PartySpec | None, length: int
    ) -> None:
        rng = self.rng
        women = [rng.random() < (0.2 if party is None else 0.1) for _ in range(length)]
        if party is not None:
            # At least one woman in every three on the list (UU 7/2017, art. 246).
            for start in range(0, length, 3):
                block = range(start, min(start + 3, length))
                if not any(women[i] for i in block):
                    women[rng.choice(block)] = True
        for ballot, woman in enumerate(women, start=1):
            self.write_candidacy(batch, district, party, ballot, woman)

    def write_candidacy(
        self,
        batch: Batch,
        district: DistrictSpec,
        party: PartySpec | None,
        ballot: int,
        woman: bool,
    ) -> None:
        rng = self.rng
        office = district.office
        province = district.province_code
        traditions, cumulative = traditions_for(province)
        tradition = rng.choices(traditions, cum_weights=cumulative)[0]
        if party is not None and party.local:
            tradition = TRADITIONS["aceh"]
        youngest = 2002 if office != "DPD" else 1998
        birth_year = rng.randint(1952, youngest) if rng.random() < 0.3 else rng.randint(1962, 1990)
        birth = date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        age = 2024 - birth_year
        cities = CITIES.get(province, ("Jakarta",))
        city = rng.choice(cities)
        birth_place = city if rng.random() < 0.9 else rng.choice(CITIES[rng.choice(list(CITIES))])
        plain = plain_name(rng, tradition, woman)
        edu = profile.education(rng, office, tradition.religion, birth_year, province, city)
        name = ballot_name(rng, plain, tradition.religion, woman, age, edu.prefix, edu.suffix)
        occupation = _pick_occupation(rng, office, woman, edu, age, tradition.religion)
        incumbent = occupation.startswith("Anggota")

        cv = self.profiles.get(party.id, MIXED) if party else NO_PARTY
        cv_status = cv.status(rng)
        topics = pick_topics(rng, province, 3)
        local = office == "DPRD_KABKOTA"
        check_day = rng.choice(CHECK_DAYS)

        person_id = self.ids.take("person")
        candidacy_id = self.ids.take("candidacy")
        office_slug = office.lower().replace("_", "-")
        profile_source = self._source(
            batch,
            f"{CONTOH}/kpu/dct/{office_slug}/{candidacy_id}",
            f"Profil calon {plain} — Daftar Calon Tetap {OFFICE_NAMES[office]} (fiktif)",
            "KPU (contoh fiktif)",
            check_day,
        )
        domicile = district.place if office == "DPRD_KABKOTA" else city
        organisations = profile.organisation_items(
            rng,
            tradition.religion,
            woman,
            party.short_name if party else None,
            1 if local else rng.randint(1, 3),
        )
        person = {
            "id": person_id,
            "full_name": name,
            "gender": "P" if woman else "L",
            "birth_date": birth if cv_status == P else None,
            "birth_place": birth_place if cv_status == P else None,
            "domicile": domicile,
            "photo_url": None,
            "biography": None,
            "education": edu.summary if cv_status != R else None,
            "occupation": occupation if cv_status != R else None,
            "wikidata_id": None,  # demo people are fictional: never on Wikidata
            "source_id": profile_source,
            "is_fictional": True,
            "hidden": False,
            "created_at": self.now,
            "updated_at": self.now,
        }
        if cv_status == P or (cv_status == PA and rng.random() < 0.5):
            born = f"{birth.day} {MONTHS[birth.month - 1]} {birth.year}"
            person["biography"] = profile.biography(
                rng,
                woman=woman,
                name=plain,
                place=birth_place,
                born=born if cv_status == P else str(birth.year),
                education=edu.summary.split(" (")[0],
                occupation=occupation,
                organisation=organisations[0][1] if organisations else None,
                office=OFFICE_NAMES[office],
                district=district.name,
                motive=topics[0].motive.format(place=district.place),
            )
        batch.person.append(person)
        self._revision(batch, "person", person, SKIP, person_id=person_id, source_id=profile_source)

        candidacy = {
            "id": candidacy_id,
            "person_id": person_id,
            "election_id": self.election_id,
            "office_id": self.office_ids[office],
            "district_id": district.id,
            "party_id": party.id if party else None,
            "ballot_number": ballot,
            "stage": "DCT",
            "external_id": None,
            "disclosure_score": None,
            "flagged": False,
            "flags": None,
            "ruleset_version": None,
            "flagged_since": None,
            "source_id": profile_source,
            "hidden": False,
            "created_at": self.now,
            "updated_at": self.now,
        }
        batch.candidacy.append(candidacy)
        self._revision(
            batch,
            "candidacy",
            candidacy,
            SKIP_CANDIDACY,
            person_id=person_id,
            candidacy_id=candidacy_id,
            source_id=profile_source,
        )
        batch.candidacies += 1

        programme_status = self._programme(
            batch, candidacy_id, cv_status, topics, district, profile_source, local
        )
        record = self._track_record(
            batch,
            person_id,
            profile_source,
            cv_status,
            edu,
            occupation,
            organisations,
            incumbent,
            office,
            district,
            city,
            local,
        )
        lhkpn_status, lhkpn_source = self._wealth(
            batch, person_id, incumbent, office, plain, check_day
        )
        self._disclosures(
            batch,
            candidacy_id,
            profile_source,
            check_day,
            {
                "cv": cv_status,
                "programme": programme_status,
                "criminal_record": _criminal_status(rng, record, cv_status),
                "lhkpn": lhkpn_status,
                "photo": _pick(rng, ((P, 0.93), (NF, 0.05), (R, 0.02))),
            },
            lhkpn_source,
        )

    # -- parts ---------------------------------------------------------------------------
    def _programme(
        self,
        batch: Batch,
        candidacy_id: int,
        cv_status: str,
        topics: list,
        district: DistrictSpec,
        source_id: int,
        local: bool,
    ) -> str:
        rng = self.rng
        if cv_status == R:
            status = _pick(rng, ((P, 0.25), (NF, 0.45), (R, 0.30)))
        else:
            status = _pick(rng, ((P, 0.65), (PA, 0.20), (NF, 0.15)))
        if status not in (P, PA):
            return status
        place = district.place
        statements = [(ProgrammeKind.VISION.value, vision(rng, place))]
        if status == P:
            if local:
                statements.append((ProgrammeKind.PROGRAMME.value, programme(rng, topics[0], place)))
            else:
                statements.append((ProgrammeKind.MISSION.value, mission(rng, topics[0])))
                statements.append((ProgrammeKind.MISSION.value, mission(rng, topics[1])))
                for topic in topics[: rng.randint(2, 3)]:
                    statements.append((ProgrammeKind.PROGRAMME.value, programme(rng, topic, place)))
        for position, (kind, text) in enumerate(statements):
            row = {
                "id": self.ids.take("programme_statement"),
                "candidacy_id": candidacy_id,
                "kind": kind,
                "text": text,
                "position": position,
                "source_id": source_id,
                "hidden": False,
                "created_at": self.now,
            }
            batch.programme_statement.append(row)
            self._revision(
                batch,
                "programme_statement",
                row,
                SKIP,
                candidacy_id=candidacy_id,
                source_id=source_id,
            )
        return status

    def _item(
        self,
        batch: Batch,
        person_id: int,
        sources: list[int],
        kind: str,
        title: str,
        position: int,
        **fields: Any,
    ) -> None:
        row = {
            "id": self.ids.take("track_record_item"),
            "person_id": person_id,
            "kind": kind,
            "title": title,
            "description": fields.get("description"),
            "organisation": fields.get("organisation"),
            "start_year": fields.get("start_year"),
            "end_year": fields.get("end_year"),
            "legal_status": fields.get("legal_status"),
            "court_reference": fields.get("court_reference"),
            "amount": fields.get("amount"),
            "position": position,
            "hidden": False,
            "created_at": self.now,
        }
        batch.track_record_item.append(row)
        for source_id in sources:
            batch.track_record_source.append(
                {"track_record_item_id": row["id"], "source_id": source_id}
            )
        snapshot = _iso(row, SKIP)
        snapshot["sources_ids"] = sorted(sources)
        self._revision(
            batch,
            "track_record_item",
            row,
            SKIP,
            person_id=person_id,
            source_id=sources[0],
            after=snapshot,
        )

    def _track_record(
        self,
        batch: Batch,
        person_id: int,
        source_id: int,
        cv_status: str,
        edu: profile.Education,
        occupation: str,
        organisations: list[tuple[str, str]],
        incumbent: bool,
        office: str,
        district: DistrictSpec,
        city: str,
        local: bool,
    ) -> str | None:
        """The items; returns the legal status of a legal case, if there is one."""
        rng = self.rng
        position = 0
        if cv_status != R:
            education_items = edu.items if cv_status == P and not local else edu.items[-1:]
            for title, organisation, start, end in education_items:
                self._item(
                    batch,
                    person_id,
                    [source_id],
                    TrackRecordKind.EDUCATION.value,
                    title,
                    position,
                    organisation=organisation,
                    start_year=start,
                    end_year=end,
                )
                position += 1
            jobs = 1 if local or cv_status == PA else rng.randint(1, 3)
            first_year = edu.items[-1][3] if edu.items else 2000
            year = first_year
            for title, organisation in profile.career_items(
                rng, occupation, city, edu.field_of_study, first_year, jobs
            ):
                end = min(2023, year + rng.randint(2, 8))
                self._item(
                    batch,
                    person_id,
                    [source_id],
                    TrackRecordKind.CAREER.value,
                    title,
                    position,
                    organisation=organisation or None,
                    start_year=year,
                    end_year=None if title == occupation else end,
                )
                year = end
                position += 1
            for role, organisation in organisations[: 1 if cv_status == PA else 3]:
                start = rng.randint(2000, 2020)
                self._item(
                    batch,
                    person_id,
                    [source_id],
                    TrackRecordKind.ORGANISATION.value,
                    f"{role} {organisation}",
                    position,
                    organisation=organisation,
                    start_year=start,
                )
                position += 1
        if incumbent:
            seat = occupation.removeprefix("Anggota ")
            if seat == "DPRD Provinsi" or local:
                seat = f"DPRD {district.place}" if local else f"DPRD Provinsi {district.place}"
            self._item(
                batch,
                person_id,
                [source_id],
                TrackRecordKind.PUBLIC_OFFICE.value,
                f"Anggota {seat} periode 2019–2024",
                position,
                organisation=seat,
                start_year=2019,
                end_year=2024,
            )
            position += 1
            if seat in ("DPR RI", "DPD RI") and rng.random() < 0.4:
                self._vote(batch, person_id, position, seat)
                position += 1
        legal = None
        if rng.random() < (0.012 if office == "DPR" else 0.008):
            legal = self._legal_case(batch, person_id, position, city)
            position += 1
        for kind, chance in EXTRA_CHANCES[office]:
            if rng.random() < chance:
                self._extra(batch, person_id, position, kind, district, city)
                position += 1
        return legal

    def _legal_case(self, batch: Batch, person_id: int, position: int, city: str) -> str:
        rng = self.rng
        case, article = rng.choice(LEGAL_CASES)
        status = _pick(rng, LEGAL_STATUS_WEIGHTS)
        year = rng.randint(2008, 2022)
        number = rng.randint(3, 240)
        court = rng.choice(
            (
                "PN Semarang",
                "PN Medan",
                "PN Makassar",
                "PN Surabaya",
                "PN Jakarta Pusat",
                "PN Bandung",
                "PN Palembang",
                "PN Kupang",
            )
        )
        reference = f"Nomor {number}/{article}/{year}/{court} (fiktif)"
        news = self._source(
            batch,
            f"{CONTOH}/berita/{year}/perkara-{person_id}",
            f"Perkara {case} di {city} (berita fiktif)",
            "Kabar Nusantara (fiktif)",
            date(2023, 11, 20),
        )
        sources = [news]
        if status in (
            LegalStatus.CONVICTED.value,
            LegalStatus.EX_CONVICT.value,
            LegalStatus.ACQUITTED.value,
        ):
            sources.append(
                self._source(
                    batch,
                    f"{CONTOH}/putusan/{year}/{number}-{person_id}",
                    f"Putusan {reference}",
                    "Direktori Putusan (contoh fiktif)",
                    date(2023, 11, 20),
                )
            )
        description = LEGAL_DESCRIPTIONS[status].format(case=case, year=year)
        self._item(
            batch,
            person_id,
            sources,
            TrackRecordKind.LEGAL_CASE.value,
            f"Perkara {case}",
            position,
            description=description,
            start_year=year,
            legal_status=status,
            court_reference=reference,
        )
        return status

    def _extra(
        self,
        batch: Batch,
        person_id: int,
        position: int,
        kind: str,
        district: DistrictSpec,
        city: str,
    ) -> None:
        rng = self.rng
        title = rng.choice(EXTRA_TITLES[kind]).format(
            place=district.place, city=city, company=profile.company(rng)
        )
        year = rng.randint(2012, 2023)
        source = self._source(
            batch,
            f"{CONTOH}/berita/{year}/{kind.replace('_', '-')}-{person_id}",
            f"{title} (berita fiktif)",
            rng.choice(
                ("Kabar Nusantara (fiktif)", "Warta Daerah (fiktif)", "Suara Contoh (fiktif)")
            ),
            date(2023, 12, 1),
        )
        self._item(batch, person_id, [source], kind, title, position, start_year=year)

    def _vote(self, batch: Batch, person_id: int, position: int, chamber: str) -> None:
        rng = self.rng
        bill, year = rng.choice(BILLS)
        choice = rng.choice(("setuju", "setuju", "menolak", "abstain"))
        source = self._source(
            batch,
            f"{CONTOH}/risalah/{year}/paripurna-{person_id}",
            f"Risalah rapat paripurna {chamber} {year} (contoh fiktif)",
            f"Sekretariat Jenderal {chamber} (contoh fiktif)",
            date(2023, 11, 20),
        )
        self._item(
            batch,
            person_id,
            [source],
            TrackRecordKind.VOTE.value,
            f"Suara {choice} pada pengesahan {bill}",
            position,
            description=f"Tercatat {choice} dalam rapat paripurna {year} (data fiktif).",
            start_year=year,
        )

    def _wealth(
        self,
        batch: Batch,
        person_id: int,
        incumbent: bool,
        office: str,
        name: str,
        check_day: date,
    ) -> tuple[str, int | None]:
        """LHKPN: sitting officials must file; for others it is not yet required."""
        rng = self.rng
        if incumbent:
            status = _pick(rng, ((P, 0.72), (PA, 0.1), (R, 0.18)))
        else:
            status = _pick(rng, ((NA, 0.68), (P, 0.12), (NF, 0.2)))
        if status not in (P, PA):
            return status, None
        median = {"DPR": 9e9, "DPD": 5e9, "DPRD_PROVINSI": 3e9, "DPRD_KABKOTA": 1.2e9}[office]
        amount = int(median * rng.lognormvariate(0, 0.9)) // 1000 * 1000
        year = 2022
        source = self._source(
            batch,
            f"{CONTOH}/elhkpn/{person_id}/{year}",
            f"LHKPN {year} atas nama {name} (fiktif)",
            "e-LHKPN KPK (contoh fiktif)",
            check_day,
        )
        self._item(
            batch,
            person_id,
            [source],
            TrackRecordKind.WEALTH_REPORT.value,
            f"Laporan harta kekayaan (LHKPN) {year}",
            99,
            description=f"Total harta kekayaan yang dilaporkan: Rp{amount:,}".replace(",", "."),
            start_year=year,
            end_year=year,
            amount=amount,
        )
        return status, source

    def _disclosures(
        self,
        batch: Batch,
        candidacy_id: int,
        source_id: int,
        check_day: date,
        statuses: dict[str, str],
        lhkpn_source: int | None,
    ) -> None:
        for requirement, status in statuses.items():
            row = {
                "id": self.ids.take("disclosure_item"),
                "candidacy_id": candidacy_id,
                "requirement": requirement,
                "status": status,
                "checked_at": DCT_DAY if requirement == "photo" else check_day,
                "note": NOTES.get((requirement, status)),
                "source_id": lhkpn_source if requirement == "lhkpn" and lhkpn_source else source_id,
                "updated_at": self.now,
            }
            batch.disclosure_item.append(row)
            self._revision(
                batch,
                "disclosure_item",
                row,
                SKIP,
                candidacy_id=candidacy_id,
                source_id=row["source_id"],
            )


def _pick_occupation(
    rng: Random, office: str, woman: bool, edu: profile.Education, age: int, religion: str
) -> str:
    if edu.prefix.endswith("dr.") and rng.random() < 0.7:
        return "Dokter"
    options = [
        (name, weight)
        for name, weight in profile.OCCUPATIONS[office]
        if profile.compatible(name, edu, woman, age)
    ]
    names = [name for name, _weight in options]
    weights = [
        weight * ((3 if woman else 0.1) if name == "Mengurus Rumah Tangga" else 1)
        for name, weight in options
    ]
    occupation = rng.choices(names, weights=weights)[0]
    if occupation == "Ulama/Pendeta":
        return RELIGIOUS_LEADER.get(religion, "Tokoh agama")
    return occupation


RELIGIOUS_LEADER = {MUSLIM: "Ulama", CHRISTIAN: "Pendeta", HINDU: "Pemuka agama Hindu"}


def _criminal_status(rng: Random, legal: str | None, cv_status: str) -> str:
    if legal in (LegalStatus.EX_CONVICT.value, LegalStatus.CONVICTED.value):
        # Former convicts must announce it publicly; not all do.
        return _pick(rng, ((P, 0.8), (R, 0.2)))
    if cv_status == R:
        return _pick(rng, ((P, 0.55), (NF, 0.25), (R, 0.20)))
    return _pick(rng, ((P, 0.82), (NF, 0.15), (R, 0.03)))
