"""Where the demo candidacies stand: how many per level, which districts, which party lists.

Every district is a real one of the reference data, with its real seats. A small demo fills
the lists of a few provinces and kab/kota rather than leaving every district nearly empty.
Everything here is bounded by the size of the country, never by N.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from random import Random

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
# Seats the sources do not give (Aceh's DPRD kab/kota districts, whose lists may hold 120%
# of them): the demo uses the typical size of a 2024 kab/kota district.
SEATS_WHEN_UNKNOWN = {"DPR": 1, "DPD": 4, "DPRD_PROVINSI": 1, "DPRD_KABKOTA": 7}


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
    place: str  # how the texts name the area ("Jawa Tengah", "Kabupaten Karanganyar")
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
