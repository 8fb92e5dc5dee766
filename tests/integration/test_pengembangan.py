"""Tindak lanjut and pengembangan kompetensi: a settled annual evaluation opens its plan, the
pejabat penilai runs it, the scope hides it from everyone else; training records are kept by
admin BKPSDM and tallied per year against the 20 JP minimum."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import chain_with_submitted_skps, new_chain, skp_with_rhk, viewer_of

# --- building a chain whose evaluations can be settled ---------------------------------------


def approved_chain(app):  # noqa: ANN001, ANN201
    """A fresh chain with the staff's SKP approved: (people, skp id, {jenis: penilaian id})."""
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(
        app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk, submit=True
    )
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
        rows = db.session.execute(
            select(Periode.jenis, Penilaian.id)
            .join(Penilaian, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp_id)
        ).all()
    return people, skp_id, dict(rows)


def fill_realisasi(app, penilaian_id: int) -> None:  # noqa: ANN001
    from app.extensions import db
    from app.models.monitoring import Realisasi
    from app.models.penilaian import Penilaian

    with app.app_context():
        penilaian = db.session.get(Penilaian, penilaian_id)
        for rhk in penilaian.skp.rencana_hasil_kerja:
            for indikator in rhk.indikator:
                db.session.add(
                    Realisasi(
                        indikator_kinerja_id=indikator.id,
                        periode_id=penilaian.periode_id,
                        nilai=Decimal("12"),
                    )
                )
        db.session.commit()


def post(api, username: str, path: str, body: dict | None = None):  # noqa: ANN001, ANN201
    client, headers = api(username)
    response = client.post(path, json=body or {}, headers=headers)
    assert response.status_code == 200, (path, response.get_json())
    return response.get_json()


def rate(app, api, people, penilaian_id: int, hasil: str, perilaku: str) -> None:  # noqa: ANN001
    """The staff submits the periode and the atasan rates it (status dinilai)."""
    fill_realisasi(app, penilaian_id)
    post(api, people.staff, f"/api/v1/penilaian/{penilaian_id}/submit")
    post(
        api,
        people.atasan,
        f"/api/v1/penilaian/{penilaian_id}/rate",
        {"rating_hasil_kerja": hasil, "rating_perilaku_kerja": perilaku},
    )


def accept(app, api, people, penilaian_id: int, hasil: str, perilaku: str) -> dict:  # noqa: ANN001
    rate(app, api, people, penilaian_id, hasil, perilaku)
    return post(api, people.staff, f"/api/v1/penilaian/{penilaian_id}/accept")


def plans_of_penilaian(app, penilaian_id: int) -> list:  # noqa: ANN001
    from app.extensions import db
    from app.models.penilaian import RencanaPengembangan

    with app.app_context():
        return [
            (plan.id, plan.jenis, plan.status, plan.pegawai.nip)
            for plan in db.session.execute(
                select(RencanaPengembangan).where(RencanaPengembangan.penilaian_id == penilaian_id)
            ).scalars()
        ]


@pytest.fixture()
def pembinaan(app, api):  # noqa: ANN001, ANN201
    """A chain whose staff objected to a Butuh Perbaikan and got Kurang as the final
    decision: (people, plan id)."""
    people, _, rows = approved_chain(app)
    tahunan = rows["tahunan"]
    rate(app, api, people, tahunan, "di_bawah", "sesuai")
    post(api, people.staff, f"/api/v1/penilaian/{tahunan}/object", {"alasan": "Bukti lengkap"})
    decided = post(
        api,
        people.boss,
        f"/api/v1/penilaian/{tahunan}/decide",
        {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "di_bawah", "catatan": "Cek"},
    )
    assert (decided["status"], decided["predikat"]) == ("final", "kurang")
    [(plan_id, jenis, status, nip)] = plans_of_penilaian(app, tahunan)
    assert (jenis, status, nip) == ("pembinaan", "usulan", people.staff)
    return people, plan_id


