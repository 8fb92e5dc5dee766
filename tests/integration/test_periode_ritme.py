"""The periodic rhythm is an admin setting per year (DOMAIN.md: triwulan by default, monthly
by local policy): the annual periode carries it, its periods follow it, and the evaluations
of an approved SKP are made per month or per quarter accordingly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.master import Periode
from tests.factories import approved_evaluations

YEAR = 2093


@pytest.fixture()
def monthly_active_year(app, login):  # noqa: ANN001, ANN201
    """Year 2093, active and evaluated per month, made by admin on the Periode page; the
    demo's active year is active again afterwards."""
    with app.app_context():
        active = set(db.session.execute(select(Periode.id).filter_by(aktif=True)).scalars())
    admin = login("admin")
    response = admin.post(
        "/periodeview/add",
        data={
            "tahun": str(YEAR),
            "jenis": "tahunan",
            "tanggal_mulai": f"{YEAR}-01-01",
            "tanggal_selesai": f"{YEAR}-12-31",
            "aktif": "y",
            "ritme": "bulanan",
        },
    )
    assert response.status_code == 302
    yield admin
    with app.app_context():
        for periode in db.session.execute(select(Periode)).scalars():
            periode.aktif = periode.id in active
        db.session.commit()


def jenis_of_year(app, tahun: int) -> list[str]:  # noqa: ANN001
    with app.app_context():
        return list(
            db.session.execute(
                select(Periode.jenis).where(Periode.tahun == tahun).order_by(Periode.tanggal_mulai)
            ).scalars()
        )


def annual_id(app, tahun: int) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.execute(
            select(Periode.id).filter_by(tahun=tahun, jenis="tahunan")
        ).scalar_one()


def test_a_new_year_gets_the_periods_of_its_rhythm_and_skps_are_evaluated_monthly(
    app, login, monthly_active_year
):  # noqa: ANN001
    assert jenis_of_year(app, YEAR) == ["tahunan"] + [f"bulan_{m:02d}" for m in range(1, 13)]

    people, evaluations = approved_evaluations(app)

    assert sorted(evaluations) == sorted([f"bulan_{m:02d}" for m in range(1, 13)] + ["tahunan"])
    staff = login(people.staff)
    assert "Maret" in staff.get("/kinerja-saya/").get_data(as_text=True)
    march = staff.get(f"/penilaian/{evaluations['bulan_03']}")
    assert march.status_code == 200 and "Maret" in march.get_data(as_text=True)
    page = monthly_active_year.get("/periodeview/list/?_flt_0_tahun=2093").get_data(as_text=True)
    assert "Bulanan" in page and "Januari" in page and "Desember" in page


def test_the_rhythm_is_fixed_once_the_year_holds_evaluations(app, monthly_active_year):  # noqa: ANN001
    approved_evaluations(app)
    pk = annual_id(app, YEAR)

    response = monthly_active_year.post(
        f"/periodeview/edit/{pk}",
        data={
            "tahun": str(YEAR),
            "jenis": "tahunan",
            "tanggal_mulai": f"{YEAR}-01-01",
            "tanggal_selesai": f"{YEAR}-12-31",
            "aktif": "y",
            "ritme": "triwulan",
        },
        follow_redirects=True,
    )

    assert "tidak dapat diubah lagi" in response.get_data(as_text=True)
    assert "tw1" not in jenis_of_year(app, YEAR)


def test_an_unused_year_may_switch_rhythm_and_its_periods_follow(app, api):  # noqa: ANN001
    client, headers = api("admin")
    created = client.post(
        "/api/v1/periode/",
        json={
            "tahun": YEAR + 1,
            "jenis": "tahunan",
            "tanggal_mulai": f"{YEAR + 1}-01-01",
            "tanggal_selesai": f"{YEAR + 1}-12-31",
            "aktif": False,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    assert jenis_of_year(app, YEAR + 1) == ["tahunan", "tw1", "tw2", "tw3", "tw4"]

    switched = client.put(
        f"/api/v1/periode/{created.get_json()['id']}", json={"ritme": "bulanan"}, headers=headers
    )

    assert switched.status_code == 200, switched.get_json()
    assert len(jenis_of_year(app, YEAR + 1)) == 13
    assert "tw1" not in jenis_of_year(app, YEAR + 1)


def test_a_period_outside_the_rhythm_of_its_year_is_refused(app, api):  # noqa: ANN001
    client, headers = api("admin")
    tahun = YEAR + 2
    client.post(
        "/api/v1/periode/",
        json={
            "tahun": tahun,
            "jenis": "tahunan",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": f"{tahun}-12-31",
        },
        headers=headers,
    )
    with app.app_context():
        db.session.execute(db.delete(Periode).where(Periode.tahun == tahun, Periode.jenis == "tw1"))
        db.session.commit()

    response = client.post(
        "/api/v1/periode/",
        json={
            "tahun": tahun,
            "jenis": "bulan_01",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": f"{tahun}-01-31",
        },
        headers=headers,
    )

    assert response.status_code in (400, 422)
    assert "ritme" in str(response.get_json()).lower()
