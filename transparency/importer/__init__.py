"""Import an official candidate list (DCT): validate the whole file, then write it at once.

`run_import(session, path, options)` is the one code path of the command and the admin page:

1. Read the file, streamed, and check every row (`validation`); keep only compact keys:
   the slot and external id of each row, and what each row will do (create, update, nothing).
   Existing candidacies are compared by the digest of the row last imported for them, so an
   unchanged row costs a dictionary look-up.
2. If any row is wrong, stop: the report names each problem; nothing is written.
3. Otherwise (and unless it is a dry run) read the file again and write the rows that change
   in batches of Core statements (`writing`), each change with its Revision, attributed to one
   ImportBatch; mark missing candidacies withdrawn; refresh derived data for what changed.
   The caller commits once, or rolls back: all or nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.importer.batches import finish_batch, left_off, sqlite_cache, start_batch
from transparency.importer.reading import CsvRows, FileProblem
from transparency.importer.validation import OfficeRef, Problem, Reference, Row, RowChecker
from transparency.importer.writing import Writer
from transparency.models import (
    Candidacy,
    District,
    Election,
    ImportedCandidacy,
    Office,
    Party,
    Region,
    Stage,
)

MAX_PROBLEMS_SHOWN = 200  # and a count of all: a report stays small whatever the file
BATCH_SIZE = 1000

# (stage, bytes done, bytes in the file): stage is "validate" or "write"
ProgressCallback = Callable[[str, int, int], None]


class FileChanged(RuntimeError):
    """The file changed between validating and writing it; nothing is kept."""


@dataclass
class ImportOptions:
    file_name: str
    run_by: str
    source_url: str | None = None
    dry_run: bool = False
    today: date | None = None
    progress: ProgressCallback | None = None


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    sha256: str = ""
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    districts_created: int = 0
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS_SHOWN
    problem_count: int = 0
    batch_id: int | None = None
    refreshed: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def changes_nothing(self) -> bool:
        return self.ok and not (self.created or self.updated or self.withdrawn)

    def add_problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(problem)

    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "districts_created": self.districts_created,
        }


def load_reference(session: Session) -> Reference:
    regions = session.execute(select(Region.code, Region.id, Region.level)).all()
    return Reference(
        elections={slug: i for slug, i in session.execute(select(Election.slug, Election.id))},
        offices={
            code: OfficeRef(office_id, code, party_list)
            for code, office_id, party_list in session.execute(
                select(Office.code, Office.id, Office.party_list)
            )
        },
        parties={
            (election_id, number): party_id
            for election_id, number, party_id in session.execute(
                select(Party.election_id, Party.number, Party.id)
            )
        },
        districts={
            (election_id, office_id, code): district_id
            for election_id, office_id, code, district_id in session.execute(
                select(District.election_id, District.office_id, District.code, District.id)
            )
        },
        provinces={code: i for code, i, level in regions if level == "province"},
        regions={code: i for code, i, _level in regions},
    )


@dataclass(slots=True)
class Existing:
    """What is stored for one candidacy of an election, in compact form."""

    id: int
    person_id: int
    election_id: int
    office_id: int
    district_code: str
    stage: str
    external_id: str | None
    digest: str | None  # None: never imported (entered by hand or by volunteers)


class ExistingIndex:
    """Stored candidacies by slot and by external id, loaded per election on first use."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.loaded: set[int] = set()
        self.by_id: dict[int, Existing] = {}
        self.by_slot: dict[tuple[int, int, str, int, int], int] = {}
        self.by_external_id: dict[tuple[int, str], int] = {}

    def load(self, election_id: int) -> None:
        if election_id in self.loaded:
            return
        self.loaded.add(election_id)
        query = (
            select(
                Candidacy.id,
                Candidacy.person_id,
                Candidacy.office_id,
                Candidacy.stage,
                Candidacy.external_id,
                ImportedCandidacy.digest,
                District.code,
                Party.number,
                Candidacy.ballot_number,
            )
            .join(District, District.id == Candidacy.district_id)
            .outerjoin(Party, Party.id == Candidacy.party_id)
            .outerjoin(ImportedCandidacy, ImportedCandidacy.candidacy_id == Candidacy.id)
            .where(Candidacy.election_id == election_id)
        )
        for (
            cid,
            person_id,
            office_id,
            stage,
            ext,
            digest,
            code,
            number,
            ballot,
        ) in self.session.execute(query):
            code = sys.intern(code)  # a few thousand districts for 250,000 candidacies
            self.by_id[cid] = Existing(
                cid, person_id, election_id, office_id, code, stage, ext, digest
            )
            self.by_slot.setdefault((election_id, office_id, code, number or 0, ballot), cid)
            if ext is not None:
                self.by_external_id[(election_id, ext)] = cid

    def match(self, row: Row) -> int | None:
        """By external id when the row has one; else (or when that id is new) by slot, unless
        the candidacy in that slot carries another external id: then it is someone else."""
        self.load(row.election_id)
        if row.external_id is not None:
            found = self.by_external_id.get((row.election_id, row.external_id))
            if found is not None:
                return found
        found = self.by_slot.get(row.slot)
        if found is not None and (row.external_id is None or self.by_id[found].external_id is None):
            return found
        return None


