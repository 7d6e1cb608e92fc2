"""An admin sets up the second factor in a real Chromium, then logs in with it (issue #15).

The set-up is walked in Indonesian (the site's default) and the code page is checked in
English too; the code is computed from the key the page shows, as an authenticator app would.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from tests.auth_helpers import DEFAULT_PASSWORD
from tests.e2e.conftest import Server, Visit

pytestmark = pytest.mark.browser


def password_step(visit: Visit, server: Server) -> None:
    page = visit.page
    page.goto(server("/login"))
    page.fill("#email", "admin@contoh.example")
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_admin_sets_up_the_second_factor_and_logs_in_with_it(visit: Visit, server: Server) -> None:
    page = visit.page
    password_step(visit, server)
    page.goto(server("/admin/users"))  # any admin page leads to the set-up first
    assert page.url.endswith("/account/two-factor")
    main = page.locator("main").inner_text()
    assert "Siapkan faktor kedua" in main and "Peran Anda mewajibkan faktor kedua" in main
    assert page.locator("img.totp-qr").evaluate("img => img.naturalWidth > 0")
    visit.shot("set-up")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.fill("#password", DEFAULT_PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", c) for c in codes)
    visit.shot("recovery-codes")
    page.goto(server("/admin/users"))
    assert page.url.endswith("/admin/users")
    assert "Aktif" in page.locator("main").inner_text()  # the accounts table shows it on

    page.goto(server("/logout"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    password_step(visit, server)
    assert page.url.endswith("/login/code")
    assert "Faktor kedua" in page.locator("main h1").inner_text()
    page.goto(server("/login/code?lang=en"))
    assert "Second factor" in page.locator("main h1").inner_text()
    visit.shot("code-step-english")
    # The code of the next 30-second step: the one used at set-up cannot be used again.
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(server("/admin/users"))
    assert page.url.endswith("/admin/users")

    page.goto(server("/logout"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    password_step(visit, server)
    page.fill("#code", codes[0])  # a recovery code works once
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(server("/admin/users"))
    assert page.url.endswith("/admin/users")
    visit.shot("logged-in-with-a-recovery-code")
