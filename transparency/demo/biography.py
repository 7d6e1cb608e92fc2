"""The biography a fictional candidate's "Daftar Riwayat Hidup" would show: a few sentences of
birth, family, schooling, occupation, organisation and why they stand."""

from __future__ import annotations

from random import Random

_OPENINGS = (
    "{name} lahir di {place} pada {born}.",
    "Lahir di {place}, {born}, {name} tumbuh di keluarga {family}.",
    "{name} adalah {child} daerah kelahiran {place} ({born}).",
    "Sejak kecil {name} tinggal di {place}, kota kelahirannya.",
)
_FAMILIES = (
    "petani",
    "guru",
    "pedagang kecil",
    "nelayan",
    "pegawai negeri",
    "buruh pabrik",
    "perantau",
    "pemuka agama",
)
_MIDDLES = (
    "Setelah menamatkan {education}, ia bekerja sebagai {occupation}.",
    "Pendidikan terakhirnya {education}; sehari-hari ia bekerja sebagai {occupation}.",
    "Ia menempuh {education} dan kini tercatat sebagai {occupation}.",
    "Lulusan {education} ini dikenal di lingkungannya sebagai {occupation}.",
)
_ACTIVE = (
    "Ia aktif di {organisation}.",
    "Di luar pekerjaannya ia menjadi pengurus {organisation}.",
    "Pengalaman berorganisasinya dimulai di {organisation}.",
    "Bersama {organisation} ia terlibat dalam kegiatan sosial di daerahnya.",
)
_CLOSINGS = (
    "Ia maju sebagai calon anggota {office} karena ingin {motive}.",
    "Pencalonannya di {district} didorong keinginan untuk {motive}.",
    "Menurutnya, kursi {office} adalah jalan untuk {motive}.",
    "Ia berjanji {motive} bila terpilih.",
)


def occupation_prose(occupation: str, woman: bool) -> str:
    """The occupation as a sentence says it: "ibu rumah tangga", "anggota DPR RI"."""
    if occupation == "Mengurus Rumah Tangga":
        return "ibu rumah tangga" if woman else "pengurus rumah tangga"
    if occupation in PROSE:
        return PROSE[occupation]
    words = occupation.split()
    return " ".join([words[0].lower(), *words[1:]]) if not words[0].isupper() else occupation


PROSE = {
    "Petani/Pekebun": "petani",
    "Nelayan/Perikanan": "nelayan",
    "Pelajar/Mahasiswa": "mahasiswa",
    "Pensiunan PNS": "pensiunan pegawai negeri",
    "Buruh Harian Lepas": "buruh harian lepas",
    "Karyawan Swasta": "karyawan swasta",
    "Perangkat Desa": "perangkat desa",
    "Tokoh Adat": "tokoh adat",
    "Mantan Kepala Daerah": "mantan kepala daerah",
}


def write(
    rng: Random,
    *,
    woman: bool,
    name: str,
    place: str,
    born: str,
    education: str,
    occupation: str,
    organisation: str | None,
    office: str,
    district: str,
    motive: str,
) -> str:
    family = rng.choice(_FAMILIES)
    child = "putri" if woman else "putra"
    opening = rng.choice(_OPENINGS)
    parts = [opening.format(name=name, place=place, born=born, family=family, child=child)]
    prose = occupation_prose(occupation, woman)
    parts.append(rng.choice(_MIDDLES).format(education=education, occupation=prose))
    if organisation:
        parts.append(rng.choice(_ACTIVE).format(organisation=organisation))
    parts.append(rng.choice(_CLOSINGS).format(office=office, district=district, motive=motive))
    return " ".join(parts)
