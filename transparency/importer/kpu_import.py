"""Importing the commission's per-district JSON (`--format kpu-dct-json`) through the same
write path as the CSV: every file is checked first, then the rows that change are written by
`writing.Writer` in one transaction, attributed to one ImportBatch; the caller commits.

The files are read twice (check, then write), one at a time, so memory holds one file and
the compact plan. A candidacy is matched by (office, district, party, list position); the
portal's own ids are never read into a row.
"""

from __future__ import annotations

import hashlib
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from transparency.derived import refresh_after_bulk
from transparency.importer import (
    BATCH_SIZE,
    MAX_PROBLEMS_SHOWN,
    ExistingIndex,
    FileChanged,
    ImportOptions,
    ImportReport,
    load_reference,
)
from transparency.importer.batches import finish_batch, left_off, sqlite_cache, start_batch
from transparency.importer.kpu_files import (
    MAX_FILES,
    KpuFile,
    canonical_name,
    collect_paths,
    collect_zip,
)
from transparency.importer.kpu_json import (
    BY_OFFICE,
    FORMAT,
    LEVELS,
    NO_STATUS,
    NOT_PUBLISHED,
    PARTIAL,
    PUBLISHED,
    REFUSED,
    Entry,
    EntryProblem,
    load_party_ids,
    read_file,
    source_url,
)
from transparency.importer.validation import Problem, Reference, Row
from transparency.importer.writing import Writer
from transparency.models import Stage

ELECTION = "pemilu-2024"
__all__ = ["FORMAT", "KpuFile", "KpuReport", "collect_paths", "run_kpu_import", "run_kpu_upload"]
# consent -> the CSV format's cv_status, so that both formats share one mapping in writing.py
CV_STATUS = {
    PUBLISHED: "bersedia",
    PARTIAL: "sebagian",
    REFUSED: "tidak_bersedia",
    NOT_PUBLISHED: "not_published",
    NO_STATUS: None,  # a profile without a consent word says nothing: not checked, no item
}
# What an entry says of the person: the rest (birth date, education, programme, ...) comes from
# elsewhere (a CSV import, volunteers) and an update from the commission's file keeps it.
CARRIES = frozenset({"full_name", "gender", "domicile"})


@dataclass
class KpuReport(ImportReport):
    files_read: int = 0
    entry_problems: list[str] = field(default_factory=list)  # as shown: file, entry, field

    def add_entry_problem(self, problem: EntryProblem) -> None:
        if len(self.entry_problems) < MAX_PROBLEMS_SHOWN:
            self.entry_problems.append(str(problem))
        column = problem.file if problem.field in ("", "-") else f"{problem.file}: {problem.field}"
        self.add_problem(Problem(problem.position, column, problem.label, problem.message))


def run_kpu_upload(
    session: Session, path: Path, options: ImportOptions, as_of: date, office: str | None
) -> KpuReport:
    """An upload of the admin page: one district file (its office chosen) or a zip of the
    directory (the folders name the offices)."""
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                files, problems, warnings = collect_zip(archive)
                if not problems:
                    report = run_kpu_import(session, files, options, as_of)
                    report.warnings[:0] = warnings
                    return report
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            problems = [EntryProblem(options.file_name, 0, "-", f"the zip cannot be read: {error}")]
        return _refused(options, problems)
    level = BY_OFFICE.get((office or "").upper())
    if level is None:
        message = "choose the office of this district file, or upload a zip of the directory"
        return _refused(options, [EntryProblem(options.file_name, 0, "-", message)])
    name = canonical_name(level, options.file_name)
    return run_kpu_import(session, [KpuFile(name, level, path.read_bytes)], options, as_of)


def _refused(options: ImportOptions, problems: list[EntryProblem]) -> KpuReport:
    report = KpuReport(file_name=options.file_name, dry_run=options.dry_run)
    for problem in problems:
        report.add_entry_problem(problem)
    return report


def cv_note(entry: Entry, as_of: date) -> str | None:
    """What the CV item says, with the file and its date: the words of the file, nothing more."""
    when = as_of.isoformat()
    if entry.consent == NOT_PUBLISHED:
        return f"Tidak dipublikasikan di portal KPU per {when} (profil kosong di {entry.file})"
    if entry.consent == REFUSED:
        return f"Tidak Bersedia (status_publikasi di {entry.file}, per {when})"
    if entry.consent == PARTIAL:
        return f"Bersedia Sebagian (pilihan_publikasi di {entry.file}, per {when})"
    return None


