"""A demo larger than a city (`make bench` at 100,000 pegawai) repeats the city's working
units in proportion (app/demo.py, CITY): the org chart grows with the number of pegawai and
an atasan leads about as many staff as in a city, whatever the size. Measured here with a
city of 400 pegawai loaded three times over."""

from __future__ import annotations

from sqlalchemy import func, select

from app import demo
from tests.conftest import make_app

CITY = 400


def _load(url: str, pegawai: int) -> tuple[int, int, int]:
    """Units, the most direct staff of any atasan, and the schools, of a fresh demo."""
    from flask_migrate import upgrade

    from app.extensions import db
    from app.models.master import Pegawai, UnitKerja

    app = make_app(url)
    with app.app_context():
        upgrade()
        demo.load_demo_data(db.session, pegawai, performance=False)
        db.session.commit()
        units = db.session.scalar(select(func.count(UnitKerja.id)))
        staff = func.count(Pegawai.id)
        widest = db.session.execute(
            select(staff).group_by(Pegawai.atasan_id).order_by(staff.desc()).limit(1)
        ).scalar_one()
        schools = db.session.scalar(
            select(func.count(UnitKerja.id)).where(UnitKerja.jenis == "sekolah")
        )
        db.session.remove()
        db.engine.dispose()
    return units, widest, schools


def test_a_demo_three_cities_large_has_three_times_the_working_units_and_a_citys_spans(
    empty_database_url, tmp_path, monkeypatch
):  # noqa: ANN001
    monkeypatch.setattr(demo, "CITY", CITY)
    city_units, city_span, city_schools = _load("sqlite:///" + str(tmp_path / "city.db"), CITY)
    units, span, schools = _load(empty_database_url, 3 * CITY)
    assert schools == 3 * city_schools
    assert units > 2.5 * city_units
    # The fixed tree gave the widest atasan three times the staff here.
    assert span <= 1.5 * city_span, (span, city_span)
