"""Reading the commission's own publication: the 2024 final lists (DCT) as per-district JSON.

Pure: bytes and a file name in, typed entries (or problems naming the file and the entry) out.
The format is described in docs/import-format.md. What the reader keeps is what the project
may republish: list position, name, sex, the kab/kota of domicile and the CV consent with its
sections. It never keeps the photo address (its file name is often an identity number), the
portal's own ids (tokens that change between captures), nor any 16-digit number.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources

FORMAT = "kpu-dct-json"


@dataclass(frozen=True, slots=True)
class Level:
    folder: str  # as in the publication: dpr/, dpd/, dprdprov/, dprdkk/
    office: str  # the office code of this project
    code_digits: int  # length of the file name, which is the district (or province) code
    code_field: str  # the entry field that repeats the file name
    endpoint: str  # where the commission's portal publishes one district's list


LEVELS = {
    level.folder: level
    for level in (
        Level("dpr", "DPR", 4, "kode_dapil", "Pemilu/Dct_dpr/Dct_dpr?kode_dapil="),
        Level("dpd", "DPD", 2, "kode_propinsi", "Pemilu/Dct_dpd/Dct_dpd?kode_pro="),
        Level(
            "dprdprov",
            "DPRD_PROVINSI",
            6,
            "kode_dapil",
            "Pemilu/Dct_dprprov/Dct_dprprov?kode_dapil=",
        ),
        Level(
            "dprdkk", "DPRD_KABKOTA", 6, "kode_dapil", "Pemilu/Dct_dprd/Dct_dprdkabko?kode_dapil="
        ),
    )
}
BY_OFFICE = {level.office: level for level in LEVELS.values()}
PORTAL = "https://infopemilu.kpu.go.id/"

# The 12 CV sections of `pilihan_publikasi`, in the commission's order.
SECTIONS = (
    "datadiri",
    "alamat",
    "pekerjaan",
    "hukum",
    "pasangan",
    "pendidikan",
    "riwayatpekerjaan",
    "kursus",
    "organisasi",
    "penghargaan",
    "motivasi",
    "program",
)

# What the file says about the CV, after folding spaces and case (both exports' spellings).
PUBLISHED = "published"  # Bersedia
PARTIAL = "partial"  # Bersedia Sebagian, with the sections allowed
REFUSED = "refused"  # Tidak Bersedia
NOT_PUBLISHED = "not_published"  # profile {}: no CV on the portal, reason unknown
NO_STATUS = "no_status"  # a profile without a consent word: says nothing, not checked
CONSENT_WORDS = {"bersedia": PUBLISHED, "bersediasebagian": PARTIAL, "tidakbersedia": REFUSED}

MAX_FILE_BYTES = 64 * 1024 * 1024  # the largest real file is well under 2 MB
MAX_NAME = 300
MAX_DOMICILE = 300
MAX_BALLOT_NUMBER = 9999
IDENTITY_NUMBER = re.compile(r"\d{16}")
SPACES = re.compile(r"\s+")

Complain = Callable[[str, str], None]  # (field, message) for the entry being read


@dataclass(frozen=True, slots=True)
class Entry:
    """One candidacy as the file states it: only what may be republished."""

    file: str  # e.g. "dpr/3304.json"
    position: int  # 1-based place of the entry in the file's array
    level: str  # folder name: dpr, dpd, dprdprov, dprdkk
    district_code: str
    party_number: int | None  # the ballot number of the party; None at DPD
    ballot_number: int  # nomor_urut
    full_name: str
    gender: str
    domicile: str | None  # the kab/kota of the candidate's address, as the file writes it
    consent: str  # PUBLISHED, PARTIAL, REFUSED, NOT_PUBLISHED or NO_STATUS
    sections: tuple[str, ...] | None  # PARTIAL: the sections allowed, in SECTIONS order

    @property
    def key(self) -> tuple[str, str, int, int]:
        """(level, district, party ballot number or 0, list position): the candidacy's key."""
        return (self.level, self.district_code, self.party_number or 0, self.ballot_number)

    @property
    def withheld(self) -> tuple[str, ...]:
        allowed = set(self.sections or ())
        return tuple(name for name in SECTIONS if name not in allowed)

    def digest(self, as_of: date) -> str:
        """Covers every value imported and the date of the publication, never its spelling."""
        parts = (
            FORMAT,
            *map(str, self.key),
            self.full_name,
            self.gender,
            self.domicile or "",
            self.consent,
            ",".join(self.sections or ()),
            as_of.isoformat(),
        )
        joined = "\x1f".join(parts)
        return hashlib.blake2b(joined.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class EntryProblem:
    file: str
    position: int  # 0: the file as a whole
    field: str
    message: str
    label: str = ""  # how a person finds the entry: "nomor_urut 3, id_partai 41"

    def __str__(self) -> str:
        where = self.file
        if self.position:
            where += f", entry {self.position}"
            if self.label:
                where += f" ({self.label})"
        field = f", field {self.field}" if self.field and self.field != "-" else ""
        return f"{where}{field}: {self.message}"


def load_party_ids() -> dict[int, int]:
    """The commission's internal party id -> the party's 2024 ballot number."""
    text = (
        resources.files("transparency.reference")
        .joinpath("kpu-party-ids-2024.csv")
        .read_text(encoding="utf-8")
    )
    return {
        int(row["kpu_party_id"]): int(row["ballot_number"])
        for row in csv.DictReader(text.splitlines())
    }


def level_of(name: str) -> Level | None:
    """The level a relative path names by its folder ("dpr/3304.json" -> DPR)."""
    parts = name.replace("\\", "/").split("/")
    return LEVELS.get(parts[-2].lower()) if len(parts) >= 2 else None


def source_url(level: Level, code: str) -> str:
    """The commission's own page for one district's list: where every fact of the file is
    published."""
    return f"{PORTAL}{level.endpoint}{code}"


def consent_of(word: str) -> str | None:
    return CONSENT_WORDS.get(SPACES.sub("", word).lower())


def _text(value: str) -> str:
    """No-break spaces and newlines inside a name become single spaces."""
    if value.isprintable() and "  " not in value and value == value.strip():
        return value  # nearly every value: no regular expression for them
    return SPACES.sub(" ", value.replace("\u00a0", " ")).strip()


def _whole(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_BALLOT_NUMBER else None


def read_file(
    name: str, data: bytes, level: Level, party_ids: dict[int, int]
) -> tuple[list[Entry], list[EntryProblem]]:
    """Every entry of one district file, or the problems that stop it; `name` is the path
    shown in messages ("dpr/3304.json")."""
    entries: list[Entry] = []
    problems: list[EntryProblem] = []
    stem = name.replace("\\", "/").rsplit("/", 1)[-1]
    code = stem.removesuffix(".json") if stem.lower().endswith(".json") else None

    def whole_file(message: str) -> tuple[list[Entry], list[EntryProblem]]:
        return [], [EntryProblem(name, 0, "-", message)]

    if code is None or not (code.isascii() and code.isdigit() and len(code) == level.code_digits):
        return whole_file(
            f"a {level.office} file is named by its {level.code_digits}-digit "
            f"{level.code_field} with .json (e.g. {'3' * level.code_digits}.json)"
        )
    if len(data) > MAX_FILE_BYTES:
        return whole_file(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: not a district file")
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return whole_file("not valid UTF-8 text")
    except json.JSONDecodeError as error:
        return whole_file(f"not valid JSON (line {error.lineno}, column {error.colno})")
    except RecursionError:
        return whole_file("not valid JSON (nested too deeply)")
    if not isinstance(content, list):
        return whole_file("must be a JSON array of entries")
    if not content:
        return whole_file("has no entries")

    seen: dict[tuple[int, int], int] = {}  # (party id or 0, nomor_urut) -> first position
    for position, raw in enumerate(content, start=1):
        entry, entry_problems = _entry(name, position, raw, level, code, party_ids)
        problems.extend(entry_problems)
        if entry is None:
            continue
        slot = (entry.party_number or 0, entry.ballot_number)
        first = seen.setdefault(slot, position)
        if first != position:
            problems.append(
                EntryProblem(
                    name,
                    position,
                    "nomor_urut",
                    f"list position {entry.ballot_number} of this party is already "
                    f"entry {first} of the file",
                    _label(raw),
                )
            )
            continue
        entries.append(entry)
    if problems:
        return [], problems
    return entries, []


def _label(raw: object) -> str:
    if not isinstance(raw, dict):
        return ""
    parts = []
    for key in ("nomor_urut", "id_partai"):
        value = raw.get(key)
        if isinstance(value, int | str) and not isinstance(value, bool):
            parts.append(f"{key} {str(value)[:20]}")
    return ", ".join(parts)


def _entry(
    name: str,
    position: int,
    raw: object,
    level: Level,
    code: str,
    party_ids: dict[int, int],
) -> tuple[Entry | None, list[EntryProblem]]:
    problems: list[EntryProblem] = []

    def problem(field: str, message: str) -> None:
        problems.append(EntryProblem(name, position, field, message, _label(raw)))

    if not isinstance(raw, dict):
        problem("-", "must be a JSON object")
        return None, problems

    given = raw.get(level.code_field)
    if given != code:
        shown = str(given)[:20] if isinstance(given, str | int) else "nothing"
        problem(level.code_field, f"says {shown!r}, but the file is named {code}.json")

    ballot = _whole(raw.get("nomor_urut"))
    if ballot is None:
        problem("nomor_urut", f"must be a whole number from 1 to {MAX_BALLOT_NUMBER}")

    party_number = None
    if level.office != "DPD":
        party_id = raw.get("id_partai")
        if isinstance(party_id, bool) or not isinstance(party_id, int):
            problem("id_partai", "must be the commission's party id (a whole number)")
        elif party_id not in party_ids:
            problem("id_partai", f"unknown party id {party_id} (not in kpu-party-ids-2024.csv)")
        else:
            party_number = party_ids[party_id]

    full_name = raw.get("nama")
    if not isinstance(full_name, str) or not _text(full_name):
        problem("nama", "the name is missing")
        full_name = ""
    full_name = _text(full_name)
    if len(full_name) > MAX_NAME:
        problem("nama", f"longer than {MAX_NAME} characters")
    gender = raw.get("jenis_kelamin")
    if gender not in ("L", "P"):
        problem("jenis_kelamin", "must be L or P")

    domicile = raw.get("alamat_kabko")
    if domicile is not None and not isinstance(domicile, str):
        problem("alamat_kabko", "must be text")
        domicile = None
    if domicile is not None:
        # DPD writes "KAB. X / PROVINCE": only the kab/kota is kept, as at the other levels.
        domicile = _text(domicile.split(" / ", 1)[0]) if level.office == "DPD" else _text(domicile)
        if len(domicile) > MAX_DOMICILE:
            problem("alamat_kabko", f"longer than {MAX_DOMICILE} characters")
    for field, value in (("nama", full_name), ("alamat_kabko", domicile or "")):
        if IDENTITY_NUMBER.search(value):
            problem(field, "holds a 16-digit number (an identity number?): refused, not stored")

    consent, sections = _consent(raw.get("profile"), level, problem)
    if problems or ballot is None or consent is None:
        return None, problems
    return (
        Entry(
            file=name,
            position=position,
            level=level.folder,
            district_code=code,
            party_number=party_number,
            ballot_number=ballot,
            full_name=full_name,
            gender=str(gender),
            domicile=domicile or None,
            consent=consent,
            sections=sections,
        ),
        [],
    )


def _consent(
    profile: object, level: Level, complain: Complain
) -> tuple[str | None, tuple[str, ...] | None]:
    """The consent word and sections of `profile`; (None, None) after a problem."""
    if profile is None or profile == {}:
        return NOT_PUBLISHED, None
    if not isinstance(profile, dict):
        complain("profile", "must be a JSON object")
        return None, None
    choice = profile.get("pilihan_publikasi")
    if choice is not None and not isinstance(choice, str):
        complain("profile.pilihan_publikasi", "must be text")
        return None, None
    if level.office == "DPD":
        # DPD has no status field: pilihan_publikasi holds the consent word itself.
        if choice is None:
            return NO_STATUS, None
        consent = consent_of(choice)
        if consent != PUBLISHED:
            complain("profile.pilihan_publikasi", f"unknown DPD consent word {choice[:40]!r}")
            return None, None
        return consent, None
    status = profile.get("status_publikasi")
    if status is None:
        if choice is not None:
            complain(
                "profile.pilihan_publikasi", "sections are given but status_publikasi is missing"
            )
            return None, None
        return NO_STATUS, None
    consent = consent_of(status) if isinstance(status, str) else None
    if consent is None:
        words = "Bersedia, Bersedia Sebagian, Tidak Bersedia"
        complain("profile.status_publikasi", f"{str(status)[:40]!r} is none of: {words}")
        return None, None
    if consent != PARTIAL:
        if choice is not None:
            complain(
                "profile.pilihan_publikasi", f"sections are given but the status is {status!r}"
            )
            return None, None
        return consent, None
    if not choice:
        complain("profile.pilihan_publikasi", "Bersedia Sebagian needs the list of sections")
        return None, None
    names = [part.strip().lower() for part in choice.split(",")]
    unknown = [part for part in names if part not in SECTIONS]
    if unknown:
        complain(
            "profile.pilihan_publikasi",
            f"unknown section {unknown[0][:40]!r} (known: {', '.join(SECTIONS)})",
        )
        return None, None
    if len(set(names)) != len(names):
        complain("profile.pilihan_publikasi", "a section is named twice")
        return None, None
    return PARTIAL, tuple(name for name in SECTIONS if name in names)
