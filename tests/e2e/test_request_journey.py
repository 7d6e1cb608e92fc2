"""A disclosure request end to end in a real Chromium (issue 19): a reviewer records a request,
issues the one-time link, the candidate answers through it without an account, a reviewer
approves, and the answer is on the public profile. Every page on the way fits a 390 px phone
and passes axe, in Indonesian and in English; a withdrawn link answers 410."""

from __future__ import annotations

from typing import Any

import pytest

from tests.auth_helpers import DEFAULT_PASSWORD
from tests.e2e.conftest import Server, Visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
REPLY = "Daftar riwayat hidup saya kini terbuka untuk pemilih."


def checked(visit: Visit, name: str, lang: str, problems: list[str]) -> None:
    page = visit.page
    page.wait_for_load_state("load")
    if page.locator("html").get_attribute("lang") != lang:
        problems.append(f"{name}: page language is not {lang}")
    violations = visit.axe_violations()
    if violations:
        problems.append(f"{name} ({lang}): axe {violations}")
    if visit.overflow() > 0:
        problems.append(f"{name} ({lang}): {visit.overflow()} px wider than the screen")
    visit.shot(f"{name}-{lang}")


def in_both(visit: Visit, server: Server, path: str, name: str, problems: list[str]) -> Any:
    """Check the page in English, then in Indonesian (left as the language in use)."""
    for lang in ("en", "id"):
        sep = "&" if "?" in path else "?"
        response = visit.page.goto(server(f"{path}{sep}lang={lang}"))
        checked(visit, name, lang, problems)
    return response


@pytest.mark.parametrize("visit", [PHONE], indirect=True)
def test_request_link_answer_approval_public(visit: Visit, server: Server) -> None:
    page = visit.page
    problems: list[str] = []
    page.goto(server("/login?lang=id"))
    page.fill("#email", "peninjau@contoh.example")
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    eka = server.ids["eka"]
    in_both(visit, server, f"/review/requests/new?candidacy={eka}", "request-form", problems)
    page.fill("#sent_on", "2024-01-03")
    page.select_option("#channel", "whatsapp")
    page.fill("#addressee", "Penghubung Partai Empat")
    page.fill("#source_url", "https://contoh.example/surat/permintaan-eka")
    page.fill("#window_days", "14")
    page.locator("main form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/review/requests/" in page.url, page.locator("main").inner_text()
    detail = page.url.split("?")[0].removeprefix(server.url)
    assert "17 Januari 2024" in page.locator("main").inner_text()
    in_both(visit, server, detail, "request", problems)

    # A link issued and withdrawn answers 410 with a clear page.
    page.locator("main form[action$='/links'] button").click()
    page.wait_for_load_state()
    withdrawn = page.locator("#answer-url").input_value()
    checked(visit, "link-issued", "id", problems)
    page.locator("main form[action$='/revoke'] button").click()
    page.wait_for_load_state()
    page.locator("main form[action$='/links'] button").click()
    page.wait_for_load_state()
    link = page.locator("#answer-url").input_value()
    assert link != withdrawn

    answerer = page.context.browser.new_context(viewport=PHONE, locale="id-ID")
    try:
        tab = Visit(page=answerer.new_page(), folder=visit.folder)
        tab.page.set_default_timeout(10_000)
        for lang in ("en", "id"):
            gone = tab.page.goto(f"{withdrawn}?lang={lang}")
            assert gone is not None and gone.status == 410
            checked(tab, "link-withdrawn", lang, problems)
        assert "Tautan ini ditarik." in tab.page.locator("main").inner_text()
        for lang in ("en", "id"):
            opened = tab.page.goto(f"{link}?lang={lang}")
            assert opened is not None and opened.status == 200
            checked(tab, "answer-form", lang, problems)
        tab.page.fill("#author_name", "Eka Permatasari")
        tab.page.fill("#cv", "https://contoh.example/eka/drh.pdf")
        tab.page.fill("#reply_text", REPLY)
        tab.page.locator("main form button[type=submit]").click()
        tab.page.wait_for_load_state()
        assert "menunggu peninjau" in tab.page.locator("main").inner_text()
        checked(tab, "answer-sent", "id", problems)
        used = tab.page.goto(link)
        assert used is not None and used.status == 410
        # Not public before a reviewer approves it.
        tab.page.goto(server(f"/candidates/{eka}"))
        assert REPLY not in tab.page.locator("main").inner_text()

        page.goto(server(f"{detail}?lang=id"))
        page.locator("main a[href*='/review/submissions/']").click()
        page.wait_for_load_state()
        checked(visit, "answer-review", "id", problems)
        page.fill("#reason", "CV dan jawaban sesuai")
        page.locator("main button[value=approve]").click()
        page.wait_for_load_state()

        tab.page.goto(server(f"/candidates/{eka}"))
        assert REPLY in tab.page.locator("main").inner_text()
        tab.shot("profile-with-answer")
    finally:
        answerer.close()
    in_both(visit, server, "/review/requests/?status=answered", "requests-answered", problems)
    assert "Eka Permatasari" in page.locator("main").inner_text()
    assert problems == [], "\n".join(problems)
