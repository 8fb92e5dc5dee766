"""Realisasi typed into several boxes is never lost (issue 14, item 2): one "Simpan semua"
saves them all, and leaving the page with typed, unsaved input asks first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.e2e.browser import sign_in
from tests.integration.test_realisasi_pages import approved_skp, page_url

pytestmark = pytest.mark.e2e


def leaving_asks(page: Page) -> bool:
    """Whether closing the page (as following a link would) asks before unloading; the
    question is answered "stay"."""
    try:
        # Generous: under the full suite's load Chromium once took over 3 s to ask.
        with page.expect_event("dialog", timeout=8000) as asked:
            page.close(run_before_unload=True)
    except PlaywrightError:  # closed without asking
        return False
    dialog = asked.value
    dialog.dismiss()
    # "Stay" keeps the page: wait until it answers again, so that the fixture does not close
    # the context while Chromium is still cancelling the unload (it took the browser down once).
    assert page.evaluate("document.readyState") == "complete"
    return dialog.type == "beforeunload"


def test_two_values_typed_are_both_there_after_one_save_and_a_reload(app, live_server, page):
    skp = approved_skp(app)
    first, second = skp.indikator
    sign_in(page, live_server, skp.people.staff)
    page.goto(live_server + page_url(skp))
    page.fill(f"#nilai-{first}", "7")
    page.fill(f"#catatan-{first}", "Tujuh dokumen selesai")
    page.fill(f"#nilai-{second}", "2,5")
    page.click("#btn-simpan-realisasi")
    expect(page.locator(".alert-success")).to_be_visible()

    page.reload()
    expect(page.locator(f"#nilai-{first}")).to_have_value("7")
    expect(page.locator(f"#catatan-{first}")).to_have_value("Tujuh dokumen selesai")
    expect(page.locator(f"#nilai-{second}")).to_have_value("2,5")
    assert not leaving_asks(page)  # everything is saved: leaving does not ask


def test_leaving_with_a_typed_value_asks_first(app, live_server, page):
    skp = approved_skp(app)
    sign_in(page, live_server, skp.people.staff)
    page.goto(live_server + page_url(skp))
    page.click(f"#nilai-{skp.indikator[0]}")
    page.keyboard.type("5")
    assert leaving_asks(page)


def test_a_refused_save_keeps_every_box_and_still_asks_before_leaving(app, live_server, page):
    skp = approved_skp(app)
    first, second = skp.indikator
    sign_in(page, live_server, skp.people.staff)
    page.goto(live_server + page_url(skp))
    page.fill(f"#nilai-{first}", "7")
    page.fill(f"#nilai-{second}", "banyak")
    page.click("#btn-simpan-realisasi")
    expect(page.locator("#realisasi-refused")).to_contain_text("Tepat waktu")
    expect(page.locator(f"#nilai-{first}")).to_have_value("7")
    expect(page.locator(f"#nilai-{second}")).to_have_value("banyak")
    page.click(f"#catatan-{first}")  # a user gesture, as a browser needs before asking
    assert leaving_asks(page)
