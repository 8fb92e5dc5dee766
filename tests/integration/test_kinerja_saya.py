"""Kinerja Saya: one page of the signed-in pegawai's own performance — what is due, the
ratings per periode and how they were reached, feedback, years, plans and JP — at a fixed
number of SQL statements whatever the number of evaluations."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.conftest import statements
from tests.factories import new_chain, skp_with_rhk, viewer_of
from tests.integration.test_pengembangan import accept, approved_chain, post, rate


def section(html: str, element_id: str) -> str:
    """The inner HTML of the element with this id, nested elements of its tag included."""
    start = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>', html)
    assert start, element_id
    tag, depth = start.group(1), 1
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start.end() :]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html[start.end() : start.end() + match.start()]
    raise AssertionError(f"unclosed #{element_id}")


@pytest.fixture()
def after_tw1(monkeypatch):  # noqa: ANN001, ANN201
    """The page's today: just after the first quarter of the active year has ended."""
    from app.views import kinerja_saya

    def today() -> dt.date:
        return dt.date(dt.date.today().year, 4, 15)

    monkeypatch.setattr(kinerja_saya, "local_today", today)


def add_feedback(app, skp_id: int, penulis_nip: str, pesan: str) -> None:  # noqa: ANN001
    from app.extensions import db
    from app.models.monitoring import UmpanBalik

    with app.app_context():
        db.session.add(
            UmpanBalik(
                skp_id=skp_id,
                penulis_id=viewer_of(app, penulis_nip).pegawai_id,
                pesan=pesan,
                dibuat_pada=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
        )
        db.session.commit()


def test_menu_and_dashboard_lead_to_kinerja_saya(app, login, cast):
    for nip in (cast.staff, cast.atasan, cast.pimpinan):
        dashboard = login(nip).get("/").get_data(as_text=True)
        assert 'id="link-kinerja-saya"' in dashboard
        assert dashboard.count('href="/kinerja-saya/"') >= 2  # the menu and the dashboard


def test_an_account_without_pegawai_is_told_so(app, login):
    page = login("admin").get("/kinerja-saya/")
    assert page.status_code == 200 and "alert-warning" in page.get_data(as_text=True)


def test_a_draft_skp_is_due(app, login):
    people = new_chain(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Layanan arsip", penugasan_dari=None)
    page = login(people.staff).get("/kinerja-saya/").get_data(as_text=True)
    due = section(page, "tugas")
    assert "tugas-skp_draft" in due and f"/skp/{skp_id}" in due
    assert f"/skp/{skp_id}" in section(page, "skp-sekarang")


def test_no_skp_yet_is_due(app, login):
    people = new_chain(app)
    due = section(login(people.staff).get("/kinerja-saya/").get_data(as_text=True), "tugas")
    assert "tugas-skp_belum_dibuat" in due


def test_ended_periode_rated_evaluation_feedback_plan_and_jp_are_shown(app, api, login, after_tw1):
    people, skp_id, rows = approved_chain(app)
    rate(app, api, people, rows["tw2"], "di_bawah", "sesuai")
    accept(app, api, people, rows["tahunan"], "di_atas", "di_atas")
    add_feedback(app, skp_id, people.atasan, "Lengkapi bukti dukung triwulan ini")
    day = dt.date(dt.date.today().year, 3, 2)
    login("admin").post(
        "/pelatihan/tambah",
        data={
            "nip": people.staff,
            "nama_diklat": "Orientasi",
            "tanggal_mulai": day.isoformat(),
            "jp": "6",
        },
    )

    page = login(people.staff).get("/kinerja-saya/").get_data(as_text=True)
    due = section(page, "tugas")
    assert "tugas-realisasi" in due and f"/penilaian/{rows['tw1']}" in due
    assert f"/penilaian/{rows['tw3']}" not in due  # its periode has not ended yet
    assert "tugas-tanggapi" in due and f"/penilaian/{rows['tw2']}" in due
    assert "tugas-rencana" in due and "tugas-jp_kurang" in due

    ratings = section(page, "penilaian-saya")
    assert f"/penilaian/{rows['tw2']}" in ratings and f"/penilaian/{rows['tahunan']}" in ratings
    assert "Kabid Uji" in ratings  # who rated
    years = section(page, "riwayat-tahunan")
    assert f"/penilaian/{rows['tahunan']}" in years
    assert "Lengkapi bukti dukung triwulan ini" in section(page, "umpan-balik-terbaru")
    assert "/pengembangan/" in section(page, "rencana-saya")
    assert '<strong class="jp-total">6</strong> JP (4,5 jam)' in page  # 1 JP = 45 minutes


def test_the_page_is_personal(app, api, login):
    people, _, rows = approved_chain(app)
    rate(app, api, people, rows["tw1"], "sesuai", "sesuai")
    page = login(people.atasan).get("/kinerja-saya/").get_data(as_text=True)
    assert f"/penilaian/{rows['tw1']}" not in page


def test_statement_count_does_not_grow_with_evaluations(app, api, login, after_tw1):
    people, skp_id, rows = approved_chain(app)
    rate(app, api, people, rows["tw1"], "sesuai", "sesuai")
    add_feedback(app, skp_id, people.atasan, "Pesan pertama")
    staff = login(people.staff)
    staff.get("/kinerja-saya/")

    with statements(app) as few:
        staff.get("/kinerja-saya/")

    post(api, people.staff, f"/api/v1/penilaian/{rows['tw1']}/accept")
    for jenis in ("tw2", "tw3"):
        accept(app, api, people, rows[jenis], "di_atas", "sesuai")
    rate(app, api, people, rows["tw4"], "di_bawah", "di_bawah")
    accept(app, api, people, rows["tahunan"], "di_bawah", "sesuai")
    for n in range(4):
        add_feedback(app, skp_id, people.staff if n % 2 else people.atasan, f"Pesan {n}")
    admin = login("admin")
    for jp in (4, 6, 8):
        admin.post(
            "/pelatihan/tambah",
            data={
                "nip": people.staff,
                "nama_diklat": f"Diklat {jp}",
                "tanggal_mulai": dt.date(dt.date.today().year, 2, jp).isoformat(),
                "jp": str(jp),
            },
        )
    with statements(app) as many:
        page = staff.get("/kinerja-saya/").get_data(as_text=True)

    assert section(page, "penilaian-saya").count("/penilaian/") == 5
    assert len(many) == len(few), "\n".join(many)


def test_an_evaluation_to_answer_shows_its_deadline(app, api, login):
    from app.extensions import db
    from app.models.penilaian import Penilaian
    from app.services import penilaian as penilaian_service

    people, _, rows = approved_chain(app)
    rate(app, api, people, rows["tw1"], "sesuai", "sesuai")
    with app.test_request_context():
        deadline = penilaian_service.objection_deadline(db.session.get(Penilaian, rows["tw1"]))
        shown = app.jinja_env.filters["waktu"](deadline)
        assert (
            db.session.execute(
                select(Penilaian.status).where(Penilaian.id == rows["tw1"])
            ).scalar_one()
            == "dinilai"
        )
    due = section(login(people.staff).get("/kinerja-saya/").get_data(as_text=True), "tugas")
    assert shown in due


def test_without_a_rating_the_empty_text_says_no_period_was_rated(app, login):
    from tests.e2e.browser import indonesian

    people, _, _ = approved_chain(app)
    page = login(people.staff).get("/kinerja-saya/").get_data(as_text=True)
    ratings = section(page, "penilaian-saya")
    assert indonesian(app, "No period has been rated yet.") in ratings
    assert indonesian(app, "No evaluation yet.") not in page
