"""A closed year is read-only (DOMAIN.md, "A year closes"): which years are closed, and the
session hook that refuses any change to a row of one — whichever page, API call, import,
job or command makes it, so no write path can forget the rule. Closing and reopening are
app.services.tutup_tahun."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from app.domain.enums import N_
from app.domain.errors import TransitionRefused
from app.models.master import Periode
from app.models.monitoring import BuktiDukung, Realisasi, UmpanBalik
from app.models.penilaian import (
    KurvaJustifikasi,
    Pelatihan,
    Penilaian,
    PenilaianPerilaku,
    PenilaianRiwayat,
    PredikatOrganisasi,
    RencanaPengembangan,
)
from app.models.riwayat_jabatan import RiwayatJabatan
from app.models.skp import IndikatorKinerja, PerilakuKerja, RencanaHasilKerja, Skp, SkpRiwayat
from app.models.tahun import TutupTahun

TUTUP = "tutup"
BUKA = "buka"
# How each act reads (the closing page's history, the audit trail).
AKSI = {TUTUP: N_("Closed"), BUKA: N_("Reopened")}

# How each row of a year reaches its periode: (relationship, foreign key, parent model).
_PARENT: dict[type, tuple[str | None, str, type]] = {
    Skp: ("periode", "periode_id", Periode),
    Penilaian: ("periode", "periode_id", Periode),
    Realisasi: ("periode", "periode_id", Periode),
    PredikatOrganisasi: ("periode", "periode_id", Periode),
    KurvaJustifikasi: (None, "periode_id", Periode),
    UmpanBalik: ("skp", "skp_id", Skp),
    RencanaHasilKerja: ("skp", "skp_id", Skp),
    PerilakuKerja: ("skp", "skp_id", Skp),
    SkpRiwayat: ("skp", "skp_id", Skp),
    IndikatorKinerja: ("rencana_hasil_kerja", "rencana_hasil_kerja_id", RencanaHasilKerja),
    PenilaianPerilaku: ("penilaian", "penilaian_id", Penilaian),
    PenilaianRiwayat: ("penilaian", "penilaian_id", Penilaian),
    BuktiDukung: ("realisasi", "realisasi_id", Realisasi),
}


# Rows that belong to a year by a date rather than through a periode: the date that places
# each (None: no year). A change is refused when the year of that date, before or after the
# change, is closed — so nothing is added to, moved out of or deleted from a closed year.
# - Training: the year its JP count in (app.services.jp_tahunan: the end, else the start);
#   the closed year's JP tally stays as it was closed.
# - Riwayat jabatan: the TMT of the new post; the months in each jenjang are the closed
#   year's angka kredit (app.services.angka_kredit).
# - Development plans carry on into the next year: the plan of a year's annual predikat is
#   made once that evaluation is settled, early in the next year, and worked through it, so
#   closing the year of its evaluation leaves it open. A plan is that year's record only by
#   its deadline (tenggat): one due within a closed year is frozen, one due (or moved) into
#   an open year, or undated, carries on.
_DATED: dict[type, Callable[[Callable[[str], Any]], date | None]] = {
    Pelatihan: lambda value: value("tanggal_selesai") or value("tanggal_mulai"),
    RiwayatJabatan: lambda value: value("tanggal"),
    RencanaPengembangan: lambda value: value("tenggat"),
}


def _dated_years(row: Any) -> set[int]:
    """The years of a dated row (``_DATED``): as it is now and as it was loaded."""
    state = inspect(row)

    def now(name: str) -> Any:
        return getattr(row, name)

    def before(name: str) -> Any:
        history = state.attrs[name].history
        old = history.deleted or history.unchanged
        return old[0] if old else getattr(row, name)

    found = {_DATED[type(row)](now)}
    if state.persistent or state.deleted:
        found.add(_DATED[type(row)](before))
    return {day.year for day in found if day is not None}


def closed_years(session: Session) -> set[int]:
    """The years whose newest act is a closing. One statement."""
    newest = select(func.max(TutupTahun.id)).group_by(TutupTahun.tahun)
    return set(
        session.execute(
            select(TutupTahun.tahun).where(TutupTahun.id.in_(newest), TutupTahun.aksi == TUTUP)
        ).scalars()
    )


def is_closed(session: Session, tahun: int) -> bool:
    newest = session.execute(
        select(TutupTahun.aksi)
        .where(TutupTahun.tahun == tahun)
        .order_by(TutupTahun.id.desc())
        .limit(1)
    ).scalar()
    return newest == TUTUP


def year_of(session: Session, row: Any) -> int | None:
    """The year a row belongs to, through its parents; None when it belongs to none yet."""
    while not isinstance(row, Periode):
        relationship, foreign_key, parent = _PARENT[type(row)]
        found = getattr(row, relationship) if relationship else None
        if found is None:
            parent_id = getattr(row, foreign_key)
            found = session.get(parent, parent_id) if parent_id is not None else None
        if found is None:
            return None
        row = found
    return row.tahun


def _refuse_changes_to_closed_years(session: Session, _context: Any, _instances: Any) -> None:
    changed = [
        row
        for row in (*session.new, *session.dirty, *session.deleted)
        if type(row) in _PARENT or type(row) in _DATED or isinstance(row, Periode)
    ]
    if not changed:
        return
    with session.no_autoflush:
        closed = closed_years(session)
        if not closed:
            return
        for row in changed:
            if not (row in session.new or row in session.deleted or session.is_modified(row)):
                continue
            years = _dated_years(row) if type(row) in _DATED else {year_of(session, row)}
            tahun = min(years & closed, default=None)
            if tahun is not None:
                raise TransitionRefused(
                    N_(
                        "The year %(tahun)s is closed: its records can only be read. Admin "
                        "BKPSDM can reopen it, giving a reason."
                    ),
                    tahun=tahun,
                )


def install(session_class: Any) -> None:
    """Register the guard on a Session class (or sessionmaker) once."""
    if not event.contains(session_class, "before_flush", _refuse_changes_to_closed_years):
        event.listen(session_class, "before_flush", _refuse_changes_to_closed_years)
