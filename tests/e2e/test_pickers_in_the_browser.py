"""Search-as-you-type pickers in a real browser (app/views/pickers.py, static/sikap/pickers.js):
the admin types part of a NIP or a name, picks from what the server found, and saves; a list
filter on a unit keeps showing the unit's name after the search."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import pegawai_id
from tests.e2e.browser import sign_in
from tests.factories import new_chain

pytestmark = pytest.mark.e2e


def choose(page, field: str, term: str, label: str) -> None:  # noqa: ANN001
    """Open the picker of ``field``, type ``term``, click the match showing ``label``."""
    page.locator(f"#{field} + .select2-container").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=label).first.click()


def test_admin_changes_an_atasan_by_typing_part_of_their_nip(app, live_server, page):
    from app.extensions import db
    from app.models.master import Pegawai

    people = new_chain(app)
    staff, boss = pegawai_id(app, people.staff), pegawai_id(app, people.boss)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/pegawaiview/edit/{staff}")
    expect(page.locator("#atasan + .select2-container")).to_contain_text(people.atasan)

    choose(page, "atasan", people.boss[-8:], people.boss)
    with page.expect_navigation():
        page.click("form [type=submit]")

    with app.app_context():
        atasan = db.session.execute(select(Pegawai.atasan_id).where(Pegawai.id == staff))
        assert atasan.scalar_one() == boss


def test_a_unit_filter_is_picked_by_name_and_stays_shown(app, live_server, page):
    from app.extensions import db
    from app.models.master import UnitKerja

    with app.app_context():
        dinkes = db.session.execute(select(UnitKerja.id).where(UnitKerja.kode == "DINKES"))
        unit = dinkes.scalar_one()
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/pegawaiview/list/")
    page.click("#accordion1 a.accordion-toggle")  # the search panel
    page.click("#filter_form .dropdown-toggle")  # add a filter …
    page.click("#filter_form a.filter[name=unit_kerja]")  # … on the unit
    choose(page, "filter_form select.filter_val", "dinas kesehatan", "Dinas Kesehatan")
    page.click("#filter_form [type=submit]")
    page.wait_for_url(f"**_unit_kerja={unit}*")

    page.click("#accordion1 a.accordion-toggle")
    expect(page.locator("#filter_form .select2-container").last).to_contain_text("Dinas Kesehatan")


@pytest.mark.parametrize("width", [390, 1366])
def test_a_report_is_filtered_by_a_unit_picked_by_name(app, live_server, page, width):
    """The Laporan page's unit filter is a picker (an OPD head of a province may filter by a
    thousand units): typed, picked, and the download asks for that unit."""
    from app.extensions import db
    from app.models.master import UnitKerja

    with app.app_context():
        dinkes = db.session.execute(select(UnitKerja.id).where(UnitKerja.kode == "DINKES"))
        unit = dinkes.scalar_one()
    page.set_viewport_size({"width": width, "height": 844 if width < 800 else 768})
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/laporan/")
    choose(page, "unit_kerja_id", "kesehatan", "Dinas Kesehatan")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_download() as download:
        page.locator("tr[data-jenis=pegawai] button").first.click()
    assert f"unit_kerja_id={unit}" in download.value.url
