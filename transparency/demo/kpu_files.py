"""Fictional candidate lists written as the commission publishes them: one JSON file per
district and level (dpr/, dpd/, dprdprov/, dprdkk/), in its exact structure and key order, so
that a newcomer can try `import-candidates --format kpu-dct-json` and the benchmark can time it.

Everything is made up: names come from the demo's name traditions, photo addresses point at
contoh.example with 16-digit file names that start with "00" (never a possible identity
number: no province has code 00), and portal tokens are zeros. The district codes, party ids and
logo paths are the commission's public reference data. The shares of consent statuses and
of sections follow the 2024 publication roughly (docs/import-format.md).
"""

from __future__ import annotations

import base64
import csv
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from random import Random

from transparency.demo.name_regions import traditions_for
from transparency.demo.names import plain_name
from transparency.importer.kpu_json import SECTIONS

# The publication's size: 258,229 entries in 2,748 files.
FULL = {"dpr": 9_917, "dpd": 668, "dprdprov": 32_861, "dprdkk": 214_783}
ACEH = "11"
LOGO = "berkas-sipol/parpol/profil/gambar_parpol/"
NATIONAL_IDS = (8, 10, 12, 9, 4, 41, 77, 6, 26, 5, 44, 7, 74, 13, 76, 18, 11, 78)
ACEH_LOCAL_IDS = (82, 83, 93, 79, 84, 80)
LOGOS = {
    8: "1656538128_Logo%20PKB.png",
    10: "1657710596_Logo%20GERINDRA%2010x10.png",
    12: "1656305039_LOGO%20PDI%20PERJUANGAN.png",
    9: "1656586681_Logo%20Golkar.png",
    4: "1656224727_Logo%20NasDem%20KPU.png",
    41: "1659959325_LOGO%20RESMI%20PB.png",
    77: "1658983159_Logo%20Gelora%20Portrait.png",
    6: "1656395115_lambang_pks.png",
    26: "1656155242_logo%20PKN-.png",
    5: "1659263373_hanura_10x10.png",
    44: "1656406064_Logo%20Partai%20Garuda%20square.png",
    7: "1656404797_LOGO%20PAN.png",
    74: "1659262742_LOGO%20PBB.png",
    13: "1656229496_WhatsApp%20Image%202022-06-26%20at%201.53.14%20PM.png",
    76: "1656419883_logo-10x10.png",
    18: "1656144884_LOGO%20PARTAI%20PERINDO%2010x10%20cm%20(RGB).png",
    11: "1658455987_Logo%20PPP.png",
    82: "1657205782_PNA.png",
    83: "1656604360_BENDERA.png",
    93: "1658110917_Gambar%20Partai%20Darul%20Aceh.png",
    79: "1659435873_LAMBANG%20PARTAI%20ACEH.png",
    84: "1658500260_LOGOPASFIX.png",
    80: "1659823143_Logo%20Partai%2010x10%20cm%20unk%20SIPOL_PNG.png",
    78: "1656157120_LOGO%20PARTAI%20UMMAT%2010X10%20CM%20KPU.png",
}
# (empty profile, Bersedia, Bersedia Sebagian, Tidak Bersedia, no status): cumulative shares
STATUS_SHARES = {
    "dpr": (0.194, 0.531, 0.894, 0.995, 1.0),
    "dprdprov": (0.215, 0.739, 1.0, 1.0, 1.0),
    "dprdkk": (0.174, 0.801, 1.0, 1.0, 1.0),
}
DPD_EMPTY = 0.382
TRAILING_NUMBER = re.compile(r"\s+\d+$")


@dataclass(frozen=True)
class District:
    level: str
    code: str
    province: str
    domicile: str


