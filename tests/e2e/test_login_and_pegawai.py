"""An admin BKPSDM in a real browser: signs in through the login form, finds a pegawai by NIP,
opens the record, and is told in Indonesian why a NIP is refused.

The session's app (tests/conftest.py, with its demo data) is served on a free 127.0.0.1 port
and driven with Debian's Chromium through Playwright (TESTING.md). A failed test leaves a
screenshot and the page's HTML in test-artifacts/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import indonesian, sign_in

pytestmark = pytest.mark.e2e


def test_admin_signs_in_through_the_form_and_lands_on_the_indonesian_dashboard(
    app, live_server, page
):
    page.goto(f"{live_server}/login/")
    expect(page.locator("form[name=login] [type=submit]")).to_have_value(indonesian(app, "Sign In"))
    sign_in(page, live_server, "admin")

    expect(page.locator("h2").first).to_contain_text(indonesian(app, "Welcome to SIKAP Dumai"))


def test_admin_finds_a_pegawai_by_nip_and_opens_the_record(app, live_server, page, cast):
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/pegawaiview/list/")
    expect(page.locator(".panel-heading").first).to_contain_text(
        indonesian(app, "List of Employees")
    )

    page.click("#accordion1 a.accordion-toggle")  # the search panel
    page.click("#filter_form .dropdown-toggle")  # add a filter …
    page.click("#filter_form a.filter[name=nip]")  # … on NIP
    page.fill("#filter_form input.filter_val", cast.staff)
    page.click("#filter_form [type=submit]")
    page.wait_for_url(f"**_nip={cast.staff}*")

    rows = page.locator("tr", has=page.locator("input.action_check"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(cast.staff)

    rows.first.locator("a[href*='/pegawaiview/show/']").click()
    page.wait_for_url("**/pegawaiview/show/**")
    expect(page.locator("body")).to_contain_text(cast.staff)
    expect(page.locator("body")).to_contain_text(indonesian(app, "Direct supervisor"))


def test_adding_a_pegawai_with_a_short_nip_says_why_on_the_form(app, live_server, page):
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/pegawaiview/add")
    page.fill("#nip", "12345")
    page.fill("#nama", "Pegawai Uji")
    page.click("form [type=submit]")

    error = indonesian(
        app, "NIP must be %(expected)d digits long, not %(actual)d.", expected=18, actual=5
    )
    expect(page.locator("tr", has=page.locator("#nip"))).to_contain_text(error)
    expect(page.locator("#nip")).to_have_value("12345")  # what was typed is kept
