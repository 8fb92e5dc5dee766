"""Evaluation journeys through the REST API and the pages: submit → rate → accept, and
rate → object → decide; who may do what, the objection window, predikat never typed in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import approved_evaluations, fill_realisasi, viewer_of


@pytest.fixture()
def evaluated_chain(app):
    """A fresh chain with the staff's SKP approved; returns (people, {jenis: penilaian id})."""
    return approved_evaluations(app)


def post(api, username, path, body=None):
    client, headers = api(username)
    return client.post(path, json=body or {}, headers=headers)


def test_approving_an_skp_creates_one_evaluation_per_periode(evaluated_chain):
    _, rows = evaluated_chain
    assert set(rows) == {"tw1", "tw2", "tw3", "tw4", "tahunan"}


def test_submit_needs_a_realisasi_for_every_indikator(app, api, evaluated_chain):
    people, rows = evaluated_chain
    refused = post(api, people.staff, f"/api/v1/penilaian/{rows['tw1']}/submit")
    assert refused.status_code == 422
    fill_realisasi(app, rows["tw1"])
    accepted = post(api, people.staff, f"/api/v1/penilaian/{rows['tw1']}/submit")
    assert accepted.get_json() == {
        "id": rows["tw1"],
        "status": "diajukan",
        "predikat": None,
        "atas_nama": None,
    }


def test_rate_then_accept_through_the_api(app, api, evaluated_chain):
    people, rows = evaluated_chain
    tw1 = rows["tw1"]
    fill_realisasi(app, tw1)
    post(api, people.staff, f"/api/v1/penilaian/{tw1}/submit")

    ratings = {
        "rating_hasil_kerja": "di_atas",
        "rating_perilaku_kerja": "di_atas",
        "umpan_balik": "Bagus",
        "predikat": "sangat_kurang",
    }
    assert post(api, people.staff, f"/api/v1/penilaian/{tw1}/rate", ratings).status_code == 403
    assert post(api, people.colleague, f"/api/v1/penilaian/{tw1}/rate", ratings).status_code == 404
    rated = post(api, people.atasan, f"/api/v1/penilaian/{tw1}/rate", ratings).get_json()
    assert rated == {"id": tw1, "status": "dinilai", "predikat": "sangat_baik", "atas_nama": None}

    again = dict(ratings, rating_perilaku_kerja="sesuai")
    rerated = post(api, people.atasan, f"/api/v1/penilaian/{tw1}/rate", again).get_json()
    assert rerated["predikat"] == "baik"
    assert post(api, people.atasan, f"/api/v1/penilaian/{tw1}/accept").status_code == 403
    accepted = post(api, people.staff, f"/api/v1/penilaian/{tw1}/accept").get_json()
    assert accepted["status"] == "diterima"
    late = post(api, people.atasan, f"/api/v1/penilaian/{tw1}/rate", ratings)
    assert late.status_code == 409


def test_invalid_rating_is_refused(app, api, evaluated_chain):
    people, rows = evaluated_chain
    fill_realisasi(app, rows["tw2"])
    post(api, people.staff, f"/api/v1/penilaian/{rows['tw2']}/submit")
    response = post(
        api,
        people.atasan,
        f"/api/v1/penilaian/{rows['tw2']}/rate",
        {"rating_hasil_kerja": "luar_biasa", "rating_perilaku_kerja": "sesuai"},
    )
    assert response.status_code == 422


def test_objection_is_decided_by_the_atasan_of_the_penilai_and_is_final(app, api, evaluated_chain):
    people, rows = evaluated_chain
    tw2 = rows["tw2"]
    fill_realisasi(app, tw2)
    post(api, people.staff, f"/api/v1/penilaian/{tw2}/submit")
    post(
        api,
        people.atasan,
        f"/api/v1/penilaian/{tw2}/rate",
        {"rating_hasil_kerja": "di_bawah", "rating_perilaku_kerja": "di_bawah"},
    )
    assert post(api, people.staff, f"/api/v1/penilaian/{tw2}/object", {}).status_code == 422
    objected = post(
        api,
        people.staff,
        f"/api/v1/penilaian/{tw2}/object",
        {"alasan": "Target tercapai, bukti terlampir"},
    )
    assert objected.get_json()["status"] == "keberatan"

    decision = {
        "rating_hasil_kerja": "sesuai",
        "rating_perilaku_kerja": "sesuai",
        "catatan": "Bukti cukup",
    }
    assert post(api, people.atasan, f"/api/v1/penilaian/{tw2}/decide", decision).status_code == 403
    decided = post(api, people.boss, f"/api/v1/penilaian/{tw2}/decide", decision).get_json()
    assert decided == {"id": tw2, "status": "final", "predikat": "baik", "atas_nama": None}
    again = post(api, people.boss, f"/api/v1/penilaian/{tw2}/decide", decision)
    assert again.status_code == 409