@dataclass(frozen=True, slots=True)
class _Probe:
    """What ExistingIndex.match reads of a row: enough to plan without building the row."""

    election_id: int
    slot: tuple[int, int, str, int, int]
    external_id: None = None


def refs(
    entry: Entry, reference: Reference, election_id: int
) -> tuple[int | None, int | None, str, str]:
    """(office id, party id, "", ""), or (None, None, field, message) naming the problem."""
    level = LEVELS[entry.level]
    office = reference.offices.get(level.office)
    if office is None:
        return None, None, "-", f"the office {level.office} is not in the reference data"
    if (election_id, office.id, entry.district_code) not in reference.districts:
        message = f"no {level.office} district has code {entry.district_code} in the reference data"
        return None, None, level.code_field, message
    party_id = None
    if entry.party_number is not None:
        party_id = reference.parties.get((election_id, entry.party_number))
        if party_id is None:
            message = f"no party has ballot number {entry.party_number} in 2024"
            return None, None, "id_partai", message
    return office.id, party_id, "", ""


def to_row(
    entry: Entry, reference: Reference, election_id: int, as_of: date
) -> tuple[Row | None, str, str]:
    """The entry as the importer's typed row; or (None, field, message)."""
    office_id, party_id, field_name, message = refs(entry, reference, election_id)
    if office_id is None:
        return None, field_name, message
    sections = None
    if entry.consent == PARTIAL:
        sections = {"published": list(entry.sections or ()), "withheld": list(entry.withheld)}
    row = Row(
        line=entry.position,
        election_id=election_id,
        office_id=office_id,
        district_code=entry.district_code,
        district_name="",
        region_code="",
        party_id=party_id,
        party_number=entry.party_number,
        ballot_number=entry.ballot_number,
        full_name=entry.full_name,
        gender=entry.gender,
        birth_date=None,
        birth_place=None,
        domicile=entry.domicile,
        education=None,
        occupation=None,
        biography=None,
        program=None,
        photo_url=None,  # never: the photo's file name is often an identity number
        cv_status=CV_STATUS[entry.consent],
        criminal_status=None,
        lhkpn_status=None,
        external_id=None,  # the portal's id changes between captures: never a key, never kept
        source_url=source_url(LEVELS[entry.level], entry.district_code),
        digest=entry.digest(as_of),
        cv_sections=sections,
        cv_note=cv_note(entry, as_of) if CV_STATUS[entry.consent] else None,
        carries=CARRIES,
    )
    return row, "", ""