# --- the follow-up rule through the penilaian API ----------------------------------------------


def test_accepted_annual_sangat_baik_proposes_advanced_training(app, api):
    people, _, rows = approved_chain(app)
    accepted = accept(app, api, people, rows["tahunan"], "di_atas", "di_atas")
    assert (accepted["status"], accepted["predikat"]) == ("diterima", "sangat_baik")
    [(_, jenis, status, nip)] = plans_of_penilaian(app, rows["tahunan"])
    assert (jenis, status, nip) == ("pelatihan_lanjutan", "usulan", people.staff)


def test_final_annual_kurang_opens_a_pembinaan_plan_and_tells_both(app, pembinaan):
    from app.extensions import db
    from app.models.monitoring import Notifikasi

    people, plan_id = pembinaan
    with app.app_context():
        told = db.session.execute(
            select(Notifikasi.penerima_id).where(Notifikasi.tautan == f"/pengembangan/{plan_id}")
        ).scalars()
        assert set(told) == {
            viewer_of(app, people.staff).pegawai_id,
            viewer_of(app, people.atasan).pegawai_id,
        }


def test_follow_up_is_created_once_per_evaluation(app, pembinaan):
    from app.extensions import db
    from app.models.penilaian import Penilaian, RencanaPengembangan
    from app.services import pengembangan

    _, plan_id = pembinaan
    with app.test_request_context():
        plan = db.session.get(RencanaPengembangan, plan_id)
        penilaian = db.session.get(Penilaian, plan.penilaian_id)
        assert pengembangan.tindak_lanjuti(db.session, penilaian).id == plan_id
        db.session.commit()
        count = db.session.execute(
            select(func.count(RencanaPengembangan.id)).where(
                RencanaPengembangan.penilaian_id == penilaian.id
            )
        ).scalar_one()
    assert count == 1


def test_baik_and_quarterly_evaluations_call_for_no_plan(app, api):
    people, _, rows = approved_chain(app)
    accept(app, api, people, rows["tw1"], "di_atas", "di_atas")
    accept(app, api, people, rows["tahunan"], "sesuai", "sesuai")
    assert plans_of_penilaian(app, rows["tw1"]) == []
    assert plans_of_penilaian(app, rows["tahunan"]) == []


# --- running the plan --------------------------------------------------------------------------

PLAN = {
    "status": "berjalan",
    "target": "Capaian IKI sesuai ekspektasi pada triwulan berikut",
    "langkah": "Pendampingan mingguan; dialog kinerja tiap bulan",
    "tenggat": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
    "tindak_lanjut_atasan": "",
}


def plan_row(app, plan_id: int):  # noqa: ANN001, ANN201
    from app.extensions import db
    from app.models.penilaian import RencanaPengembangan

    with app.app_context():
        plan = db.session.get(RencanaPengembangan, plan_id)
        return plan.status, plan.target, plan.tenggat, plan.tindak_lanjut_atasan


def test_atasan_fills_and_starts_the_plan_and_the_pegawai_sees_it(app, login, pembinaan):
    people, plan_id = pembinaan
    atasan = login(people.atasan)
    form_page = atasan.get(f"/pengembangan/{plan_id}").get_data(as_text=True)
    assert 'id="form-rencana"' in form_page
    saved = atasan.post(f"/pengembangan/{plan_id}", data=PLAN)
    assert saved.status_code == 302
    status, target, tenggat, _ = plan_row(app, plan_id)
    assert (status, target, tenggat.isoformat()) == ("berjalan", PLAN["target"], PLAN["tenggat"])

    staff = login(people.staff)
    page = staff.get(f"/pengembangan/{plan_id}").get_data(as_text=True)
    assert PLAN["target"] in page and 'id="form-rencana"' not in page
    assert staff.post(f"/pengembangan/{plan_id}", data=PLAN).status_code == 403


