"""With CSRF protection on, as in production (the other browser tests run with it off):
every form a user reaches carries its token — the login form, FAB's add form, its delete
button and bulk actions, and the SKP and penilaian journeys — so nothing is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e import test_skp_and_penilaian_journeys as journeys
from tests.e2e.browser import indonesian, sign_in
from tests.factories import person

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def csrf_on(app, monkeypatch):  # noqa: ANN001
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.mark.parametrize(
    "journey",
    [
        journeys.test_pegawai_submits_the_skp_and_the_atasan_approves_it,
        journeys.test_atasan_rates_and_the_pegawai_accepts,
        journeys.test_pegawai_objects_and_the_atasan_of_the_penilai_decides,
    ],
    ids=["skp", "penilaian-accepted", "penilaian-objected"],
)
def test_the_workflow_journeys_pass_with_csrf_protection_on(
    app, live_server, page, browser, journey
):  # noqa: ANN001
    journey(app, live_server, page, browser)


def test_fab_add_delete_and_bulk_action_pass_with_csrf_protection_on(app, live_server, page: Page):  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Jabatan, Pegawai

    sign_in(page, live_server, "admin")

    page.goto(f"{live_server}/jabatanview/add")
    page.fill("#nama", "Jabatan Uji CSRF")
    page.select_option("#jenis", index=1)
    page.click("form [type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    with app.app_context():
        jabatan_id = db.session.execute(
            select(Jabatan.id).where(Jabatan.nama == "Jabatan Uji CSRF")
        ).scalar_one()
        # A later row, so that SQLite does not hand the deleted id to the next jabatan (the
        # audit trail of that id would then hold two rows' history).
        db.session.add(Jabatan(nama="Jabatan Uji CSRF Sesudahnya", jenis="pelaksana"))
        db.session.commit()

    page.goto(f"{live_server}/jabatanview/list/?_flt_0_nama=Jabatan+Uji+CSRF")
    page.locator(f"[id$='/jabatanview/delete/{jabatan_id}']").click()
    page.click("#modal-confirm-ok")
    expect(page.locator(".alert-success")).to_be_visible()
    with app.app_context():
        assert db.session.get(Jabatan, jabatan_id) is None

    with app.app_context():
        model = db.session.execute(select(Pegawai).limit(1)).scalar_one()
        pegawai = person(db.session, "Akun Lewat Aksi", model.unit_kerja_id, account=False)
        db.session.commit()
        nip, pegawai_id = pegawai.nip, pegawai.id
    page.goto(f"{live_server}/pegawaiview/list/?_flt_0_nip={nip}")
    page.locator("input.action_check").first.check()
    page.locator("button.dropdown-toggle", has_text=indonesian(app, "Actions")).click()
    page.click("a.create_account_menu_item")
    page.click("#modal-confirm-ok")
    expect(page.locator(".alert-info").first).to_contain_text(nip)
    with app.app_context():
        assert db.session.get(Pegawai, pegawai_id).user_id is not None
