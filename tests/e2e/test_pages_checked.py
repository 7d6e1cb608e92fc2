"""Every public page a voter meets, in both languages, on a phone and on a desktop.

On each: no serious or critical axe-core violation, no horizontal overflow, no console error
(and on the history and the comparison, no word cut across two lines);
home, list and profile weigh at most 150 KB of HTML, CSS and JS once compressed. A screenshot
of each goes to build/screenshots/checks-<language>-<width>/. One browser and one server for
all: a context per language and width, the pages visited in turn.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.auth_helpers import DEFAULT_PASSWORD
from tests.e2e.conftest import SCREENSHOTS, Server, Visit

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "search": "/candidates?q=air",
    "list": "/candidates",
    "profile": "/candidates/{budi}",
    "history": "/candidates/{budi}/history",
    "find": "/find?q=Karanganyar",
    "ballot": "/ballot/pemilu-2024/dprd_kabkota/331305",
    "compare": "/compare?ids={ani},{budi},{citra}",
    "flagged": "/flagged",
    "statistics": "/statistics",
    "methodology": "/methodology",
    "contribute": "/contribute/",  # from here on: the volunteer logged in
    "tasks": "/contribute/tasks",
    "tasks-dpr": "/contribute/tasks?office=DPR&district=3305",
    "profile-logged-in": "/candidates/{dedi}",  # its unchecked item links the tasks
}
WEIGHED = ("home", "list", "profile")
WHOLE_WORDS = ("history", "compare")  # pages checked for words cut in half on a phone
MAX_COMPRESSED = 150_000
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# Words that would show the other language leaking in (a label left untranslated).
FOREIGN = {
    "en": ("Calon tanpa", "No. urut", "Tanpa partai", "Ditandai", "Surat suara", "Cari"),
    "id": ("No party", "Ballot number", "Flagged", "unknown value", "Search candidates"),
}


@pytest.fixture(scope="module")
def tabs(browser: Any, server: Server) -> Iterator[dict[str, Visit]]:
    """One tab per language and width, the language chosen once and remembered (cookie)."""
    opened: dict[str, Visit] = {}
    contexts = []
    for lang in ("id", "en"):
        for size, viewport in SIZES.items():
            name = f"checks-{lang}-{size}"
            context = browser.new_context(viewport=viewport, locale="id-ID")
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(15_000)
            folder = SCREENSHOTS / name
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            tab = Visit(page=page, folder=folder)
            page.on(
                "console",
                lambda m, tab=tab, page=page: (
                    tab.errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
                ),
            )
            page.on(
                "pageerror", lambda e, tab=tab, page=page: tab.errors.append(f"{page.url}: {e}")
            )
            page.goto(server(f"/?lang={lang}"))
            opened[name] = tab
    yield opened
    for context in contexts:
        context.close()


def compressed_weight(tab: Visit, server: Server) -> int:
    """HTML, CSS and JS of the page as a compressing proxy would send them (gzip -6)."""
    urls = tab.page.evaluate(
        """() => [location.href, ...performance.getEntriesByType('resource')
              .filter(e => /\\.(css|js)(\\?|$)/.test(e.name)).map(e => e.name)]"""
    )
    total = 0
    for url in urls:
        assert url.startswith(server.url), url
        total += len(gzip.compress(tab.page.request.get(url).body(), 6))
    return total


def log_in(tab: Visit, server: Server) -> None:
    page = tab.page
    page.goto(server("/login"))
    page.fill("#email", "relawan@contoh.example")
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_is_accessible_fits_and_stays_light(
    tabs: dict[str, Visit], server: Server, lang: str, size: str
) -> None:
    tab = tabs[f"checks-{lang}-{size}"]
    page = tab.page
    problems: list[str] = []
    for name, path in PAGES.items():
        if name == "contribute":
            log_in(tab, server)
        response = page.goto(server(path.format(**server.ids)))
        page.wait_for_load_state("load")
        if response is None or not response.ok:
            problems.append(f"{name}: HTTP {response and response.status}")
            continue
        if page.locator("html").get_attribute("lang") != lang:
            problems.append(f"{name}: page language is not {lang}")
        violations = tab.axe_violations()
        if violations:
            problems.append(f"{name}: axe {violations}")
        if tab.overflow() > 0:
            problems.append(f"{name}: {tab.overflow()} px wider than the screen")
        if name in WHOLE_WORDS and (broken := tab.broken_words()):
            problems.append(f"{name}: words cut across lines {broken[:10]}")
        text = page.locator("body").inner_text()
        leaked = [word for word in FOREIGN[lang] if word in text]
        if leaked:
            problems.append(f"{name}: words of the other language {leaked}")
        if name in WEIGHED and (weight := compressed_weight(tab, server)) > MAX_COMPRESSED:
            problems.append(f"{name}: {weight:,} bytes compressed")
        tab.shot(name)
    problems += tab.errors
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", ["/candidates?q=air", "/candidates"], ids=["search", "list"])
def test_a_phone_shows_the_first_result_on_its_first_screen(
    tabs: dict[str, Visit], server: Server, path: str
) -> None:
    page = tabs["checks-id-phone"].page
    page.context.clear_cookies()
    page.goto(server(path + ("&" if "?" in path else "?") + "lang=id"))
    first = page.locator(".search-hit, .candidate-row").first
    box = first.bounding_box()
    assert box is not None and box["y"] + 40 < SIZES["phone"]["height"], box
    # The filters wait behind one control, closed on a phone.
    assert page.locator("details.search-facets[open], details.list-filters[open]").count() == 0


def test_adding_to_the_comparison_neither_reloads_nor_jumps(
    tabs: dict[str, Visit], server: Server
) -> None:
    page = tabs["checks-id-desktop"].page
    page.context.clear_cookies()
    page.goto(server("/ballot/pemilu-2024/dprd_kabkota/331305?lang=id"))
    page.evaluate("() => { window.__same_page = true; window.scrollTo(0, 600); }")
    buttons = page.locator("main form.compare-toggle button")
    buttons.nth(3).click()
    page.locator(".compare-tray").wait_for()
    assert page.evaluate("() => window.__same_page === true")  # no reload
    assert page.evaluate("() => window.scrollY") >= 500  # no jump to the top
    assert "Hapus dari perbandingan" in buttons.nth(3).inner_text()
    assert page.evaluate("() => document.activeElement.closest('form.compare-toggle') !== null")
    buttons.nth(7).click()
    page.locator(".compare-tray a.button").wait_for()
    assert "2 caleg dipilih" in page.locator(".compare-tray").inner_text()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_keyboard_reaches_the_first_add_to_comparison_in_a_few_tabs(
    tabs: dict[str, Visit], server: Server, size: str
) -> None:
    """Issue 16 counted 104 Tabs through the filters before the first result's button."""
    page = tabs[f"checks-id-{size}"].page
    page.context.clear_cookies()
    page.goto(server("/candidates?q=air&lang=id"))
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    on_toggle = "() => document.activeElement.closest('form.compare-toggle') !== null"
    presses = 0
    while not page.evaluate(on_toggle):
        assert presses < 40, "40 Tabs did not reach an 'add to comparison' button"
        page.keyboard.press("Tab")
        presses += 1
    # The header's dozen links, then on a desktop the open filters' top five per facet.
    assert presses <= 25, presses
