"""A voter's paths through the site in a real Chromium, at desktop and phone sizes.

Each test writes screenshots of its steps to build/screenshots/<test name>/. A page that
answers 404 or a link, form or script that is missing fails the journey, naming it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.auth_helpers import DEFAULT_PASSWORD
from tests.e2e.conftest import Server, Visit

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def open_page(visit: Visit, url: str, what: str) -> Any:
    response = visit.page.goto(url)
    assert response is not None and response.ok, f"{what} {url}: {response and response.status}"
    return response


def compare_url(server: Server, *names: str) -> str:
    return server("/compare?ids=" + ",".join(str(server.ids[name]) for name in names))


def check_comparison(visit: Visit) -> None:
    page = visit.page
    heads = page.locator(".compare-head .compare-name")
    assert heads.count() >= 2
    body = page.locator("main").inner_text()
    assert "Tidak bersedia membuka data diri" in body  # the flag's own wording
    assert "Tidak ada data" in body
    assert "tidak bersedia dipublikasikan" in body  # why the cell is empty: CV refused


def test_search_open_add_two_and_compare(visit: Visit, server: Server) -> None:
    page = visit.page
    open_page(visit, server("/"), "home page")
    visit.shot("home")
    page.fill("#site-q", "air")
    page.press("#site-q", "Enter")
    page.wait_for_load_state()
    results_url = page.url
    visit.shot("results")
    result_link = page.locator(f'main a[href$="/candidates/{server.ids["budi"]}"]')
    assert result_link.count() > 0, f"no link to Budi Santoso's profile on {results_url}"
    result_link.first.click()
    page.wait_for_load_state()
    open_page(visit, page.url, "profile page")
    visit.shot("profile")
    add = page.locator("main form.compare-toggle button")
    assert add.count() > 0, "the profile has no compare_toggle form"
    add.first.click()
    page.wait_for_load_state()
    assert "1 caleg dipilih" in page.locator(".compare-tray").inner_text()
    open_page(visit, results_url, "search results")
    row_add = page.locator(
        f'main form.compare-toggle[action$="/compare/add/{server.ids["ani"]}"] button'
    )
    row_add.first.click()
    page.wait_for_load_state()
    visit.shot("tray")
    page.locator(".compare-tray a.button").click()
    page.wait_for_load_state()
    assert re.search(r"/compare\?ids=\d+,\d+$", page.url)
    check_comparison(visit)
    visit.shot("comparison")


def test_comparison_content(visit: Visit, server: Server) -> None:
    open_page(visit, compare_url(server, "ani", "budi", "citra"), "compare page")
    check_comparison(visit)
    main = visit.page.locator("main").inner_text()
    for text in (
        "Ani Lestari",
        "Budi Santoso",
        "Citra Dewi",
        "Air bersih untuk setiap desa",
        "Sengketa lahan pasar",
        "Data diri akan kami serahkan",
    ):
        assert text in main
    # Facts of one kind sit side by side: the programme row has one cell per candidate,
    # and on a desktop the cells of a row share one line (their tops align).
    cells = visit.page.locator("#row-programme > td.compare-cell")
    assert cells.count() == 3
    tops = {round(cells.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1, tops
    visit.shot("comparison")


@pytest.mark.parametrize("visit", [PHONE], indirect=True, ids=["phone"])
def test_phone_pages_do_not_scroll_sideways(visit: Visit, server: Server) -> None:
    page = visit.page
    open_page(visit, compare_url(server, "ani", "budi", "citra"), "compare page")
    check_comparison(visit)
    assert visit.overflow() <= 0
    visit.shot("compare")
    page.locator("main .compare-name a").first.focus()
    open_page(visit, server("/find"), "district finder")
    page.select_option("#find-province", "33")
    page.locator("#find-province ~ button").click()
    page.wait_for_load_state()
    assert visit.overflow() <= 0
    visit.shot("finder")
    page.locator(".ballot-choices a", has_text=re.compile(r"^JAWA TENGAH IV$")).click()
    page.wait_for_load_state()
    assert "JAWA TENGAH IV" in page.locator("h1").inner_text()
    assert visit.overflow() <= 0
    visit.shot("ballot")
    page.locator('a[href*="/compare/district/"]').click()
    page.wait_for_load_state()
    assert "JAWA TENGAH" in page.locator("h1").inner_text()
    page.check(f"#choose-{server.ids['ani']}")
    page.check(f"#choose-{server.ids['citra']}")
    page.check(f"#choose-{server.ids['budi']}")
    assert visit.overflow() <= 0
    visit.shot("district-chooser")
    page.locator(".sticky-submit button").click()
    page.wait_for_load_state()
    check_comparison(visit)
    assert visit.overflow() <= 0
    visit.shot("comparison-from-district")
    for path, what in (("/", "home page"), ("/candidates", "candidate list")):
        open_page(visit, server(path), what)
        assert visit.overflow() <= 0, path


def test_switch_language_and_back(visit: Visit, server: Server) -> None:
    page = visit.page
    open_page(visit, compare_url(server, "ani", "budi"), "compare page")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Bandingkan caleg" in page.locator("h1").inner_text()
    page.locator('.language-switch a[hreflang="en"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Compare candidates"
    assert "No data" in page.locator("main").inner_text()
    visit.shot("english")
    page.goto(server("/find"))  # remembered on the next page
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator('.language-switch a[hreflang="id"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Surat suara saya"
    visit.shot("indonesian")


def test_keyboard_users_see_focus_and_can_skip(visit: Visit, server: Server) -> None:
    page = visit.page
    open_page(visit, compare_url(server, "ani", "budi"), "compare page")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    targets = (
        "main a, main button, main input, main select, "
        ".compare-tray a, .compare-tray button, .compare-tray summary"
    )
    # Inline links in running text are exempt (WCAG 2.5.8); every other control is 44 px high.
    small = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
              .filter(el => el.offsetParent !== null)
              .filter(el => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'))
              .filter(el => el.getBoundingClientRect().height < 44)
              .map(el => el.outerHTML.slice(0, 120))""",
        targets,
    )
    assert small == []
    visit.shot("focus")


