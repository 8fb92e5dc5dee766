"""The SKP journey through the HTML pages as pegawai and atasan, carry-forward, revision,
scope of the inbox, and concurrent approve/return (run on PostgreSQL too)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tests.conftest import pegawai_id
from tests.factories import (
    chain_with_submitted_skps,
    new_chain,
    new_session,
    skp_with_rhk,
    viewer_of,
)


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
def chain(app):
    """A fresh boss → atasan → staff chain; boss and atasan have submitted SKPs."""
    return chain_with_submitted_skps(app)


def test_pegawai_page_names_the_atasan_whose_skp_is_missing(app, login):
    people = new_chain(app)
    page = login(people.staff).get("/skp/").get_data(as_text=True)
    assert 'id="atasan-skp-missing"' in page
    assert "Kabid Uji" in page


def test_pegawai_drafts_submits_atasan_returns_then_approves(app, login, chain):
    people, atasan_rhk = chain
    atasan = login(people.atasan)
    staff = login(people.staff)
    skp_id = ensure_skp(app, staff, people.staff)
    page = staff.get(f"/skp/{skp_id}").get_data(as_text=True)
    assert "Layanan bidang meningkat" in page  # the atasan's RHK is offered for cascading
    add_rhk(app, staff, skp_id, "Dokumen pelayanan tersusun", intervensi_id=str(atasan_rhk))

    staff.post(f"/skp/{skp_id}/ajukan", data={})
    assert status_of(app, skp_id) == "diajukan"
    staff.post(f"/skp/{skp_id}/rhk", data={"jenis": "utama", "uraian": "Terlambat"})
    assert "Terlambat" not in staff.get(f"/skp/{skp_id}").get_data(as_text=True)

    assert people.staff in atasan.get("/skp/persetujuan/").get_data(as_text=True)
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


def test_pegawai_cannot_approve_own_skp_through_the_page(app, login, chain):
    people, atasan_rhk = chain
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    assert login(people.staff).post(f"/skp/{skp_id}/setujui", data={}).status_code == 403
    assert status_of(app, skp_id) == "diajukan"


def test_other_opd_atasan_gets_404_and_bulk_approve_is_refused(app, login, cast, chain):
    people, atasan_rhk = chain
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    outsider = login(cast.outsider_atasan)
    assert outsider.get(f"/skp/{skp_id}").status_code == 404
    bulk = outsider.post("/skp/persetujuan/setujui", data={"skp_id": [str(skp_id)]})
    assert bulk.status_code == 404
    assert outsider.get(f"/skp/dokumen/{skp_id}/skp.xlsx").status_code == 404
    assert people.staff not in outsider.get("/skp/persetujuan/").get_data(as_text=True)
    assert status_of(app, skp_id) == "diajukan"


def test_colleague_cannot_open_or_edit_anothers_skp(app, login, chain):
    people, atasan_rhk = chain
    skp_id, rhk_id = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk)
    colleague = login(people.colleague)
    assert colleague.get(f"/skp/{skp_id}").status_code == 404
    assert colleague.post(f"/skp/rhk/{rhk_id}/hapus", data={}).status_code == 404


def test_revision_creates_a_new_version_and_keeps_the_approved_one(app, login, chain):
    from app.extensions import db
    from app.services import skp as skp_service

    people, atasan_rhk = chain
    skp_id, _ = skp_with_rhk(
        app, people.staff, "Dokumen tersusun", intervensi_id=atasan_rhk, submit=True
    )
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
    response = login(people.staff).post(f"/skp/{skp_id}/revisi", data={})
    new_id = int(re.search(r"/skp/(\d+)", response.headers["Location"]).group(1))
    assert new_id != skp_id
    assert status_of(app, skp_id) == "disetujui"
    assert status_of(app, new_id) == "draft"
    assert "Dokumen tersusun" in login(people.staff).get(f"/skp/{new_id}").get_data(as_text=True)


def test_carry_forward_copies_last_years_rhk_and_relinks_where_possible(app):
    from app.extensions import db
    from app.models.master import Periode
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    viewer = viewer_of(app, people.staff)
    with app.test_request_context():
        session = db.session
        periode = skp_service.active_year(session)
        last = session.execute(
            select(Periode).where(Periode.tahun == periode.tahun - 1, Periode.jenis == "tahunan")
        ).scalar_one()
        atasan_last = Skp(
            pegawai_id=viewer_of(app, people.atasan).pegawai_id,
            periode_id=last.id,
            status="disetujui",
            pendekatan="kuantitatif",
        )
        old_target = RencanaHasilKerja(jenis="utama", uraian="Layanan bidang meningkat")
        atasan_last.rencana_hasil_kerja = [old_target]
        old = Skp(
            pegawai_id=viewer.pegawai_id,
            periode_id=last.id,
            status="disetujui",
            pendekatan="kualitatif",
        )
        old.rencana_hasil_kerja = [
            RencanaHasilKerja(
                jenis="utama",
                uraian="Rekap data",
                intervensi=old_target,
                indikator=[
                    IndikatorKinerja(aspek="waktu", uraian="Tepat", target=4, satuan="bulan")
                ],
            ),
            RencanaHasilKerja(jenis="tambahan", uraian="Tugas lama", intervensi=None),
        ]
        session.add_all([atasan_last, old])
        session.commit()
        new = skp_service.create_skp(session, viewer, periode.id, "kuantitatif", carry_forward=True)
        session.commit()
        copied = {r.uraian: r for r in new.rencana_hasil_kerja}
        assert set(copied) == {"Rekap data", "Tugas lama"}
        assert copied["Rekap data"].intervensi_id == atasan_rhk  # relinked to this year's
        assert copied["Rekap data"].indikator[0].satuan == "bulan"
        assert copied["Tugas lama"].intervensi_id is None
        assert new.status == "draft" and new.versi == 1


def test_two_tabs_approve_and_return_only_the_first_wins(app, chain):
    from app.models.skp import Skp
    from app.services import skp as skp_service
    from app.services.errors import StaleData

    people, atasan_rhk = chain
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    viewer = viewer_of(app, people.atasan)
    with app.test_request_context(), new_session() as first, new_session() as second:
        seen = first.get(Skp, skp_id).version_id  # both tabs rendered this version
        skp_service.approve(first, skp_id, viewer, expected_version=seen)
        first.commit()
        with pytest.raises(StaleData):
            skp_service.return_(second, skp_id, viewer, "Belum lengkap", expected_version=seen)
    assert status_of(app, skp_id) == "disetujui"


def test_pegawai_edit_racing_an_approval_loses(app, chain):
    from app.models.skp import Skp
    from app.services import skp as skp_service
    from app.services.errors import StaleData

    people, atasan_rhk = chain
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk)
    staff = viewer_of(app, people.staff)
    with app.test_request_context(), new_session() as editing, new_session() as other:
        seen = editing.get(Skp, skp_id).version_id  # the pegawai's form was loaded
        skp_service.update_lampiran(other, skp_id, staff, {"konsekuensi": "B"})
        other.commit()
        with pytest.raises(StaleData):
            skp_service.update_lampiran(editing, skp_id, staff, {"konsekuensi": "A"}, seen)


def test_concurrent_flushes_of_the_same_skp_raise_stale_data(app, chain):
    """Below the form check, the versioned row refuses a lost update between two sessions
    that both loaded the same version."""
    from app.models.skp import Skp

    people, atasan_rhk = chain
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk)
    with app.app_context(), new_session() as first, new_session() as second:
        a, b = first.get(Skp, skp_id), second.get(Skp, skp_id)
        a.konsekuensi = "A"
        first.commit()
        b.konsekuensi = "B"
        with pytest.raises(StaleDataError):
            second.commit()


def test_stale_form_version_is_refused_and_nothing_changes(app, login, chain):
    from app.extensions import db
    from app.models.skp import Skp

    people, atasan_rhk = chain
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk)
    with app.app_context():
        version = db.session.get(Skp, skp_id).version_id
    response = login(people.staff).post(
        f"/skp/{skp_id}/lampiran",
        data={"version_id": str(version - 1), "pendekatan": "kuantitatif", "konsekuensi": "X"},
    )
    assert response.status_code == 409  # the form comes back as typed, with the reason
    assert 'id="form-refused"' in response.get_data(as_text=True)
    assert "X</textarea>" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Skp, skp_id).konsekuensi != "X"


def test_the_approval_inbox_comes_a_page_at_a_time(app, login, monkeypatch):
    from app.services import paging

    people, atasan_rhk = chain_with_submitted_skps(app)
    first, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    second, _ = skp_with_rhk(app, people.colleague, "Surat", intervensi_id=atasan_rhk, submit=True)
    monkeypatch.setattr(paging, "PER_HALAMAN", 1)
    atasan = login(people.atasan)

    pages = [atasan.get(f"/skp/persetujuan/?page={n}").get_data(as_text=True) for n in (1, 2)]

    shown = [{skp for skp in (first, second) if f'value="{skp}"' in page} for page in pages]
    assert shown[0] | shown[1] == {first, second} and len(shown[0]) == len(shown[1]) == 1
    assert "Halaman 1 dari 2" in pages[0]
    assert '<span class="badge">2</span>' in pages[0]


def test_a_name_whose_title_ends_in_a_full_stop_is_not_followed_by_another(app, login):
    from app.extensions import db
    from app.models.master import Pegawai

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk)
    with app.app_context():
        atasan = db.session.get(Pegawai, pegawai_id(app, people.atasan))
        atasan.gelar_belakang = "S.Sos."
        db.session.commit()
    html = login(people.staff).get(f"/skp/{skp_id}").get_data(as_text=True)
    assert "Kabid Uji, S.Sos.<" in html and "S.Sos.." not in html
