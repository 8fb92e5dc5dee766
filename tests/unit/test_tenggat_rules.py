"""Deadline rules (app.domain.tenggat): which reminder is due when, what is late, and which
deadlines a periode may carry."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain import tenggat
from app.domain.errors import DomainError

BATAS = dt.date(2026, 4, 5)


@pytest.mark.parametrize(
    ("today", "tahap"),
    [
        (dt.date(2026, 4, 1), None),  # four days before: too early
        (dt.date(2026, 4, 2), tenggat.SEBELUM),  # three days before
        (BATAS, tenggat.SEBELUM),  # the day itself still counts as before
        (dt.date(2026, 4, 6), None),  # the day after: wait two days
        (dt.date(2026, 4, 7), tenggat.SESUDAH),
        (dt.date(2026, 4, 13), tenggat.SESUDAH),  # caught up for a week
        (dt.date(2026, 4, 14), None),  # then it stops
    ],
)
def test_which_reminder_is_due(today: dt.date, tahap: str | None) -> None:
    assert tenggat.tahap_pengingat(BATAS, today) == tahap


def test_late_only_after_the_deadline_day() -> None:
    assert not tenggat.terlambat(BATAS, BATAS)
    assert tenggat.terlambat(BATAS, BATAS + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("realisasi", "penilaian", "field"),
    [
        (dt.date(2026, 3, 31), None, "batas_realisasi"),  # before the period starts
        (None, dt.date(2028, 1, 1), "batas_penilaian"),  # after the next year
        (dt.date(2026, 7, 10), dt.date(2026, 7, 9), "batas_penilaian"),  # rating before realisasi
    ],
)
def test_implausible_deadlines_are_refused(
    realisasi: dt.date | None, penilaian: dt.date | None, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        tenggat.check(2026, dt.date(2026, 4, 1), realisasi, penilaian)
    assert refused.value.field == field


def test_plausible_deadlines_pass() -> None:
    tenggat.check(2026, dt.date(2026, 10, 1), dt.date(2027, 1, 5), dt.date(2027, 1, 31))
    tenggat.check(2026, dt.date(2026, 10, 1), None, None)


def test_a_unit_reads_with_its_opd() -> None:
    from app.domain.org import unit_with_opd

    city = "Pemerintah Kota Dumai"
    dinkes = f"{city} › Dinas Kesehatan"
    assert unit_with_opd("Sekretariat", f"{dinkes} › Sekretariat") == (
        "Sekretariat — Dinas Kesehatan"
    )
    assert unit_with_opd("Seksi Gizi", f"{dinkes} › Bidang Kesmas › Seksi Gizi") == (
        "Seksi Gizi — Dinas Kesehatan"
    )
    assert unit_with_opd("Dinas Kesehatan", dinkes) == "Dinas Kesehatan"
    assert unit_with_opd(city, city) == city
