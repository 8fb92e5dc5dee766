"""Closing the year (issue 13, item 6): admin BKPSDM sees per OPD what still waits and the
SIASN readiness, closes a year that has ended (confirming when something still waits), after
which every write to that year is refused whoever makes it — page, API, job — while reading
goes on; reopening needs a reason; both acts are on the page's history and in the audit
trail. The demo's previous year (inactive) is closed here and reopened after each test."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from tests.factories import viewer_of

LAST_YEAR = dt.date.today().year - 1


def _admin():  # noqa: ANN202
    from app.security.scope import Viewer

    return Viewer(user_id=None, is_admin=True)


@pytest.fixture()
def last_year(app, cast):  # noqa: ANN001, ANN201
    """The previous year's annual periode id; reopened afterwards if a test left it closed."""
    from app.extensions import db
    from app.models.master import Periode
    from app.services import tahun, tutup_tahun

    with app.app_context():
        annual = db.session.execute(
            select(Periode.id).where(Periode.tahun == LAST_YEAR, Periode.jenis == "tahunan")
        ).scalar_one()
    yield annual
    with app.app_context():
        if tahun.is_closed(db.session, LAST_YEAR):
            tutup_tahun.buka(db.session, _admin(), None, LAST_YEAR, "Dibuka lagi oleh tes.")
            db.session.commit()


def draft_skp(app, nip: str, periode_id: int) -> int:  # noqa: ANN001
    """A draft SKP of ``nip`` in a past year (the services make SKPs for the active year
    only; a year's leftovers are what closing is about)."""
    from app.extensions import db
    from app.models.skp import Skp

    with app.app_context():
        skp = Skp(pegawai_id=viewer_of(app, nip).pegawai_id, periode_id=periode_id, versi=9)
        db.session.add(skp)
        db.session.commit()
        return skp.id


def test_only_admin_bkpsdm_opens_the_closing_page(login, cast):
    for nip in (cast.pimpinan, cast.atasan, cast.staff):
        response = login(nip).get("/tutup-tahun/")
        assert response.status_code in (302, 403), nip
        assert "tutup-tahun-opd" not in response.get_data(as_text=True)
    page = login(cast.admin).get(f"/tutup-tahun/?tahun={LAST_YEAR}").get_data(as_text=True)
    assert "Tutup Tahun" in page and 'id="tutup-tahun-opd"' in page
    assert "Siap SIASN" in page and "Keberatan terbuka" in page


def test_a_running_year_cannot_close(login, cast):
    this_year = dt.date.today().year
    client = login(cast.admin)
    page = client.get(f"/tutup-tahun/?tahun={this_year}").get_data(as_text=True)
    assert 'data-status="berjalan"' in page and 'id="tutup-tahun-form"' not in page
    refused = client.post("/tutup-tahun/tutup", data={"tahun": str(this_year), "tetap_tutup": "y"})
    assert refused.status_code == 409
    assert f"Tahun {this_year} baru dapat ditutup setelah berakhir." in refused.get_data(
        as_text=True
    )


