"""A wheel built from a clean checkout serves the site in Bahasa Indonesia, as `make` does."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SERVE_ONCE = """
import sys, transparency
from transparency import create_app
from transparency.extensions import db
from transparency.reference import load_reference_data
app = create_app({"TESTING": True, "SECRET_KEY": "wheel-" + "x" * 40,
                  "DATABASE_URL": "sqlite:///" + sys.argv[1] + "/site.db",
                  "SEARCH_INDEX_DIR": sys.argv[1] + "/index", "RATELIMIT_ENABLED": False})
with app.app_context():
    db.create_all()
    load_reference_data(db.session)
    db.session.commit()
page = app.test_client().get("/candidates").get_data(as_text=True)
print(transparency.__file__)
print("Calon" in page, 'lang="id"' in page, "/static/style.css" in page)
print(app.test_client().get("/static/style.css").status_code)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of a clean checkout: only the files git tracks, so no compiled catalogue."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("the wheel test builds from the git checkout: run it inside one")
    checkout = tmp_path_factory.mktemp("checkout")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607 - whichever git is on PATH
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        source = ROOT / name.decode()
        if source.is_file():
            target = checkout / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    assert not list(checkout.rglob("*.mo"))
    out = tmp_path_factory.mktemp("dist")
    # The build backend in-process of a fresh interpreter: the test environment already has
    # setuptools and babel (the build requirements), and no network is needed.
    subprocess.run(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-c",
            "import sys; from setuptools import build_meta; build_meta.build_wheel(sys.argv[1])",
            str(out),
        ],
        cwd=checkout,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("transparency-*.whl")
    return built


def test_the_wheel_holds_compiled_catalogues_templates_and_static_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "transparency/translations/id/LC_MESSAGES/messages.mo" in names
    assert "transparency/translations/id/LC_MESSAGES/messages.po" in names
    assert "transparency/templates/base.html" in names
    assert "transparency/templates/disclosure/flagged.html" in names
    assert "transparency/static/style.css" in names
    assert "transparency/reference/parties-2024.csv" in names
    assert "transparency/migrations/env.py" in names


def test_the_installed_wheel_serves_indonesian_away_from_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(  # noqa: S603 - our own interpreter, pip, the wheel just built
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # -S: no site hooks, so the editable install of the checkout cannot shadow the wheel;
    # the dependencies come from this environment's site-packages, after the wheel.
    dependencies = sysconfig.get_paths()["purelib"]
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-S", "-c", SERVE_ONCE, str(tmp_path)],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{target}:{dependencies}", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    )
    location, checks, static_status = result.stdout.strip().splitlines()[-3:]
    assert location.startswith(str(target))
    assert checks == "True True True"
    assert static_status == "200"
