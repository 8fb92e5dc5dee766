"""Dates that must make sense (issue 15, ASVS level 2): a periode lies inside its year, its
year's periodic periods do not overlap and lie inside the annual one, and its dates are
frozen once it holds evaluations; a pegawai's TMT pangkat lies between 1950 and the end of
next year. The pages and the REST API refuse the same way, on the field, in Indonesian."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.master import Periode
from app.models.penilaian import Penilaian
from tests.factories import approved_evaluations, unique_nip
from tests.integration.test_master_views import assert_indonesian_error, column, form_of

# Years no other module makes (test_periode_ritme takes 2101 onwards, others 2091-2096, 2299+).
_years = itertools.count(2201)


@pytest.fixture()
def tahun() -> int:
    return next(_years)


def periode_id(app, tahun: int, jenis: str) -> int:  # noqa: ANN001
    return column(app, Periode, "id", tahun=tahun, jenis=jenis)


def new_year(api, tahun: int):  # noqa: ANN001, ANN201
    """``tahun``'s annual periode (and so its quarters) made through the API."""
    client, headers = api("admin")
    response = client.post(
        "/api/v1/periode/",
        json={
            "tahun": tahun,
            "jenis": "tahunan",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": f"{tahun}-12-31",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return client, headers


def assert_refused(response, field: str) -> None:  # noqa: ANN001
    assert response.status_code in (400, 409, 422), response.get_json()
    body = response.get_json()
    assert body["field"] == field, body
    assert body["message"].split()[0] in ("Tanggal", "Periode")  # Indonesian, not the msgid


@pytest.mark.parametrize("end", ["9999-12-31", "NEXT-01-31"], ids=["9999", "next-year"])
def test_a_periode_ending_outside_its_year_is_refused_by_the_api(app, api, tahun, end):  # noqa: ANN001
    client, headers = api("admin")
    response = client.post(
        "/api/v1/periode/",
        json={
            "tahun": tahun,
            "jenis": "tahunan",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": end.replace("NEXT", str(tahun + 1)),
        },
        headers=headers,
    )
    assert_refused(response, "tanggal_selesai")
    assert periode_id(app, tahun, "tahunan") is None


def test_a_periode_ending_outside_its_year_is_refused_on_the_page(app, login, tahun):  # noqa: ANN001
    response = login("admin").post(
        "/periodeview/add",
        data={
            "tahun": str(tahun),
            "jenis": "tahunan",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": "9999-12-31",
            "ritme": "triwulanan",
        },
    )
    assert response.status_code == 200
    assert periode_id(app, tahun, "tahunan") is None
    assert_indonesian_error(
        response.get_data(as_text=True), "tanggal_selesai", "must fall in the period's year"
    )


def test_overlapping_quarters_are_refused(app, api, tahun):  # noqa: ANN001
    client, headers = new_year(api, tahun)
    tw2 = periode_id(app, tahun, "tw2")
    response = client.put(
        f"/api/v1/periode/{tw2}",
        json={"tanggal_mulai": f"{tahun}-03-15", "tanggal_selesai": f"{tahun}-06-30"},
        headers=headers,
    )
    assert_refused(response, "tanggal_mulai")
    assert column(app, Periode, "tanggal_mulai", id=tw2) == dt.date(tahun, 4, 1)


def test_the_annual_periode_must_contain_its_quarters(app, api, tahun):  # noqa: ANN001
    client, headers = new_year(api, tahun)
    annual = periode_id(app, tahun, "tahunan")
    response = client.put(
        f"/api/v1/periode/{annual}",
        json={"tanggal_selesai": f"{tahun}-11-30"},
        headers=headers,
    )
    assert_refused(response, "tanggal_selesai")


def test_a_quarter_may_still_move_inside_its_place_while_unused(app, api, tahun):  # noqa: ANN001
    client, headers = new_year(api, tahun)
    tw4 = periode_id(app, tahun, "tw4")
    response = client.put(
        f"/api/v1/periode/{tw4}",
        json={"tanggal_selesai": f"{tahun}-12-20"},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()


def test_the_dates_of_a_periode_holding_evaluations_are_frozen(app, api):  # noqa: ANN001
    _, penilaian = approved_evaluations(app)
    with app.app_context():
        held = db.session.execute(
            select(Periode).join(Penilaian).where(Penilaian.id == penilaian["tw1"])
        ).scalar_one()
        periode, end = held.id, held.tanggal_selesai
    client, headers = api("admin")
    response = client.put(
        f"/api/v1/periode/{periode}",
        json={"tanggal_selesai": (end - dt.timedelta(days=1)).isoformat()},
        headers=headers,
    )
    assert_refused(response, "tanggal_selesai")
    assert column(app, Periode, "tanggal_selesai", id=periode) == end


# --- TMT pangkat ---------------------------------------------------------------------------


@pytest.fixture()
def pegawai(app) -> int:  # noqa: ANN001
    """A pegawai of their own, without a TMT pangkat (NIPs from the factories' sequence)."""
    from app.models.master import Pegawai, UnitKerja

    nip = unique_nip()
    with app.app_context():
        unit = db.session.execute(select(UnitKerja.id).filter_by(kode="DINKES")).scalar_one()
        person = Pegawai(
            nip=nip,
            nama=f"Pegawai Uji TMT {nip[-3:]}",
            jenis_asn="pns",
            jenis_kelamin="1",
            tanggal_lahir=dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8])),
            unit_kerja_id=unit,
        )
        db.session.add(person)
        db.session.commit()
        return person.id


@pytest.mark.parametrize("tmt", ["0001-01-01", "9999-12-31", "1949-12-31"])
def test_an_implausible_tmt_pangkat_is_refused_by_the_api(app, api, pegawai, tmt):  # noqa: ANN001
    from app.models.master import Pegawai

    client, headers = api("admin")
    response = client.put(f"/api/v1/pegawai/{pegawai}", json={"tmt_pangkat": tmt}, headers=headers)
    assert_refused(response, "tmt_pangkat")
    assert "1950" in response.get_json()["message"]
    assert column(app, Pegawai, "tmt_pangkat", id=pegawai) is None


@pytest.mark.parametrize("tmt", ["0001-01-01", "9999-12-31"])
def test_an_implausible_tmt_pangkat_is_refused_on_the_page(app, login, pegawai, tmt):  # noqa: ANN001
    from app.models.master import Pegawai

    response = login("admin").post(
        f"/pegawaiview/edit/{pegawai}", data=form_of(app, pegawai, tmt_pangkat=tmt)
    )
    assert response.status_code == 200
    assert column(app, Pegawai, "tmt_pangkat", id=pegawai) is None
    assert_indonesian_error(response.get_data(as_text=True), "tmt_pangkat", "must lie between")


def test_a_plausible_tmt_pangkat_is_kept(app, api, pegawai):  # noqa: ANN001
    from app.models.master import Pegawai

    client, headers = api("admin")
    response = client.put(
        f"/api/v1/pegawai/{pegawai}", json={"tmt_pangkat": "2020-04-01"}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    assert column(app, Pegawai, "tmt_pangkat", id=pegawai) == dt.date(2020, 4, 1)
