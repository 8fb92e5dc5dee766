"""The rating page in a browser (issue 14, item 5): the pejabat penilai reads each indikator's
target, realisasi, capaian and bukti dukung, opens the evidence, and sees the kurva of the OPD
so far — on a 390 px phone (the table as cards) and at 1366 px, without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import indonesian, sign_in
from tests.e2e.test_phone_width import DESKTOP, PHONE, misfits
from tests.integration.test_kurva import _rated_opd, set_predikat
from tests.integration.test_penilaian_evidence import LINK, annual_of, evaluation
from tests.unit.test_uploads import PDF

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def evidence(app, tmp_path_factory):  # noqa: ANN001, ANN201
    """A submitted tw1 with three indikator, a link each and a PDF on the first."""
    before = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(tmp_path_factory.mktemp("uploads"))
    yield evaluation(app, indikator=3)
    app.config["UPLOAD_FOLDER"] = before


@pytest.fixture(scope="module")
def breached(app):  # noqa: ANN001, ANN201
    """An OPD rated for the year whose predikat organisasi (Butuh Perbaikan) the
    distribution breaks."""
    people = _rated_opd(app)
    set_predikat(app, people, "butuh_perbaikan")
    return people


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_penilai_reads_the_evidence_and_opens_the_file(
    app, live_server, page: Page, evidence, viewport
):
    sign_in(page, live_server, evidence.people.atasan)
    url = f"{live_server}/penilaian/{evidence.penilaian_id}"
    assert not misfits(page, viewport, url)
    table = page.locator("table.penilaian-realisasi")
    expect(table.locator("td.penilaian-capaian")).to_have_text(["75 %", "150 %", "80 %"])
    expect(table.locator(f'a[href="{LINK}"]')).to_have_count(3)
    expect(page.locator("#kurva-sejauh-ini")).to_be_visible()
    if viewport is PHONE:  # one card per indikator, each cell headed by its column
        expect(table.locator("thead")).to_be_hidden()
    download = table.locator('a[href$="/unduh"]')
    expect(download).to_have_text("laporan tw1.pdf")
    response = page.request.get(live_server + download.get_attribute("href"))
    assert response.status == 200 and response.body() == PDF


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_kurva_panel_shows_the_counts_and_the_broken_rule(
    app, live_server, page: Page, breached, viewport
):
    sign_in(page, live_server, breached.atasan)
    url = f"{live_server}/penilaian/{annual_of(app, breached.staff[0], breached.tahunan)}"
    assert not misfits(page, viewport, url)
    panel = page.locator("#kurva-sejauh-ini")
    expect(panel.locator('li[data-predikat="baik"] strong')).to_have_text("2")
    expect(panel.locator('li[data-breached="1"]')).to_have_count(2)
    expect(panel).to_contain_text(indonesian(app, "The distribution breaks the curve rule."))
    expect(page.locator("#form-nilai")).to_be_visible()
