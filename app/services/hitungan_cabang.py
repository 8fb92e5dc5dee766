"""The maintained counts (app.services.hitungan) summed over each unit's branch — the unit
and every unit under it — which is what the monitoring pages read: a page of a unit (the
city, an OPD, a bidang) shows one line per sub-unit, and each line is one branch's sums.

A province has thousands of units (3,230 in the demo of 100,000 pegawai). Summing the
per-unit rows of a subtree at each request grew with it: the city-wide pages read ~39,000
rows (Kepatuhan 113 ms at 100,000 pegawai) until the sums per OPD were kept, and the head of
the largest OPD (~1,000 units) still matched every unit of the OPD against every sub-unit's
path (15 of Kepatuhan's 45 ms). Kept for every unit, a page reads a few rows per line.

They are kept by hitungan's hook, in the same transaction as the per-unit rows: what a
flush changes in some units' counts moves the sums of those units and of every unit above
them by as much (a few rows per level of the tree, however large the branch); a unit moved
to another place in the tree sums them all again. ``differences`` holds them against a full
recount (``flask verify-counts``).

Only the cycle's measures (hitungan.FAMILIES) are summed: the rows of each table
(``baris:``) are read per OPD by an OPD head's lists, never by branch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.domain.org import path_ids
from app.models.hitungan import Hitungan, HitunganCabang
from app.models.master import UnitKerja
from app.services import derived_rows

# (unit_kerja_id, periode_id, ukuran): the sums of the unit's branch
Key = tuple[int, int | None, str]


def _above(session: Session, unit_ids: Iterable[int] | None) -> dict[int, list[int]]:
    """unit id → the ids of its branches: the unit and each unit above it (their paths as
    flushed), of ``unit_ids`` (None: every unit)."""
    query = select(UnitKerja.id, UnitKerja.path)
    if unit_ids is not None:
        query = query.where(UnitKerja.id.in_(sorted(set(unit_ids))))
    return {
        unit_id: path_ids(path) if path else [unit_id]
        for unit_id, path in session.connection().execute(query)
    }


def of_units(session: Session, counts: dict[Key, int]) -> dict[Key, int]:
    """Per-unit counts (hitungan's keys) summed per branch."""
    branches = _above(session, {unit for unit, _, _ in counts})
    found: Counter[Key] = Counter()
    for (unit_id, periode_id, ukuran), jumlah in counts.items():
        for branch in branches.get(unit_id, [unit_id]):
            found[(branch, periode_id, ukuran)] += jumlah
    return {key: count for key, count in found.items() if count}


def _write(session: Session, counts: dict[Key, int], *where: Any) -> None:
    rows = [
        {"unit_kerja_id": unit_id, "periode_id": periode_id, "ukuran": ukuran, "jumlah": jumlah}
        for (unit_id, periode_id, ukuran), jumlah in sorted(counts.items(), key=_order)
    ]
    derived_rows.replace(session, HitunganCabang, rows, *where)


def _order(item: tuple[Key, int]) -> tuple[int, int, str]:
    (unit_id, periode_id, ukuran), _ = item
    return unit_id, periode_id or 0, ukuran


def add_changes(session: Session, before: dict[Key, int], after: dict[Key, int]) -> None:
    """Move the branches' sums by what a refresh changed in some units' counts (``before``
    and ``after``: (unit, periode, ukuran) → count, of the same families): a few rows per
    level above the units. Writers take turns (app.writers_turn, taken before the counts are
    written), so a sum is read and written by one transaction at a time."""
    delta: Counter[Key] = Counter(of_units(session, after))
    delta.subtract(of_units(session, before))
    moved = {key: change for key, change in delta.items() if change}
    if not moved:
        return
    kept = {
        (unit_id, periode_id, ukuran): (row_id, jumlah)
        for row_id, unit_id, periode_id, ukuran, jumlah in session.connection().execute(
            select(
                HitunganCabang.id,
                HitunganCabang.unit_kerja_id,
                HitunganCabang.periode_id,
                HitunganCabang.ukuran,
                HitunganCabang.jumlah,
            ).where(
                HitunganCabang.unit_kerja_id.in_(sorted({unit for unit, _, _ in moved})),
                HitunganCabang.ukuran.in_(sorted({ukuran for _, _, ukuran in moved})),
            )
        )
    }
    counts = {key: kept.get(key, (None, 0))[1] + change for key, change in moved.items()}
    replaced = [kept[key][0] for key in moved if key in kept]
    _write(
        session,
        {key: count for key, count in counts.items() if count},
        HitunganCabang.id.in_(replaced),
    )


def rebuild(session: Session, stored_as: Any) -> None:
    """Sum every branch again from the per-unit rows matching ``stored_as``."""
    query = select(
        Hitungan.unit_kerja_id, Hitungan.periode_id, Hitungan.ukuran, Hitungan.jumlah
    ).where(stored_as)
    counts = {
        (unit_id, periode_id, ukuran): jumlah
        for unit_id, periode_id, ukuran, jumlah in session.connection().execute(query)
    }
    _write(session, of_units(session, counts))


def stored(session: Session) -> dict[Key, int]:
    query = select(
        HitunganCabang.unit_kerja_id,
        HitunganCabang.periode_id,
        HitunganCabang.ukuran,
        HitunganCabang.jumlah,
    )
    return {
        (unit_id, periode_id, ukuran): jumlah
        for unit_id, periode_id, ukuran, jumlah in session.connection().execute(query)
    }


def in_periods(periode_id: Any, periods: Any) -> Any:
    """``periode_id`` among ``periods`` (ids, or a bound list of them), in which 0 stands for
    no periode (NULL; no periode has the id 0). Not ``periode IN … OR periode IS NULL``:
    SQLite answered that OR by reading the index once per periode for every unit of the city
    (a skip-scan), 7 ms where the lines' own rows take 0.2."""
    return func.coalesce(periode_id, 0).in_(periods)


def of_branches(units: Any, periods: Any, prefixes: Iterable[str]) -> Select:
    """The sums of the branches of ``units`` (a SELECT of unit ids) for ``periods``
    (``in_periods``) whose measure starts with one of ``prefixes``: (unit, periode, ukuran,
    jumlah)."""
    return select(
        HitunganCabang.unit_kerja_id,
        HitunganCabang.periode_id,
        HitunganCabang.ukuran,
        HitunganCabang.jumlah,
    ).where(
        HitunganCabang.unit_kerja_id.in_(units),
        in_periods(HitunganCabang.periode_id, periods),
        or_(*(HitunganCabang.ukuran.startswith(prefix) for prefix in prefixes)),
    )