def run_import(session: Session, path: Path, options: ImportOptions) -> ImportReport:
    """Validate, then (unless a dry run or invalid) write. Flushes; the caller commits."""
    report = ImportReport(file_name=options.file_name, dry_run=options.dry_run)
    started = time.perf_counter()
    total = path.stat().st_size
    today = options.today or date.today()

    def progress(stage: str) -> Callable[[int], None] | None:
        callback = options.progress
        if callback is None:
            return None
        return lambda done: callback(stage, done, total)

    reference = load_reference(session)
    existing = ExistingIndex(session)
    checker = RowChecker(reference, options.source_url)
    plan: dict[int, int | None] = {}  # line -> candidacy id to update, None to create
    matched: dict[int, int] = {}  # candidacy id -> line
    covered: set[tuple[int, int, str]] = set()  # (election, office, district code) in the file
    reader = CsvRows(path, progress("validate"))
    try:
        for raw in reader:
            if reader.header is not None and reader.header.missing:
                break
            report.rows_read += 1
            row, problems = checker.check(raw)
            for problem in problems:
                report.add_problem(problem)
            if row is None:
                continue
            covered.add((row.election_id, row.office_id, row.district_code))
            candidacy_id = existing.match(row)
            if candidacy_id is None:
                plan[row.line] = None
                report.created += 1
                continue
            first = matched.setdefault(candidacy_id, row.line)
            if first != row.line:
                report.add_problem(
                    Problem(
                        row.line,
                        "external_id" if row.external_id else "ballot_number",
                        row.external_id or str(row.ballot_number),
                        f"matches the same stored candidacy as line {first}",
                    )
                )
                continue
            known = existing.by_id[candidacy_id]
            if known.digest != row.digest or known.stage == Stage.WITHDRAWN:
                plan[row.line] = candidacy_id
                report.updated += 1
            else:
                report.unchanged += 1
    except FileProblem as problem:
        report.add_problem(Problem(problem.line, "-", "", problem.message))
    header = reader.header
    if header is not None:
        if header.missing:
            report.add_problem(
                Problem(1, ", ".join(header.missing), "", "required columns are missing")
            )
        for name in header.unknown[:MAX_PROBLEMS_SHOWN]:
            report.warnings.append(f"unknown column {name[:80]!r} is ignored")
        if len(header.unknown) > MAX_PROBLEMS_SHOWN:
            more = len(header.unknown) - MAX_PROBLEMS_SHOWN
            report.warnings.append(f"and {more} more unknown columns, ignored")
        if not header.missing and report.rows_read == 0 and report.problem_count == 0:
            report.add_problem(Problem(0, "-", "", "the file has a header but no rows"))
    report.sha256 = reader.sha256.hexdigest()
    withdrawn = left_off(existing.by_id.values(), matched, covered)
    report.withdrawn = len(withdrawn)
    report.districts_created = len(checker.new_districts)
    if not options.source_url and report.ok:
        report.warnings.append("no --source-url: rows without source_url get no source link")
    report.timings["validate"] = time.perf_counter() - started
    if not report.ok:
        report.created = report.updated = report.unchanged = report.withdrawn = 0
        report.districts_created = 0
    if not report.ok or options.dry_run or (report.changes_nothing and not checker.new_districts):
        report.timings["total"] = time.perf_counter() - started
        return report

    batch, writer = start_batch(session, options, report, reference, today, options.source_url)
    with sqlite_cache(session):
        _write(session, path, options, report, writer, checker, plan, withdrawn, progress)
    finish_batch(session, batch, report, started)
    return report


def _write(
    session: Session,
    path: Path,
    options: ImportOptions,
    report: ImportReport,
    writer: Writer,
    checker: RowChecker,
    plan: dict[int, int | None],
    withdrawn: list[tuple[int, int, str]],
    progress: Callable[[str], Callable[[int], None] | None],
) -> None:
    written = time.perf_counter()
    reference = checker.ref
    writer.create_districts(checker.new_districts)
    changed: list[int] = []
    creates: list[Row] = []
    updates: list[tuple[Row, int]] = []

    def write_pending() -> None:
        if creates:
            changed.extend(writer.create(creates))
            creates.clear()
        if updates:
            writer.update(updates)
            changed.extend(candidacy_id for _, candidacy_id in updates)
            updates.clear()

    again = CsvRows(path, progress("write"))
    second = RowChecker(reference, options.source_url)
    for raw in again:
        if raw.line not in plan:
            continue
        row, problems = second.check(raw)
        if row is None or problems:
            raise FileChanged(f"{options.file_name} changed while it was being imported")
        candidacy_id = plan[raw.line]
        if candidacy_id is None:
            creates.append(row)
        else:
            updates.append((row, candidacy_id))
        if len(creates) + len(updates) >= BATCH_SIZE:
            write_pending()
    write_pending()
    if again.sha256.hexdigest() != report.sha256:
        raise FileChanged(f"{options.file_name} changed while it was being imported")
    writer.withdraw(withdrawn)
    changed.extend(candidacy_id for candidacy_id, _, _ in withdrawn)
    report.timings["write"] = time.perf_counter() - written

    refreshed = time.perf_counter()
    writer.bulk.touch(changed)
    report.refreshed = writer.bulk.finish()
    report.timings["derived"] = time.perf_counter() - refreshed
