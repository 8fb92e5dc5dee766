"""The maintained counts (app.services.hitungan) summed per OPD, what the city-wide pages of
admin BKPSDM read — Kepatuhan, Monitoring SKP, the dashboard, the Kurva, Tutup Tahun.

A province has thousands of units (3,230 in the demo of 100,000 pegawai) and the per-unit
rows a city-wide page summed at each request grew with them (Kepatuhan read 38,716 of them,
53 ms of its 113 at 100,000 pegawai); their sums per OPD are a few hundred. They are kept
with the per-unit rows, by hitungan's hook, in the same transaction: what a flush changes in
some units' counts moves their OPDs' sums by as much (a few rows, however large the OPD:
summing an OPD's units again cost 12–20 ms of every write in the largest OPD); a unit moved
to another place in the tree sums them all again. ``differences`` holds them against a full recount
(``flask verify-counts``).

Only the cycle's measures (hitungan.FAMILIES) are summed: the rows of each table
(``baris:``) are read per OPD by an OPD head's lists, never city-wide."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.org import opd_id_of
from app.models.hitungan import Hitungan, HitunganOpd
from app.models.master import UnitKerja
from app.services import derived_rows

# (opd_id, periode_id, ukuran)
Key = tuple[int | None, int | None, str]


def _in_opd(opd_path: str | None) -> Any:
    """The units of an OPD's subtree (None: the units at the top, outside every OPD)."""
    if opd_path is None:
        return UnitKerja.parent_id.is_(None)
    return UnitKerja.path.startswith(opd_path, autoescape=True)


def _summed(
    session: Session, opd_id: int | None, opd_path: str | None, where: Any
) -> dict[Key, int]:
    """One OPD's per-unit rows matching ``where`` summed. One statement."""
    query = (
        select(Hitungan.periode_id, Hitungan.ukuran, func.sum(Hitungan.jumlah))
        .join(UnitKerja, UnitKerja.id == Hitungan.unit_kerja_id)
        .where(_in_opd(opd_path), where)
        .group_by(Hitungan.periode_id, Hitungan.ukuran)
    )
    return {
        (opd_id, periode_id, ukuran): int(jumlah)
        for periode_id, ukuran, jumlah in session.connection().execute(query)
        if jumlah
    }


def _opds(session: Session, opd_ids: Collection[int | None] | None) -> dict[int | None, str | None]:
    """OPD id → its path, of ``opd_ids`` (None: every OPD), with None → None for the top."""
    query = select(UnitKerja.id, UnitKerja.path)
    if opd_ids is not None:
        query = query.where(UnitKerja.id.in_(sorted(i for i in opd_ids if i is not None)))
    found: dict[int | None, str | None] = {
        unit_id: path
        for unit_id, path in session.connection().execute(query)
        if path and opd_id_of(path) == unit_id
    }
    if opd_ids is None or None in opd_ids:
        found[None] = None
    return found


def summed(session: Session, opd_ids: Collection[int | None] | None, where: Any) -> dict[Key, int]:
    """The per-unit rows matching ``where`` summed per OPD, of ``opd_ids`` (None: all)."""
    found: dict[Key, int] = {}
    for opd_id, path in _opds(session, opd_ids).items():
        found.update(_summed(session, opd_id, path, where))
    return found


def _write(session: Session, counts: dict[Key, int], *where: Any) -> None:
    rows = [
        {"opd_id": opd_id, "periode_id": periode_id, "ukuran": ukuran, "jumlah": jumlah}
        for (opd_id, periode_id, ukuran), jumlah in sorted(counts.items(), key=_order)
    ]
    derived_rows.replace(session, HitunganOpd, rows, *where)


def _order(item: tuple[Key, int]) -> tuple[int, int, str]:
    (opd_id, periode_id, ukuran), _ = item
    return opd_id or 0, periode_id or 0, ukuran


def _of_opds(opd_ids: Collection[int | None]) -> Any:
    ids = sorted(i for i in opd_ids if i is not None)
    clauses = [HitunganOpd.opd_id.in_(ids)] if ids else []
    if None in opd_ids:
        clauses.append(HitunganOpd.opd_id.is_(None))
    return or_(*clauses)


