"""The SKP journey through the REST API: draft, cascade, submit, return, resubmit, approve."""

import pytest
from sqlalchemy import select

from tests.conftest import pegawai_id


@pytest.fixture()
def active_year(app):
    from app.extensions import db
    from app.models.master import Periode

    with app.app_context():
        return db.session.execute(
            select(Periode.id).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()


def own_skps(app, client, headers, username):
    owner = pegawai_id(app, username)
    return client.get(
        f"/api/v1/skp/?q=(filters:!((col:pegawai_id,opr:eq,value:{owner})))", headers=headers
    ).get_json()


def draft_skp(app, api, username, periode_id, rhk):
    """Create (or reuse) the SKP of ``username`` and add one RHK with one indikator."""
    client, headers = api(username)
    existing = own_skps(app, client, headers, username)
    if existing["count"]:
        skp_id = existing["ids"][0]
    else:
        response = client.post(
            "/api/v1/skp/",
            json={"periode_id": periode_id, "pendekatan": "kuantitatif"},
            headers=headers,
        )
        assert response.status_code == 201, response.get_json()
        skp_id = response.get_json()["id"]
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "utama", **rhk},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    rhk_id = response.get_json()["id"]
    response = client.post(
        "/api/v1/indikator_kinerja/",
        json={
            "rencana_hasil_kerja_id": rhk_id,
            "aspek": "kuantitas",
            "uraian": "Jumlah dokumen",
            "target": 12,
            "satuan": "dokumen",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return client, headers, skp_id, rhk_id


def test_skp_journey_return_fix_resubmit_approve(app, api, cast, active_year):
    atasan, atasan_h, atasan_skp, atasan_rhk = draft_skp(
        app,
        api,
        cast.atasan,
        active_year,
        {"uraian": "Pelayanan bidang", "penugasan_dari": "Kepala"},
    )
    assert atasan.post(f"/api/v1/skp/{atasan_skp}/submit", headers=atasan_h).status_code == 200
    staff, staff_h, skp_id, _ = draft_skp(
        app,
        api,
        cast.staff,
        active_year,
        {"uraian": "Dokumen layanan", "intervensi_id": atasan_rhk},
    )

    assert staff.post(f"/api/v1/skp/{skp_id}/submit", headers=staff_h).get_json() == {
        "id": skp_id,
        "status": "diajukan",
    }
    assert (
        staff.put(f"/api/v1/skp/{skp_id}", json={"konsekuensi": "x"}, headers=staff_h).status_code
        == 409
    )
    assert staff.post(f"/api/v1/skp/{skp_id}/approve", headers=staff_h).status_code == 403
    assert atasan.post(f"/api/v1/skp/{skp_id}/return", json={}, headers=atasan_h).status_code == 422
    returned = atasan.post(
        f"/api/v1/skp/{skp_id}/return", json={"catatan": "Perbaiki target"}, headers=atasan_h
    )
    assert returned.get_json()["status"] == "dikembalikan"
    assert (
        staff.put(
            f"/api/v1/skp/{skp_id}", json={"konsekuensi": "Teguran"}, headers=staff_h
        ).status_code
        == 200
    )
    assert staff.post(f"/api/v1/skp/{skp_id}/submit", headers=staff_h).status_code == 200
    approved = atasan.post(f"/api/v1/skp/{skp_id}/approve", headers=atasan_h)
    assert approved.get_json() == {"id": skp_id, "status": "disetujui"}
    assert atasan.post(f"/api/v1/skp/{skp_id}/approve", headers=atasan_h).status_code == 409

    from app.extensions import db
    from app.models.skp import Skp

    with app.app_context():
        skp = db.session.get(Skp, skp_id)
        assert [(r.dari, r.ke) for r in skp.riwayat] == [
            ("draft", "diajukan"),
            ("diajukan", "dikembalikan"),
            ("dikembalikan", "diajukan"),
            ("diajukan", "disetujui"),
        ]
        assert skp.snapshot["pegawai"]["nip"] == cast.staff
        assert skp.snapshot["penilai"]["nip"] == cast.atasan


def test_outsider_atasan_cannot_see_or_approve_the_skp(app, api, cast, active_year):
    _, _, skp_id, _ = draft_skp(
        app, api, cast.other_staff, active_year, {"uraian": "Arsip", "penugasan_dari": "Kepala"}
    )
    outsider, headers = api(cast.outsider_atasan)
    assert outsider.get(f"/api/v1/skp/{skp_id}", headers=headers).status_code == 404
    assert outsider.post(f"/api/v1/skp/{skp_id}/approve", headers=headers).status_code == 404


def test_rhk_cannot_intervene_an_rhk_of_someone_else_than_the_atasan(app, api, cast, active_year):
    _, _, _, foreign_rhk = draft_skp(
        app, api, cast.outsider_atasan, active_year, {"uraian": "Lain", "penugasan_dari": "Kepala"}
    )
    client, headers = api(cast.other_staff)
    own = own_skps(app, client, headers, cast.other_staff)
    skp_id = (
        own["ids"][0]
        if own["count"]
        else client.post(
            "/api/v1/skp/", json={"periode_id": active_year}, headers=headers
        ).get_json()["id"]
    )
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "utama", "uraian": "X", "intervensi_id": foreign_rhk},
        headers=headers,
    )
    assert response.status_code == 422


def test_skp_owner_is_the_signed_in_pegawai_whatever_the_body_says(app, api, cast, active_year):
    client, headers = api(cast.outsider)
    response = client.post(
        "/api/v1/skp/",
        json={"periode_id": active_year, "pegawai_id": pegawai_id(app, cast.staff)},
        headers=headers,
    )
    assert response.status_code == 422
    assert "pegawai_id" in response.get_json()["message"]
