"""Where the demo candidacies stand: how many per level, which districts, which party lists.

DPR and DPD districts are the real ones from the reference data. DPRD districts and the
kab/kota regions they belong to are generated (and marked fictional): their number follows
N, so a small demo has full-looking lists in a few places rather than empty districts.
Everything here is bounded by the size of the country, never by N.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from random import Random

from transparency.demo.places import REGENCY_COUNTS, fictional_regency_name

ACEH = "11"
# The 2024 shares at full scale: DPR 9,917 and DPD 668 of about 250,000.
DPR_FULL = 9917
DPD_FULL = 668
DPR_SHARE = 0.30  # small demos keep the national level well represented
DPD_SHARE = 0.05
PROVINSI_SHARE_OF_DPRD = 0.136  # of what DPR and DPD leave: about 13% of all at full scale
# Share of the seats x parties capacity a level's lists fill in 2024.
FILL = {"DPRD_PROVINSI": 0.7, "DPRD_KABKOTA": 0.65}
MIN_LIST_FILL = 0.5  # below this, fewer parties stand per district instead of shorter lists


@dataclass(frozen=True)
class PartySpec:
    id: int
    number: int
    short_name: str
    local: bool  # an Aceh-local party


@dataclass
class DistrictSpec:
    office: str
    code: str
    name: str
    seats: int
    province_code: str
    place: str  # how the texts name the area ("Jawa Tengah", "Kabupaten Wonomulyo")
    region_code: str | None = None
    region_name: str | None = None
    id: int = 0
    parties: list[PartySpec] = field(default_factory=list)

    @property
    def capacity(self) -> int:
        return self.seats * len(self.parties)


@dataclass(frozen=True)
class Targets:
    dpr: int
    dpd: int
    provinsi: int
    kabkota: int

    @property
    def total(self) -> int:
        return self.dpr + self.dpd + self.provinsi + self.kabkota


def targets(n: int) -> Targets:
    dpr = min(DPR_FULL, round(n * DPR_SHARE))
    dpd = min(DPD_FULL, round(n * DPD_SHARE))
    provinsi = round((n - dpr - dpd) * PROVINSI_SHARE_OF_DPRD)
    return Targets(dpr, dpd, provinsi, n - dpr - dpd - provinsi)


def split_seats(rng: Random, seats: int, low: int, high: int, average: float) -> list[int]:
    """Seats of the districts of one assembly: each between low and high."""
    count = max(1, math.ceil(seats / high), round(seats / average))
    count = min(count, max(1, seats // low))
    base, extra = divmod(seats, count)
    result = [base + (1 if i < extra else 0) for i in range(count)]
    for _ in range(count):  # uneven, as real districts are
        i, j = rng.randrange(count), rng.randrange(count)
        move = rng.randint(0, 2)
        if result[i] - move >= low and result[j] + move <= high:
            result[i] -= move
            result[j] += move
    return result


def provinsi_districts(
    seed: int, provinces: dict[str, str], prefixes: dict[str, str], dpr_seats: dict[str, int]
) -> dict[str, list[DistrictSpec]]:
    """Every province's DPRD provinsi districts, e.g. JAWA TENGAH 3 (code 33P03)."""
    result: dict[str, list[DistrictSpec]] = {}
    for code, name in provinces.items():
        rng = Random(f"{seed}:provinsi:{code}")  # noqa: S311 - demo data, not secrets
        seats = min(120, max(35, 35 + 3 * dpr_seats.get(code, 3)))
        parts = split_seats(rng, seats, 3, 12, 8.5)
        result[code] = [
            DistrictSpec(
                office="DPRD_PROVINSI",
                code=f"{code}P{number:02d}",
                name=f"{prefixes.get(code, name.upper())} {number}",
                seats=part,
                province_code=code,
                place=name,
            )
            for number, part in enumerate(parts, start=1)
        ]
    return result


