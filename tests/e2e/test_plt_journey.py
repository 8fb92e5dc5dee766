"""A Plh approves, in a real browser, the SKP of the post they cover (issue 12): the SKP is
in their approval inbox, they approve it from its page, and the page names the post beside
their name — on a phone (390 px wide) and on a desktop."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.conftest import pegawai_id
from tests.e2e.browser import indonesian, sign_in
from tests.factories import chain_with_submitted_skps, skp_with_rhk

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def record_plh(app, acting: str, covered: str) -> None:  # noqa: ANN001
    """The SK, recorded as admin BKPSDM would (through the same service as the page)."""
    from app.extensions import db
    from app.models.penugasan import Penugasan
    from app.services import master

    today = dt.date.today()
    with app.app_context():
        item = Penugasan(
            pegawai_id=pegawai_id(app, acting),
            menggantikan_id=pegawai_id(app, covered),
            jenis="plh",
            tanggal_mulai=today,
            tanggal_selesai=today + dt.timedelta(days=14),
            nomor_sk="800/PLH/E2E",
        )
        master.write(db.session, "add", item)
        db.session.commit()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_plh_approves_an_skp_of_the_covered_post(app, live_server, browser, viewport):
    people, atasan_rhk = chain_with_submitted_skps(app)
    record_plh(app, people.colleague, people.atasan)
    skp, _ = skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk, submit=True)

    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, people.colleague)

    expect(page.locator(".dash-acting")).to_contain_text("Plh. Kepala Bidang Uji")
    page.goto(f"{live_server}/skp/persetujuan/")
    link = page.locator(f"a[href$='/skp/{skp}']").first
    expect(link).to_be_visible()
    link.click()
    page.click("#btn-setujui")
    expect(page.locator(".skp-status")).to_have_text(indonesian(app, "Approved"))
    expect(page.locator("body")).to_contain_text("Rekan Uji (Plh. Kepala Bidang Uji)")
    # Nothing of the page runs off a phone's screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1
    context.close()
