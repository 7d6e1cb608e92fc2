"""Browser fixtures: a real server process, one Chromium, a page that records console errors.

The tests run when Debian's Chromium (/usr/bin/chromium) and Playwright for Python are there
and are skipped with a reason otherwise; under CI (CI=true) a missing browser is an error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERVER_START_TIMEOUT = 60


def _missing_browser() -> str:
    if not Path(CHROMIUM).exists():
        return (
            f"Chromium not found at {CHROMIUM}: browser tests skipped "
            "(apt-get install chromium chromium-driver)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright for Python is not installed: browser tests skipped "
            "(pip install -e '.[test]')"
        )
    return ""


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = _missing_browser()
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true and {missing}", pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Server:
    url: str
    ids: dict[str, int]

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app in its own process, on a free loopback port, with a throw-away database."""
    directory = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("TEST_DATABASE_URL", None)
    log = (directory / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.e2e.serve", str(directory)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("READY "):
            process.kill()
            log.close()
            pytest.fail(
                "the test server did not start:\n" + (directory / "server.log").read_text(),
                pytrace=False,
            )
        _, port, ids = line.split(" ", 2)
        yield Server(url=f"http://127.0.0.1:{port}", ids=json.loads(ids))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()
        log.close()


# Run in the page: every word of <main> whose letters sit on more than one line.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('.url, .visually-hidden, code, script, style')) continue;
    for (const match of node.data.matchAll(/[^\\s\\-\\/\u2013]+[\\-\\/\u2013]?/g)) {
      if (match[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top));
      if (tops.length && Math.max(...tops) - Math.min(...tops) > 2) broken.push(match[0]);
    }
  }
  return broken;
}"""


@dataclass
class Visit:
    """A browser tab that keeps every console error and failed request, and takes screenshots."""

    page: Any
    folder: Path
    errors: list[str] = field(default_factory=list)
    shots: int = 0

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(self.folder / f"{self.shots:02d}-{name}.png"), full_page=True)

    def axe_violations(self) -> list[dict[str, Any]]:
        """Serious and critical axe-core violations of the page as it is now."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # evaluate() runs through the debugging protocol, which the page's CSP does not block.
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        result = self.page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
        )
        return [v for v in result if v["impact"] in ("serious", "critical")]

    def broken_words(self) -> list[str]:
        """Words of the main content that wrap onto two lines (cut mid-word). A break after
        a hyphen, a slash or an en dash ("2013–" then "2019)") is a word's own; web addresses
        (.url) may break anywhere."""
        return list(self.page.evaluate(BROKEN_WORDS))

    def overflow(self) -> int:
        """How many pixels the document is wider than the viewport (0 when it fits)."""
        return int(
            self.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        )


@pytest.fixture
def visit(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Visit]:
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    folder = SCREENSHOTS / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    tab = Visit(page=page, folder=folder)
    page.on(
        "console",
        lambda message: (
            tab.errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: tab.errors.append(f"{page.url}: {error}"))

    def only_local(route: Any) -> None:
        url = route.request.url
        if url.startswith(server.url + "/") or url.startswith("data:"):
            route.continue_()
        else:
            tab.errors.append(f"{page.url}: external request to {url}")
            route.abort()

    context.route("**/*", only_local)
    yield tab
    context.close()
    assert tab.errors == [], "console errors or off-site requests on visited pages"