def test_closing_lists_what_waits_needs_confirmation_and_makes_the_year_read_only(
    app, api, login, cast, last_year
):
    from app.extensions import db
    from app.models.audit import AuditLog

    skp_id = draft_skp(app, cast.other_staff, last_year)
    with app.app_context():
        # Earlier tests close and reopen this year too: only this test's acts count below.
        before = db.session.scalar(select(func.coalesce(func.max(AuditLog.id), 0)))
    client = login(cast.admin)
    page = client.get(f"/tutup-tahun/?tahun={LAST_YEAR}").get_data(as_text=True)
    assert 'data-status="terbuka"' in page and 'id="tutup-tahun-form"' in page

    # Something still waits (at least that draft): closing needs the confirmation.
    refused = client.post("/tutup-tahun/tutup", data={"tahun": str(LAST_YEAR)})
    assert refused.status_code == 422
    assert "yang menunggu" in refused.get_data(as_text=True)
    closed = client.post("/tutup-tahun/tutup", data={"tahun": str(LAST_YEAR), "tetap_tutup": "y"})
    assert closed.status_code == 302
    page = client.get(f"/tutup-tahun/?tahun={LAST_YEAR}").get_data(as_text=True)
    assert 'data-status="ditutup"' in page and 'data-aksi="tutup"' in page
    assert 'id="buka-tahun"' in page

    # Read-only for everyone, through every door; reading goes on.
    owner, headers = api(cast.other_staff)
    assert owner.get(f"/api/v1/skp/{skp_id}", headers=headers).status_code == 200
    lampiran = {"dukungan_sumber_daya": "Anggaran bidang"}
    edit = owner.put(f"/api/v1/skp/{skp_id}", json=lampiran, headers=headers)
    assert edit.status_code == 409, edit.get_json()
    assert f"Tahun {LAST_YEAR} sudah ditutup" in edit.get_json()["message"]
    rhk = owner.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "tambahan", "uraian": "Terlambat"},
        headers=headers,
    )
    assert rhk.status_code == 409, rhk.get_json()
    admin, admin_headers = api(cast.admin)
    assert admin.delete(f"/api/v1/skp/{skp_id}", headers=admin_headers).status_code in (
        405,
        409,
    )
    with app.app_context():
        from app.models.master import Periode

        tw1 = db.session.execute(
            select(Periode.id).where(Periode.tahun == LAST_YEAR, Periode.jenis == "tw1")
        ).scalar_one()
    moved = admin.put(
        f"/api/v1/periode/{tw1}",
        json={"batas_realisasi": f"{LAST_YEAR}-04-30"},
        headers=admin_headers,
    )
    assert moved.status_code == 409, moved.get_json()
    # The page shows the refusal in Indonesian instead of an error page.
    page_client = login(cast.other_staff)
    page_submit = page_client.post(
        f"/skp/{skp_id}/lampiran",
        data={**lampiran, "pendekatan": "kuantitatif"},
        follow_redirects=True,
    )
    assert page_submit.status_code in (200, 409)
    assert f"Tahun {LAST_YEAR} sudah ditutup" in page_submit.get_data(as_text=True)

    # Reopening needs a reason; then the year is writable again.
    short = client.post("/tutup-tahun/buka", data={"tahun": str(LAST_YEAR), "alasan": "salah"})
    assert short.status_code in (400, 422)
    reopened = client.post(
        "/tutup-tahun/buka",
        data={"tahun": str(LAST_YEAR), "alasan": "Keberatan susulan dari Dinas Kesehatan."},
    )
    assert reopened.status_code == 302
    page = client.get(f"/tutup-tahun/?tahun={LAST_YEAR}").get_data(as_text=True)
    assert 'data-aksi="buka"' in page and "Keberatan susulan dari Dinas Kesehatan." in page
    assert owner.put(f"/api/v1/skp/{skp_id}", json=lampiran, headers=headers).status_code == 200

    # Both acts are in the audit trail under the admin's account.
    with app.app_context():
        acts = db.session.execute(
            select(AuditLog.username, AuditLog.action)
            .where(AuditLog.table_name == "tutup_tahun", AuditLog.id > before)
            .order_by(AuditLog.id)
        ).all()
        assert {action for _, action in acts} >= {"insert"} and len(acts) >= 2
        assert all(username == cast.admin for username, _ in acts)
    trail = client.get("/auditlogview/list/?_flt_0_table_name=tutup_tahun").get_data(as_text=True)
    assert "Tindakan: Dibuka kembali" in trail and "Tindakan: Ditutup" in trail
    assert "Tindakan: buka" not in trail


def test_closing_by_api_or_role_other_than_admin_is_refused(app, cast, last_year):
    from app.domain.errors import NotYourRole
    from app.extensions import db
    from app.services import tutup_tahun

    with app.app_context(), pytest.raises(NotYourRole):
        tutup_tahun.tutup(
            db.session,
            viewer_of(app, cast.pimpinan),
            None,
            LAST_YEAR,
            dt.date.today(),
            tetap_tutup=True,
        )


def test_jobs_leave_a_closed_year_alone(app, cast, last_year, monkeypatch):
    from app.extensions import db
    from app.services import jobs, tenggat, tutup_tahun

    asked: list[int] = []
    real = tenggat.belum_bertindak

    def counting(session, periods, periode, jenis):  # noqa: ANN001, ANN202
        asked.append(periode.tahun)
        return real(session, periods, periode, jenis)

    monkeypatch.setattr(tenggat, "belum_bertindak", counting)
    with app.app_context():
        # Open, last year's first quarter is looked at around its deadline ...
        jobs.run_due(db.session, dt.date(LAST_YEAR, 4, 3))
        assert LAST_YEAR in asked
        asked.clear()
        tutup_tahun.tutup(
            db.session,
            _admin(),
            None,
            LAST_YEAR,
            dt.date.today(),
            tetap_tutup=True,
        )
        db.session.commit()
        # ... closed, it is not: no reminders, and no refusal either (the jobs skip the
        # year instead of failing every night).
        done = jobs.run_due(db.session, dt.date(LAST_YEAR, 4, 3))
        assert LAST_YEAR not in asked and done["pengingat_tenggat"] == 0