def _reference(name: str) -> list[dict[str, str]]:
    text = resources.files("transparency.reference").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _shares(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, exactly (largest remainder)."""
    whole = sum(weights)
    raw = [total * weight / whole for weight in weights]
    counts = [int(value) for value in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def districts() -> list[tuple[District, int]]:
    """Every district of the four levels with its number of entries (FULL in all)."""
    kabkota = _reference("dprd-kabkota-districts-2024.csv")
    found: list[tuple[District, int]] = []
    dpr = _reference("dpr-districts-2024.csv")
    for row, count in zip(
        dpr, _shares(FULL["dpr"], [float(r["final_list_candidates"]) for r in dpr]), strict=True
    ):
        found.append((District("dpr", row["code"], row["code"][:2], ""), count))
    provinces = _reference("provinces.csv")
    for row, count in zip(provinces, _shares(FULL["dpd"], [1.0] * len(provinces)), strict=True):
        found.append((District("dpd", row["code"], row["code"], row["name"].upper()), count))
    for level, rows in (
        ("dprdprov", _reference("dprd-provinsi-districts-2024.csv")),
        ("dprdkk", kabkota),
    ):
        weights = [float(r["seats"] or 30) for r in rows]
        for row, count in zip(rows, _shares(FULL[level], weights), strict=True):
            domicile = TRAILING_NUMBER.sub("", row["name"]) if level == "dprdkk" else ""
            found.append((District(level, row["code"], row["code"][:2], domicile), count))
    return found


def _token(n: int) -> str:
    tail = base64.b64encode(f"FIKTIF{n:026d}".encode()).decode()[:43]
    return f"{n:0128d}{tail}="


class Writer:
    """Writes fictional district files; one Random for all, so a seed gives the same files."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(seed)  # noqa: S311 - demo data, not secrets
        self.serial = 0
        self.towns: dict[str, list[str]] = {}
        for row in _reference("dprd-kabkota-districts-2024.csv"):
            name = TRAILING_NUMBER.sub("", row["name"])
            self.towns.setdefault(row["code"][:2], [])
            if name not in self.towns[row["code"][:2]]:
                self.towns[row["code"][:2]].append(name)
        # Parties choose the same sections for many of their candidates, as in 2024.
        self.party_sections: dict[int, str] = {
            party: self._sections() for party in (*NATIONAL_IDS, *ACEH_LOCAL_IDS)
        }

    def _sections(self) -> str:
        chosen = [name for name in SECTIONS if self.rng.random() < 0.5] or ["datadiri"]
        return ",".join(chosen)

    def _person(self, province: str) -> tuple[str, str]:
        traditions, weights = traditions_for(province)
        tradition = self.rng.choices(traditions, cum_weights=weights)[0]
        woman = self.rng.random() < 0.37
        return plain_name(self.rng, tradition, woman).upper(), "P" if woman else "L"

    def _photo(self) -> str:
        self.serial += 1
        base = "https://contoh.example/dct/berkas-silon/"
        if self.rng.random() < 0.11:
            return f"{base}calon_unggah/9{self.serial % 997:04d}/pas_foto/{self.serial:016d}.jpg"
        return (
            f"{base}calon/{9000000 + self.serial}/pas_foto/"
            f"{1700000000 + self.serial}_00000000-0000-4000-8000-{self.serial:012d}.jpeg"
        )

    def _domicile(self, district: District) -> str:
        if district.domicile and self.rng.random() < 0.8:
            return district.domicile
        return self.rng.choice(self.towns.get(district.province) or ["KOTA CONTOH"])

    def _profile(self, level: str, party: int) -> dict[str, str]:
        roll = self.rng.random()
        empty, published, partial, refused, _ = STATUS_SHARES[level]
        if roll < empty:
            return {}
        profile = {"id_calon_dpr": _token(self.serial), "logo_partai": LOGO + LOGOS[party]}
        if roll < published:
            if level == "dpr":
                profile["id_parpol"] = str(party)
            profile["status_publikasi"] = "Bersedia"
        elif roll < partial:
            same = self.rng.random() < 0.7
            profile["pilihan_publikasi"] = self.party_sections[party] if same else self._sections()
            profile["status_publikasi"] = "Bersedia Sebagian"
        elif roll < refused:
            profile["id_parpol"] = str(party)
            profile["status_publikasi"] = "Tidak Bersedia"
        else:
            profile["id_parpol"] = str(party)  # a profile without a status
        return profile

    def entries(self, district: District, count: int) -> list[dict[str, object]]:
        if district.level == "dpd":
            return [self._dpd(district, number) for number in range(1, count + 1)]
        parties = list(NATIONAL_IDS)
        if district.level == "dprdkk" and district.province == ACEH:
            parties += ACEH_LOCAL_IDS
        lengths = _shares(count, [1.0] * len(parties))
        entries: list[dict[str, object]] = []
        for party, length in zip(parties, lengths, strict=True):
            for number in range(1, length + 1):
                name, gender = self._person(district.province)
                entries.append(
                    {
                        "nomor_urut": number,
                        "foto": self._photo(),
                        "nama": f"{name} FIKTIF",
                        "jenis_kelamin": gender,
                        "alamat_kabko": self._domicile(district),
                        "profile": self._profile(district.level, party),
                        "id_partai": party,
                        "kode_dapil": district.code,
                    }
                )
        return entries

    def _dpd(self, district: District, number: int) -> dict[str, object]:
        name, gender = self._person(district.province)
        self.serial += 1
        profile: dict[str, str] = {}
        if self.rng.random() >= DPD_EMPTY:
            profile = {"ID_CANDIDATE": _token(self.serial), "pilihan_publikasi": "BERSEDIA"}
        town = self.rng.choice(self.towns.get(district.province) or ["KOTA CONTOH"])
        prefix = "" if town.startswith("KOTA ") else "KAB. "
        return {
            "nomor_urut": number,
            "foto": f"https://contoh.example/dpd/{district.code}-{number}.jpg",
            "nama": f"{name} FIKTIF",
            "jenis_kelamin": gender,
            "alamat_kabko": f"{prefix}{town} / {district.domicile}",
            "profile": profile,
            "kode_propinsi": district.code,
        }


def write_files(folder: Path, seed: int = 2024, scale: float = 1.0) -> tuple[int, int]:
    """Write the fictional publication under `folder`; (files, entries). `scale` < 1 keeps
    every district and shortens its lists (at least one entry each)."""
    writer = Writer(seed)
    files = entries = 0
    for district, count in districts():
        wanted = max(1, round(count * scale))
        content = writer.entries(district, wanted)
        path = folder / district.level / f"{district.code}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        # As published: a 2-space indent, no newline at the end.
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False), encoding="utf-8")
        files += 1
        entries += len(content)
    return files, entries
