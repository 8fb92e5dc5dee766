"""An admin BKPSDM in a real browser: signs in through the login form, finds a pegawai by NIP,
opens the record, and is told in Indonesian why a NIP is refused.

The session's app (tests/conftest.py, with its demo data) is served on a free 127.0.0.1 port
and driven with Debian's Chromium through Playwright (TESTING.md). A failed test leaves a
screenshot and the page's HTML in test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

pytestmark = pytest.mark.e2e

PASSWORD = "dumai2026"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line per asset: a failing test's output shows what went wrong instead."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:  # noqa: ANN001
    """The app of tests/conftest.py (its demo data included) behind a real HTTP server."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, request):  # noqa: ANN001, ANN201
    """A fresh browser profile (no cookies) per test, as a user in Dumai would have it."""
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(15_000)
    page = context.new_page()
    failures_before = request.session.testsfailed
    yield page
    # The call phase has been reported by now: a failure has already been counted.
    if request.session.testsfailed > failures_before:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        (ARTIFACTS / f"{request.node.name}.html").write_text(page.content(), encoding="utf-8")
    context.close()


def indonesian(app, msgid: str, **params: object) -> str:  # noqa: ANN001
    """The text of ``msgid`` in the default locale, as the catalogue has it; fails while the
    catalogue still lacks an Indonesian translation (a page would then show English)."""
    with app.test_request_context():
        with force_locale("id"):
            text = gettext(msgid, **params)
        with force_locale("en"):
            english = gettext(msgid, **params)
    assert text != english, f"not translated into Indonesian yet: {msgid!r}"
    return text


def sign_in(page, live_server: str, username: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server}/login/")
    expect(page.locator("#username")).to_be_visible()
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form[name=login] [type=submit]")
    page.wait_for_url(f"{live_server}/")


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
