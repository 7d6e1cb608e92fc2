"""A fictional candidate's profile: education with the degrees on the ballot, occupation,
career and organisations as KPU's "Daftar Riwayat Hidup" lists them (the prose: biography.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from transparency.demo.names import CHRISTIAN, MUSLIM
from transparency.demo.places import NATIONAL_UNIVERSITIES, UNIVERSITIES

# Education levels and their weights per office: national candidates study longer.
EDUCATION_WEIGHTS: dict[str, tuple[int, int, int, int, int]] = {
    # SMA, D3, S1, S2, S3 (cumulative weights are built below)
    "DPR": (12, 3, 42, 33, 10),
    "DPD": (15, 3, 40, 30, 12),
    "DPRD_PROVINSI": (25, 5, 45, 22, 3),
    "DPRD_KABKOTA": (45, 6, 40, 8, 1),
}
LEVELS = ("SMA", "D3", "S1", "S2", "S3")

# (suffix, field of study); "dr." and "Ir." are prefixes, as they are written.
BACHELOR = (
    ("S.H.", "Ilmu Hukum"),
    ("S.E.", "Manajemen"),
    ("S.E.", "Ekonomi Pembangunan"),
    ("S.E.", "Akuntansi"),
    ("S.Pd.", "Pendidikan Bahasa Indonesia"),
    ("S.Pd.", "Pendidikan Guru Sekolah Dasar"),
    ("S.Pd.", "Pendidikan Matematika"),
    ("S.Sos.", "Ilmu Komunikasi"),
    ("S.Sos.", "Sosiologi"),
    ("S.IP.", "Ilmu Pemerintahan"),
    ("S.IP.", "Ilmu Politik"),
    ("S.T.", "Teknik Sipil"),
    ("S.T.", "Teknik Elektro"),
    ("S.Kom.", "Teknik Informatika"),
    ("S.P.", "Agribisnis"),
    ("S.P.", "Agronomi"),
    ("S.Pi.", "Budi Daya Perairan"),
    ("S.Kep.", "Ilmu Keperawatan"),
    ("S.Psi.", "Psikologi"),
    ("S.Hut.", "Kehutanan"),
    ("S.AP.", "Administrasi Publik"),
    ("S.KM.", "Kesehatan Masyarakat"),
    ("dr.", "Pendidikan Dokter"),
)
MUSLIM_BACHELOR = (("S.Ag.", "Pendidikan Agama Islam"), ("S.H.I.", "Hukum Keluarga Islam"))
CHRISTIAN_BACHELOR = (("S.Th.", "Teologi"),)
MASTER = (
    ("M.Si.", "Ilmu Administrasi"),
    ("M.Si.", "Ilmu Politik"),
    ("M.Si.", "Ilmu Lingkungan"),
    ("M.M.", "Manajemen"),
    ("M.H.", "Ilmu Hukum"),
    ("M.Pd.", "Manajemen Pendidikan"),
    ("M.A.P.", "Administrasi Publik"),
    ("M.Kes.", "Kesehatan Masyarakat"),
    ("M.T.", "Teknik Sipil"),
    ("M.E.", "Ilmu Ekonomi"),
)
DOCTORATE = (
    "Ilmu Hukum",
    "Ilmu Pemerintahan",
    "Ilmu Manajemen",
    "Ilmu Ekonomi",
    "Ilmu Lingkungan",
    "Ilmu Administrasi Publik",
    "Ilmu Pendidikan",
)
DIPLOMA = (
    "Keperawatan",
    "Kebidanan",
    "Akuntansi",
    "Manajemen Informatika",
    "Perhotelan",
    "Teknik Mesin",
)


@dataclass
class Education:
    level: str
    prefix: str = ""  # "Dr.", "Ir.", "dr." as written before the name
    suffix: str = ""  # "S.H., M.H."
    summary: str = ""  # Person.education: the highest education, as declared
    # (title, organisation, start_year, end_year) for the track record
    items: list[tuple[str, str, int, int]] = field(default_factory=list)
    field_of_study: str = ""


def education(
    rng: Random, office: str, religion: str, birth_year: int, province: str, city: str
) -> Education:
    weights = EDUCATION_WEIGHTS[office]
    level = rng.choices(LEVELS, weights=weights)[0]
    school_year = birth_year + 18
    school = rng.choice(("SMA Negeri", "SMA Negeri", "SMK Negeri", "MAN", "SMA Swasta"))
    school_name = f"{school} {rng.randint(1, 9)} {city}"
    result = Education(level=level, summary=f"{school_name} (lulus {school_year})")
    result.items.append(("Sekolah menengah atas", school_name, school_year - 3, school_year))
    if level == "SMA":
        return result
    local = UNIVERSITIES.get(province, "Universitas Terbuka")
    if level == "D3":
        study = rng.choice(DIPLOMA)
        result.suffix = "A.Md."
        result.field_of_study = study
        result.summary = f"D3 {study}, Politeknik Negeri {city} (lulus {school_year + 3})"
        result.items.append(
            (f"Diploma III {study}", f"Politeknik Negeri {city}", school_year, school_year + 3)
        )
        return result
    pool = BACHELOR + (MUSLIM_BACHELOR if religion == MUSLIM else ())
    pool += CHRISTIAN_BACHELOR if religion == CHRISTIAN else ()
    degree, study = rng.choice(pool)
    university = local if rng.random() < 0.65 else rng.choice(NATIONAL_UNIVERSITIES)
    graduated = school_year + rng.randint(4, 6)
    result.field_of_study = study
    result.items.append((f"Sarjana {study}", university, school_year, graduated))
    result.summary = f"S1 {study}, {university} (lulus {graduated})"
    suffixes: list[str] = []
    if degree == "dr.":
        result.prefix = "dr."
    elif degree == "S.T." and birth_year < 1972:
        result.prefix = "Ir."  # the engineer's title before the S.T. of 1993
    else:
        suffixes.append(degree)
    if level in ("S2", "S3"):
        master, master_study = rng.choice(MASTER)
        start = graduated + rng.randint(1, 10)
        master_university = rng.choice((local, *NATIONAL_UNIVERSITIES))
        result.items.append((f"Magister {master_study}", master_university, start, start + 2))
        result.summary = f"S2 {master_study}, {master_university} (lulus {start + 2})"
        suffixes.append(master)
        if level == "S3":
            doctor_start = start + rng.randint(2, 10)
            doctor_study = rng.choice(DOCTORATE)
            doctor_university = rng.choice((*NATIONAL_UNIVERSITIES[:5], local))
            result.items.append(
                (f"Doktor {doctor_study}", doctor_university, doctor_start, doctor_start + 4)
            )
            result.summary = f"S3 {doctor_study}, {doctor_university} (lulus {doctor_start + 4})"
            result.prefix = "Dr. " + result.prefix if result.prefix else "Dr."
            if rng.random() < 0.08:
                result.prefix = "Prof. " + result.prefix
    result.suffix = ", ".join(suffixes)
    return result


# Occupations as KPU lists them, with weights per office.
OCCUPATIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "DPR": (
        ("Anggota DPR RI", 20),
        ("Wiraswasta", 22),
        ("Karyawan Swasta", 12),
        ("Advokat", 6),
        ("Anggota DPRD Provinsi", 8),
        ("Dosen", 5),
        ("Mengurus Rumah Tangga", 6),
        ("Pengusaha", 8),
        ("Pensiunan PNS", 3),
        ("Dokter", 2),
        ("Konsultan", 3),
        ("Wartawan", 2),
        ("Pensiunan TNI/Polri", 2),
        ("Guru", 1),
    ),
    "DPD": (
        ("Anggota DPD RI", 20),
        ("Wiraswasta", 20),
        ("Dosen", 12),
        ("Tokoh Adat", 8),
        ("Pensiunan PNS", 10),
        ("Pengusaha", 12),
        ("Ulama/Pendeta", 8),
        ("Advokat", 5),
        ("Mantan Kepala Daerah", 5),
    ),
    "DPRD_PROVINSI": (
        ("Anggota DPRD Provinsi", 14),
        ("Wiraswasta", 28),
        ("Karyawan Swasta", 14),
        ("Mengurus Rumah Tangga", 10),
        ("Guru", 6),
        ("Petani/Pekebun", 6),
        ("Pedagang", 6),
        ("Advokat", 4),
        ("Anggota DPRD Kabupaten/Kota", 6),
        ("Dosen", 3),
        ("Wartawan", 2),
        ("Bidan", 1),
    ),
    "DPRD_KABKOTA": (
        ("Anggota DPRD Kabupaten/Kota", 9),
        ("Wiraswasta", 30),
        ("Karyawan Swasta", 12),
        ("Mengurus Rumah Tangga", 12),
        ("Petani/Pekebun", 10),
        ("Pedagang", 8),
        ("Guru", 5),
        ("Nelayan/Perikanan", 3),
        ("Buruh Harian Lepas", 3),
        ("Perangkat Desa", 3),
        ("Sopir", 1),
        ("Perawat", 1),
        ("Pelajar/Mahasiswa", 1),
        ("Tukang", 1),
        ("Bidan", 1),
    ),
}

_COMPANY_A = ("Sinar", "Mitra", "Karya", "Bumi", "Cahaya", "Tunas", "Sumber", "Prima", "Citra")
_COMPANY_B = ("Nusantara", "Abadi", "Mandiri", "Sejahtera", "Utama", "Bersama", "Lestari", "Jaya")


def company(rng: Random) -> str:
    kind = rng.choice(("PT", "PT", "CV", "Koperasi"))
    return f"{kind} {rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)} (fiktif)"


def career_items(
    rng: Random, occupation: str, city: str, study: str, first_year: int, count: int
) -> list[tuple[str, str]]:
    """(title, organisation) of jobs, the current occupation last."""
    options = [
        (f"Staf administrasi di {company(rng)}", ""),
        ("Guru honorer", f"SD Negeri {rng.randint(1, 12)} {city}"),
        ("Wartawan", f"Harian Kabar {city} (fiktif)"),
        ("Pendamping desa", f"Program pemberdayaan masyarakat desa, {city}"),
        ("Manajer operasional", company(rng)),
        ("Direktur", company(rng)),
        ("Advokat", f"Kantor Hukum {rng.choice(_COMPANY_A)} & Rekan (fiktif)"),
        ("Ketua", f"Koperasi Tani {rng.choice(_COMPANY_B)} (fiktif)"),
        ("Staf ahli fraksi", f"DPRD {city}"),
        ("Fasilitator", f"Lembaga Swadaya Masyarakat Peduli {city} (fiktif)"),
        ("Dosen tidak tetap", f"Fakultas {study or 'Ekonomi'}, universitas swasta di {city}"),
        ("Pemilik usaha", f"Toko bangunan di {city}"),
        ("Kepala Desa", f"Desa {rng.choice(_COMPANY_A)}{rng.choice(('jaya', 'sari', 'makmur'))}"),
    ]
    rng.shuffle(options)
    chosen = options[: max(0, count - 1)]
    chosen.append((occupation, city))
    return chosen


ORGANISATIONS_MUSLIM = (
    "Nahdlatul Ulama",
    "Gerakan Pemuda Ansor",
    "Muhammadiyah",
    "Pemuda Muhammadiyah",
    "Himpunan Mahasiswa Islam (HMI)",
    "Pergerakan Mahasiswa Islam Indonesia (PMII)",
    "Ikatan Mahasiswa Muhammadiyah (IMM)",
    "Majelis Taklim Al-Hidayah (fiktif)",
)
ORGANISATIONS_MUSLIM_WOMEN = ("Fatayat NU", "Muslimat NU", "Aisyiyah", "Nasyiatul Aisyiyah")
ORGANISATIONS_CHRISTIAN = (
    "Gerakan Mahasiswa Kristen Indonesia (GMKI)",
    "Perhimpunan Mahasiswa Katolik Republik Indonesia (PMKRI)",
    "Pemuda Gereja (fiktif)",
)
ORGANISATIONS = (
    "Komite Nasional Pemuda Indonesia (KNPI)",
    "Karang Taruna",
    "Pramuka",
    "Gerakan Mahasiswa Nasional Indonesia (GMNI)",
    "Kamar Dagang dan Industri (KADIN)",
    "Himpunan Pengusaha Muda Indonesia (HIPMI)",
    "Himpunan Kerukunan Tani Indonesia (HKTI)",
    "Himpunan Nelayan Seluruh Indonesia (HNSI)",
    "Persatuan Guru Republik Indonesia (PGRI)",
    "Palang Merah Indonesia",
    "Forum Relawan Bencana (fiktif)",
    "Ikatan Alumni SMA (fiktif)",
    "Paguyuban Pedagang Pasar (fiktif)",
    "Persatuan Penyandang Disabilitas Indonesia",
    "Lembaga Adat (fiktif)",
    "Asosiasi UMKM Daerah (fiktif)",
)
ORGANISATIONS_WOMEN = (
    "Tim Penggerak PKK",
    "Kelompok Wanita Tani (fiktif)",
    "Forum Perempuan Peduli Anak (fiktif)",
)
ROLES = ("Ketua", "Wakil Ketua", "Sekretaris", "Bendahara", "Anggota", "Pengurus", "Anggota")


def organisation_items(
    rng: Random, religion: str, woman: bool, party: str | None, count: int
) -> list[tuple[str, str]]:
    """(role, organisation) memberships."""
    pool = list(ORGANISATIONS)
    if religion == MUSLIM:
        pool += ORGANISATIONS_MUSLIM
        if woman:
            pool += ORGANISATIONS_MUSLIM_WOMEN * 2
    elif religion == CHRISTIAN:
        pool += ORGANISATIONS_CHRISTIAN
    if woman:
        pool += ORGANISATIONS_WOMEN
    items = [(rng.choice(ROLES), org) for org in rng.sample(pool, min(count, len(pool)))]
    if party and rng.random() < 0.6:
        unit = rng.choice(("DPP", "DPW", "DPD", "DPC", "PAC"))
        items.insert(
            0,
            (
                rng.choice(("Ketua", "Sekretaris", "Bendahara", "Wakil Ketua", "Pengurus")),
                f"{unit} {party}",
            ),
        )
    return items[:count]


def compatible(occupation: str, edu: Education, woman: bool, age: int) -> bool:
    """Whether a declared occupation fits the person: no lawyer without a law degree."""
    if occupation == "Dokter":
        return "dr." in edu.prefix
    if occupation == "Advokat":
        return "Hukum" in edu.field_of_study or "H." in edu.suffix
    if occupation == "Dosen":
        return edu.level in ("S2", "S3")
    if occupation == "Bidan":
        return woman and edu.field_of_study in ("Kebidanan", "Ilmu Keperawatan")
    if occupation == "Perawat":
        return edu.field_of_study in ("Keperawatan", "Ilmu Keperawatan")
    if occupation == "Guru":
        return edu.level != "SMA"
    if occupation == "Pelajar/Mahasiswa":
        return age < 27
    if occupation.startswith(("Pensiunan", "Mantan")):
        return age >= 56
    return True
