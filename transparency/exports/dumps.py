"""Dated snapshots of the whole public list: CSV, Excel, JSON and Popolo with a manifest.

`write_snapshot` builds every file in a hidden folder beside the target and renames the
folder into place at the end (one rename on one file system), so a snapshot is either
complete, with its manifest, or absent. All files are read in one transaction (a snapshot
on SQLite, REPEATABLE READ on PostgreSQL): their rows agree with each other.
`snapshots` lists what a folder holds, for /data/.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from transparency.exports import documents, popolo
from transparency.listing import CandidateFilters

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}(-\d{6})?$")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*$")
# (file name, format): the order they are written and listed in.
FILES = (
    ("candidates.csv", "csv"),
    ("candidates.json", "json"),
    ("popolo.json", "popolo"),
    ("candidates.xlsx", "xlsx"),
)


class SnapshotError(ValueError):
    """A snapshot could not be written; nothing was left behind."""


@dataclass(frozen=True)
class Snapshot:
    name: str
    path: Path
    manifest: dict[str, Any]

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("files", []))


def snapshot_name(moment: datetime, folder: Path) -> str:
    """The UTC date; a second snapshot on the same day also carries the time."""
    name = moment.strftime("%Y-%m-%d")
    if (folder / name).exists():
        name = moment.strftime("%Y-%m-%d-%H%M%S")
    if (folder / name).exists():
        raise SnapshotError(f"{folder / name} already exists")
    return name


class _Counted:
    """An iterator that counts what its reader has taken from it."""

    def __init__(self, items: Iterator[Any]) -> None:
        self.items = items
        self.taken = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Any:
        item = next(self.items)
        self.taken += 1
        return item


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_files(
    session: Session, export: documents.ExportPlan, folder: Path, labels: dict[str, str]
) -> dict[str, tuple[str, int]]:
    """Every file of FILES into `folder` from ONE read of the records: {name: (sha256, size)}.

    The records stream once (`records.iter_records`, batch by batch) and `itertools.tee`
    hands each to the four writers, which take turns: the writer that has taken the fewest
    records goes next, one chunk at a time. So no writer runs more than a chunk (at most a
    batch) ahead of the slowest, and the records held at once stay bounded whatever the
    row count. Each writer is the one its web export uses, so each file is that export's
    bytes. Popolo's areas, organizations, posts and persons are its own small reads, written
    before its memberships.
    """
    shared = documents.export_records(session, export)
    feeds = [_Counted(branch) for branch in itertools.tee(shared, len(FILES))]
    with ExitStack() as files:
        files.callback(shared.close)  # last: the writers first, then the records' cursor
        outs = {name: files.enter_context((folder / name).open("wb")) for name, _fmt in FILES}
        digests = {name: hashlib.sha256() for name, fmt in FILES if fmt != "xlsx"}
        steps: list[tuple[str, Iterator[bytes | None]]] = []
        for (name, fmt), feed in zip(FILES, feeds, strict=True):
            if fmt == "xlsx":
                steps.append((name, documents.xlsx_steps(export, feed, outs[name], labels)))
            else:
                body = {
                    "csv": documents.csv_body,
                    "json": documents.json_body,
                    "popolo": popolo.popolo_body,
                }[fmt]
                steps.append((name, body(session, export, feed)))
        for _name, step in steps:  # on failure, stop each writer while its file is open
            files.callback(step.close)  # type: ignore[attr-defined]
        running = dict(enumerate(steps))
        while running:
            turn = min(running, key=lambda index: feeds[index].taken)
            name, step = running[turn]
            try:
                chunk = next(step)
            except StopIteration:
                del running[turn]
                continue
            if chunk:  # Excel writes its own file and gives None
                outs[name].write(chunk)
                digests[name].update(chunk)
    sizes = {name: (folder / name).stat().st_size for name, _fmt in FILES}
    return {
        name: (
            digests[name].hexdigest() if name in digests else _sha256_of_file(folder / name),
            sizes[name],
        )
        for name, _fmt in FILES
    }


def write_snapshot(
    session: Session,
    folder: Path,
    base_url: str,
    requirement_labels: dict[str, str],
    now: datetime,
    progress: Callable[[str], None] = lambda _message: None,
) -> Snapshot:
    """Write every file of the whole list into folder/<date>/, atomically.

    The caller gives a session whose transaction has not started (see `read_snapshot`)."""
    if not folder.is_dir():
        raise SnapshotError(f"{folder} is not a directory")
    name = snapshot_name(now, folder)
    export = documents.plan(session, CandidateFilters(), base_url, now)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=folder))
    try:
        progress(f"writing {', '.join(name for name, _fmt in FILES)} in one pass")
        written = write_files(session, export, staging, requirement_labels)
        files = []
        for file_name, fmt in FILES:
            digest, size = written[file_name]
            files.append(
                {
                    "name": file_name,
                    "format": fmt,
                    "media_type": documents.MEDIA_TYPES[fmt],
                    "rows": export.row_count,
                    "bytes": size,
                    "sha256": digest,
                }
            )
        manifest = {
            "snapshot": name,
            "title": "Jejak Terbuka: every listed candidacy",
            "generated_at": export.metadata("json")["generated_at"],
            "ruleset_version": export.ruleset_version,
            "row_count": export.row_count,
            "license": documents.LICENSE,
            "files": files,
        }
        (staging / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (staging / CHECKSUMS).write_text(
            "".join(f"{item['sha256']}  {item['name']}\n" for item in files), encoding="utf-8"
        )
        staging.chmod(0o755)
        os.rename(staging, folder / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Snapshot(name, folder / name, manifest)


def read_snapshot(session: Session) -> None:
    """Begin the session's next transaction as one consistent read of the whole database:
    SQLite's read transaction is a snapshot already; PostgreSQL needs REPEATABLE READ."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def snapshots(folder: Path) -> list[Snapshot]:
    """Complete snapshots (those with a readable manifest), newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not (path.is_dir() and SNAPSHOT_NAME.match(path.name)):
            continue
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append(Snapshot(path.name, path, manifest))
    return sorted(found, key=lambda snapshot: snapshot.name, reverse=True)


def snapshot_file(folder: Path, name: str, file_name: str) -> Path | None:
    """A file of a listed snapshot (its manifest, its checksums, or a file its manifest
    lists), or None; never anything else, nor anything outside the folder."""
    if not SNAPSHOT_NAME.match(name):
        return None
    try:
        manifest = json.loads((folder / name / MANIFEST).read_text(encoding="utf-8"))
        listed = {str(item["name"]) for item in manifest["files"]}
    except (OSError, ValueError, TypeError, KeyError):
        return None
    path = folder / name / file_name
    served = {MANIFEST, CHECKSUMS} | listed
    if file_name not in served or not FILE_NAME.match(file_name) or not path.is_file():
        return None
    return path
