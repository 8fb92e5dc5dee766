"""The SKP journey through the REST API: draft, cascade, submit, return, resubmit, approve."""

import pytest
from sqlalchemy import select

from tests.factories import MANUAL_JPT, new_chain


@pytest.fixture()
def active_year(app):
    from app.extensions import db
    from app.models.master import Periode

    with app.app_context():
        return db.session.execute(
            select(Periode.id).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()


def draft_skp(api, username, periode_id, rhk, submit=False):
    """Create the SKP of ``username`` with one RHK and one indikator; optionally submit. A
    JPT's (``model`` jpt) RHK serves a perspektif and its indikator has a manual indikator."""
    client, headers = api(username)
    response = client.post(
        "/api/v1/skp/",
        json={"periode_id": periode_id, "pendekatan": "kuantitatif"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    skp_id = response.get_json()["id"]
    jpt = {}
    if response.get_json()["result"]["model"] == "jpt":
        rhk = {"perspektif": "proses_bisnis", **rhk}
        jpt = {"manual_indikator": MANUAL_JPT}
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
            "uraian": "Jumlah",
            "target": 12,
            "satuan": "dokumen",
            **jpt,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    if submit:
        response = client.post(f"/api/v1/skp/{skp_id}/submit", headers=headers)
        assert response.status_code == 200, response.get_json()
    return client, headers, skp_id, rhk_id


@pytest.fixture()
def chain(app, api, active_year):
    """A fresh boss → atasan → staff chain whose boss and atasan have submitted SKPs."""
    people = new_chain(app)
    _, _, _, boss_rhk = draft_skp(
        api,
        people.boss,
        active_year,
        {"uraian": "Perencanaan daerah", "penugasan_dari": "Wali Kota"},
        submit=True,
    )
    _, _, _, atasan_rhk = draft_skp(
        api,
        people.atasan,
        active_year,
        {"uraian": "Dokumen bidang", "intervensi_id": boss_rhk},
        submit=True,
    )
    return people, boss_rhk, atasan_rhk


def test_skp_journey_return_fix_resubmit_approve(app, api, chain, active_year):
    people, _, atasan_rhk = chain
    atasan, atasan_h = api(people.atasan)
    staff, staff_h, skp_id, _ = draft_skp(
        api, people.staff, active_year, {"uraian": "Dokumen layanan", "intervensi_id": atasan_rhk}
    )

    submitted = staff.post(f"/api/v1/skp/{skp_id}/submit", headers=staff_h)
    assert submitted.get_json() == {"id": skp_id, "status": "diajukan", "atas_nama": None}
    edit = staff.put(f"/api/v1/skp/{skp_id}", json={"konsekuensi": "x"}, headers=staff_h)
    assert edit.status_code == 409
    assert staff.post(f"/api/v1/skp/{skp_id}/approve", headers=staff_h).status_code == 403
    no_note = atasan.post(f"/api/v1/skp/{skp_id}/return", json={}, headers=atasan_h)
    assert no_note.status_code == 422
    returned = atasan.post(
        f"/api/v1/skp/{skp_id}/return", json={"catatan": "Perbaiki target"}, headers=atasan_h
    )
    assert returned.get_json()["status"] == "dikembalikan"
    fixed = staff.put(f"/api/v1/skp/{skp_id}", json={"konsekuensi": "Teguran"}, headers=staff_h)
    assert fixed.status_code == 200
    assert staff.post(f"/api/v1/skp/{skp_id}/submit", headers=staff_h).status_code == 200
    approved = atasan.post(f"/api/v1/skp/{skp_id}/approve", headers=atasan_h)
    assert approved.get_json() == {"id": skp_id, "status": "disetujui", "atas_nama": None}
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
        assert skp.snapshot["pegawai"]["nip"] == people.staff
        assert skp.snapshot["penilai"]["nip"] == people.atasan


def test_second_skp_for_the_same_year_is_refused(app, api, chain, active_year):
    people, _, atasan_rhk = chain
    client, headers, _, _ = draft_skp(
        api, people.staff, active_year, {"uraian": "Arsip", "intervensi_id": atasan_rhk}
    )
    again = client.post("/api/v1/skp/", json={"periode_id": active_year}, headers=headers)
    assert again.status_code == 422


def test_atasan_of_another_opd_cannot_see_or_approve_the_skp(app, api, cast, chain, active_year):
    people, _, atasan_rhk = chain
    _, _, skp_id, _ = draft_skp(
        api,
        people.staff,
        active_year,
        {"uraian": "Arsip", "intervensi_id": atasan_rhk},
        submit=True,
    )
    outsider, headers = api(cast.outsider_atasan)
    assert outsider.get(f"/api/v1/skp/{skp_id}", headers=headers).status_code == 404
    assert outsider.post(f"/api/v1/skp/{skp_id}/approve", headers=headers).status_code == 404


def test_rhk_cannot_intervene_an_rhk_of_someone_other_than_the_atasan(app, api, chain, active_year):
    people, boss_rhk, _ = chain
    client, headers = api(people.staff)
    skp_id = client.post(
        "/api/v1/skp/", json={"periode_id": active_year}, headers=headers
    ).get_json()["id"]
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "utama", "uraian": "X", "intervensi_id": boss_rhk},
        headers=headers,
    )
    assert response.status_code == 422


def _last_year(app):
    from app.extensions import db
    from app.models.master import Periode

    with app.app_context():
        return (
            db.session.execute(
                select(Periode.id)
                .where(Periode.jenis == "tahunan", Periode.aktif.is_(False))
                .order_by(Periode.tahun.desc())
            )
            .scalars()
            .first()
        )


def test_an_skp_is_drawn_up_for_the_active_year_only(app, api, chain, active_year):
    people, _, _ = chain
    client, headers = api(people.staff)
    response = client.post("/api/v1/skp/", json={"periode_id": _last_year(app)}, headers=headers)
    assert response.status_code == 422
    body = response.get_json()
    assert body["field"] == "periode_id"
    assert "tahun aktif" in body["message"]


def test_rhk_cannot_intervene_an_rhk_of_another_year(app, api, chain, active_year):
    from app.extensions import db
    from app.models.master import Pegawai
    from app.models.skp import Skp

    people, _, atasan_rhk = chain
    with app.app_context():
        # A draft of last year, as one left from before the year closed.
        staff = db.session.execute(select(Pegawai).where(Pegawai.nip == people.staff)).scalar_one()
        old = Skp(
            pegawai_id=staff.id,
            periode_id=_last_year(app),
            pendekatan="kuantitatif",
            status="draft",
            versi=1,
            penilai_id=staff.penilai_id,
        )
        db.session.add(old)
        db.session.commit()
        skp_id = old.id
    client, headers = api(people.staff)
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "utama", "uraian": "X", "intervensi_id": atasan_rhk},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json()["field"] == "intervensi_id"


def test_only_a_jpt_names_a_penugasan_instead_of_cascading(app, api, chain, active_year):
    people, _, _ = chain
    client, headers = api(people.staff)
    skp_id = client.post(
        "/api/v1/skp/", json={"periode_id": active_year}, headers=headers
    ).get_json()["id"]
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "utama", "uraian": "X", "penugasan_dari": "Wali Kota"},
        headers=headers,
    )
    assert response.status_code == 422


def test_skp_owner_is_the_caller_and_another_pegawai_id_is_refused(app, api, chain, active_year):
    people, _, _ = chain
    client, headers = api(people.colleague)
    response = client.post(
        "/api/v1/skp/", json={"periode_id": active_year, "pegawai_id": 1}, headers=headers
    )
    assert response.status_code == 403
    assert response.get_json()["field"] == "pegawai_id"
    me = client.get(
        f"/api/v1/pegawai/?q=(filters:!((col:nip,opr:eq,value:'{people.colleague}')))",
        headers=headers,
    ).get_json()["ids"][0]
    response = client.post(
        "/api/v1/skp/", json={"periode_id": active_year, "pegawai_id": me}, headers=headers
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["result"]["pegawai_id"] == me
