"""The predikat kinerja organisasi (SE MenPANRB 3/2023) as a resource of its own: admin BKPSDM
records it with the number of the Wali Kota's penetapan (/api/v1/predikat_organisasi/); the
pimpinan OPD reads their OPD's rows and is refused a write; and it is the basis of the OPD
head's rating hasil kerja: a rating that departs from it needs a written reason, on the
penilaian page and through POST /api/v1/penilaian/<id>/rate alike.

The kurva page's side (who sees the form) is in test_kurva.py; the route × role table in
test_authorization_routes.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Pegawai, UnitKerja
from app.models.penilaian import Penilaian, PredikatOrganisasi
from app.security.scope import Viewer
from tests.factories import Opd, fill_realisasi, new_opd, skp_with_rhk, viewer_of

URL = "/api/v1/predikat_organisasi/"
NOMOR = "800/BKPSDM/2026/001"
ADMIN = Viewer(user_id=None, is_admin=True)


def record(app, unit_id: int, periode_id: int, predikat: str, nomor: str = NOMOR) -> int:
    """Admin BKPSDM records a penetapan through the service; its id."""
    from app.services import kurva

    with app.test_request_context():
        row = kurva.tetapkan(db.session, ADMIN, unit_id, periode_id, predikat, nomor)
        db.session.commit()
        return row.id


def rows_of(app, unit_id: int) -> list[tuple]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(
                    PredikatOrganisasi.periode_id,
                    PredikatOrganisasi.predikat,
                    PredikatOrganisasi.nomor_penetapan,
                )
                .where(PredikatOrganisasi.unit_kerja_id == unit_id)
                .order_by(PredikatOrganisasi.periode_id)
            )
        ]


@pytest.fixture(scope="module")
def opd(app) -> Opd:
    return new_opd(app, staff=1, nama="Penetapan")


@pytest.fixture(scope="module")
def other(app) -> Opd:
    """Another OPD, with the predikat of its year recorded."""
    people = new_opd(app, staff=1, nama="Lain")
    record(app, people.id, people.tahunan, "kurang", "800/BKPSDM/2026/099")
    return people


# --- admin BKPSDM writes ---------------------------------------------------------------------


def test_admin_records_changes_and_removes_a_penetapan(app, api, opd):
    client, headers = api("admin")
    body = {
        "unit_kerja_id": opd.id,
        "periode_id": opd.tw1,
        "predikat": "istimewa",
        "nomor_penetapan": NOMOR,
    }
    created = client.post(URL, json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    row_id = created.get_json()["id"]
    result = created.get_json()["result"]
    assert {key: result[key] for key in body} == body
    assert result["ditetapkan_pada"]

    changed = client.put(
        f"{URL}{row_id}",
        json={"predikat": "baik", "nomor_penetapan": "800/BKPSDM/2026/002"},
        headers=headers,
    )
    assert changed.status_code == 200
    assert rows_of(app, opd.id) == [(opd.tw1, "baik", "800/BKPSDM/2026/002")]
    with app.app_context():
        audit = db.session.execute(
            select(AuditLog.action, AuditLog.username)
            .where(AuditLog.table_name == "predikat_organisasi", AuditLog.row_id == str(row_id))
            .order_by(AuditLog.id)
        ).all()
    assert audit == [("insert", "admin"), ("update", "admin")]

    assert client.delete(f"{URL}{row_id}", headers=headers).status_code == 200
    assert rows_of(app, opd.id) == []
    assert client.get(f"{URL}{row_id}", headers=headers).status_code == 404


def test_a_second_penetapan_for_the_same_opd_and_period_answers_409(app, api, opd):
    record(app, opd.id, opd.tahunan, "baik")
    client, headers = api("admin")
    response = client.post(
        URL,
        json={
            "unit_kerja_id": opd.id,
            "periode_id": opd.tahunan,
            "predikat": "istimewa",
            "nomor_penetapan": "800/BKPSDM/2026/003",
        },
        headers=headers,
    )
    assert response.status_code == 409
    assert response.get_json()["field"] == "periode_id"
    assert rows_of(app, opd.id) == [(opd.tahunan, "baik", NOMOR)]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"predikat": "luar_biasa"}, 422, "predikat"),
        ({"predikat": ["baik"]}, 422, "predikat"),
        ({"predikat": None}, 422, "predikat"),
        ({"nomor_penetapan": None}, 422, "nomor_penetapan"),
        ({"nomor_penetapan": "  "}, 422, "nomor_penetapan"),
        ({"nomor_penetapan": "8" * 101}, 422, "nomor_penetapan"),
        ({"nomor_penetapan": 800}, 422, "nomor_penetapan"),
        ({"unit_kerja_id": None}, 422, "unit_kerja_id"),
        ({"unit_kerja_id": "abc"}, 422, "unit_kerja_id"),
        ({"unit_kerja_id": "BIDANG"}, 422, "unit_kerja_id"),
        ({"unit_kerja_id": 999_999}, 404, None),
        ({"periode_id": 999_999}, 404, None),
    ],
)
def test_a_penetapan_is_refused_on_its_field(app, api, opd, change, status, field):
    if change.get("unit_kerja_id") == "BIDANG":
        change = {"unit_kerja_id": opd.bidang_id}
    client, headers = api("admin")
    before = rows_of(app, opd.id)
    body = {"unit_kerja_id": opd.id, "periode_id": opd.tw1, "predikat": "baik"}
    response = client.post(URL, json={**body, "nomor_penetapan": NOMOR, **change}, headers=headers)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["message"]
    if field:
        assert response.get_json()["field"] == field
    assert rows_of(app, opd.id) == before


def test_a_body_naming_a_field_the_resource_does_not_take_answers_422(app, api, opd):
    row_id = record(app, opd.id, opd.tahunan, "baik")
    client, headers = api("admin")
    moved = client.put(f"{URL}{row_id}", json={"unit_kerja_id": opd.bidang_id}, headers=headers)
    assert moved.status_code == 422
    assert "unit_kerja_id" in moved.get_json()["message"]
    assert rows_of(app, opd.id) == [(opd.tahunan, "baik", NOMOR)]


# --- the pimpinan OPD reads --------------------------------------------------------------------


def test_pimpinan_reads_the_rows_of_their_own_opd_only(app, api, opd, other):
    own = record(app, opd.id, opd.tahunan, "baik")
    client, headers = api(opd.pimpinan)
    listed = client.get(URL, headers=headers).get_json()
    assert listed["ids"] == [own]
    assert listed["result"][0]["nomor_penetapan"] == NOMOR
    assert client.get(f"{URL}{own}", headers=headers).status_code == 200
    with app.app_context():
        foreign = db.session.execute(
            select(PredikatOrganisasi.id).where(PredikatOrganisasi.unit_kerja_id == other.id)
        ).scalar_one()
    response = client.get(f"{URL}{foreign}", headers=headers)
    assert response.status_code == 404
    assert "800/BKPSDM/2026/099" not in response.get_data(as_text=True)


def test_pimpinan_is_refused_every_write_even_on_their_own_opd(app, api, opd):
    own = record(app, opd.id, opd.tahunan, "baik")
    before = rows_of(app, opd.id)
    client, headers = api(opd.pimpinan)
    body = {"predikat": "istimewa", "nomor_penetapan": "SENDIRI"}
    assert (
        client.post(
            URL, json={**body, "unit_kerja_id": opd.id, "periode_id": opd.tw1}, headers=headers
        ).status_code
        == 403
    )
    assert client.put(f"{URL}{own}", json=body, headers=headers).status_code == 403
    assert client.delete(f"{URL}{own}", headers=headers).status_code == 403
    assert rows_of(app, opd.id) == before


@pytest.mark.parametrize("who", ["atasan", "staff"])
def test_atasan_and_pegawai_cannot_read_it(app, api, opd, who):
    own = record(app, opd.id, opd.tahunan, "baik")
    client, headers = api(opd.atasan if who == "atasan" else opd.staff[0])
    assert client.get(URL, headers=headers).status_code == 403
    assert client.get(f"{URL}{own}", headers=headers).status_code == 403


def test_the_pejabat_penilai_of_the_opd_head_reads_it_too(app, api, opd):
    """The row belongs to the OPD head (PredikatOrganisasi.scope_owner): whoever rates them
    through the org chart — here the Sekda — reads the basis of that rating."""
    own = record(app, opd.id, opd.tahunan, "baik")
    client, headers = api(sekda_nip(app))
    assert client.get(f"{URL}{own}", headers=headers).status_code == 200


def sekda_nip(app) -> str:
    with app.app_context():
        return db.session.execute(
            select(Pegawai.nip)
            .join(UnitKerja, UnitKerja.kepala_id == Pegawai.id)
            .where(UnitKerja.kode == "SETDA")
        ).scalar_one()


# --- the basis of the OPD head's rating hasil kerja -------------------------------------------


@dataclass(frozen=True)
class Rated:
    """The OPD head's evaluations, submitted and waiting for the Sekda (their atasan)."""

    head: str
    penilai: str
    tahunan: int  # the OPD's predikat for the year is Baik: the expected rating is Sesuai
    tw1: int  # no predikat organisasi for tw1: no basis