def test_a_plan_starts_only_with_target_steps_and_deadline(app, login, pembinaan):
    people, plan_id = pembinaan
    response = login(people.atasan).post(f"/pengembangan/{plan_id}", data={**PLAN, "tenggat": ""})
    assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)
    assert plan_row(app, plan_id)[0] == "usulan"


def test_a_plan_completes_with_the_follow_up_notes_and_then_closes(app, login, pembinaan):
    people, plan_id = pembinaan
    atasan = login(people.atasan)
    atasan.post(f"/pengembangan/{plan_id}", data=PLAN)
    done = {**PLAN, "status": "selesai", "tindak_lanjut_atasan": "Capaian membaik"}
    assert atasan.post(f"/pengembangan/{plan_id}", data=done).status_code == 302
    assert plan_row(app, plan_id)[::3] == ("selesai", "Capaian membaik")
    again = atasan.post(f"/pengembangan/{plan_id}", data={**done, "tindak_lanjut_atasan": "X"})
    assert again.status_code == 200
    assert plan_row(app, plan_id)[3] == "Capaian membaik"


def test_a_save_over_someone_elses_change_is_refused(app, login, pembinaan):
    people, plan_id = pembinaan
    atasan = login(people.atasan)
    atasan.post(f"/pengembangan/{plan_id}", data={**PLAN, "status": "usulan", "versi": "lama"})
    assert plan_row(app, plan_id)[1] is None


def test_colleague_and_other_opd_atasan_get_404(app, login, cast, pembinaan):
    people, plan_id = pembinaan
    for outsider in (people.colleague, cast.outsider_atasan):
        client = login(outsider)
        assert client.get(f"/pengembangan/{plan_id}").status_code == 404
        assert client.post(f"/pengembangan/{plan_id}", data=PLAN).status_code == 404
        assert people.staff not in client.get("/pengembangan/").get_data(as_text=True)
    assert plan_row(app, plan_id)[0] == "usulan"


def test_admin_lists_every_plan_with_filters_and_the_opd_head_sees_their_own(app, login, pembinaan):
    from app.extensions import db
    from app.models.master import Pegawai, UnitKerja

    people, plan_id = pembinaan
    with app.app_context():
        bappeda, kepala = db.session.execute(
            select(UnitKerja.id, Pegawai.nip)
            .join(Pegawai, UnitKerja.kepala_id == Pegawai.id)
            .where(UnitKerja.kode == "BAPPEDA")
        ).one()
    admin = login("admin")
    link = f"/pengembangan/{plan_id}"
    shown = admin.get(f"/pengembangan/?jenis=pembinaan&status=usulan&unit_kerja_id={bappeda}")
    assert link in shown.get_data(as_text=True)
    assert link not in admin.get("/pengembangan/?jenis=pelatihan_lanjutan").get_data(as_text=True)
    assert link not in admin.get("/pengembangan/?status=selesai").get_data(as_text=True)
    assert admin.get("/pengembangan/?unit_kerja_id=999999").status_code == 404
    assert link in login(kepala).get("/pengembangan/").get_data(as_text=True)


# --- training records and the JP tally ---------------------------------------------------------


def training(nip: str, jp: int, mulai: dt.date, selesai: dt.date | None = None) -> dict:
    return {
        "nip": nip,
        "nama_diklat": f"Pelatihan {jp} JP",
        "penyelenggara": "BKPSDM Kota Dumai",
        "tanggal_mulai": mulai.isoformat(),
        "tanggal_selesai": (selesai or mulai).isoformat(),
        "jp": str(jp),
    }


def test_only_admin_records_training(app, login, cast):
    this_year = dt.date(dt.date.today().year, 3, 2)
    assert login(cast.staff).get("/pelatihan/tambah").status_code == 403
    refused = login(cast.atasan).post("/pelatihan/tambah", data=training(cast.staff, 8, this_year))
    assert refused.status_code == 403


