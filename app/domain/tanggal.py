"""Plausible dates of a pegawai record: a TMT (terhitung mulai tanggal) is typed by hand or
imported, and year 1 or 9999 is a typing error, not a career. The window: not before 1950
(no serving ASN's rank dates from earlier) and not after the end of next year (a decree may
set a TMT ahead, not years ahead)."""

from __future__ import annotations

import datetime as dt

from app.domain.enums import N_
from app.domain.errors import DomainError

EARLIEST_TMT = dt.date(1950, 1, 1)


def latest_tmt(today: dt.date) -> dt.date:
    return dt.date(today.year + 1, 12, 31)


def check_tmt(value: dt.date | None, field: str, today: dt.date) -> None:
    """Refuse a TMT outside [1950-01-01, 31 December of next year] on ``field``."""
    if value is None:
        return
    latest = latest_tmt(today)
    if not EARLIEST_TMT <= value <= latest:
        raise DomainError(
            N_("The date must lie between %(earliest)s and %(latest)s."),
            field=field,
            earliest=EARLIEST_TMT.strftime("%d-%m-%Y"),
            latest=latest.strftime("%d-%m-%Y"),
        )
