"""The rules of a Plt/Plh SK (app.domain.penugasan)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import penugasan
from app.domain.errors import DomainError

GOOD = {
    "jenis": "plt",
    "pegawai_id": 1,
    "menggantikan_id": 2,
    "unit_kerja_id": None,
    "tanggal_mulai": date(2026, 7, 1),
    "tanggal_selesai": date(2026, 9, 30),
    "nomor_sk": "800/PLT/2026/07",
}


def test_a_complete_sk_passes():
    penugasan.check(**GOOD)
    penugasan.check(**{**GOOD, "menggantikan_id": None, "unit_kerja_id": 5, "jenis": "plh"})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"jenis": "pj"}, "jenis"),
        ({"jenis": None}, "jenis"),
        ({"pegawai_id": None}, "pegawai_id"),
        ({"menggantikan_id": None}, "menggantikan_id"),  # no post at all
        ({"unit_kerja_id": 5}, "menggantikan_id"),  # two posts
        ({"menggantikan_id": 1}, "menggantikan_id"),  # acting for oneself
        ({"tanggal_mulai": None}, "tanggal_mulai"),
        ({"tanggal_selesai": None}, "tanggal_selesai"),
        ({"tanggal_selesai": date(2026, 6, 30)}, "tanggal_selesai"),
        ({"nomor_sk": " "}, "nomor_sk"),
        ({"nomor_sk": None}, "nomor_sk"),
    ],
)
def test_what_an_sk_must_say(change, field):
    with pytest.raises(DomainError) as refused:
        penugasan.check(**{**GOOD, **change})
    assert refused.value.field == field


def test_a_one_day_assignment_runs_on_that_day_only():
    day = date(2026, 8, 17)
    assert penugasan.status(day, day, day) == "berjalan"
    assert penugasan.status(day, day, date(2026, 8, 16)) == "akan_datang"
    assert penugasan.status(day, day, date(2026, 8, 18)) == "selesai"


@given(st.dates(), st.integers(0, 400), st.integers(-500, 500))
def test_it_runs_exactly_from_its_first_to_its_last_day(start, length, offset):
    from datetime import timedelta

    end = start + timedelta(days=length) if start.year < 9998 else start
    try:
        today = start + timedelta(days=offset)
    except OverflowError:
        return
    expected = "akan_datang" if today < start else "selesai" if today > end else "berjalan"
    assert penugasan.status(start, end, today) == expected


def test_an_act_names_the_post_with_its_prefix():
    assert penugasan.signed_as("plt", "Kepala Dinas Pendidikan") == "Plt. Kepala Dinas Pendidikan"
    assert penugasan.signed_as("plh", "Sekretaris Daerah") == "Plh. Sekretaris Daerah"
