"""The main journeys in a real browser, in Indonesian: a pegawai drafts and submits an SKP
and the atasan approves it; an evaluation is rated and accepted; another is rated, objected
to and decided by the atasan's own atasan."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import indonesian, sign_in
from tests.factories import approved_evaluations, chain_with_submitted_skps, fill_realisasi

pytestmark = pytest.mark.e2e


def confirm_dialogs(page: Page) -> None:
    """Accept the "Yakin?" confirmations (data-confirm) as a user clicking OK would."""
    page.on("dialog", lambda dialog: dialog.accept())


def new_page(browser) -> Page:  # noqa: ANN001
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(15_000)
    page = context.new_page()
    confirm_dialogs(page)
    return page


def test_pegawai_submits_the_skp_and_the_atasan_approves_it(app, live_server, page, browser):
    people, _ = chain_with_submitted_skps(app)
    confirm_dialogs(page)
    sign_in(page, live_server, people.staff)
    page.goto(f"{live_server}/skp/")
    expect(page.locator("h2").first).to_have_text(indonesian(app, "My SKP"))
    page.click("form[action$='/skp/buat'] [type=submit]")
    page.wait_for_url(re.compile(r".*/skp/\d+$"))

    rhk_form = page.locator("#form-rhk")
    rhk_form.locator("select[name=intervensi_id]").select_option(label="Layanan bidang meningkat")
    rhk_form.locator("textarea[name=uraian]").fill("Tersusunnya dokumen pelayanan")
    rhk_form.locator("[type=submit]").click()
    expect(page.locator(".skp-hasil-kerja")).to_contain_text("Tersusunnya dokumen pelayanan")

    indikator = page.locator("form.skp-add-indikator").first
    indikator.locator("[name=uraian]").fill("Jumlah dokumen")
    indikator.locator("[name=target]").fill("12")
    indikator.locator("[name=satuan]").fill("dokumen")
    indikator.locator("[type=submit]").click()
    expect(page.locator(".skp-hasil-kerja")).to_contain_text("12 dokumen")

    page.click("#btn-ajukan")
    expect(page.locator(".skp-status")).to_have_text(indonesian(app, "Submitted"))
    skp_url = page.url

    atasan = new_page(browser)
    sign_in(atasan, live_server, people.atasan)
    atasan.goto(f"{live_server}/skp/persetujuan/")
    expect(atasan.locator("body")).to_contain_text(people.staff)
    atasan.goto(skp_url)
    atasan.click("#btn-setujui")
    expect(atasan.locator(".skp-status")).to_have_text(indonesian(app, "Approved"))
    atasan.context.close()


def test_atasan_rates_and_the_pegawai_accepts(app, live_server, page, browser):
    people, rows = approved_evaluations(app)
    fill_realisasi(app, rows["tw1"])
    confirm_dialogs(page)
    sign_in(page, live_server, people.staff)
    page.goto(f"{live_server}/penilaian/{rows['tw1']}")
    page.click("#btn-ajukan-penilaian")
    expect(page.locator(".penilaian-status")).to_have_text(indonesian(app, "Submitted"))

    atasan = new_page(browser)
    sign_in(atasan, live_server, people.atasan)
    atasan.goto(f"{live_server}/penilaian/{rows['tw1']}")
    form = atasan.locator("#form-nilai")
    form.locator("input[name=rating_hasil_kerja][value=di_atas]").check()
    form.locator("input[name=rating_perilaku_kerja][value=di_atas]").check()
    form.locator("textarea[name=umpan_balik]").fill("Kinerja sangat baik, pertahankan")
    atasan.click("#btn-nilai")
    expect(atasan.locator("#predikat")).to_have_text(indonesian(app, "Very Good"))
    atasan.context.close()

    page.reload()
    expect(page.locator(".matrix-chosen")).to_have_count(1)
    page.click("#btn-terima")
    expect(page.locator(".penilaian-status")).to_have_text(indonesian(app, "Accepted"))


def test_pegawai_objects_and_the_atasan_of_the_penilai_decides(app, live_server, page, browser):
    people, rows = approved_evaluations(app)
    fill_realisasi(app, rows["tw2"])
    confirm_dialogs(page)
    sign_in(page, live_server, people.staff)
    page.goto(f"{live_server}/penilaian/{rows['tw2']}")
    page.click("#btn-ajukan-penilaian")

    atasan = new_page(browser)
    sign_in(atasan, live_server, people.atasan)
    atasan.goto(f"{live_server}/penilaian/{rows['tw2']}")
    atasan.locator("#form-nilai input[name=rating_hasil_kerja][value=di_bawah]").check()
    atasan.locator("#form-nilai input[name=rating_perilaku_kerja][value=di_bawah]").check()
    atasan.click("#btn-nilai")
    expect(atasan.locator("#predikat")).to_have_text(indonesian(app, "Very Poor"))
    atasan.context.close()

    page.reload()
    page.fill("#form-keberatan textarea[name=alasan]", "Target tercapai, bukti sudah diunggah")
    page.click("#btn-keberatan")
    expect(page.locator(".penilaian-status")).to_have_text(indonesian(app, "Objected"))

    boss = new_page(browser)
    sign_in(boss, live_server, people.boss)
    boss.goto(f"{live_server}/penilaian/")
    expect(boss.locator("body")).to_contain_text(people.staff)
    boss.goto(f"{live_server}/penilaian/{rows['tw2']}")
    boss.locator("#form-putuskan input[name=rating_hasil_kerja][value=sesuai]").check()
    boss.locator("#form-putuskan input[name=rating_perilaku_kerja][value=sesuai]").check()
    boss.fill("#form-putuskan textarea[name=catatan]", "Bukti dukung memadai")
    boss.click("#btn-putuskan")
    expect(boss.locator(".penilaian-status")).to_have_text("Final")  # the same word in both
    expect(boss.locator("#predikat")).to_have_text(indonesian(app, "Good"))
    boss.context.close()
