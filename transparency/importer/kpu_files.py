"""The commission's files as the import reads them: district files named on the command line,
directories laid out as the publication (dpr/, dpd/, dprdprov/, dprdkk/: the folder names the
office) and zips of such a directory, each as a `KpuFile` read only when its turn comes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from transparency.importer.kpu_json import (
    BY_OFFICE,
    MAX_FILE_BYTES,
    EntryProblem,
    Level,
    level_of,
)

MAX_FILES = 10_000  # the publication has 2,748
MAX_ZIP_BYTES = 4 * 1024 * 1024 * 1024  # unpacked; the whole publication is about 200 MB


@dataclass(frozen=True)
class KpuFile:
    """One district file: its name as the publication lays it out, its level, its bytes."""

    name: str  # "dpr/3304.json"
    level: Level
    read: Callable[[], bytes]


def canonical_name(level: Level, name: str) -> str:
    return f"{level.folder}/{PurePosixPath(name.replace(chr(92), '/')).name}"


def collect_paths(
    paths: Iterable[Path], office: str | None
) -> tuple[list[KpuFile], list[EntryProblem], list[str]]:
    """Files given on the command line: district files, or directories laid out as the
    publication (dpr/, dpd/, dprdprov/, dprdkk/: the folder names the office)."""
    files: list[KpuFile] = []
    problems: list[EntryProblem] = []
    warnings: list[str] = []
    forced = BY_OFFICE.get(office.upper()) if office else None
    if office and forced is None:
        known = ", ".join(sorted(BY_OFFICE))
        problems.append(EntryProblem(office, 0, "-", f"--office must be one of {known}"))
        return files, problems, warnings
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file())
            for member in found:
                relative = member.relative_to(path).as_posix()
                level = level_of(f"{path.name}/{relative}")
                if level is None:
                    warnings.append(f"{relative}: not in a dpr/, dpd/, dprdprov/ or dprdkk/ folder")
                    continue
                if forced is not None and level is not forced:
                    warnings.append(f"{relative}: in {level.folder}/, not {forced.office}: skipped")
                    continue
                files.append(KpuFile(canonical_name(level, relative), level, member.read_bytes))
            continue
        if not path.is_file():
            problems.append(EntryProblem(str(path), 0, "-", "no such file or directory"))
            continue
        level = level_of(path.resolve().as_posix())
        if forced is not None:
            if level is not None and level is not forced:
                problems.append(
                    EntryProblem(
                        path.name,
                        0,
                        "-",
                        f"it is in a {level.folder}/ folder, but --office says {forced.office}",
                    )
                )
                continue
            level = forced
        if level is None:
            problems.append(
                EntryProblem(
                    path.name, 0, "-", "say its level with --office (DPR, DPD, DPRD_PROVINSI, ...)"
                )
            )
            continue
        files.append(KpuFile(canonical_name(level, path.name), level, path.read_bytes))
    return files, problems, warnings


def collect_zip(
    archive: zipfile.ZipFile,
) -> tuple[list[KpuFile], list[EntryProblem], list[str]]:
    """A zip of the publication's directory (or of some of its level folders). Members are
    read one at a time, never extracted; sizes are checked before anything is inflated."""
    files: list[KpuFile] = []
    problems: list[EntryProblem] = []
    warnings: list[str] = []
    total = 0
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith(".json"):
            continue
        shown = info.filename[:200]
        level = level_of(info.filename)
        if level is None:
            warnings.append(f"{shown}: not in a dpr/, dpd/, dprdprov/ or dprdkk/ folder")
            continue
        total += info.file_size
        if info.file_size > MAX_FILE_BYTES or total > MAX_ZIP_BYTES:
            problems.append(EntryProblem(shown, 0, "-", "too large once unpacked"))
            break

        def read(info: zipfile.ZipInfo = info) -> bytes:
            with archive.open(info) as member:
                return member.read(MAX_FILE_BYTES + 1)

        files.append(KpuFile(canonical_name(level, info.filename), level, read))
    return sorted(files, key=lambda f: f.name), problems, warnings