def kabkota_districts(seed: int, code: str) -> list[list[DistrictSpec]]:
    """The fictional kab/kota of one province, each a list of its DPRD districts."""
    rng = Random(f"{seed}:kabkota:{code}")  # noqa: S311 - demo data, not secrets
    regencies: list[list[DistrictSpec]] = []
    used: set[str] = set()
    count = REGENCY_COUNTS.get(code, 0)
    for number in range(1, count + 1):
        base = fictional_regency_name(rng, code)
        while base in used:
            base = fictional_regency_name(rng, code)
        used.add(base)
        city = rng.random() < 0.18
        kind = "Kota" if city else "Kabupaten"
        seats = rng.choice((20, 25, 30) if city else (25, 30, 35, 40, 45, 50, 55))
        region_code = f"{code}X{number:02d}"  # X: not a Kemendagri code, on purpose
        label = f"KOTA {base.upper()}" if city else base.upper()
        regencies.append(
            [
                DistrictSpec(
                    office="DPRD_KABKOTA",
                    code=f"{region_code}-{k}",
                    name=f"{label} {k}",
                    seats=part,
                    province_code=code,
                    place=f"{kind} {base}",
                    region_code=region_code,
                    region_name=f"{kind} {base}",
                )
                for k, part in enumerate(split_seats(rng, seats, 3, 12, 7.5), start=1)
            ]
        )
    return regencies


def province_order(seed: int, codes: list[str]) -> list[str]:
    """Aceh first, so even a small demo shows Aceh's local parties; the rest shuffled."""
    rng = Random(f"{seed}:order")  # noqa: S311 - demo data, not secrets
    rest = [code for code in codes if code != ACEH]
    rng.shuffle(rest)
    return [ACEH, *rest] if ACEH in codes else rest


def choose_until(groups: Iterator[list[DistrictSpec]], needed: float) -> list[DistrictSpec]:
    """Whole groups (a province's or a kab/kota's districts) until their capacity suffices."""
    chosen: list[DistrictSpec] = []
    capacity = 0
    for group in groups:
        if capacity >= needed:
            break
        chosen.extend(group)
        capacity += sum(district.capacity for district in group)
    return chosen


def round_robin(
    per_province: dict[str, list[list[DistrictSpec]]], order: list[str]
) -> Iterator[list[DistrictSpec]]:
    """One kab/kota of each province in turn, so a small demo spreads over the country."""
    depth = max((len(groups) for groups in per_province.values()), default=0)
    for i in range(depth):
        for code in order:
            groups = per_province.get(code, [])
            if i < len(groups):
                yield groups[i]


def fill_lists(
    districts: list[DistrictSpec], target: int
) -> Iterator[tuple[DistrictSpec, PartySpec, int]]:
    """(district, party, list length) until `target` candidacies: lists fill evenly, at most
    `seats` long; with few candidacies, fewer parties stand in each district."""
    capacity = sum(district.capacity for district in districts)
    if target <= 0 or capacity == 0:
        return
    fill = max(min(1.0, target / capacity), MIN_LIST_FILL)
    assigned = 0
    expected = 0.0
    rounds = max(len(district.parties) for district in districts)
    for r in range(rounds):
        for district in districts:
            if r >= len(district.parties):
                continue
            expected += fill * district.seats
            length = min(district.seats, max(1, round(expected) - assigned), target - assigned)
            assigned += length
            yield district, district.parties[r], length
            if assigned >= target:
                return


def dpd_lengths(districts: list[DistrictSpec], target: int, seed: int) -> list[int]:
    """Candidates per province for DPD: uneven, as in 2024 (10 to 30 at full scale)."""
    rng = Random(f"{seed}:dpd")  # noqa: S311 - demo data, not secrets
    weights = [rng.uniform(0.6, 1.6) for _ in districts]
    total = sum(weights)
    lengths: list[int] = []
    expected = 0.0
    assigned = 0
    for weight in weights:
        expected += target * weight / total
        length = max(0, round(expected) - assigned)
        lengths.append(length)
        assigned += length
    return lengths