def test_wrong_training_is_refused_on_its_field(app, login, cast):
    admin = login("admin")
    day = dt.date(dt.date.today().year, 3, 2)
    for wrong in (
        training(cast.staff, 0, day),
        training(cast.staff, 40, day),
        training("199901012023011999", 8, day),
        {**training(cast.staff, 8, day), "tanggal_selesai": "2000-01-01"},
    ):
        response = admin.post("/pelatihan/tambah", data=wrong)
        assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)


def test_jp_tally_and_who_is_below_20(app, login, cast):
    from app.extensions import db
    from app.models.master import Pegawai
    from app.security.scope import Viewer
    from app.services import pengembangan

    people = new_chain(app)
    tahun = dt.date.today().year
    admin = login("admin")
    for nip, jp, mulai, selesai in (
        (people.staff, 12, dt.date(tahun, 3, 2), dt.date(tahun, 3, 3)),
        (people.staff, 10, dt.date(tahun, 5, 4), None),
        (people.colleague, 5, dt.date(tahun, 5, 4), None),
        # Counted in the year it ends in: last year's December course that ended in January.
        (people.colleague, 8, dt.date(tahun - 1, 12, 30), dt.date(tahun, 1, 2)),
        (people.colleague, 30, dt.date(tahun - 1, 3, 2), dt.date(tahun - 1, 3, 3)),
    ):
        saved = admin.post("/pelatihan/tambah", data=training(nip, jp, mulai, selesai))
        assert saved.status_code == 302, saved.get_data(as_text=True)

    with app.test_request_context():
        unit_id = db.session.execute(
            select(Pegawai.unit_kerja_id).where(Pegawai.nip == people.staff)
        ).scalar_one()
        unit = pengembangan.unit(db.session, unit_id)
        admin_viewer = Viewer(user_id=None, is_admin=True)
        tally = pengembangan.jp_tally(db.session, admin_viewer, tahun, unit)
        jp = {row.nip: (row.jp, row.kurang) for row in tally.rows}
        below = pengembangan.jp_tally(db.session, admin_viewer, tahun, unit, below_minimum=True)
    assert jp[people.staff] == (22, 0)
    assert jp[people.colleague] == (13, 7)
    assert jp[people.atasan] == (0, 20)
    assert {row.nip for row in below.rows} == {people.boss, people.atasan, people.colleague}

    page = admin.get(f"/pelatihan/jp?kurang=1&unit_kerja_id={unit_id}&tahun={tahun}")
    text = page.get_data(as_text=True)
    assert people.colleague in text and people.staff not in text


@pytest.mark.parametrize("walked", [True, False])
def test_a_units_jp_tally_is_the_same_read_in_either_index(app, cast, walked, monkeypatch):
    """A large unit's page is read fewest first through the order's index, each row's unit
    checked as it comes; a small one's through the unit's index: the same rows, in the same
    order, page after page, and the same total."""
    from app.extensions import db
    from app.models.hitungan import JpTahunan
    from app.models.master import Pegawai, UnitKerja
    from app.security.scope import Viewer
    from app.services import paging, pengembangan

    tahun = dt.date.today().year
    monkeypatch.setattr(paging, "PER_HALAMAN", 7)
    monkeypatch.setattr(pengembangan, "_walked", lambda *_: walked)
    with app.test_request_context():
        session = db.session
        opd_id = session.execute(
            select(Pegawai.unit_kerja_id).where(Pegawai.nip == cast.pimpinan)
        ).scalar_one()
        opd = pengembangan.unit(session, opd_id)
        under = select(UnitKerja.id).where(UnitKerja.path.startswith(opd.path))
        expected = [
            pegawai_id
            for (pegawai_id,) in session.execute(
                select(JpTahunan.pegawai_id)
                .where(JpTahunan.tahun == tahun, JpTahunan.unit_kerja_id.in_(under))
                .order_by(JpTahunan.jp, JpTahunan.pegawai_nama, JpTahunan.pegawai_id)
            )
        ]
        admin = Viewer(user_id=None, is_admin=True)
        first = pengembangan.jp_tally(session, admin, tahun, opd)
        shown = []
        for nomor in range(1, first.jumlah + 1):
            shown += [
                row.pegawai_id
                for row in pengembangan.jp_tally(session, admin, tahun, opd, nomor=nomor).rows
            ]
    assert first.total == len(expected) > 7
    assert shown == expected


