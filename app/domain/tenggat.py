"""The deadlines of an evaluation periode (DOMAIN.md, "A year closes"): realisasi submitted
by, ratings given by. Admin BKPSDM sets them on the periode; where none is set, a default
number of days after the periode ends applies. Reminders go out a few days before each
deadline and again a few days after it to whoever has not acted, once each."""

from __future__ import annotations

import datetime as dt

from app.domain.enums import N_
from app.domain.errors import DomainError

REALISASI = "realisasi"
PENILAIAN = "penilaian"

# In the order they fall due.
JENIS = {
    REALISASI: N_("Realisations submitted by"),
    PENILAIAN: N_("Ratings given by"),
}

# Where admin BKPSDM has set no date: the pegawai have a working week after the periode ends
# for their realisasi, the pejabat penilai two more weeks after that to rate.
HARI_REALISASI = 5
HARI_PENILAIAN = 15

SEBELUM = "sebelum"
SESUDAH = "sesudah"

# A reminder goes out from HARI_SEBELUM days before a deadline to the deadline itself,
# and the one after it from HARI_SESUDAH days after, for JENDELA_SUSULAN days: a worker
# that was down on the day still sends it when it comes back, never twice.
HARI_SEBELUM = 3
HARI_SESUDAH = 2
JENDELA_SUSULAN = 7


def batas(
    tanggal_selesai: dt.date,
    batas_realisasi: dt.date | None,
    batas_penilaian: dt.date | None,
) -> dict[str, dt.date]:
    """Both deadlines of a periode ending on ``tanggal_selesai``: the dates set on it, else
    the defaults (the ratings' counted from the realisasi deadline, so a later realisasi
    deadline never leaves the ratings due before it)."""
    realisasi = batas_realisasi or tanggal_selesai + dt.timedelta(days=HARI_REALISASI)
    penilaian = batas_penilaian or realisasi + dt.timedelta(days=HARI_PENILAIAN)
    return {REALISASI: realisasi, PENILAIAN: penilaian}


def tahap_pengingat(batas_tanggal: dt.date, today: dt.date) -> str | None:
    """Which reminder about a deadline is due on ``today``: SEBELUM, SESUDAH or none."""
    if batas_tanggal - dt.timedelta(days=HARI_SEBELUM) <= today <= batas_tanggal:
        return SEBELUM
    after = batas_tanggal + dt.timedelta(days=HARI_SESUDAH)
    if after <= today < after + dt.timedelta(days=JENDELA_SUSULAN):
        return SESUDAH
    return None


def terlambat(batas_tanggal: dt.date, today: dt.date) -> bool:
    """Past the deadline: the deadline day itself still counts as on time."""
    return today > batas_tanggal


def check(
    tahun: int | None,
    tanggal_mulai: dt.date | None,
    batas_realisasi: dt.date | None,
    batas_penilaian: dt.date | None,
) -> None:
    """Deadlines set on a periode fall after it starts and before the end of the next year
    (a year is rated early in the next one), and the ratings are not due before the
    realisasi they rate."""
    for field, value in (
        ("batas_realisasi", batas_realisasi),
        ("batas_penilaian", batas_penilaian),
    ):
        if value is None:
            continue
        if tanggal_mulai is not None and value < tanggal_mulai:
            raise DomainError(N_("A deadline must not be before the period starts."), field=field)
        if tahun is not None and value.year > tahun + 1:
            raise DomainError(
                N_("A deadline must fall no later than the end of the next year."), field=field
            )
    if batas_realisasi and batas_penilaian and batas_penilaian < batas_realisasi:
        raise DomainError(
            N_("Ratings cannot be due before the realisations they rate."),
            field="batas_penilaian",
        )
