"""Plt and Plh (issue 12, item 4): admin BKPSDM records an acting assignment; while it runs
the acting official finds the covered post's SKPs and evaluations in their inbox, rating list
and dashboard, is told when one is submitted, approves, returns and rates them, and every act
shows "Plt./Plh. <post>" beside their name. Before its first day and after its last it gives
nothing: it ends by itself. A vacant unit head post is covered the same way."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from tests.conftest import pegawai_id
from tests.factories import (
    approved_evaluations,
    chain_with_submitted_skps,
    fill_realisasi,
    new_chain,
    person,
    skp_with_rhk,
)

SIGNED_AS = "Plh. Kepala Bidang Uji"


def days(n: int) -> str:
    """``n`` days from today, as of the call (a run may cross midnight)."""
    return (dt.date.today() + dt.timedelta(days=n)).isoformat()


def assignment(app, acting: str, covered: str, start: int = -1, end: int = 10, jenis="plh"):  # noqa: ANN001, ANN201
    """The body of an assignment of ``acting`` to the post of ``covered`` (NIPs)."""
    return {
        "pegawai_id": pegawai_id(app, acting),
        "menggantikan_id": pegawai_id(app, covered),
        "jenis": jenis,
        "tanggal_mulai": days(start),
        "tanggal_selesai": days(end),
        "nomor_sk": f"800/{jenis.upper()}/{uuid.uuid4().hex[:6]}",
    }


def record(api, body: dict) -> int:  # noqa: ANN001
    admin, headers = api("admin")
    response = admin.post("/api/v1/penugasan/", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def count_assignments(app) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.penugasan import Penugasan

    with app.app_context():
        return db.session.execute(select(func.count(Penugasan.id))).scalar()


# --- recording the SK ---------------------------------------------------------------------


def test_admin_records_an_assignment_and_the_acting_official_reads_only_their_own(app, api):
    people = new_chain(app)
    pk = record(api, assignment(app, people.colleague, people.atasan))

    mine, headers = api(people.colleague)
    listed = mine.get("/api/v1/penugasan/", headers=headers).get_json()
    assert listed["ids"] == [pk]
    row = mine.get(f"/api/v1/penugasan/{pk}", headers=headers).get_json()["result"]
    assert row["pos"] == "Kepala Bidang Uji" and row["status"] == "berjalan"
    assert row["jenis"] == "plh" and row["menggantikan_id"] == pegawai_id(app, people.atasan)

    other, other_headers = api(new_chain(app).staff)
    assert other.get(f"/api/v1/penugasan/{pk}", headers=other_headers).status_code == 404
    body = assignment(app, people.staff, people.atasan, start=20, end=30)
    assert mine.post("/api/v1/penugasan/", json=body, headers=headers).status_code == 403
    assert mine.delete(f"/api/v1/penugasan/{pk}", headers=headers).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tanggal_mulai": days(5), "tanggal_selesai": days(1)}, "tanggal_selesai"),
        ({"jenis": "pj"}, "jenis"),
        ({"nomor_sk": "  "}, "nomor_sk"),
        ({"menggantikan_id": None}, "menggantikan_id"),
        ({"menggantikan_id": "self"}, "menggantikan_id"),
        ({"unit_kerja_id": "their unit"}, "menggantikan_id"),
        ({"menggantikan_id": 987654321}, "menggantikan_id"),
    ],
)
def test_a_bad_assignment_is_refused_with_its_field_and_nothing_is_written(app, api, change, field):
    people = new_chain(app)
    body = assignment(app, people.colleague, people.atasan)
    if change.get("menggantikan_id") == "self":
        change = {"menggantikan_id": body["pegawai_id"]}
    if change.get("unit_kerja_id") == "their unit":
        change = {"unit_kerja_id": _unit_of(app, people.atasan)}
    before = count_assignments(app)
    admin, headers = api("admin")
    response = admin.post("/api/v1/penugasan/", json={**body, **change}, headers=headers)
    assert response.status_code == 422, response.get_json()
    answer = response.get_json()
    assert field in (answer.get("field"), *answer.get("message", {}))
    assert count_assignments(app) == before


def test_two_assignments_of_one_post_may_not_share_a_day(app, api):
    people = new_chain(app)
    first = assignment(app, people.colleague, people.atasan, start=0, end=10)
    record(api, first)
    admin, headers = api("admin")
    clash = assignment(app, people.boss, people.atasan, start=10, end=20)
    response = admin.post("/api/v1/penugasan/", json=clash, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["field"] == "tanggal_mulai"
    assert first["nomor_sk"] in response.get_json()["message"]
    # The day after is free, and so is another post on the same days.
    record(api, assignment(app, people.boss, people.atasan, start=11, end=20))
    record(api, assignment(app, people.colleague, people.staff, start=0, end=10))


def test_a_unit_with_a_head_has_no_vacant_post_to_cover(app, api):
    from app.extensions import db
    from app.models.master import UnitKerja

    people = new_chain(app)
    unit = _unit_of(app, people.atasan)
    with app.app_context():
        db.session.get(UnitKerja, unit).kepala_id = pegawai_id(app, people.boss)
        db.session.commit()
    body = assignment(app, people.colleague, people.atasan)
    body["menggantikan_id"], body["unit_kerja_id"] = None, unit
    admin, headers = api("admin")
    response = admin.post("/api/v1/penugasan/", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["field"] == "unit_kerja_id"


def test_the_admin_page_records_an_assignment_and_shows_it_running(app, login):
    people = new_chain(app)
    page = login("admin")
    form = {
        "pegawai": pegawai_id(app, people.colleague),
        "jenis": "plt",
        "menggantikan": pegawai_id(app, people.atasan),
        "tanggal_mulai": days(0),
        "tanggal_selesai": days(30),
        "nomor_sk": "800/PLT/HALAMAN",
    }
    assert page.post("/penugasanview/add", data=form).status_code == 302
    listed = page.get("/penugasanview/list/").get_data(as_text=True)
    assert "800/PLT/HALAMAN" in listed
    assert "Kepala Bidang Uji" in listed and "Berjalan" in listed

    form.update(nomor_sk="800/PLT/KEDUA", tanggal_mulai=days(3))
    refused = page.post("/penugasanview/add", data=form, follow_redirects=True)
    assert "800/PLT/HALAMAN" in refused.get_data(as_text=True)  # the clash is named
    assert count_assignments_with(app, "800/PLT/KEDUA") == 0


def count_assignments_with(app, nomor: str) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.penugasan import Penugasan

    with app.app_context():
        query = select(func.count(Penugasan.id)).where(Penugasan.nomor_sk == nomor)
        return db.session.execute(query).scalar()


# --- acting while it runs -----------------------------------------------------------------


def submitted_staff_skp(app) -> tuple:  # noqa: ANN001
    """A chain whose staff has submitted an SKP to the atasan (the Kabid, whose post is
    covered); returns (chain, skp id)."""
    people, atasan_rhk = chain_with_submitted_skps(app)
    skp, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    return people, skp


def test_the_plh_approves_an_skp_of_the_covered_post_and_the_act_names_the_post(app, api, login):
    people, atasan_rhk = chain_with_submitted_skps(app)
    record(api, assignment(app, people.colleague, people.atasan))
    skp, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)

    acting = login(people.colleague)
    assert f"/skp/{skp}" in acting.get("/skp/persetujuan/").get_data(as_text=True)
    assert notices_of(app, people.colleague) == [f"/skp/{skp}"]
    client, headers = api(people.colleague)
    response = client.post(f"/api/v1/skp/{skp}/approve", json={}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"id": skp, "status": "disetujui", "atas_nama": SIGNED_AS}

    page = login(people.staff).get(f"/skp/{skp}").get_data(as_text=True)
    assert f"Rekan Uji ({SIGNED_AS})" in page
    printed = login(people.staff).get(f"/skp/dokumen/{skp}/cetak").get_data(as_text=True)
    assert SIGNED_AS in printed and "Rekan Uji" in printed

    from app.extensions import db
    from app.models.skp import SkpRiwayat

    with app.app_context():
        step = db.session.execute(
            select(SkpRiwayat).where(SkpRiwayat.skp_id == skp, SkpRiwayat.aksi == "approve")
        ).scalar_one()
        assert step.oleh_id == pegawai_id(app, people.colleague)
        assert step.atas_nama == SIGNED_AS and step.penugasan_id is not None


def test_the_plh_returns_an_skp_and_the_covered_official_keeps_their_own_inbox(app, api):
    people, skp = submitted_staff_skp(app)
    record(api, assignment(app, people.colleague, people.atasan))
    client, headers = api(people.colleague)
    response = client.post(
        f"/api/v1/skp/{skp}/return", json={"catatan": "Lengkapi target"}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["atas_nama"] == SIGNED_AS
    # The post's holder did not lose it: absent is not removed.
    owner, owner_headers = api(people.atasan)
    assert owner.get(f"/api/v1/skp/{skp}", headers=owner_headers).status_code == 200


def test_the_plh_rates_an_evaluation_and_the_post_stays_its_pejabat_penilai(app, api, login):
    people, evaluations = approved_evaluations(app)
    tw1 = evaluations["tw1"]
    fill_realisasi(app, tw1)
    staff, staff_headers = api(people.staff)
    assert staff.post(f"/api/v1/penilaian/{tw1}/submit", headers=staff_headers).status_code == 200
    record(api, assignment(app, people.colleague, people.atasan))

    acting = login(people.colleague)
    assert f"/penilaian/{tw1}" in acting.get("/penilaian/").get_data(as_text=True)
    client, headers = api(people.colleague)
    ratings = {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "di_atas"}
    response = client.post(f"/api/v1/penilaian/{tw1}/rate", json=ratings, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["atas_nama"] == SIGNED_AS
    shown = login(people.staff).get(f"/penilaian/{tw1}").get_data(as_text=True)
    assert f"({SIGNED_AS})" in shown

    from app.extensions import db
    from app.models.penilaian import Penilaian

    with app.app_context():
        rated = db.session.get(Penilaian, tw1)
        assert rated.penilai_id == pegawai_id(app, people.atasan)


def test_the_dashboard_of_the_acting_official_counts_the_covered_post(app, api, login):
    people, _ = submitted_staff_skp(app)
    before = login(people.colleague).get("/").get_data(as_text=True)
    assert "/skp/persetujuan/" not in before
    record(api, assignment(app, people.colleague, people.atasan))
    after = login(people.colleague).get("/").get_data(as_text=True)
    assert "/skp/persetujuan/" in after  # the approval inbox, with the waiting SKP
    assert SIGNED_AS in after  # the dashboard says in which post they act


@pytest.mark.parametrize(("start", "end"), [(-10, -1), (1, 10)], ids=["ended", "upcoming"])
def test_an_assignment_gives_nothing_outside_its_days(app, api, login, start, end):
    people, skp = submitted_staff_skp(app)
    record(api, assignment(app, people.colleague, people.atasan, start=start, end=end))
    client, headers = api(people.colleague)
    assert client.post(f"/api/v1/skp/{skp}/approve", json={}, headers=headers).status_code == 404
    assert client.get(f"/api/v1/skp/{skp}", headers=headers).status_code == 404
    assert login(people.colleague).get("/skp/persetujuan/").status_code == 403


# --- a vacant head post -------------------------------------------------------------------


def vacant_unit(app) -> tuple[str, str, int]:  # noqa: ANN001
    """A unit without a head and one pegawai in it with no atasan; returns (their NIP, a
    would-be Plt's NIP, the unit id)."""
    from app.extensions import db
    from app.models.master import UnitKerja
    from app.services import org

    people = new_chain(app)
    parent = _unit_of(app, people.staff)
    with app.app_context():
        unit = UnitKerja(kode=f"V-{uuid.uuid4().hex[:10]}", nama="Seksi Kosong", jenis="seksi")
        unit.parent_id = parent
        db.session.add(unit)
        db.session.flush()
        org.refresh_unit_paths(db.session, unit)
        staff = person(db.session, "Staf Seksi Kosong", unit.id)
        db.session.commit()
        return staff.nip, people.colleague, unit.id


def test_a_plt_of_a_vacant_head_post_receives_and_approves_its_staffs_skp(app, api):
    staff, plt, unit = vacant_unit(app)
    client, headers = api(staff)
    skp, _ = skp_with_rhk(app, staff, "Pelayanan seksi", penugasan_dari="Kepala Dinas")
    refused = client.post(f"/api/v1/skp/{skp}/submit", headers=headers)
    assert refused.status_code == 422  # nobody to submit to yet

    body = {
        "pegawai_id": pegawai_id(app, plt),
        "unit_kerja_id": unit,
        "jenis": "plt",
        "tanggal_mulai": days(0),
        "tanggal_selesai": days(60),
        "nomor_sk": "800/PLT/SEKSI",
    }
    record(api, body)
    assert client.post(f"/api/v1/skp/{skp}/submit", headers=headers).status_code == 200
    acting, acting_headers = api(plt)
    response = acting.post(f"/api/v1/skp/{skp}/approve", json={}, headers=acting_headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["atas_nama"] == "Plt. Kepala Seksi Kosong"


def notices_of(app, nip: str) -> list[str]:  # noqa: ANN001
    from app.extensions import db
    from app.models.monitoring import Notifikasi

    with app.app_context():
        query = select(Notifikasi.tautan).where(Notifikasi.penerima_id == pegawai_id(app, nip))
        return list(db.session.execute(query).scalars())


def _unit_of(app, nip: str) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Pegawai

    with app.app_context():
        return db.session.execute(select(Pegawai.unit_kerja_id).where(Pegawai.nip == nip)).scalar()
