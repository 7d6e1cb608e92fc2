"""Checking one row of an official list against the format and the reference data.

Pure: the reference data comes in as a `Reference` (plain dictionaries loaded once), and a
row comes out as a typed `Row` or as problems naming its line, column and value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from transparency.importer.reading import COLUMNS, REQUIRED, RawRow

GENDERS = frozenset({"L", "P"})
CV_STATUSES = frozenset({"bersedia", "sebagian", "tidak_bersedia"})
CRIMINAL_STATUSES = frozenset({"bukan", "mantan_terpidana"})
LHKPN_STATUSES = frozenset({"filed", "not_filed", "not_required"})
# The values recorded as refused or not found (transparency.importer.mapping).
SOURCED_CV = frozenset({"tidak_bersedia"})
SOURCED_LHKPN = frozenset({"not_filed"})
# Districts of these offices are fixed by law and loaded as reference data: an unknown code
# there is a typo, never a new district.
FIXED_DISTRICT_OFFICES = frozenset({"DPR", "DPD"})
MAX_BALLOT_NUMBER = 9999
MAX_LENGTHS = {
    "full_name": 300,
    "district_code": 32,
    "district_name": 200,
    "birth_place": 200,
    "domicile": 300,
    "occupation": 300,
    "photo_url": 2000,
    "source_url": 2000,
    "external_id": 100,
}
REGION_CODE = re.compile(r"^\d{2}(\d{2})?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST_BIRTH = date(1900, 1, 1)

Complain = Callable[[str, str], None]  # (column, message) for the row being checked


@dataclass(frozen=True, slots=True)
class Problem:
    line: int  # 0: the file as a whole
    column: str
    value: str
    message: str


@dataclass(frozen=True, slots=True)
class OfficeRef:
    id: int
    code: str
    party_list: bool


@dataclass
class Reference:
    """What a row may refer to, loaded from the database before reading the file."""

    elections: dict[str, int]  # slug -> id
    offices: dict[str, OfficeRef]  # code -> office
    parties: dict[tuple[int, int], int]  # (election id, ballot number) -> party id
    districts: dict[tuple[int, int, str], int]  # (election id, office id, code) -> id
    provinces: dict[str, int]  # 2-digit code -> region id
    regions: dict[str, int] = field(default_factory=dict)  # 4-digit code -> region id


@dataclass(frozen=True, slots=True)
class Row:
    """One valid row, typed; `digest` covers every imported value."""

    line: int
    election_id: int
    office_id: int
    district_code: str
    district_name: str
    region_code: str
    party_id: int | None
    party_number: int | None
    ballot_number: int
    full_name: str
    gender: str | None
    birth_date: date | None
    birth_place: str | None
    domicile: str | None
    education: str | None
    occupation: str | None
    biography: str | None
    program: str | None
    photo_url: str | None
    cv_status: str | None
    criminal_status: str | None
    lhkpn_status: str | None
    external_id: str | None
    source_url: str | None
    digest: str
    # Per-section consent of the CV (the commission's JSON format): sections published and
    # withheld, and the note of the CV item; the CSV format gives neither.
    cv_sections: dict[str, list[str]] | None = None
    cv_note: str | None = None
    # The person fields and programme the format carries; None: every column (the CSV). A
    # field the format does not carry is left as stored, never emptied by an update.
    carries: frozenset[str] | None = None

    def gives(self, name: str) -> bool:
        return self.carries is None or name in self.carries

    @property
    def slot(self) -> tuple[int, int, str, int, int]:
        """(election, office, district code, party number or 0, ballot number)."""
        return (
            self.election_id,
            self.office_id,
            self.district_code,
            self.party_number or 0,
            self.ballot_number,
        )


def row_digest(values: dict[str, str]) -> str:
    joined = "\x1f".join(values.get(name, "") for name in COLUMNS)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=16).hexdigest()


def is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


class RowChecker:
    """Checks rows one by one and remembers the little it needs for the file-wide rules:
    ballot numbers per district and party, external ids, and districts the file creates."""

    def __init__(self, reference: Reference, file_source_url: str | None = None) -> None:
        self.ref = reference
        # --source-url: the source of every row that names none of its own
        self.file_source_url = file_source_url
        self.slots: dict[tuple[int, int, str, int, int], int] = {}  # slot -> first line
        self.external_ids: dict[tuple[int, str], int] = {}  # (election, id) -> first line
        # (election id, office id, code) -> (name, province code or "", region code, line)
        self.new_districts: dict[tuple[int, int, str], tuple[str, str, str, int]] = {}

    def check(self, raw: RawRow) -> tuple[Row | None, list[Problem]]:
        line = raw.line
        values = raw.values
        problems: list[Problem] = []

        def problem(column: str, message: str) -> None:
            problems.append(Problem(line, column, values.get(column, ""), message))

        if raw.fields != raw.expected_fields:
            problems.append(
                Problem(
                    line,
                    "-",
                    "",
                    f"this row has {raw.fields} fields but the header has "
                    f"{raw.expected_fields} (a separator inside a value must be quoted)",
                )
            )
            return None, problems

        for name in REQUIRED:
            if name != "party_number" and not values.get(name):
                problem(name, "required value is empty")
        for name, limit in MAX_LENGTHS.items():
            if len(values.get(name, "")) > limit:
                problem(name, f"longer than {limit} characters")

        election_id = self.ref.elections.get(values.get("election", "").lower())
        if values.get("election") and election_id is None:
            known = ", ".join(sorted(self.ref.elections))
            problem("election", f"unknown election (known: {known})")
        office = self.ref.offices.get(values.get("office", "").upper())
        if values.get("office") and office is None:
            known = ", ".join(sorted(self.ref.offices))
            problem("office", f"unknown office (known: {known})")

        party_id, party_number = self._party(values, election_id, office, problem)
        ballot = self._positive_int(values.get("ballot_number", ""))
        if values.get("ballot_number") and ballot is None:
            problem("ballot_number", f"must be a whole number from 1 to {MAX_BALLOT_NUMBER}")

        gender = values.get("gender", "").upper() or None
        if gender is not None and gender not in GENDERS:
            problem("gender", "must be L or P")
        birth_date = self._date(values.get("birth_date", ""), problem)
        for name in ("photo_url", "source_url"):
            if values.get(name) and not is_web_url(values[name]):
                problem(name, "must be a web address starting with http:// or https://")
        statuses = {}
        for name, allowed in (
            ("cv_status", CV_STATUSES),
            ("criminal_status", CRIMINAL_STATUSES),
            ("lhkpn_status", LHKPN_STATUSES),
        ):
            status = values.get(name, "").lower() or None
            if status is not None and status not in allowed:
                problem(name, f"must be one of: {', '.join(sorted(allowed))} (or empty)")
            statuses[name] = status
        # A refusal or a not-found item is a fact a flag can rest on: it needs a source (the
        # row's source_url or the file's --source-url); the import date is its date.
        if not (values.get("source_url") or self.file_source_url):
            for name, accusing in (
                ("cv_status", SOURCED_CV),
                ("lhkpn_status", SOURCED_LHKPN),
            ):
                if statuses[name] in accusing:
                    problem(
                        name,
                        f"{statuses[name]} needs a source: give this row a source_url "
                        "or the file a --source-url",
                    )
        region_code = values.get("region_code", "").replace(".", "")
        if region_code and (
            not REGION_CODE.match(region_code) or region_code[:2] not in self.ref.provinces
        ):
            problem("region_code", "must be a Kemendagri code: a province (2 digits) or 4 digits")

        district_code = values.get("district_code", "")
        if election_id is not None and office is not None and district_code:
            self._district(values, election_id, office, district_code, region_code, line, problem)

        if problems or election_id is None or office is None or ballot is None:
            return None, problems

        external_id = values.get("external_id") or None
        slot = (election_id, office.id, district_code, party_number or 0, ballot)
        first = self.slots.setdefault(slot, line)
        if first != line:
            problem(
                "ballot_number",
                f"ballot number already used on line {first} for this district and party",
            )
        if external_id is not None:
            first = self.external_ids.setdefault((election_id, external_id), line)
            if first != line:
                problem("external_id", f"external_id already used on line {first}")
        if problems:
            return None, problems

        def text(name: str) -> str | None:
            return values.get(name) or None

        return (
            Row(
                line=line,
                election_id=election_id,
                office_id=office.id,
                district_code=district_code,
                district_name=values.get("district_name", ""),
                region_code=region_code,
                party_id=party_id,
                party_number=party_number,
                ballot_number=ballot,
                full_name=values["full_name"],
                gender=gender,
                birth_date=birth_date,
                birth_place=text("birth_place"),
                domicile=text("domicile"),
                education=text("education"),
                occupation=text("occupation"),
                biography=text("biography"),
                program=text("program"),
                photo_url=text("photo_url"),
                cv_status=statuses["cv_status"],
                criminal_status=statuses["criminal_status"],
                lhkpn_status=statuses["lhkpn_status"],
                external_id=external_id,
                source_url=text("source_url"),
                digest=row_digest(values),
            ),
            [],
        )

    @staticmethod
    def _positive_int(value: str) -> int | None:
        if not value.isdigit() or not value.isascii():
            return None
        number = int(value)
        return number if 1 <= number <= MAX_BALLOT_NUMBER else None

    def _party(
        self,
        values: dict[str, str],
        election_id: int | None,
        office: OfficeRef | None,
        problem: Complain,
    ) -> tuple[int | None, int | None]:
        raw = values.get("party_number", "")
        if office is None or election_id is None:
            return None, None
        if not office.party_list:
            if raw:
                problem("party_number", f"must be empty for {office.code} (no party list)")
            return None, None
        if not raw:
            problem("party_number", f"required for {office.code}")
            return None, None
        number = self._positive_int(raw)
        party_id = self.ref.parties.get((election_id, number)) if number is not None else None
        if party_id is None:
            problem("party_number", "no party has this ballot number in this election")
            return None, None
        return party_id, number

    def _date(self, value: str, problem: Complain) -> date | None:
        if not value:
            return None
        try:
            parsed = date.fromisoformat(value) if ISO_DATE.match(value) else None
        except ValueError:
            parsed = None
        if parsed is None:
            problem("birth_date", "must be a real date written YYYY-MM-DD")
            return None
        if not EARLIEST_BIRTH <= parsed <= date.today():
            problem("birth_date", "is not a plausible birth date")
            return None
        return parsed

    def _district(
        self,
        values: dict[str, str],
        election_id: int,
        office: OfficeRef,
        code: str,
        region_code: str,
        line: int,
        problem: Complain,
    ) -> None:
        key = (election_id, office.id, code)
        if key in self.ref.districts:
            return
        name = values.get("district_name", "")
        if office.code in FIXED_DISTRICT_OFFICES:
            problem("district_code", f"no {office.code} district has this code")
            return
        if not name:
            problem(
                "district_code",
                f"no {office.code} district has this code; give district_name to create it",
            )
            return
        province = (region_code or code)[:2]
        if province not in self.ref.provinces:
            province = ""
        first = self.new_districts.setdefault(key, (name, province, region_code, line))
        if first[0] != name:
            problem("district_name", f"line {first[3]} names this new district {first[0]!r}")
