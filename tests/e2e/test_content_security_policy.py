"""Pages work under the Content-Security-Policy (app/security/headers.py): loading them and
using their widgets — the server-drawn charts, the SKP editor, select2 pickers, the date
picker, Swagger UI, the print page — makes Chromium refuse nothing and throws no error."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from sqlalchemy import select

from tests.e2e.browser import sign_in
from tests.factories import approved_evaluations

pytestmark = pytest.mark.e2e

# Playwright's init scripts run outside the page's policy: this one only records what the
# policy refused.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@dataclass
class Watch:
    page: Page
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        if where.endswith("/favicon.ico"):
            return  # Chromium asks for it on its own; the app has none
        if message.type == "error" or "Content Security Policy" in message.text:
            self.console.append(f"{message.text} ({where})")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        self.page.wait_for_load_state("load")

    def assert_nothing_refused(self, where: str) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], (where, violations)
        assert (self.console, self.errors) == ([], []), where


@pytest.fixture()
def watch(page: Page) -> Iterator[Watch]:
    watched = Watch(page)
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", watched.on_console)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            watched.errors.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield watched


def test_admin_pages_and_their_widgets_run_under_the_policy(live_server, watch):  # noqa: ANN001
    page = watch.page
    sign_in(page, live_server, "admin")
    for path in ("/", "/pegawaiview/list/", "/kurva/", "/laporan/", "/kepatuhan/", "/users/list/"):
        watch.visit(f"{live_server}{path}")
        watch.assert_nothing_refused(path)
    expect(page.locator("body")).to_be_visible()

    watch.visit(f"{live_server}/")
    expect(page.locator("#dashboard svg").first).to_be_visible()  # the server-drawn charts
    watch.assert_nothing_refused("dashboard charts")

    watch.visit(f"{live_server}/pegawaiview/add")
    page.locator(".select2-container").first.click()  # select2 opens its result list
    expect(page.locator(".select2-results").first).to_be_visible()
    page.keyboard.press("Escape")
    page.locator(".appbuilder_date input").first.click()  # the date picker opens
    expect(page.locator(".datepicker").first).to_be_visible()
    watch.assert_nothing_refused("pegawai form widgets")

    watch.visit(f"{live_server}/swagger/v1")
    expect(page.locator("#swagger-ui .information-container")).to_be_visible()
    watch.assert_nothing_refused("swagger")


def test_skp_editor_realisasi_and_print_pages_run_under_the_policy(app, live_server, watch):  # noqa: ANN001
    from app.extensions import db
    from app.models.penilaian import Penilaian

    people, evaluations = approved_evaluations(app)
    with app.app_context():
        skp_id, periode_id = db.session.execute(
            select(Penilaian.skp_id, Penilaian.periode_id).where(Penilaian.id == evaluations["tw1"])
        ).one()
    page = watch.page
    sign_in(page, live_server, people.staff)
    for path in (
        f"/skp/{skp_id}",
        f"/realisasi/{skp_id}/{periode_id}",
        f"/penilaian/{evaluations['tw1']}",
        "/kinerja-saya/",
        f"/skp/dokumen/{skp_id}/cetak",
    ):
        watch.visit(f"{live_server}{path}")
        watch.assert_nothing_refused(path)

    # The print button's handler is attached by a nonce'd script, not an onclick attribute.
    page.evaluate("window.print = function () { window.__printed = true; }")
    page.click("#cetak")
    assert page.evaluate("window.__printed === true")
    watch.assert_nothing_refused("print button")
