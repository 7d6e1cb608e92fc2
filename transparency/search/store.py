"""Where the index lives, how it is swapped, and the one searcher per process.

SEARCH_INDEX_DIR holds versioned index directories and a pointer file CURRENT naming the
live one. A rebuild fills a new directory and then replaces CURRENT atomically (os.replace):
a reader opens either the old complete index or the new complete one, never a half-built
one. The previous version is kept for readers still holding it; older ones are removed.

`sync.lock` (an advisory file lock, released by the kernel if its holder dies) makes index
writing one process at a time: the outbox drainer tries it without waiting, a rebuild
waits for it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from whoosh import index as whoosh_index
from whoosh.scoring import TF_IDF
from whoosh.searching import Searcher

from transparency.search.schema import FACET_FIELDS, build_schema

POINTER = "CURRENT"
LOCK_FILE = "sync.lock"
VERSION_PREFIX = "v-"
WRITER_MB = 256


def index_root(app: Flask | None = None) -> Path:
    app = app or current_app
    configured = app.config.get("SEARCH_INDEX_DIR") or ""
    root = Path(configured) if configured else Path(app.instance_path) / "search-index"
    root.mkdir(parents=True, exist_ok=True)
    return root


def current_version(root: Path) -> str | None:
    try:
        name = (root / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    return name if name and (root / name).is_dir() else None


def _new_version_dir(root: Path) -> Path:
    path = root / f"{VERSION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    path.mkdir()
    return path


def _point_to(root: Path, version: str) -> None:
    tmp = root / f"{POINTER}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(version + "\n")
    os.replace(tmp, root / POINTER)


def _remove_old_versions(root: Path, keep: set[str]) -> None:
    for path in root.iterdir():
        if path.is_dir() and path.name.startswith(VERSION_PREFIX) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def open_index(root: Path) -> whoosh_index.Index:
    """The live index, created empty the first time (by whichever process gets there first)."""
    version = current_version(root)
    if version is None:
        path = _new_version_dir(root)
        whoosh_index.create_in(str(path), build_schema())
        tmp = root / f"{POINTER}.{uuid.uuid4().hex}.tmp"
        tmp.write_text(path.name + "\n")
        try:
            os.link(tmp, root / POINTER)  # fails if another process pointed first
        except FileExistsError:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            tmp.unlink()
        version = current_version(root)
    return whoosh_index.open_dir(str(root / version))


@contextmanager
def index_lock(root: Path, *, wait: bool) -> Iterator[bool]:
    """Hold sync.lock; yields False at once when `wait` is False and another process has it."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_index(root: Path, documents: Iterable[dict[str, Any]], procs: int = 1) -> int:
    """Write a complete new index beside the live one and swap it in. Caller holds the lock."""
    path = _new_version_dir(root)
    ix = whoosh_index.create_in(str(path), build_schema())
    options: dict[str, Any] = {"limitmb": WRITER_MB}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    writer = ix.writer(**options)
    count = 0
    try:
        for doc in documents:
            writer.add_document(**doc)
            count += 1
    except BaseException:
        writer.cancel()
        shutil.rmtree(path, ignore_errors=True)
        raise
    writer.commit()
    previous = current_version(root)
    _point_to(root, path.name)
    _remove_old_versions(root, keep={path.name, previous or path.name})
    return count


@dataclass
class _Held:
    version: str
    index: whoosh_index.Index
    searcher: Searcher
    checked_at: float
    facets: dict[int, list[list[str]]] = field(default_factory=dict)


class SearcherPool:
    """One searcher per process, reused across requests, refreshed when the index changed.

    Checks for a new version or new commit at most every `interval` seconds; a lock keeps
    threads of one process from refreshing (and closing) the searcher under each other.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._held: dict[str, _Held] = {}
        self._pid = os.getpid()

    @contextmanager
    def searcher(self, root: Path, interval: float) -> Iterator[tuple[Searcher, _Held]]:
        with self._lock:
            if os.getpid() != self._pid:  # forked: the parent's file handles are not ours
                self._held = {}
                self._pid = os.getpid()
            key = str(root)
            held = self._held.get(key)
            if held is None:
                # A process serves one index; a searcher on another root (a previous test's
                # index, say) is closed rather than kept open for ever.
                self.close()
            now = time.monotonic()
            if held is None or now - held.checked_at >= interval:
                held = self._refresh(root, held, now)
                self._held[key] = held
            yield held.searcher, held

    def _refresh(self, root: Path, held: _Held | None, now: float) -> _Held:
        version = current_version(root)
        if held is None or version != held.version:
            ix = open_index(root)
            fresh = _Held(
                version=current_version(root) or "",
                index=ix,
                searcher=ix.searcher(weighting=TF_IDF()),
                checked_at=now,
            )
            if held is not None:
                held.searcher.close()
            return fresh
        if not held.searcher.up_to_date():
            # A whole new searcher, not Searcher.refresh(): refresh reuses segment readers
            # whose deletion sets are stale, so updated documents would show twice.
            held.searcher.close()
            held.searcher = held.index.searcher(weighting=TF_IDF())
            held.facets = {}
        held.checked_at = now
        return held

    def close(self) -> None:
        with self._lock:  # re-entrant: searcher() calls this while holding it
            for held in self._held.values():
                held.searcher.close()
            self._held = {}


pool = SearcherPool()


def facet_columns(held: _Held, leaf: Searcher, offset: int) -> list[list[str]]:
    """Per-document facet values of one segment, read once per searcher generation."""
    columns = held.facets.get(offset)
    if columns is None:
        reader = leaf.reader()
        columns = [list(reader.column_reader(name)) for name in FACET_FIELDS]
        held.facets[offset] = columns
    return columns