def opd_id(app, kode: str) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import UnitKerja

    with app.app_context():
        return db.session.execute(select(UnitKerja.id).where(UnitKerja.kode == kode)).scalar_one()


@pytest.fixture()
def answers_waiting(app, api, last_year):  # noqa: ANN001, ANN201
    """Last year's leftovers of a fresh chain (in BAPPEDA): tw1 objected to, tw2 rated and
    unanswered past the objection window; returns (the LastYear, tw1, tw2)."""
    from app.extensions import db
    from app.models.penilaian import Penilaian
    from tests.integration.test_tahun_ditutup import RATING, moved_to_last_year

    year = moved_to_last_year(app, api)
    tw1, tw2 = year.penilaian["tw1"], year.penilaian["tw2"]
    atasan, headers = api(year.people.atasan)
    assert (
        atasan.post(f"/api/v1/penilaian/{tw1}/rate", json=RATING, headers=headers).status_code
        == 200
    )
    staff, staff_headers = api(year.people.staff)
    objected = staff.post(
        f"/api/v1/penilaian/{tw1}/object", json={"alasan": "Belum sesuai"}, headers=staff_headers
    )
    assert objected.status_code == 200, objected.get_json()
    with app.app_context():
        rated = db.session.get(Penilaian, tw2)
        rated.dinilai_pada -= dt.timedelta(days=app.config.get("KEBERATAN_HARI", 14) + 1)
        db.session.commit()
    return year, tw1, tw2


def test_each_count_of_the_closing_page_opens_the_items_behind_it(
    app, login, cast, answers_waiting
):
    year, tw1, tw2 = answers_waiting
    bappeda = opd_id(app, "BAPPEDA")
    client = login(cast.admin)
    page = client.get(f"/tutup-tahun/?tahun={LAST_YEAR}").get_data(as_text=True)
    row = page[page.index(f'data-opd-id="{bappeda}"') :]
    row = row[: row.index("</tr>")]
    links = dict(re.findall(r'<a href="([^"]+)" data-rincian="(\w+)"', row))
    by_kind = {kind: href.replace("&amp;", "&") for href, kind in links.items()}
    annual = last_year_id(app)
    assert by_kind["keberatan"] == f"/tutup-tahun/{LAST_YEAR}/rincian/keberatan?opd={bappeda}"
    assert by_kind["penerimaan_jatuh_tempo"].endswith(f"penerimaan_jatuh_tempo?opd={bappeda}")
    assert f"periode_id={annual}" in by_kind["belum_dinilai"]
    assert f"unit_kerja_id={bappeda}" in by_kind["belum_dinilai"]
    assert "kategori=belum_dinilai" in by_kind["belum_dinilai"]
    # The year's SIASN export, for the city and per OPD.
    assert f'href="/laporan/siasn.xlsx?periode_id={annual}"' in page
    assert 'id="tutup-tahun-penerimaan"' in page

    objections = client.get(by_kind["keberatan"]).get_data(as_text=True)
    assert (
        f'data-penilaian-id="{tw1}"' in objections
        and f'data-penilaian-id="{tw2}"' not in objections
    )
    deemed = client.get(by_kind["penerimaan_jatuh_tempo"]).get_data(as_text=True)
    assert f'data-penilaian-id="{tw2}"' in deemed
    # Scoped to the OPD: another OPD's list does not show them; the total's shows all.
    other = client.get(
        f"/tutup-tahun/{LAST_YEAR}/rincian/keberatan?opd={opd_id(app, 'DINKES')}"
    ).get_data(as_text=True)
    assert f'data-penilaian-id="{tw1}"' not in other
    every = client.get(f"/tutup-tahun/{LAST_YEAR}/rincian/keberatan").get_data(as_text=True)
    assert f'data-penilaian-id="{tw1}"' in every
    assert client.get(f"/tutup-tahun/{LAST_YEAR}/rincian/lainnya").status_code == 404
    # Admin BKPSDM's only.
    assert login(cast.pimpinan).get(by_kind["keberatan"]).status_code in (302, 403)


