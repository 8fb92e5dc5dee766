"""The rhythm of the periodic evaluation (DOMAIN.md, cycle: triwulan I–IV by default, monthly
allowed as local policy) and the calendar of the periods it gives a year."""

from __future__ import annotations

import calendar
from datetime import date

from app.domain.enums import N_

ANNUAL = "tahunan"
DEFAULT_RITME = "triwulan"

RITME = {
    "triwulan": N_("Quarterly"),
    "bulanan": N_("Monthly"),
}

QUARTERS = ("tw1", "tw2", "tw3", "tw4")
MONTHS = tuple(f"bulan_{month:02d}" for month in range(1, 13))
PERIODIC = {"triwulan": QUARTERS, "bulanan": MONTHS}


def periodic_jenis(ritme: str | None) -> tuple[str, ...]:
    """The periodic evaluations of a year kept in ``ritme``, in calendar order."""
    return PERIODIC[ritme or DEFAULT_RITME]


def evaluation_jenis(ritme: str | None) -> tuple[str, ...]:
    """Every evaluation of such a year: the periodic ones, then the annual one."""
    return (*periodic_jenis(ritme), ANNUAL)


def urutan(jenis: str) -> int:
    """Where a periode stands among its year's in every list to choose from: the annual one
    first, then the periodic ones in calendar order (tw1…tw4, bulan_01…bulan_12); a jenis
    of neither kind last."""
    order = (ANNUAL, *QUARTERS, *MONTHS)
    return order.index(jenis) if jenis in order else len(order)


def is_periodic(jenis: str) -> bool:
    return jenis in QUARTERS or jenis in MONTHS


def calendar_of(tahun: int, ritme: str | None) -> list[tuple[str, date, date]]:
    """(jenis, first day, last day) of each periodic evaluation of ``tahun``."""
    months_per_period = 12 // len(periodic_jenis(ritme))
    periods = []
    for index, jenis in enumerate(periodic_jenis(ritme)):
        first_month = index * months_per_period + 1
        last_month = first_month + months_per_period - 1
        last_day = calendar.monthrange(tahun, last_month)[1]
        periods.append((jenis, date(tahun, first_month, 1), date(tahun, last_month, last_day)))
    return periods
