"""One fictional candidacy as rows: the person, the candidacy, programme and disclosure
items (track_record.py adds the track record), with their sources.

Rows are plain dicts appended to a `Batch`, inserted later by transparency.bulk, which
records each public row's Revision; ids come from the bulk writer up front, so rows can
refer to each other before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from random import Random

from transparency.bulk import BulkWriter
from transparency.demo import biography, profile
from transparency.demo.name_regions import traditions_for
from transparency.demo.names import (
    CHRISTIAN,
    HINDU,
    MUSLIM,
    TRADITIONS,
    ballot_name,
    plain_name,
)
from transparency.demo.places import CITIES
from transparency.demo.programme import mission, pick_topics, programme, vision
from transparency.demo.records import NOTES
from transparency.demo.rows import CONTOH, NF, PA, Batch, P, R, pick
from transparency.demo.structure import DistrictSpec, PartySpec
from transparency.demo.track_record import TrackRecordRows
from transparency.models import (
    Candidacy,
    DisclosureItem,
    LegalStatus,
    Person,
    ProgrammeKind,
    ProgrammeStatement,
)

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


class CandidacyWriter(TrackRecordRows):
    """Builds the rows of candidacies, one list at a time, from one seeded generator; the
    bulk writer gives the ids (rows refer to each other before anything is written)."""

    def __init__(
        self,
        seed: int,
        bulk: BulkWriter,
        now: datetime,
        election_id: int,
        office_ids: dict[str, int],
        profiles: dict[int, CvProfile],
    ) -> None:
        self.rng = Random(f"{seed}:people")  # noqa: S311 - demo data, not secrets
        self.bulk = bulk
        self.now = now
        self.election_id = election_id
        self.office_ids = office_ids
        self.profiles = profiles

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

        person_id = self.bulk.new_id(Person)
        candidacy_id = self.bulk.new_id(Candidacy)
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
            person["biography"] = biography.write(
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
                "photo": pick(rng, ((P, 0.93), (NF, 0.05), (R, 0.02))),
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
            status = pick(rng, ((P, 0.25), (NF, 0.45), (R, 0.30)))
        else:
            status = pick(rng, ((P, 0.65), (PA, 0.20), (NF, 0.15)))
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
                "id": self.bulk.new_id(ProgrammeStatement),
                "candidacy_id": candidacy_id,
                "kind": kind,
                "text": text,
                "position": position,
                "source_id": source_id,
                "hidden": False,
                "created_at": self.now,
            }
            batch.programme_statement.append(row)
        return status

    def _disclosures(
        self,
        batch: Batch,
        candidacy_id: int,
        source_id: int,
        check_day: date,
        statuses: dict[str, str | None],
        lhkpn_source: int | None,
    ) -> None:
        for requirement, status in statuses.items():
            if status is None:  # nobody checked it: no item at all
                continue
            row = {
                "id": self.bulk.new_id(DisclosureItem),
                "candidacy_id": candidacy_id,
                "requirement": requirement,
                "status": status,
                "checked_at": DCT_DAY if requirement == "photo" else check_day,
                "note": NOTES.get((requirement, status)),
                "source_id": lhkpn_source if requirement == "lhkpn" and lhkpn_source else source_id,
                "updated_at": self.now,
            }
            batch.disclosure_item.append(row)


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


def _criminal_status(rng: Random, legal: str | None, cv_status: str) -> str | None:
    if legal in (LegalStatus.EX_CONVICT.value, LegalStatus.CONVICTED.value):
        # Former convicts must announce it publicly; not all do.
        return pick(rng, ((P, 0.8), (R, 0.2)))
    if cv_status == R:
        return pick(rng, ((P, 0.55), (NF, 0.25), (R, 0.20)))
    # An empty criminal-status cell is not checked (no item): it never flags anyone.
    return pick(rng, ((P, 0.82), (None, 0.15), (R, 0.03)))
