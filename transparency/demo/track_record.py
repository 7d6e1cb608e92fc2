"""The demo's track records: education, career, organisations, office, votes, legal cases,
news items and wealth reports, each item with its sources."""

from __future__ import annotations

from datetime import date
from typing import Any

from transparency.demo import profile
from transparency.demo.records import (
    BILLS,
    EXTRA_CHANCES,
    EXTRA_TITLES,
    LEGAL_CASES,
    LEGAL_DESCRIPTIONS,
    LEGAL_STATUS_WEIGHTS,
)
from transparency.demo.rows import CONTOH, NA, NF, PA, Batch, P, R, RowBuilder, pick
from transparency.demo.structure import DistrictSpec
from transparency.models import LegalStatus, TrackRecordItem, TrackRecordKind


class TrackRecordRows(RowBuilder):
    """Adds a person's track record items to a batch."""

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
            "id": self.bulk.new_id(TrackRecordItem),
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
            "sources_ids": sources,  # bulk.py fills track_record_source
        }
        batch.track_record_item.append(row)

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
        status = pick(rng, LEGAL_STATUS_WEIGHTS)
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
            status = pick(rng, ((P, 0.72), (PA, 0.1), (R, 0.18)))
        else:
            status = pick(rng, ((NA, 0.68), (P, 0.12), (NF, 0.2)))
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