def run_kpu_import(
    session: Session, files: list[KpuFile], options: ImportOptions, as_of: date
) -> KpuReport:
    """Check every file, then (unless a dry run or invalid) write. Flushes; the caller commits.
    `options.progress` is called with ("validate" | "write", files done, files)."""
    report = KpuReport(file_name=options.file_name, dry_run=options.dry_run)
    started = time.perf_counter()
    total = len(files)
    party_ids = load_party_ids()
    reference = load_reference(session)
    election_id = reference.elections.get(ELECTION)
    if election_id is None:
        report.add_entry_problem(
            EntryProblem(options.file_name, 0, "-", f"the election {ELECTION} is not loaded")
        )
        return report
    if not files:
        report.add_entry_problem(EntryProblem(options.file_name, 0, "-", "no district files"))
        return report
    if total > MAX_FILES:
        report.add_entry_problem(
            EntryProblem(options.file_name, 0, "-", f"more than {MAX_FILES:,} files")
        )
        return report

    existing = ExistingIndex(session)
    plan: dict[tuple[str, int], int | None] = {}  # (file, position) -> candidacy id, None: new
    matched: dict[int, tuple[str, int]] = {}
    keys: dict[tuple[str, str, int, int], str] = {}  # key -> file holding it
    names: set[str] = set()
    covered: set[tuple[int, int, str]] = set()
    digests: dict[str, str] = {}
    whole = hashlib.sha256()

    def progress(stage: str, done: int) -> None:
        if options.progress is not None:
            options.progress(stage, done, total)

    for done, kpu_file in enumerate(files, start=1):
        if kpu_file.name in names:
            report.add_entry_problem(
                EntryProblem(kpu_file.name, 0, "-", "this district file is given twice")
            )
            continue
        names.add(kpu_file.name)
        data = kpu_file.read()
        digests[kpu_file.name] = hashlib.sha256(data).hexdigest()
        report.files_read += 1
        entries, problems = read_file(kpu_file.name, data, kpu_file.level, party_ids)
        del data
        for problem in problems:
            report.add_entry_problem(problem)
        for entry in entries:
            report.rows_read += 1
            office_id, _party_id, field_name, message = refs(entry, reference, election_id)
            if office_id is None:
                report.add_entry_problem(
                    EntryProblem(entry.file, entry.position, field_name, message, _label(entry))
                )
                continue
            first = keys.setdefault(entry.key, entry.file)
            if first != entry.file:
                report.add_entry_problem(
                    EntryProblem(
                        entry.file,
                        entry.position,
                        "nomor_urut",
                        f"the same candidacy is also in {first}",
                        _label(entry),
                    )
                )
                continue
            covered.add((election_id, office_id, entry.district_code))
            slot = (election_id, office_id, entry.district_code, *entry.key[2:])
            candidacy_id = existing.match(_Probe(election_id, slot))  # type: ignore[arg-type]
            where = (entry.file, entry.position)
            if candidacy_id is None:
                plan[where] = None
                report.created += 1
                continue
            matched[candidacy_id] = where
            known = existing.by_id[candidacy_id]
            if known.digest != entry.digest(as_of) or known.stage == Stage.WITHDRAWN:
                plan[where] = candidacy_id
                report.updated += 1
            else:
                report.unchanged += 1
        progress("validate", done)
    for name in sorted(digests):
        whole.update(f"{name}\0{digests[name]}\n".encode())
    report.sha256 = whole.hexdigest()
    withdrawn = left_off(existing.by_id.values(), matched, covered)
    report.withdrawn = len(withdrawn)
    report.timings["validate"] = time.perf_counter() - started
    if not report.ok:
        report.created = report.updated = report.unchanged = report.withdrawn = 0
    if not report.ok or options.dry_run or report.changes_nothing:
        report.timings["total"] = time.perf_counter() - started
        return report

    batch, writer = start_batch(session, options, report, reference, as_of, None)
    with sqlite_cache(session):
        changed = _write(files, writer, reference, election_id, as_of, plan, digests, progress)
        writer.withdraw(withdrawn)
        changed += [candidacy_id for candidacy_id in plan.values() if candidacy_id is not None]
        changed += [candidacy_id for candidacy_id, _, _ in withdrawn]
        report.timings["write"] = time.perf_counter() - started - report.timings["validate"]
        refreshed = time.perf_counter()
        if changed:
            session.flush()
            report.refreshed = refresh_after_bulk(session, sorted(set(changed)))
        report.timings["derived"] = time.perf_counter() - refreshed
    finish_batch(session, batch, report, started)
    return report


def _label(entry: Entry) -> str:
    label = f"nomor_urut {entry.ballot_number}"
    if entry.party_number is not None:
        label += f", party no. {entry.party_number}"
    return label


def _write(
    files: list[KpuFile],
    writer: Writer,
    reference: Reference,
    election_id: int,
    as_of: date,
    plan: dict[tuple[str, int], int | None],
    digests: dict[str, str],
    progress: Callable[[str, int], None],
) -> list[int]:
    """Read the files again and write the planned rows in batches; the created ids."""
    party_ids = load_party_ids()
    created: list[int] = []
    creates: list[Row] = []
    updates: list[tuple[Row, int]] = []
    wanted = {name for name, _ in plan}

    def write_pending() -> None:
        if creates:
            created.extend(writer.create(creates))
            creates.clear()
        if updates:
            writer.update(updates)
            updates.clear()

    for done, kpu_file in enumerate(files, start=1):
        if kpu_file.name in wanted:
            data = kpu_file.read()
            if hashlib.sha256(data).hexdigest() != digests.get(kpu_file.name):
                raise FileChanged(f"{kpu_file.name} changed while it was being imported")
            entries, problems = read_file(kpu_file.name, data, kpu_file.level, party_ids)
            if problems:
                raise FileChanged(f"{kpu_file.name} changed while it was being imported")
            for entry in entries:
                where = (entry.file, entry.position)
                if where not in plan:
                    continue
                row, _, _ = to_row(entry, reference, election_id, as_of)
                if row is None:  # it was checked from the same bytes: the reference moved
                    raise FileChanged(f"{kpu_file.name}: the reference data changed meanwhile")
                writer.source_titles[row.source_url or ""] = source_title(entry, as_of)
                candidacy_id = plan[where]
                if candidacy_id is None:
                    creates.append(row)
                else:
                    updates.append((row, candidacy_id))
                if len(creates) + len(updates) >= BATCH_SIZE:
                    write_pending()
        progress("write", done)
    write_pending()
    return created


def source_title(entry: Entry, as_of: date) -> str:
    level = LEVELS[entry.level]
    return (
        f"KPU, Daftar Calon Tetap {level.office} {entry.district_code} "
        f"({entry.file}, per {as_of.isoformat()})"
    )
