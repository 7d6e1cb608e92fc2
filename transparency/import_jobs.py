"""Import jobs: the admin page's check and write of an official list, run outside the request.

Why a thread started by the request, with the job in the database: a fresh machine needs
nothing more (no Celery, no Redis for the default), the uploaded file and the job's state are
rows, so any server can show a job and confirm it, and `run_import` is the same code as the
command. The thread beats a heartbeat with its progress; a job whose heartbeat stopped (its
process died or was restarted) is shown as failed, never as running for ever.

The check runs in `read_snapshot()`: on SQLite a plain BEGIN, which never takes the write lock,
so log-ins and submissions go on while a large file is read. Progress is written on its own
short transactions; during the write step on SQLite, whose one transaction holds the write lock
until the commit, progress goes to a file beside the database instead (one machine there).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, update
from sqlalchemy.orm import Session

from transparency.database import read_snapshot, writer
from transparency.extensions import db
from transparency.importer import MAX_PROBLEMS_SHOWN, ImportOptions, ImportReport, run_import
from transparency.importer.kpu_import import FORMAT as KPU_FORMAT
from transparency.importer.kpu_import import run_kpu_upload
from transparency.models import ImportJob, User
from transparency.models.base import utcnow

CHECKING, CHECKED, WRITING, DONE, FAILED = "checking", "checked", "writing", "done", "failed"
RUNNING = frozenset({CHECKING, WRITING})
HEARTBEAT_SECONDS = 1.0
STALE_SECONDS = 60  # no heartbeat for this long: the worker is gone
# An upload is kept in the database until it is written (or fails), and a checked file waits
# at most this long for confirmation: then its bytes are removed and it must be uploaded again.
UPLOAD_KEPT = timedelta(days=1)
EXPIRED = "expired"  # the stage of a job whose upload was removed unconfirmed
TEXT_LIMIT = 200
_threads: dict[int, threading.Thread] = {}


def create(
    session: Session,
    user: User,
    file_name: str,
    content: bytes,
    source_url: str | None,
    *,
    file_format: str = "csv",
    as_of: date | None = None,
    office: str | None = None,
) -> ImportJob:
    expire_uploads(session)
    job = ImportJob(
        format=file_format,
        as_of=as_of,
        office=office or None,
        created_by_id=user.id,
        file_name=file_name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        source_url=source_url or None,
        content=content,
        state=CHECKING,
        stage="validate",
        total_bytes=len(content),
        heartbeat_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def expire_uploads(session: Session) -> int:
    """Remove the bytes of uploads that are finished, or checked and unconfirmed for longer
    than UPLOAD_KEPT (such a job becomes failed, stage "expired"); returns how many."""
    cutoff = utcnow() - UPLOAD_KEPT
    waiting = session.execute(
        update(ImportJob)
        .where(ImportJob.state == CHECKED, ImportJob.created_at < cutoff)
        .values(state=FAILED, stage=EXPIRED, content=b"")
    )
    finished = session.execute(
        update(ImportJob)
        .where(ImportJob.state.in_((DONE, FAILED)), func.length(ImportJob.content) > 0)
        .values(content=b"")
    )
    return waiting.rowcount + finished.rowcount  # type: ignore[attr-defined]


def start(app: Flask, job_id: int, step: str) -> None:
    """Run `step` ("check" or "write") of the job in a thread of this process; call after the
    commit that made the job ready for it."""
    thread = threading.Thread(
        target=_run, args=(app, job_id, step), name=f"import-job-{job_id}", daemon=True
    )
    _threads[job_id] = thread
    thread.start()


def join(job_id: int, timeout: float | None = None) -> None:
    """Wait for this process's worker of the job, if any (the command line and tests)."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)


def _progress_file(job_id: int) -> Path:
    return Path(current_app.instance_path) / "import-jobs" / f"{job_id}.json"


def _record(job_id: int, **values: Any) -> None:
    """Update the job on a short transaction of its own, whatever this thread is inside."""
    with writer(), Session(db.engine) as session:
        session.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(heartbeat_at=utcnow(), **values)
        )
        session.commit()


