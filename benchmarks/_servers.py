"""Shared helpers for the production benchmarks: sites (a database, an index, settings),
the `flask` command, gunicorn on loopback, a tiny HTTP client, and figures.

Everything runs as real processes on 127.0.0.1 and is stopped by the caller (`with` blocks).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/work/bench/prod"))
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Throw-away accounts on loopback, a new password each run.
PASSWORD = "bench-" + secrets.token_urlsafe(12)

# Volunteers are limited to 20 submissions an hour, API clients and searches to 120 requests
# a minute per address in production; every client here shares one address and this rig
# measures the server, not those guards, so the limits are raised for the run (settings,
# not code).
LOAD_SETTINGS = {
    "SUBMISSIONS_PER_HOUR": "1000000",
    "API_RATE_LIMIT": "1000000 per minute",
    "SEARCH_RATE_LIMIT": "1000000 per minute",
    "SEARCH_SUGGEST_RATE_LIMIT": "1000000 per minute",
}
# What simulated readers search for: programme words, a phrase and common names.
SEARCH_WORDS = [
    "pendidikan",
    "kesehatan",
    "petani",
    "nelayan",
    "guru",
    "korupsi",
    "infrastruktur",
    "perempuan",
    "desa",
    "ekonomi",
    "lingkungan",
    "hukum",
    "pemuda",
    "sekolah gratis",
    '"tidak bersedia"',
    "jalan",
    "pertanian",
    "buruh",
    "pariwisata",
    "air bersih",
    "koperasi",
    "budi",
    "siti",
    "agus",
    "wati",
]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- sites -------------------------------------------------------------------------------


@dataclass
class Site:
    """A database URL, an index directory and the settings every process of a run shares."""

    name: str
    database_url: str
    workdir: Path
    settings: dict[str, str] = field(default_factory=dict)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    @property
    def index_dir(self) -> Path:
        return self.workdir / "search-index"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TRANSPARENCY_", "GUNICORN_"))
        }
        env.update(
            {
                "TRANSPARENCY_SECRET_KEY": self.secret_key,
                "TRANSPARENCY_DATABASE_URL": self.database_url,
                "TRANSPARENCY_SEARCH_INDEX_DIR": str(self.index_dir),
                **{f"TRANSPARENCY_{key}": value for key, value in self.settings.items()},
            }
        )
        return env

    def flask(
        self, *args: str, stdin: str | None = None, check: bool = True, quiet: bool = False
    ) -> subprocess.CompletedProcess[str]:
        command = [str(BIN / "flask"), "--app", "transparency", *args]
        result = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=self.workdir,
            check=False,
        )
        if not quiet:
            tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
            say(f"flask {' '.join(args)} -> {result.returncode}: {' | '.join(tail)}")
        if check and result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result

    def app_config(self) -> dict[str, Any]:
        """Settings for an in-process app (verification after a run)."""
        return {
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "SEARCH_INDEX_DIR": str(self.index_dir),
            "SEARCH_BACKGROUND_SYNC": False,
        }


@contextlib.contextmanager
def postgres_database(prefix: str = "prod_bench") -> Iterator[str]:
    """A private database on the PostgreSQL test server, dropped afterwards."""
    import psycopg

    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        say(f"dropped PostgreSQL database {name}")


def prepare_site(site: Site, candidates: int, volunteers: int, reviewers: int) -> dict:
    """Schema, demo data, a built index and accounts; returns {'volunteers': [...], ...}."""
    site.workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    site.flask("init-db")
    site.flask("demo-data", "--candidates", str(candidates))
    site.flask("search", "reindex")
    accounts = create_accounts(site, volunteers, reviewers)
    say(f"site {site.name} ready in {time.monotonic() - started:.0f} s")
    return accounts


def create_accounts(site: Site, volunteers: int, reviewers: int) -> dict[str, list[str]]:
    """Accounts made in this process (one app, not one `flask users create` per account)."""
    from transparency import create_app
    from transparency.auth import create_user
    from transparency.extensions import db

    accounts: dict[str, list[str]] = {"volunteers": [], "reviewers": []}
    app = create_app(site.app_config())
    with app.test_request_context("/?lang=en"):
        for role, count, key in (
            ("volunteer", volunteers, "volunteers"),
            ("reviewer", reviewers, "reviewers"),
        ):
            for number in range(count):
                email = f"{role}{number}@bench.example"
                create_user(db.session, email, f"{role} {number}", PASSWORD, role)
                accounts[key].append(email)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return accounts


# --- gunicorn ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Gunicorn:
    """gunicorn with the production settings file, on a loopback port, logging to a file."""

    def __init__(
        self,
        site: Site,
        workers: int = 4,
        threads: int = 2,
        port: int | None = None,
        log: Path | None = None,
        access_log: bool = False,
    ) -> None:
        self.site = site
        self.workers = workers
        self.threads = threads
        self.port = port or free_port()
        self.log = log or site.workdir / "gunicorn.log"
        self.access_log = access_log
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 300) -> None:
        env = self.site.env()
        env["GUNICORN_ACCESS_LOG"] = "-" if self.access_log else "/dev/null"
        command = [
            str(BIN / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "transparency:create_app()",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.site.workdir,
                start_new_session=True,
            )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if Client(self.base, timeout=2).get("/healthz").status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s: {self.log}")

    @property
    def master(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return [pid for pid in children(self.master) if alive(pid)]

    def kill_worker(self, rng: random.Random) -> int | None:
        pids = self.worker_pids()
        if not pids:
            return None
        pid = rng.choice(pids)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return pid

    def kill_master_and_restart(self, timeout: float = 300) -> float:
        """kill -9 the master, as a crash would, then do what systemd does when a service's
        main process dies: SIGTERM what is left of it, SIGKILL after a grace period, start
        it again. Returns the seconds until the new server answered."""
        assert self.process is not None
        orphans = self.worker_pids()
        started = time.monotonic()
        os.kill(self.master, signal.SIGKILL)
        self.process.wait()
        for pid in orphans:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in orphans) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in orphans:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.start(timeout)
        self.restarts += 1
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.worker_pids()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in workers:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def log_problems(path: Path) -> dict[str, int]:
    text = path.read_text(errors="replace") if path.exists() else ""
    return {
        "database is locked": text.count("database is locked"),
        "Traceback": text.count("Traceback (most recent call last)"),
        "WORKER TIMEOUT": text.count("WORKER TIMEOUT"),
    }


# --- HTTP --------------------------------------------------------------------------------

# What a killed worker or a restarting server looks like to a client.
DROPPED = (OSError, http.client.HTTPException)


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Client:
    """One keep-alive connection with its cookies: a browser tab, without the browser."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        headers = {"Accept-Language": "id"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            connection = self._connect()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except DROPPED:
            self.close()
            raise
        elapsed = time.perf_counter() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                if val:
                    self.cookies[key.strip()] = val
                else:
                    self.cookies.pop(key.strip(), None)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return Reply(
            response.status,
            data.decode("utf-8", "replace"),
            {k.lower(): v for k, v in response.getheaders()},
            elapsed,
        )

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Reply:
        return self.request("POST", path, form)


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise ValueError("no CSRF token in the page")
    return match.group(1) or match.group(2)