@pytest.fixture(scope="module")
def rated(app) -> Rated:
    from app.models.master import Periode
    from app.services import penilaian as penilaian_service
    from app.services import skp as skp_service

    people = new_opd(app, staff=0, nama="Pimpinan")
    penilai = sekda_nip(app)
    skp_id, _ = skp_with_rhk(
        app, people.pimpinan, "Urusan dinas", penugasan_dari="Wali Kota", submit=True
    )
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, penilai))
        db.session.commit()
        ids = dict(
            db.session.execute(
                select(Periode.jenis, Penilaian.id)
                .join(Penilaian, Penilaian.periode_id == Periode.id)
                .where(Penilaian.skp_id == skp_id)
            ).all()
        )
    for jenis in ("tahunan", "tw1"):
        fill_realisasi(app, ids[jenis])
        with app.test_request_context():
            penilaian_service.submit(db.session, ids[jenis], viewer_of(app, people.pimpinan))
            db.session.commit()
    record(app, people.id, people.tahunan, "baik")
    return Rated(people.pimpinan, penilai, ids["tahunan"], ids["tw1"])


def stored_rating(app, penilaian_id: int) -> tuple:
    with app.app_context():
        row = db.session.execute(
            select(Penilaian.status, Penilaian.rating_hasil_kerja, Penilaian.alasan_rating).where(
                Penilaian.id == penilaian_id
            )
        ).one()
        return tuple(row)


