"""Texts of the demo's track-record items and disclosure notes: legal cases with their
statuses, ties, awards, statements, votes on real bills (the votes themselves fictional)."""

from __future__ import annotations

from transparency.models import DisclosureStatus, LegalStatus

P = DisclosureStatus.PUBLISHED.value
PA = DisclosureStatus.PARTIAL.value
R = DisclosureStatus.REFUSED.value
NF = DisclosureStatus.NOT_FOUND.value

NOTES = {
    ("cv", R): "Calon tidak bersedia data diri dipublikasikan (data fiktif).",
    ("cv", PA): "Sebagian isi daftar riwayat hidup tidak dibuka (data fiktif).",
    ("programme", NF): "Visi, misi dan program tidak ditemukan (data fiktif).",
    ("criminal_record", R): "Calon tidak membuka keterangan catatan kepolisian (data fiktif).",
    ("lhkpn", R): "Belum menyampaikan LHKPN meski menjabat (data fiktif).",
}

LEGAL_CASES = (
    ("korupsi dana desa", "Pid.Sus-TPK"),
    ("korupsi pengadaan alat kesehatan", "Pid.Sus-TPK"),
    ("suap perizinan tambang", "Pid.Sus-TPK"),
    ("korupsi dana hibah", "Pid.Sus-TPK"),
    ("penipuan dan penggelapan", "Pid.B"),
    ("penganiayaan", "Pid.B"),
    ("pencemaran nama baik (UU ITE)", "Pid.Sus"),
    ("penyalahgunaan narkotika", "Pid.Sus"),
    ("pemalsuan dokumen", "Pid.B"),
    ("politik uang pada pemilu sebelumnya", "Pid.Sus"),
)
LEGAL_STATUS_WEIGHTS = (
    (LegalStatus.EX_CONVICT.value, 0.5),
    (LegalStatus.ACQUITTED.value, 0.2),
    (LegalStatus.SUSPECT.value, 0.15),
    (LegalStatus.DEFENDANT.value, 0.15),
)
LEGAL_DESCRIPTIONS = {
    LegalStatus.EX_CONVICT.value: (
        "Divonis bersalah dalam perkara {case} pada {year} dan telah selesai menjalani "
        "pidana. Status mantan terpidana wajib diumumkan kepada publik."
    ),
    LegalStatus.CONVICTED.value: "Divonis bersalah dalam perkara {case} pada {year}.",
    LegalStatus.ACQUITTED.value: (
        "Didakwa dalam perkara {case} pada {year}, kemudian diputus bebas oleh pengadilan."
    ),
    LegalStatus.SUSPECT.value: (
        "Ditetapkan sebagai tersangka dalam perkara {case} pada {year}; proses hukum berjalan."
    ),
    LegalStatus.DEFENDANT.value: (
        "Berstatus terdakwa dalam perkara {case} sejak {year}; persidangan belum selesai."
    ),
}

BILLS = (
    ("RUU Cipta Kerja", 2020),
    ("RUU Tindak Pidana Kekerasan Seksual", 2022),
    ("RUU Kitab Undang-Undang Hukum Pidana", 2022),
    ("RUU Ibu Kota Negara", 2022),
    ("RUU Kesehatan", 2023),
    ("RUU Desa", 2023),
)
EXTRA_CHANCES: dict[str, tuple[tuple[str, float], ...]] = {
    "DPR": (("dynasty_tie", 0.05), ("business_tie", 0.06), ("award", 0.04), ("statement", 0.05)),
    "DPD": (("dynasty_tie", 0.04), ("business_tie", 0.05), ("award", 0.05), ("statement", 0.04)),
    "DPRD_PROVINSI": (("dynasty_tie", 0.03), ("business_tie", 0.03), ("award", 0.02)),
    "DPRD_KABKOTA": (("dynasty_tie", 0.02), ("business_tie", 0.01)),
}
EXTRA_TITLES = {
    "dynasty_tie": (
        "Anak kandung mantan Bupati di {place}",
        "Istri Ketua DPRD {place} periode 2019–2024",
        "Adik kandung Wali Kota di {place}",
        "Menantu mantan Gubernur",
    ),
    "business_tie": (
        "Komisaris {company}, perusahaan tambang batu bara",
        "Pemegang saham {company} di bidang perkebunan sawit",
        "Direktur {company}, rekanan proyek pemerintah daerah",
    ),
    "award": (
        "Penghargaan guru berprestasi tingkat provinsi",
        "Penghargaan pelopor lingkungan hidup dari pemerintah daerah",
        "Tokoh pemuda inspiratif {city}",
    ),
    "statement": (
        "Menyatakan menolak politik uang dalam debat calon di {city}",
        "Menyatakan dukungan pada pengesahan RUU Perampasan Aset",
        "Menyatakan akan membuka laporan reses kepada publik",
    ),
}
