"""The SKP journey through the HTML pages as pegawai and atasan, carry-forward, revision,
scope of the inbox, and concurrent approve/return (run on PostgreSQL too)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tests.conftest import pegawai_id


def skp_of(app, nip: str, tahun: int | None = None):
    from app.extensions import db
    from app.models.master import Periode
    from app.models.skp import Skp

    with app.app_context():
        query = (
            select(Skp.id)
            .join(Periode, Skp.periode_id == Periode.id)
            .where(Skp.pegawai_id == pegawai_id(app, nip))
            .order_by(Skp.versi.desc())
        )
        if tahun:
            query = query.where(Periode.tahun == tahun)
        return db.session.execute(query).scalars().first()


def ensure_skp(app, client, nip: str) -> int:
    existing = skp_of(app, nip, date.today().year)
    if existing:
        return existing
    response = client.post("/skp/buat", data={"pendekatan": "kuantitatif"})
    assert response.status_code == 302
    return int(re.search(r"/skp/(\d+)", response.headers["Location"]).group(1))


def add_rhk(app, client, skp_id: int, uraian: str, **fields) -> int:
    from app.extensions import db
    from app.models.skp import RencanaHasilKerja

    data = {"jenis": "utama", "uraian": uraian, "intervensi_id": "", "penugasan_dari": ""}
    data.update(fields)
    client.post(f"/skp/{skp_id}/rhk", data=data)
    with app.app_context():
        rhk_id = db.session.execute(
            select(RencanaHasilKerja.id).where(
                RencanaHasilKerja.skp_id == skp_id, RencanaHasilKerja.uraian == uraian
            )
        ).scalar()
    assert rhk_id, f"RHK {uraian!r} was not added"
    client.post(
        f"/skp/rhk/{rhk_id}/indikator",
        data={"aspek": "kuantitas", "uraian": "Jumlah", "target": "12", "satuan": "dokumen"},
    )
    return rhk_id


def status_of(app, skp_id: int) -> str:
    from app.extensions import db
    from app.models.skp import Skp

    with app.app_context():
        db.session.expire_all()
        return db.session.get(Skp, skp_id).status


@pytest.fixture()
def atasan_ready(app, login, cast):
    """The atasan has submitted an SKP with one RHK their staff can intervene."""
    client = login(cast.atasan)
    skp_id = ensure_skp(app, client, cast.atasan)
    if status_of(app, skp_id) in ("draft", "dikembalikan"):
        rhk_id = add_rhk(app, client, skp_id, "Layanan bidang meningkat", penugasan_dari="Kepala")
        client.post(f"/skp/{skp_id}/ajukan", data={})
    else:
        from app.extensions import db
        from app.models.skp import Skp

        with app.app_context():
            rhk_id = db.session.get(Skp, skp_id).rencana_hasil_kerja[0].id
    assert status_of(app, skp_id) in ("diajukan", "disetujui")
    return client, skp_id, rhk_id


def test_pegawai_page_names_the_atasan_whose_skp_is_missing(app, login, cast):
    page = login(cast.outsider).get("/skp/").get_data(as_text=True)
    assert 'id="atasan-skp-missing"' in page


def test_pegawai_drafts_submits_atasan_returns_then_approves(app, login, cast, atasan_ready):
    atasan, _, atasan_rhk = atasan_ready
    staff = login(cast.staff)
    skp_id = ensure_skp(app, staff, cast.staff)
    page = staff.get(f"/skp/{skp_id}").get_data(as_text=True)
    assert "Layanan bidang meningkat" in page  # the atasan's RHK is offered for cascading
    add_rhk(app, staff, skp_id, "Dokumen pelayanan tersusun", intervensi_id=str(atasan_rhk))

    staff.post(f"/skp/{skp_id}/ajukan", data={})
    assert status_of(app, skp_id) == "diajukan"
    staff.post(f"/skp/{skp_id}/rhk", data={"jenis": "utama", "uraian": "Terlambat"})
    assert "Terlambat" not in staff.get(f"/skp/{skp_id}").get_data(as_text=True)

    assert cast.staff in atasan.get("/skp/persetujuan/").get_data(as_text=True)
    atasan.post(f"/skp/{skp_id}/kembalikan", data={"catatan": ""})
    assert status_of(app, skp_id) == "diajukan"  # a return needs a catatan
    atasan.post(f"/skp/{skp_id}/kembalikan", data={"catatan": "Perjelas target"})
    assert status_of(app, skp_id) == "dikembalikan"

    staff.post(f"/skp/{skp_id}/ajukan", data={})
    atasan.post(f"/skp/{skp_id}/ekspektasi", data={"ekspektasi_1": "Ramah kepada warga"})
    atasan.post("/skp/persetujuan/setujui", data={"skp_id": [str(skp_id)]})
    assert status_of(app, skp_id) == "disetujui"

    page = staff.get(f"/skp/{skp_id}").get_data(as_text=True)
    assert "Ramah kepada warga" in page and "Perjelas target" in page
    assert staff.get(f"/skp/dokumen/{skp_id}/cetak").status_code == 200


def test_pegawai_cannot_approve_own_skp_through_the_page(app, login, cast, atasan_ready):
    staff = login(cast.other_staff)
    skp_id = ensure_skp(app, staff, cast.other_staff)
    if status_of(app, skp_id) == "draft":
        add_rhk(app, staff, skp_id, "Arsip tertata", intervensi_id=str(atasan_ready[2]))
        staff.post(f"/skp/{skp_id}/ajukan", data={})
    assert staff.post(f"/skp/{skp_id}/setujui", data={}).status_code == 403


def test_other_opd_atasan_gets_404_and_bulk_approve_is_refused(app, login, cast, atasan_ready):
    staff = login(cast.other_staff)
    skp_id = ensure_skp(app, staff, cast.other_staff)
    outsider = login(cast.outsider_atasan)
    assert outsider.get(f"/skp/{skp_id}").status_code == 404
    assert (
        outsider.post("/skp/persetujuan/setujui", data={"skp_id": [str(skp_id)]}).status_code == 404
    )
    assert outsider.get(f"/skp/dokumen/{skp_id}/skp.xlsx").status_code == 404
    assert cast.other_staff not in outsider.get("/skp/persetujuan/").get_data(as_text=True)


def test_revision_creates_a_new_version_and_keeps_the_approved_one(app, login, cast, atasan_ready):
    staff = login(cast.staff)
    skp_id = skp_of(app, cast.staff, date.today().year)
    if skp_id is None or status_of(app, skp_id) != "disetujui":
        pytest.skip("depends on the journey test having approved the SKP")
    response = staff.post(f"/skp/{skp_id}/revisi", data={})
    new_id = int(re.search(r"/skp/(\d+)", response.headers["Location"]).group(1))
    assert new_id != skp_id
    assert status_of(app, skp_id) == "disetujui"
    assert status_of(app, new_id) == "draft"
    assert "Dokumen pelayanan tersusun" in staff.get(f"/skp/{new_id}").get_data(as_text=True)


def test_carry_forward_copies_last_years_rhk_and_relinks_where_possible(app, cast):
    from app.extensions import db
    from app.models.master import Periode
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
    from app.security.scope import Viewer
    from app.services import skp as skp_service

    with app.app_context():
        session = db.session
        me = pegawai_id(app, cast.outsider)
        periode = skp_service.active_year(session)
        last = session.execute(
            select(Periode).where(Periode.tahun == periode.tahun - 1, Periode.jenis == "tahunan")
        ).scalar_one()
        old = Skp(pegawai_id=me, periode_id=last.id, status="disetujui", pendekatan="kualitatif")
        old.rencana_hasil_kerja = [
            RencanaHasilKerja(
                jenis="utama",
                uraian="Rekap data kependudukan",
                penugasan_dari="Lurah",
                indikator=[
                    IndikatorKinerja(aspek="waktu", uraian="Tepat", target=4, satuan="bulan")
                ],
            )
        ]
        session.add(old)
        session.commit()
        viewer = Viewer(user_id=None, pegawai_id=me)
        if skp_service.latest_skp(session, me, periode.id) is not None:
            pytest.skip("the outsider already has an SKP this year")
        new = skp_service.create_skp(session, viewer, periode.id, "kuantitatif", carry_forward=True)
        session.commit()
        copied = new.rencana_hasil_kerja
        assert [r.uraian for r in copied] == ["Rekap data kependudukan"]
        assert copied[0].indikator[0].satuan == "bulan"
        assert new.status == "draft" and new.versi == 1


def test_concurrent_approve_and_return_never_both_win(app, cast, atasan_ready):
    from app.extensions import db
    from app.models.skp import Skp
    from app.security.scope import Viewer
    from app.services import skp as skp_service

    atasan_skp = atasan_ready[1]
    with app.app_context():
        engine = db.engine
        penilai = db.session.get(Skp, atasan_skp).pegawai.penilai_id
        if db.session.get(Skp, atasan_skp).status != "diajukan":
            pytest.skip("the atasan's SKP is already decided")
    viewer = Viewer(user_id=None, pegawai_id=penilai)
    with app.test_request_context(), Session(engine) as first, Session(engine) as second:
        skp_service.approve(first, atasan_skp, viewer)
        skp_service.return_(second, atasan_skp, viewer, "Belum lengkap")
        first.commit()
        with pytest.raises(StaleDataError):
            second.commit()
    assert status_of(app, atasan_skp) == "disetujui"


def test_stale_form_version_is_refused_with_reload_message(app, login, cast):
    from app.extensions import db
    from app.models.skp import Skp

    staff = login(cast.other_staff)
    skp_id = ensure_skp(app, staff, cast.other_staff)
    with app.app_context():
        version = db.session.get(Skp, skp_id).version_id
    response = staff.post(
        f"/skp/{skp_id}/lampiran",
        data={"version_id": str(version - 1), "pendekatan": "kuantitatif", "konsekuensi": "X"},
        follow_redirects=True,
    )
    assert status_of(app, skp_id) in ("draft", "dikembalikan", "diajukan", "disetujui")
    with app.app_context():
        assert db.session.get(Skp, skp_id).konsekuensi != "X"
    assert response.status_code == 200