def rate(api, rated: Rated, penilaian_id: int, hasil: str, **more):
    client, headers = api(rated.penilai)
    return client.post(
        f"/api/v1/penilaian/{penilaian_id}/rate",
        json={"rating_hasil_kerja": hasil, "rating_perilaku_kerja": "sesuai", **more},
        headers=headers,
    )


def test_the_rating_page_shows_the_predikat_organisasi_as_the_basis(app, login, rated):
    for who in (rated.head, rated.penilai):
        html = login(who).get(f"/penilaian/{rated.tahunan}").get_data(as_text=True)
        assert 'id="dasar-rating"' in html, who
        assert 'data-predikat-organisasi="baik"' in html
        assert 'data-rating-hasil-kerja="sesuai"' in html
        assert NOMOR in html
    page = login(rated.penilai).get(f"/penilaian/{rated.tahunan}").get_data(as_text=True)
    assert 'name="alasan_rating"' in page


def test_without_a_predikat_organisasi_there_is_no_basis_and_no_reason_to_give(
    app, api, login, rated
):
    html = login(rated.penilai).get(f"/penilaian/{rated.tw1}").get_data(as_text=True)
    assert 'id="dasar-rating"' not in html and 'name="alasan_rating"' not in html
    response = rate(api, rated, rated.tw1, "di_atas")
    assert response.status_code == 200, response.get_json()
    assert stored_rating(app, rated.tw1) == ("dinilai", "di_atas", None)


def test_the_api_refuses_a_departing_rating_without_a_reason(app, api, rated):
    before = stored_rating(app, rated.tahunan)
    for more in ({}, {"alasan_rating": "   "}, {"alasan_rating": None}):
        response = rate(api, rated, rated.tahunan, "di_atas", **more)
        assert response.status_code == 422, more
        assert response.get_json()["field"] == "alasan_rating"
    too_long = rate(api, rated, rated.tahunan, "di_bawah", alasan_rating="x" * 5001)
    assert (too_long.status_code, too_long.get_json()["field"]) == (422, "alasan_rating")
    assert stored_rating(app, rated.tahunan) == before


def test_the_api_keeps_the_reason_of_a_departing_rating_and_drops_it_when_it_follows(
    app, api, rated
):
    reason = "Capaian dinas melampaui target karena program prioritas Wali Kota."
    departing = rate(api, rated, rated.tahunan, "di_atas", alasan_rating=reason)
    assert departing.status_code == 200, departing.get_json()
    assert stored_rating(app, rated.tahunan) == ("dinilai", "di_atas", reason)
    client, headers = api(rated.head)
    shown = client.get(f"/api/v1/penilaian/{rated.tahunan}", headers=headers).get_json()
    assert shown["result"]["alasan_rating"] == reason

    following = rate(api, rated, rated.tahunan, "sesuai")
    assert following.status_code == 200
    assert stored_rating(app, rated.tahunan) == ("dinilai", "sesuai", None)


def test_the_page_refuses_a_departing_rating_without_a_reason_and_shows_one_given(
    app, login, rated
):
    browser = login(rated.penilai)
    url = f"/penilaian/{rated.tahunan}"
    before = stored_rating(app, rated.tahunan)
    refused = browser.post(
        f"{url}/nilai",
        data={"rating_hasil_kerja": "di_bawah", "rating_perilaku_kerja": "sesuai"},
    )
    assert refused.status_code == 422  # the form again, as chosen, the reason asked for
    assert 'data-field-error="alasan_rating"' in refused.get_data(as_text=True)
    assert stored_rating(app, rated.tahunan) == before

    reason = "Target utama dinas tidak tercapai pada semester kedua."
    saved = browser.post(
        f"{url}/nilai",
        data={
            "rating_hasil_kerja": "di_bawah",
            "rating_perilaku_kerja": "sesuai",
            "alasan_rating": reason,
        },
    )
    assert saved.status_code == 302
    assert stored_rating(app, rated.tahunan) == ("dinilai", "di_bawah", reason)
    html = login(rated.head).get(url).get_data(as_text=True)
    assert 'id="alasan-rating"' in html and reason in html


def test_the_basis_names_the_opd_head_s_predikat_and_the_rating_it_gives(app, rated):
    from app.services import kurva

    with app.app_context():
        head_id = viewer_of(app, rated.head).pegawai_id
        tahunan = db.session.get(Penilaian, rated.tahunan).periode_id
        found = kurva.dasar_rating(db.session, head_id, tahunan)
        assert found.opd.kepala_id == head_id
        assert (found.penetapan.predikat, found.rating_hasil_kerja) == ("baik", "sesuai")