@pytest.mark.parametrize(
    ("path", "what"),
    [("/candidates/{budi}", "profile page"), ("/compare?ids={ani},{budi},{citra}", "compare page")],
    ids=["profile", "compare"],
)
def test_pages_stay_light(visit: Visit, server: Server, path: str, what: str) -> None:
    """HTML, CSS and JS of the page under 100 KB (photos aside), all from this site."""
    open_page(visit, server(path.format(**server.ids)), what)
    visit.page.wait_for_load_state("load")
    sizes = visit.page.evaluate(
        """() => [...performance.getEntriesByType('navigation'),
                  ...performance.getEntriesByType('resource')]
              .filter(e => e.initiatorType !== 'img')
              .map(e => [e.name, e.decodedBodySize])"""
    )
    assert all(name.startswith(server.url) for name, _ in sizes), sizes
    assert sum(size for _, size in sizes) < 100_000, sizes


def test_suggestions_as_you_type(visit: Visit, server: Server) -> None:
    page = visit.page
    open_page(visit, server("/"), "home page")
    assert page.locator("script[data-suggest-url]").get_attribute("data-suggest-url"), (
        "the home page names no suggestion URL: suggestions stay idle"
    )
    page.locator("#site-q").press_sequentially("Bud", delay=50)
    suggestion = page.locator("#site-q-suggestions a", has_text="Budi Santoso")
    suggestion.first.wait_for()
    assert page.locator("#site-q").get_attribute("aria-expanded") == "true"
    visit.shot("suggestions")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.closest('#site-q-suggestions') !== null")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Budi Santoso" in page.locator("main").inner_text()


# Accessibility, overflow and weight of every page, in both languages and at both widths:
# tests/e2e/test_pages_checked.py.


def log_in(visit: Visit, server: Server, email: str) -> None:
    page = visit.page
    page.context.clear_cookies()  # one person at a time in this browser
    open_page(visit, server("/login"), "log-in page")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.locator("main").inner_text()


def test_volunteer_item_approved_shows_on_profile(visit: Visit, server: Server) -> None:
    page = visit.page
    statement = "Beasiswa untuk anak nelayan pesisir (uji ujung ke ujung)."
    profile = server(f"/candidates/{server.ids['ani']}")

    log_in(visit, server, "relawan@contoh.example")
    form_url = server(f"/contribute/candidacies/{server.ids['ani']}/programme")
    open_page(visit, form_url, "programme submission form")
    page.fill("#text", statement)
    page.fill("#sources-0-url", "https://contoh.example/visi-misi-ani")
    page.fill("#sources-0-title", "Dokumen visi dan misi (fiktif)")
    page.fill("#sources-0-accessed_on", "2024-01-10")
    visit.shot("submission-form")
    page.locator("form:has(#text) button[type=submit]").click()
    page.wait_for_load_state()
    visit.shot("submitted")
    open_page(visit, profile, "profile before review")
    assert statement not in page.locator("main").inner_text()  # pending: not public

    log_in(visit, server, "peninjau@contoh.example")
    open_page(visit, server("/review/"), "review queue")
    page.locator('main a[href*="/review/submissions/"]').first.click()
    page.wait_for_load_state()
    assert statement in page.locator("main").inner_text()  # the diff shows what is proposed
    visit.shot("review")
    page.fill("#reason", "Sumber resmi partai, sesuai dokumen.")
    page.locator('button[value="approve"]').click()
    page.wait_for_load_state()

    open_page(visit, profile, "profile after review")
    main = page.locator("main").inner_text()
    assert statement in main
    assert "Dokumen visi dan misi (fiktif)" in main  # with its source
    visit.shot("profile-after-approval")


def test_download_flagged_csv(visit: Visit, server: Server) -> None:
    page = visit.page
    open_page(visit, server("/flagged"), "flagged list (branch flag)")
    link = page.locator('a[href*="/export/candidates.csv"]')
    assert link.count() > 0, "the flagged page has no CSV link"
    href = link.first.get_attribute("href") or ""
    answer = page.request.get(server(href) if href.startswith("/") else href)
    assert answer.ok, f"{href} answers {answer.status}"
    visit.shot("flagged")
    with page.expect_download() as download:
        link.first.click()
    path = download.value.path()
    text = path.read_text(encoding="utf-8-sig")
    assert "Budi Santoso" in text
    assert "Ani Lestari" not in text
