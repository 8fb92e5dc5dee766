"""The kurva's what-if in a browser: the table shows a page of the OPD's members, the counts
come from every member (kurva.js moves the changed rows between them), and "back to the
actual ratings" restores them — at 390 px and at 1366 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import sign_in
from tests.e2e.test_phone_width import DESKTOP, PHONE, misfits
from tests.integration.test_kurva import _rated_opd, set_predikat

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def rated(app):  # noqa: ANN001, ANN201
    """An OPD rated for the year: Sangat Baik 1, Baik 2, Butuh Perbaikan 1, two unrated."""
    people = _rated_opd(app)
    set_predikat(app, people, "baik")
    return people


def whatif(page: Page, predikat: str):  # noqa: ANN201
    return page.locator(
        f'#kurva-distribusi tbody tr[data-predikat="{predikat}"] [data-whatif-count]'
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_a_what_if_moves_one_member_and_back(app, live_server, page: Page, rated, viewport):
    sign_in(page, live_server, rated.pimpinan)
    url = f"{live_server}/kurva/?unit_kerja_id={rated.id}&periode_id={rated.tahunan}"
    assert not misfits(page, viewport, url)
    expect(whatif(page, "baik")).to_have_text("2")
    expect(whatif(page, "sangat_baik")).to_have_text("1")
    row = page.locator('#kurva-pegawai tr[data-predikat="baik"]').first
    row.locator("select.kurva-pilihan").select_option("sangat_baik")
    expect(whatif(page, "baik")).to_have_text("1")
    expect(whatif(page, "sangat_baik")).to_have_text("2")
    expect(page.locator("#kurva-total [data-whatif-count]")).to_have_text("4")
    expect(row).to_have_class("warning")
    page.locator("#kurva-reset").click()
    expect(whatif(page, "baik")).to_have_text("2")
    expect(whatif(page, "sangat_baik")).to_have_text("1")