def test_the_items_behind_a_count_go_page_by_page(
    app, api, login, cast, answers_waiting, monkeypatch
):
    """A list longer than a page links to the next page of the same year, kind and OPD
    (the pager once lost the year and kind of the address, and the page failed)."""
    from app.extensions import db
    from app.models.penilaian import Penilaian
    from app.services import paging
    from tests.integration.test_tahun_ditutup import moved_to_last_year

    _, _, first = answers_waiting
    second = moved_to_last_year(app, api).penilaian["tw2"]
    with app.app_context():
        rated = db.session.get(Penilaian, second)
        rated.dinilai_pada -= dt.timedelta(days=app.config.get("KEBERATAN_HARI", 14) + 1)
        db.session.commit()
    monkeypatch.setattr(paging, "PER_HALAMAN", 1)
    client = login(cast.admin)
    bappeda = opd_id(app, "BAPPEDA")
    address = f"/tutup-tahun/{LAST_YEAR}/rincian/penerimaan_jatuh_tempo?opd={bappeda}"
    shown = set()
    while address:
        page = client.get(address)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        shown.update(int(found) for found in re.findall(r'data-penilaian-id="(\d+)"', html))
        following = re.search(r'<li class="next"><a href="([^"]+)"', html)
        address = following.group(1).replace("&amp;", "&") if following else None
        if address:
            assert (
                address.startswith(f"/tutup-tahun/{LAST_YEAR}/rincian/penerimaan_jatuh_tempo?")
                and f"opd={bappeda}" in address
            )
    assert {first, second} <= shown


def test_closing_counts_the_due_acceptances_as_accepted_by_the_system(
    app, login, cast, answers_waiting
):
    from app.extensions import db
    from app.models.audit import AuditLog
    from app.models.penilaian import PenilaianRiwayat
    from app.models.tahun import TutupTahun
    from tests.integration.test_tahun_ditutup import status_of

    year, tw1, tw2 = answers_waiting
    client = login(cast.admin)
    # Unconfirmed, nothing happens; confirmed, the year closes after accepting them.
    assert client.post("/tutup-tahun/tutup", data={"tahun": str(LAST_YEAR)}).status_code == 422
    assert status_of(app, tw2) == "dinilai"
    closed = client.post("/tutup-tahun/tutup", data={"tahun": str(LAST_YEAR), "tetap_tutup": "y"})
    assert closed.status_code == 302

    assert status_of(app, tw2) == "diterima"
    assert status_of(app, tw1) == "keberatan"  # an objection waits for its decision
    with app.app_context():
        last = (
            db.session.execute(
                select(PenilaianRiwayat)
                .where(PenilaianRiwayat.penilaian_id == tw2)
                .order_by(PenilaianRiwayat.id.desc())
            )
            .scalars()
            .first()
        )
        assert (last.aksi, last.oleh_id) == ("deem", None)
        who = (
            db.session.execute(
                select(AuditLog.username)
                .where(AuditLog.table_name == "penilaian", AuditLog.row_id == str(tw2))
                .order_by(AuditLog.id.desc())
            )
            .scalars()
            .first()
        )
        assert who == "jobs:penerimaan_otomatis"
        act = (
            db.session.execute(
                select(TutupTahun)
                .where(TutupTahun.tahun == LAST_YEAR)
                .order_by(TutupTahun.id.desc())
            )
            .scalars()
            .first()
        )
        assert act.aksi == "tutup" and "penerimaan_jatuh_tempo" not in act.sisa
        assert act.sisa.get("keberatan", 0) >= 1


def last_year_id(app) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Periode

    with app.app_context():
        return db.session.execute(
            select(Periode.id).where(Periode.tahun == LAST_YEAR, Periode.jenis == "tahunan")
        ).scalar_one()


def test_a_rating_still_inside_its_window_at_closing_is_not_accepted_by_the_nightly_job(
    app, answers_waiting
):
    """Closing accepts only what is due by then; a rating given days before it stays as it
    is afterwards, however late the nightly job runs: the year is read-only for the system
    too, until it is reopened."""
    from app.extensions import db
    from app.models.penilaian import Penilaian
    from app.services import jobs, tutup_tahun
    from tests.integration.test_tahun_ditutup import status_of

    year, tw1, tw2 = answers_waiting
    today = dt.date.today()
    with app.app_context():
        rated = db.session.get(Penilaian, tw2)
        rated.dinilai_pada = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # inside the window
        db.session.commit()
        tutup_tahun.tutup(db.session, _admin(), None, LAST_YEAR, today, tetap_tutup=True)
        db.session.commit()
        assert status_of(app, tw2) == "dinilai"
        window = app.config.get("KEBERATAN_HARI", 14)
        # The job may accept other tests' ratings of open years; this one must stay as it is.
        jobs.run_due(db.session, today + dt.timedelta(days=window + 5))
    assert status_of(app, tw2) == "dinilai"