# --- figures -----------------------------------------------------------------------------


class Stats:
    """Latencies and statuses per kind of request, shared by threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: dict[str, int] = defaultdict(int)
        self.samples_500: list[str] = []

    def add(self, kind: str, reply: Reply, path: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(reply.seconds)
            self.statuses[kind][reply.status] += 1
            if reply.status >= 500 and len(self.samples_500) < 20:
                self.samples_500.append(f"{reply.status} {kind} {path}")

    def error(self, kind: str, error: BaseException) -> None:
        with self.lock:
            self.errors[f"{kind}: {type(error).__name__}"] += 1

    def count(self, status: int) -> int:
        return sum(by.get(status, 0) for by in self.statuses.values())

    def report(self, seconds: float) -> list[str]:
        lines = [
            f"{'request':<22}{'n':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  statuses"
        ]
        for kind in sorted(self.latencies):
            values = sorted(self.latencies[kind])
            statuses = ", ".join(f"{k}:{v}" for k, v in sorted(self.statuses[kind].items()))
            lines.append(
                f"{kind:<22}{len(values):>7}{len(values) / seconds:>8.1f}"
                f"{percentile(values, 50) * 1000:>9.0f}{percentile(values, 95) * 1000:>9.0f}"
                f"{values[-1] * 1000:>9.0f}  {statuses}"
            )
        for name, count in sorted(self.errors.items()):
            lines.append(f"  connection errors {name}: {count}")
        return lines


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, default=str))
