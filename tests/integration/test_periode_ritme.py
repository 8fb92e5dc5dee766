"""The periodic rhythm is an admin setting per year (DOMAIN.md: triwulan by default, monthly
by local policy): the annual periode carries it, its periods follow it, and the evaluations
of an approved SKP are made per month or per quarter accordingly."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.master import Periode
from tests.factories import approved_evaluations

# Years no other module makes or tries (they take 2091-2096 and 2299 onwards).
_years = itertools.count(2101)


@pytest.fixture()
def tahun() -> int:
    """A year of this test's own: a year's periods can be made only once per database."""
    return next(_years)


@pytest.fixture()
def monthly_active_year(app, login, tahun):  # noqa: ANN001, ANN201
    """``tahun``, active and evaluated per month, made by admin on the Periode page; the
    demo's active year is active again afterwards."""
    with app.app_context():
        active = set(db.session.execute(select(Periode.id).filter_by(aktif=True)).scalars())
    admin = login("admin")
    response = admin.post(
        "/periodeview/add",
        data={
            "tahun": str(tahun),
            "jenis": "tahunan",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": f"{tahun}-12-31",
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
                # The annual periode and the first month or quarter start on the same day:
                # the longer one first, so the order does not depend on the database.
                select(Periode.jenis)
                .where(Periode.tahun == tahun)
                .order_by(Periode.tanggal_mulai, Periode.tanggal_selesai.desc())
            ).scalars()
        )


def annual_id(app, tahun: int) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.execute(
            select(Periode.id).filter_by(tahun=tahun, jenis="tahunan")
        ).scalar_one()


def test_a_new_year_gets_the_periods_of_its_rhythm_and_skps_are_evaluated_monthly(
    app, login, monthly_active_year, tahun
):  # noqa: ANN001
    assert jenis_of_year(app, tahun) == ["tahunan"] + [f"bulan_{m:02d}" for m in range(1, 13)]

    people, evaluations = approved_evaluations(app)

    assert sorted(evaluations) == sorted([f"bulan_{m:02d}" for m in range(1, 13)] + ["tahunan"])
    staff = login(people.staff)
    assert "Maret" in staff.get("/kinerja-saya/").get_data(as_text=True)
    march = staff.get(f"/penilaian/{evaluations['bulan_03']}")
    assert march.status_code == 200 and "Maret" in march.get_data(as_text=True)
    listed = monthly_active_year.get(f"/periodeview/list/?_flt_0_tahun={tahun}")
    page = listed.get_data(as_text=True)
    assert "Bulanan" in page and "Januari" in page and "Desember" in page


def test_the_rhythm_is_fixed_once_the_year_holds_evaluations(app, monthly_active_year, tahun):  # noqa: ANN001
    approved_evaluations(app)
    pk = annual_id(app, tahun)

    response = monthly_active_year.post(
        f"/periodeview/edit/{pk}",
        data={
            "tahun": str(tahun),
            "jenis": "tahunan",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": f"{tahun}-12-31",
            "aktif": "y",
            "ritme": "triwulan",
        },
        follow_redirects=True,
    )

    assert "tidak dapat diubah lagi" in response.get_data(as_text=True)
    assert "tw1" not in jenis_of_year(app, tahun)


def test_an_unused_year_may_switch_rhythm_and_its_periods_follow(app, api, tahun):  # noqa: ANN001
    client, headers = api("admin")
    created = client.post(
        "/api/v1/periode/",
        json={
            "tahun": tahun,
            "jenis": "tahunan",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": f"{tahun}-12-31",
            "aktif": False,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    assert jenis_of_year(app, tahun) == ["tahunan", "tw1", "tw2", "tw3", "tw4"]

    switched = client.put(
        f"/api/v1/periode/{created.get_json()['id']}", json={"ritme": "bulanan"}, headers=headers
    )

    assert switched.status_code == 200, switched.get_json()
    assert len(jenis_of_year(app, tahun)) == 13
    assert "tw1" not in jenis_of_year(app, tahun)


def test_a_period_outside_the_rhythm_of_its_year_is_refused(app, api, tahun):  # noqa: ANN001
    client, headers = api("admin")
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
