"""How long log-ins wait while the admin import checks a large upload (issue #15, finding 2).

Serves the app with gunicorn on loopback (SQLite, 2 workers), uploads a malformed CSV of the
given size as an admin, and logs a volunteer in repeatedly until the check has finished. Each
log-in writes (its attempt and the audit event), so it needs SQLite's write lock: before the
check ran as a job it waited for the whole check. Prints the log-in times and the check's.

    .venv/bin/python benchmarks/import_job_lock.py --megabytes 20 --megabytes 99
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "violet tambourine under the bridge"
PORT = 18431


def opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def log_in(browser: urllib.request.OpenerDirector, base: str, email: str) -> float:
    page = browser.open(base + "/login").read().decode()
    started = time.perf_counter()
    body = urlencode({"csrf_token": token(page), "email": email, "password": PASSWORD}).encode()
    browser.open(base + "/login", body).read()
    return time.perf_counter() - started


def malformed_csv(path: Path, megabytes: int) -> None:
    header = "election,office,district_code,party_number,ballot_number,full_name\n"
    row = "pemilu-2024,DPR,9999,1,{n},Nama Fiktif Yang Cukup Panjang Untuk Baris Ini\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        n = 0
        while out.tell() < megabytes * 1024 * 1024:
            n += 1
            out.write(row.format(n=n))


def upload(browser: urllib.request.OpenerDirector, base: str, path: Path) -> str:
    page = browser.open(base + "/admin/import/").read().decode()
    boundary = secrets.token_hex(16)
    parts = [
        f"--{boundary}\r\nContent-Disposition: form-data; "
        f'name="csrf_token"\r\n\r\n{token(page)}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode(),
        path.read_bytes(),
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    request = urllib.request.Request(  # noqa: S310 - loopback, our own server
        base + "/admin/import/",
        data=b"".join(parts),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    return browser.open(request).geturl()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, action="append", default=[])
    args = parser.parse_args()
    sizes = args.megabytes or [20]
    folder = Path(tempfile.mkdtemp(prefix="import-lock-"))
    env = {
        **os.environ,
        "TRANSPARENCY_SECRET_KEY": secrets.token_urlsafe(48),
        "TRANSPARENCY_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "TRANSPARENCY_SEARCH_INDEX_DIR": str(folder / "index"),
        "TRANSPARENCY_RATELIMIT_ENABLED": "false",
        "TRANSPARENCY_TWO_FACTOR_REQUIRED_ROLES": "[]",
    }
    flask = [str(BIN / "flask"), "--app", "transparency"]
    subprocess.run([*flask, "init-db"], env=env, check=True, capture_output=True)
    for email, role in (("admin@contoh.example", "admin"), ("relawan@contoh.example", "volunteer")):
        subprocess.run(
            [*flask, "users", "create", email, "--role", role],
            env=env,
            input=PASSWORD + "\n",
            text=True,
            check=True,
            capture_output=True,
        )
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--workers",
            "2",
            "--threads",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "/dev/null",
            "transparency:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        admin, volunteer = opener(), opener()
        log_in(admin, base, "admin@contoh.example")
        print(f"{'MB':>4} {'check s':>8} {'log-ins':>8} {'median s':>9} {'max s':>7}  idle")
        for megabytes in sizes:
            path = folder / f"big-{megabytes}.csv"
            malformed_csv(path, megabytes)
            # The reference, in the same run: log-ins with no import going on.
            idle = statistics.median(
                log_in(volunteer, base, "relawan@contoh.example") for _ in range(9)
            )
            started = time.perf_counter()
            job_page = upload(admin, base, path)
            status_url = job_page.rstrip("/") + ".json"
            waits = []
            while True:
                waits.append(log_in(volunteer, base, "relawan@contoh.example"))
                state = admin.open(status_url).read()
                if b'"running":false' in state.replace(b" ", b""):
                    break
            check = time.perf_counter() - started
            median, worst = statistics.median(waits), max(waits)
            print(
                f"{megabytes:>4} {check:>8.1f} {len(waits):>8} {median:>9.3f} {worst:>7.3f}"
                f"  {idle:.3f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