class Progress:
    """The importer's progress callback: at most one heartbeat a second."""

    def __init__(self, job_id: int, *, to_file: bool) -> None:
        # On SQLite the write step's transaction holds the write lock: progress goes to a file.
        self.job_id, self.to_file = job_id, to_file
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < HEARTBEAT_SECONDS and done < total:
            return
        self.last = now
        if self.to_file:
            path = _progress_file(self.job_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_text(json.dumps({"stage": stage, "done": done, "at": time.time()}))
            os.replace(partial, path)
            return
        _record(self.job_id, stage=stage, done_bytes=done, total_bytes=total)


def summary(report: ImportReport) -> dict[str, Any]:
    """What the page shows: counts, and the first problems and warnings, each cut short."""
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "changes_nothing": report.changes_nothing,
        "sha256": report.sha256,
        "counts": report.counts(),
        "problem_count": report.problem_count,
        "problems": [
            {
                "line": p.line,
                "column": str(p.column)[:TEXT_LIMIT],
                "value": str(p.value)[:TEXT_LIMIT],
                "message": str(p.message)[: TEXT_LIMIT * 2],
            }
            for p in report.problems[:MAX_PROBLEMS_SHOWN]
        ],
        "warnings": [str(w)[: TEXT_LIMIT * 2] for w in report.warnings[: MAX_PROBLEMS_SHOWN + 1]],
        "batch_id": report.batch_id,
    }


def _run(app: Flask, job_id: int, step: str) -> None:
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        try:
            job = db.session.get(ImportJob, job_id)
            if job is None:
                return
            user = db.session.get(User, job.created_by_id)
            content, total = job.content, job.total_bytes
            kpu = (job.as_of, job.office) if job.format == KPU_FORMAT else None
            options = ImportOptions(
                file_name=job.file_name,
                run_by=user.email if user is not None else "admin",
                source_url=job.source_url,
                dry_run=step == "check",
                progress=Progress(job_id, to_file=sqlite and step == "write"),
            )
            db.session.rollback()  # the job is read; the work takes no lock on it
            _record(job_id, worker=f"{socket.gethostname()}:{os.getpid()}")
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "upload"
                path.write_bytes(content)
                del content
                report, state = _step(path, options, step, kpu)
            # A written or refused file is not needed again: only a checked one waits.
            kept = {} if state == CHECKED else {"content": b""}
            _record(job_id, state=state, report=summary(report), done_bytes=total, **kept)
        except Exception as error:
            db.session.rollback()
            current_app.logger.exception("Import job %s failed", job_id)
            _record(
                job_id,
                state=FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                content=b"",
            )
        finally:
            db.session.remove()
            _progress_file(job_id).unlink(missing_ok=True)


def _import(
    path: Path, options: ImportOptions, kpu: tuple[date | None, str | None] | None
) -> ImportReport:
    if kpu is None:
        return run_import(db.session, path, options)
    as_of, office = kpu
    return run_kpu_upload(db.session, path, options, as_of or date.today(), office)


def _step(
    path: Path, options: ImportOptions, step: str, kpu: tuple[date | None, str | None] | None
) -> tuple[ImportReport, str]:
    if step == "check":
        with read_snapshot():
            report = _import(path, options, kpu)
            db.session.rollback()
        return report, CHECKED if report.ok else FAILED
    report = _import(path, options, kpu)
    if report.ok:
        db.session.commit()
        return report, DONE
    db.session.rollback()
    return report, FAILED


def status(job: ImportJob) -> dict[str, Any]:
    """The job as a page or a poll shows it; a running job without heartbeat is failed."""
    state, done = job.state, job.done_bytes
    stage = job.stage
    beat = job.heartbeat_at
    progress = _progress_file(job.id)
    if state == WRITING and progress.is_file():
        try:
            seen = json.loads(progress.read_text())
            stage, done = seen["stage"], int(seen["done"])
            beat = max(beat, utcnow() - timedelta(seconds=time.time() - float(seen["at"])))
        except (OSError, ValueError, KeyError):
            pass
    stale = state in RUNNING and utcnow() - beat > timedelta(seconds=STALE_SECONDS)
    # Past UPLOAD_KEPT a checked file is no longer confirmable, even before its bytes go.
    expired = stage == EXPIRED or (state == CHECKED and utcnow() - job.created_at > UPLOAD_KEPT)
    total = job.total_bytes or 0
    return {
        "id": job.id,
        "state": FAILED if stale or expired else state,
        "stale": stale,
        "expired": expired,
        "running": state in RUNNING and not stale,
        "stage": stage,
        "done": min(done, total),
        "total": total,
        "percent": round(100 * min(done, total) / total) if total else 0,
    }