def add_changes(session: Session, before: dict[Any, int], after: dict[Any, int]) -> None:
    """Move the OPDs' sums by what a refresh changed in some units' counts (``before`` and
    ``after``: (unit, periode, ukuran) → count, of the same families): a few rows, however
    large the OPD. Writers take turns (the audit trail's lock, held from the first flush
    that writes it), so a sum is read and written by one transaction at a time."""
    units = {unit for unit, _, _ in (*before, *after)}
    if not units:
        return
    opd_of = {
        unit_id: opd_id_of(path)
        for unit_id, path in session.connection().execute(
            select(UnitKerja.id, UnitKerja.path).where(UnitKerja.id.in_(sorted(units)))
        )
        if path
    }
    delta: Counter[Key] = Counter()
    for counts, sign in ((after, 1), (before, -1)):
        for (unit_id, periode_id, ukuran), jumlah in counts.items():
            delta[(opd_of.get(unit_id), periode_id, ukuran)] += sign * jumlah
    moved = {key: change for key, change in delta.items() if change}
    if not moved:
        return
    opd_ids = {opd_id for opd_id, _, _ in moved}
    kept = {
        (opd_id, periode_id, ukuran): (row_id, jumlah)
        for row_id, opd_id, periode_id, ukuran, jumlah in session.connection().execute(
            select(
                HitunganOpd.id,
                HitunganOpd.opd_id,
                HitunganOpd.periode_id,
                HitunganOpd.ukuran,
                HitunganOpd.jumlah,
            ).where(_of_opds(opd_ids), HitunganOpd.ukuran.in_(sorted({u for _, _, u in moved})))
        )
    }
    counts = {key: kept.get(key, (None, 0))[1] + change for key, change in moved.items()}
    replaced = [kept[key][0] for key in moved if key in kept]
    _write(
        session,
        {key: count for key, count in counts.items() if count},
        HitunganOpd.id.in_(replaced),
    )


def rebuild(session: Session, stored_as: Any) -> None:
    """Sum every OPD again from the per-unit rows matching ``stored_as``."""
    _write(session, summed(session, None, stored_as))


def of_recount(
    session: Session, recounted: dict[tuple[int, int | None, str], int]
) -> dict[Key, int]:
    """A full recount of the per-unit rows (hitungan.recount) summed per OPD."""
    opd_of = {
        unit_id: opd_id_of(path)
        for unit_id, path in session.connection().execute(select(UnitKerja.id, UnitKerja.path))
    }
    found: Counter[Key] = Counter()
    for (unit_id, periode_id, ukuran), jumlah in recounted.items():
        found[(opd_of.get(unit_id), periode_id, ukuran)] += jumlah
    return {key: count for key, count in found.items() if count}


def stored(session: Session) -> dict[Key, int]:
    query = select(
        HitunganOpd.opd_id, HitunganOpd.periode_id, HitunganOpd.ukuran, HitunganOpd.jumlah
    )
    return {
        (opd_id, periode_id, ukuran): jumlah
        for opd_id, periode_id, ukuran, jumlah in session.connection().execute(query)
    }


def read(
    session: Session, periode_ids: Iterable[int], prefixes: Iterable[str]
) -> list[tuple[int | None, int | None, str, int]]:
    """The sums of every OPD for ``periode_ids`` (and no periode) whose measure starts with
    one of ``prefixes``: (opd_id, periode_id, ukuran, jumlah)."""
    query = select(
        HitunganOpd.opd_id, HitunganOpd.periode_id, HitunganOpd.ukuran, HitunganOpd.jumlah
    ).where(
        or_(HitunganOpd.periode_id.in_(sorted(set(periode_ids))), HitunganOpd.periode_id.is_(None)),
        or_(*(HitunganOpd.ukuran.startswith(prefix) for prefix in prefixes)),
    )
    return list(session.execute(query).tuples())
