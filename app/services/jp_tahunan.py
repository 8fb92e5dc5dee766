"""The JP each active pegawai earned in a year, defined once (a training counts for the year
it ends in: app.services.pengembangan), and kept as rows (app.models.hitungan.JpTahunan) —
one per active pegawai and year with an annual periode, 0 included — so that the JP tally
reads a page of them, fewest first, by index at any size.

Kept by app.services.hitungan's session hook: a flushed training or a change of the pegawai
(active, name, unit, jenis ASN) replaces that pegawai's rows (``refresh``); a new or changed
annual periode rebuilds them all. ``flask verify-counts`` compares them with a fresh count
(``differences``); ``flask recount`` rebuilds them.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any

from sqlalchemy import Integer, Select, bindparam, extract, func, select
from sqlalchemy.orm import Session

from app.domain.periode import ANNUAL
from app.models.hitungan import JpTahunan
from app.models.master import Pegawai, Periode
from app.models.penilaian import Pelatihan
from app.services import derived_rows

_COLUMNS = ("tahun", "pegawai_id", "unit_kerja_id", "jenis_asn", "pegawai_nama", "jp")


def years(session: Session) -> list[int]:
    """The years the rows are kept for: those with an annual periode."""
    query = select(Periode.tahun).where(Periode.jenis == ANNUAL).distinct()
    return sorted(session.connection().execute(query).scalars())


_PEGAWAI_IDS = bindparam("pegawai_ids", expanding=True)


@functools.cache
def _counted(per_pegawai: bool) -> Select:
    """The JP of each active pegawai (of the pegawai ``pegawai_ids`` when ``per_pegawai``)
    in the year ``tahun``, both parameters: built and compiled once per process."""
    ends = func.coalesce(Pelatihan.tanggal_selesai, Pelatihan.tanggal_mulai)
    earned = (
        select(Pelatihan.pegawai_id, func.sum(Pelatihan.jp).label("jp"))
        .where(extract("year", ends) == bindparam("tahun", type_=Integer))
        .group_by(Pelatihan.pegawai_id)
    )
    people = select(Pegawai.id).where(Pegawai.aktif.is_(True))
    if per_pegawai:
        earned = earned.where(Pelatihan.pegawai_id.in_(_PEGAWAI_IDS))
        people = people.where(Pegawai.id.in_(_PEGAWAI_IDS))
    totals = earned.subquery("earned")
    return (
        select(
            Pegawai.id,
            Pegawai.unit_kerja_id,
            Pegawai.jenis_asn,
            Pegawai.nama,
            func.coalesce(totals.c.jp, 0),
        )
        .outerjoin(totals, totals.c.pegawai_id == Pegawai.id)
        .where(Pegawai.id.in_(people))
    )


def look_up(
    session: Session,
    pegawai_ids: Collection[int] | None = None,
    tahuns: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """The rows of ``pegawai_ids`` (None: every active pegawai) of the years ``tahuns``
    (None: every year kept) counted afresh: one statement per year."""
    query = _counted(pegawai_ids is not None)
    params: dict[str, Any] = {}
    if pegawai_ids is not None:
        params["pegawai_ids"] = sorted(pegawai_ids)
    found = []
    for tahun in years(session):
        if tahuns is not None and tahun not in tahuns:
            continue
        found += [
            dict(zip(_COLUMNS, (tahun, *values), strict=True))
            for values in session.connection().execute(query, {**params, "tahun": tahun})
        ]
    return found


def refresh(session: Session, pegawai_ids: Collection[int]) -> None:
    """Replace the rows of ``pegawai_ids`` with a fresh count, in the session's transaction."""
    if pegawai_ids:
        rows = look_up(session, pegawai_ids)
        derived_rows.replace(
            session, JpTahunan, rows, JpTahunan.pegawai_id.in_(sorted(pegawai_ids))
        )


def refresh_years(session: Session, tahuns: Collection[int]) -> None:
    """Replace the rows of the years ``tahuns`` (a year gained or lost its annual periode),
    leaving the other years' rows alone."""
    if tahuns:
        rows = look_up(session, tahuns=tahuns)
        derived_rows.replace(session, JpTahunan, rows, JpTahunan.tahun.in_(sorted(tahuns)))


def rebuild(session: Session) -> int:
    """Replace every row with a fresh count. Returns the number of rows; the caller
    commits."""
    rows = look_up(session)
    derived_rows.replace(session, JpTahunan, rows)
    return len(rows)


def differences(session: Session) -> list[str]:
    """Each pegawai and year whose stored row a fresh count does not confirm, one line each."""
    columns = [getattr(JpTahunan, name) for name in _COLUMNS]
    kept = {
        (row[0], row[1]): tuple(row)
        for row in session.connection().execute(select(*columns)).tuples()
    }
    fresh = {(row["tahun"], row["pegawai_id"]): tuple(row.values()) for row in look_up(session)}
    return [
        f"JP of pegawai {pegawai} in {tahun}: stored {kept.get(key)}, counted {fresh.get(key)}"
        for key in sorted(set(kept) | set(fresh))
        if kept.get(key) != fresh.get(key)
        for tahun, pegawai in [key]
    ]
