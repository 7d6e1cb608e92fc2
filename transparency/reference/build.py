"""Build the project's compact area file from the compiled 2024 districting facts.

    .venv/bin/python -m transparency.reference.build ../shared/reference

Writes `areas-2024.csv` and the two DPRD district files beside this module. One row per
place a voter may name: every kab/kota (4-digit code), every kecamatan the districting
lists (6 digits), and the desa of the few kecamatan split between districts (10 digits).
Each row names the district that holds it at each level, or leaves the column empty when
the level is decided by a finer row (a split) or by the row above it. The sources, their
licences and their gaps are described in docs/reference-data.md.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
LEVELS = (
    ("dpr", "dpr-district-areas-2024.csv"),
    ("dprd_provinsi", "dprd-provinsi-district-areas-2024.csv"),
    ("dprd_kabkota", "dprd-kabkota-district-areas-2024.csv"),
)
# Kecamatan of Kemendagri's 2025 list created after KPU drew the districts: no 2024 DPRD
# kab/kota district is known for them (the source README names these three).
NEWER_KECAMATAN = (
    ("720124", "Toili Jaya"),
    ("720620", "Sombori Kepulauan"),
    ("810516", "Ukar Sengan"),
)
ABROAD_SUFFIX = " + LUAR NEGERI"
ABROAD_CODE = "LN"  # KPU's area of the voters abroad; not a Kemendagri code
COLUMNS = ("code", "name", "kpu_name", "dpr", "dprd_provinsi", "dprd_kabkota")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _kpu_spelling(kpu_name: str, name: str) -> str:
    """KPU's spelling when it differs from the 2025 name other than by case ("/" is "'")."""
    spelled = kpu_name.replace("/", "'")
    return "" if spelled.casefold() == name.casefold() else spelled.title()


def build(source: Path) -> dict[str, list[dict[str, str]]]:
    places: dict[str, dict[str, str]] = {}
    for level, file_name in LEVELS:
        for row in _read(source / file_name):
            code = row["desa_code"] or row["kecamatan_code"] or row["regency_code"]
            place = places.setdefault(code, {column: "" for column in COLUMNS} | {"code": code})
            place["name"] = place["name"] or row["kemendagri_name"]
            if row["kpu_name"].endswith(ABROAD_SUFFIX):
                # KPU's "JAKARTA PUSAT + LUAR NEGERI": the voters abroad vote in that district.
                row = {**row, "kpu_name": row["kpu_name"].removesuffix(ABROAD_SUFFIX)}
                places[ABROAD_CODE] = {column: "" for column in COLUMNS} | {
                    "code": ABROAD_CODE,
                    "name": "Luar Negeri",
                    "dpr": row["district_code"],
                }
            if not place["kpu_name"]:
                place["kpu_name"] = _kpu_spelling(row["kpu_name"], row["kemendagri_name"])
            if place[level] and place[level] != row["district_code"]:
                raise SystemExit(f"{file_name}: {code} is in two {level} districts")
            place[level] = row["district_code"]
            if row["regency_code"] not in places:
                raise SystemExit(f"{file_name}: {code} is in a regency no DPR district holds")
            # A kecamatan split into desa gets a row of its own; most have no name in the
            # sources (the app labels them by their desa).
            kecamatan = row["kecamatan_code"]
            if kecamatan and kecamatan != code:
                places.setdefault(
                    kecamatan, {column: "" for column in COLUMNS} | {"code": kecamatan}
                )
    for code, name in NEWER_KECAMATAN:
        if code[:4] not in places:
            raise SystemExit(f"regency {code[:4]} of {name} is in no district file")
        places.setdefault(code, {column: "" for column in COLUMNS} | {"code": code, "name": name})
    regencies = {row["code"]: row for row in _read(source / "regencies.csv")}
    for code, place in places.items():
        if len(code) == 4:
            if code not in regencies:
                raise SystemExit(f"regency {code} is not in regencies.csv")
            short = regencies[code]["short_name"].casefold()
            if place["kpu_name"].casefold() in (short, f"kota {short}"):
                place["kpu_name"] = ""
            if not place["dpr"]:
                raise SystemExit(f"regency {code} has no DPR district")
    provinsi = [
        {"code": row["code"], "name": row["name"], "seats": row["seats"]}
        for row in _read(source / "dprd-provinsi-districts-2024.csv")
    ]
    kabkota = [
        {"code": row["code"], "name": row["name"], "seats": row["seats"]}
        for row in _read(source / "dprd-kabkota-districts-2024.csv")
    ]
    return {
        "areas-2024.csv": sorted(places.values(), key=lambda p: p["code"]),
        "dprd-provinsi-districts-2024.csv": provinsi,
        "dprd-kabkota-districts-2024.csv": kabkota,
    }


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m transparency.reference.build SHARED_REFERENCE_DIR")
    for file_name, rows in build(Path(sys.argv[1])).items():
        with (HERE / file_name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"{file_name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