def test_objection_after_the_window_is_refused(app, api, evaluated_chain):
    from app.extensions import db
    from app.models.penilaian import Penilaian

    people, rows = evaluated_chain
    tw3 = rows["tw3"]
    fill_realisasi(app, tw3)
    post(api, people.staff, f"/api/v1/penilaian/{tw3}/submit")
    post(
        api,
        people.atasan,
        f"/api/v1/penilaian/{tw3}/rate",
        {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai"},
    )
    with app.app_context():
        item = db.session.get(Penilaian, tw3)
        item.dinilai_pada = item.dinilai_pada - dt.timedelta(days=15)
        db.session.commit()
    late = post(api, people.staff, f"/api/v1/penilaian/{tw3}/object", {"alasan": "Terlambat"})
    assert late.status_code == 409


def test_rating_page_shows_the_matrix_cell_and_the_pegawai_accepts(app, login, evaluated_chain):
    people, rows = evaluated_chain
    tw4 = rows["tw4"]
    fill_realisasi(app, tw4)
    staff = login(people.staff)
    staff.post(f"/penilaian/{tw4}/ajukan", data={})
    atasan = login(people.atasan)
    assert people.staff in atasan.get("/penilaian/").get_data(as_text=True)
    atasan.post(
        f"/penilaian/{tw4}/nilai",
        data={
            "rating_hasil_kerja": "di_bawah",
            "rating_perilaku_kerja": "di_atas",
            "umpan_balik": "Tingkatkan capaian",
            "umpan_balik_1": "Pelayanan ramah",
        },
    )
    page = staff.get(f"/penilaian/{tw4}").get_data(as_text=True)
    assert page.count("matrix-chosen") == 1
    assert "Tingkatkan capaian" in page and "Pelayanan ramah" in page
    staff.post(f"/penilaian/{tw4}/terima", data={})

    from app.extensions import db
    from app.models.monitoring import Notifikasi
    from app.models.penilaian import Penilaian

    with app.app_context():
        item = db.session.get(Penilaian, tw4)
        assert (item.status, item.predikat) == ("diterima", "butuh_perbaikan")
        assert [r.aksi for r in item.riwayat] == ["submit", "rate", "accept"]
        notices = (
            db.session.execute(
                select(Notifikasi.jenis).where(
                    Notifikasi.penerima_id == viewer_of(app, people.staff).pegawai_id
                )
            )
            .scalars()
            .all()
        )
        assert "dinilai" in notices


def test_annual_page_shows_the_four_periods(app, login, evaluated_chain):
    people, rows = evaluated_chain
    page = login(people.atasan).get(f"/penilaian/{rows['tahunan']}").get_data(as_text=True)
    for jenis in ("tw1", "tw2", "tw3", "tw4"):
        assert f"/penilaian/{rows[jenis]}" in page


def test_outsider_cannot_open_an_evaluation(app, login, cast, evaluated_chain):
    _, rows = evaluated_chain
    assert login(cast.outsider_atasan).get(f"/penilaian/{rows['tw1']}").status_code == 404


def test_approved_revision_takes_over_unstarted_periods_with_their_realisasi(app, evaluated_chain):
    from app.extensions import db
    from app.models.audit import AuditLog
    from app.models.monitoring import Realisasi
    from app.models.penilaian import Penilaian
    from app.services import skp as skp_service

    people, rows = evaluated_chain
    fill_realisasi(app, rows["tw3"], nilai="7")  # recorded, not yet submitted
    staff, atasan = viewer_of(app, people.staff), viewer_of(app, people.atasan)
    with app.test_request_context():
        old_skp = db.session.get(Penilaian, rows["tw3"]).skp_id
        revision = skp_service.revise(db.session, old_skp, staff)
        db.session.commit()
        skp_service.submit(db.session, revision.id, staff)
        skp_service.approve(db.session, revision.id, atasan)
        db.session.commit()
        moved = (
            db.session.execute(select(Penilaian).where(Penilaian.skp_id == revision.id))
            .scalars()
            .all()
        )
        assert sorted(p.periode.jenis for p in moved) == sorted(rows)  # none had started
        tw3 = next(p for p in moved if p.periode.jenis == "tw3")
        assert [
            str(r.nilai)
            for r in db.session.execute(
                select(Realisasi)
                .where(Realisasi.periode_id == tw3.periode_id)
                .join(Realisasi.indikator_kinerja)
                .where(
                    Realisasi.indikator_kinerja.has(
                        rencana_hasil_kerja_id=revision.rencana_hasil_kerja[0].id
                    )
                )
            ).scalars()
        ] == ["7.00"]
        old_rows = select(Penilaian.id).where(Penilaian.skp_id == old_skp)
        assert db.session.execute(old_rows).first() is None
        assert db.session.execute(
            select(AuditLog.id).where(
                AuditLog.table_name == "penilaian",
                AuditLog.row_id == str(rows["tw3"]),
                AuditLog.action == "delete",
            )
        ).first()


def test_the_evaluations_to_rate_come_a_page_at_a_time(
    app, api, login, evaluated_chain, monkeypatch
):
    from app.services import paging

    people, rows = evaluated_chain
    for jenis in ("tw1", "tw2"):
        fill_realisasi(app, rows[jenis])
        assert post(api, people.staff, f"/api/v1/penilaian/{rows[jenis]}/submit").status_code == 200
    monkeypatch.setattr(paging, "PER_HALAMAN", 1)
    atasan = login(people.atasan)

    first = atasan.get("/penilaian/").get_data(as_text=True)
    second = atasan.get("/penilaian/?page=2").get_data(as_text=True)

    assert f'/penilaian/{rows["tw1"]}"' in first and f'/penilaian/{rows["tw2"]}"' not in first
    assert f'/penilaian/{rows["tw2"]}"' in second and f'/penilaian/{rows["tw1"]}"' not in second
    assert "Halaman 1 dari 2" in first


def test_indexed_lookups_find_exactly_the_rule_s_evaluations(app):
    """rated_by / decided_by (indexed look-ups) against the rule they stand for: the
    pejabat penilai is the evaluation's own, else the SKP's, else the owner's
    (Pegawai.penilai_id); objections go to that pejabat penilai's atasan. Checked for
    everyone who rates or decides anything."""
    from sqlalchemy import func
    from sqlalchemy.orm import aliased

    from app.extensions import db
    from app.models.master import Pegawai
    from app.models.penilaian import Penilaian
    from app.models.skp import Skp
    from app.services.penilaian import decided_by, rated_by

    approved_evaluations(app)  # at least one evaluation whose SKP names its pejabat penilai
    with app.app_context():
        session = db.session
        owner = aliased(Pegawai)
        rater = func.coalesce(Penilaian.penilai_id, Skp.penilai_id, owner.penilai_id)
        pairs = session.execute(
            select(Penilaian.id, rater, Pegawai.atasan_id, Penilaian.status)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(owner, owner.id == Skp.pegawai_id)
            .join(Pegawai, Pegawai.id == rater)
        ).all()
        assert pairs
        for pegawai_id in {r for _, r, _, _ in pairs}:
            expected = {pid for pid, r, _, _ in pairs if r == pegawai_id}
            assert set(session.execute(rated_by(pegawai_id)).scalars()) == expected
        for pegawai_id in {a for _, _, a, _ in pairs if a is not None}:
            expected = {pid for pid, _, a, _ in pairs if a == pegawai_id}
            assert set(session.execute(decided_by(pegawai_id)).scalars()) == expected