def test_the_citys_jp_tally_counts_every_active_pegawai(app):
    """Without a filter the tally's total is the maintained count of active pegawai (a
    year's JP rows are one per active pegawai), for the city and for each OPD."""
    from app.extensions import db
    from app.models.hitungan import JpTahunan
    from app.models.master import UnitKerja
    from app.security.scope import Viewer
    from app.services import pengembangan

    tahun = dt.date.today().year
    admin = Viewer(user_id=None, is_admin=True)
    with app.test_request_context():
        session = db.session
        rows = select(func.count()).select_from(JpTahunan).where(JpTahunan.tahun == tahun)
        assert pengembangan.jp_tally(session, admin, tahun).total == session.scalar(rows) > 0
        for opd in session.execute(select(UnitKerja).where(UnitKerja.path.like("/%/%/"))).scalars():
            under = select(UnitKerja.id).where(UnitKerja.path.startswith(opd.path))
            counted = session.scalar(rows.where(JpTahunan.unit_kerja_id.in_(under)))
            assert pengembangan.jp_tally(session, admin, tahun, opd).total == counted, opd.kode


def test_jp_is_read_through_the_scope(app, login, cast):
    people = new_chain(app)
    day = dt.date(dt.date.today().year, 3, 2)
    login("admin").post("/pelatihan/tambah", data=training(people.staff, 8, day))
    staff_id = viewer_of(app, people.staff).pegawai_id
    url = f"/pelatihan/pegawai/{staff_id}"
    for reader in (people.staff, people.atasan):
        page = login(reader).get(url)
        assert page.status_code == 200 and "Pelatihan 8 JP" in page.get_data(as_text=True)
    for outsider in (people.colleague, cast.outsider_atasan):
        assert login(outsider).get(url).status_code == 404
        listed = login(outsider).get(f"/pelatihan/jp?cari={people.staff}")
        assert url not in listed.get_data(as_text=True)
    atasan_list = login(people.atasan).get(f"/pelatihan/?cari={people.staff}")
    assert "Pelatihan 8 JP" in atasan_list.get_data(as_text=True)


def test_admin_corrects_and_deletes_a_training_record(app, login):
    from app.extensions import db
    from app.models.audit import AuditLog
    from app.models.penilaian import Pelatihan

    people = new_chain(app)
    day = dt.date(dt.date.today().year, 3, 2)
    admin = login("admin")
    admin.post("/pelatihan/tambah", data=training(people.staff, 8, day))
    staff_id = viewer_of(app, people.staff).pegawai_id
    with app.app_context():
        record_id = db.session.execute(
            select(Pelatihan.id).where(Pelatihan.pegawai_id == staff_id)
        ).scalar_one()
    edited = admin.post(f"/pelatihan/{record_id}/ubah", data={**training("", 6, day)})
    assert edited.status_code == 302
    assert login(people.atasan).post(f"/pelatihan/{record_id}/hapus").status_code == 403
    assert admin.post(f"/pelatihan/{record_id}/hapus").status_code == 302
    with app.app_context():
        assert db.session.get(Pelatihan, record_id) is None
        actions = db.session.execute(
            select(AuditLog.action)
            .where(AuditLog.table_name == "pelatihan", AuditLog.row_id == str(record_id))
            .order_by(AuditLog.id)
        ).scalars()
        assert list(actions) == ["insert", "update", "delete"]
