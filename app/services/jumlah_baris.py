"""How many rows of a pegawai-owned table each unit's pegawai own: maintained counts
(``baris:<table>`` in app.models.hitungan, no periode) so that a list's pager need not count
a whole OPD on every request. The head of an OPD of 33,673 pegawai sees a third of the city:
counting their realisasi read 200,000 rows through four joins (250 ms) for each page.

**What is counted**: every row of the tables in ``COUNTED``, placed in the unit of its owning
pegawai (``scope_owner``: a column, or app.models.owner.Via through its parents), active
pegawai or not — the row-level scope does not ask.

**How they are kept** (app.services.hitungan's session hook): a flushed row notes its
owner, or the parent it hangs off, with the tables whose counts it can move — its own and
those of the rows hanging off it, which the database may delete with it. After the flush
those are recounted from scratch for the owners' units.

**How lists read them** (``total_in_scope``): the rows of the OPDs the viewer heads are the
sum of their units' counts; the few rows the viewer sees besides (their own and their
staff's outside those OPDs, an objection they decide) are counted live.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    inspect,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from app.models.hitungan import Hitungan
from app.models.master import Pegawai, UnitKerja
from app.models.monitoring import Realisasi
from app.models.owner import Via
from app.models.penilaian import Pelatihan, Penilaian, RencanaPengembangan
from app.models.penugasan import Penugasan
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
from app.security import scope

PREFIX = "baris:"

# Each counted table with the tables of the rows hanging off it (deleted with it).
_FOLLOWING: dict[type, tuple[type, ...]] = {
    Pegawai: (),  # a pegawai moved or deleted moves every row they own: Noted.units
    Skp: (RencanaHasilKerja, IndikatorKinerja, Realisasi, Penilaian),
    RencanaHasilKerja: (IndikatorKinerja, Realisasi),
    IndikatorKinerja: (Realisasi,),
    Realisasi: (),
    Penilaian: (),
    RencanaPengembangan: (),
    Pelatihan: (),
    Penugasan: (),
}
COUNTED: tuple[type, ...] = tuple(_FOLLOWING)

# The columns of a counted row that name its owner or parent.
WATCHED: dict[type, frozenset[str]] = {Pegawai: frozenset({"unit_kerja_id"})}
for _model in COUNTED[1:]:
    _owner = _model.scope_owner()
    _key = _owner.key if isinstance(_owner, Via) else _owner
    WATCHED[_model] = frozenset({_key.key})


def measure(model: type) -> str:
    return PREFIX + model.__tablename__


def _parent_key(via: Via) -> Any:
    """The column of the parents' select that ``via.key`` names."""
    return via.ids.selected_columns[0]


# The units a recount is limited to (here and in app.services.hitungan, whose counts share a
# statement with these): an expanding parameter, so that each count's statement is built and
# compiled once per process instead of at every flush.
UNIT_IDS = "unit_ids"
UNITS = bindparam(UNIT_IDS, expanding=True)
_PEMILIK = aliased(Pegawai, name="pemilik")


@functools.cache
def _counted(model: type, per_unit: bool) -> Select:
    """(unit_kerja_id, periode_id, ukuran, jumlah) of ``model``'s rows per owner's unit; of
    the units UNIT_IDS only when ``per_unit``."""
    pemilik = _PEMILIK
    columns = (
        pemilik.unit_kerja_id,
        cast(literal(None), Hitungan.periode_id.type).label("periode_id"),
        cast(literal(measure(model), String), String).label("ukuran"),
        func.count(model.id).label("jumlah"),
    )
    owner = model.scope_owner()
    if isinstance(owner, Via):
        # The parents' joins, then the rows and their owner: one join path the planner can
        # start from the units' pegawai.
        query = (
            owner.ids.with_only_columns(*columns, maintain_column_froms=True)
            .join(model, owner.key == _parent_key(owner))
            .join(pemilik, pemilik.id == owner.owner)
        )
    else:
        query = select(*columns).select_from(model).join(pemilik, pemilik.id == owner)
    if per_unit:
        query = query.where(pemilik.unit_kerja_id.in_(UNITS))
    return query.where(pemilik.unit_kerja_id.is_not(None)).group_by(pemilik.unit_kerja_id)


def measures(per_unit: bool, models: Iterable[type] = COUNTED) -> list[Select]:
    """The grouped queries of the row counts of ``models``, of the units UNIT_IDS only when
    ``per_unit`` (app.services.hitungan adds them to its own)."""
    return [_counted(model, per_unit) for model in models]


# --- what a flush moves ---------------------------------------------------------------------


@dataclasses.dataclass
class Noted:
    """What a flush touched: units whose every count is recounted (a pegawai's old and new
    unit); per table, the owners or parents whose units are found after the flush (that
    table's and the following tables' counts are recounted there); tables recounted
    everywhere."""

    units: set[int] = dataclasses.field(default_factory=set)
    keys: dict[type, set[int]] = dataclasses.field(default_factory=dict)
    everywhere: set[type] = dataclasses.field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.units or self.keys or self.everywhere)


def _values(obj: Any, column: str) -> set[int]:
    """The values ``column`` of a flushed row has had in this flush: a row taken off its
    parent's collection is deleted with the key already cleared."""
    history = inspect(obj).attrs[column].history
    return set(filter(None, [getattr(obj, column), *history.sum()]))


def note(noted: Noted, obj: Any) -> None:
    """Note a flushed row of a counted table (added, deleted, or moved to another owner or
    parent)."""
    kind = type(obj)
    if kind is Pegawai:
        noted.units.update(_values(obj, "unit_kerja_id"))
        return
    (column,) = WATCHED[kind]
    noted.keys.setdefault(kind, set()).update(_values(obj, column))


def note_deleted(noted: Noted, obj: Any) -> None:
    """A deleted pegawai or unit takes along (in the database) the Plt/Plh assignments
    covering them, whose acting officials sit anywhere: those are recounted everywhere (a
    small table)."""
    if type(obj) in (Pegawai, UnitKerja):
        noted.everywhere.add(Penugasan)


@functools.cache
def _owners_units(model: type) -> Select:
    """The units of the owners of ``model`` rows whose owner (or parent) key is in the
    expanding parameter ``keys``."""
    owner = model.scope_owner()
    keys = bindparam("keys", expanding=True)
    if isinstance(owner, Via):
        query = (
            owner.ids.with_only_columns(_PEMILIK.unit_kerja_id, maintain_column_froms=True)
            .join(_PEMILIK, _PEMILIK.id == owner.owner)
            .where(_parent_key(owner).in_(keys))
        )
    else:
        query = select(_PEMILIK.unit_kerja_id).where(_PEMILIK.id.in_(keys))
    return query.distinct()


def _units_of(session: Session, model: type, keys: set[int]) -> set[int]:
    """The units of the owners of ``model`` rows whose owner (or parent) key is ``keys``.
    A parent deleted in the same flush is found no more: it was noted itself, with the
    tables of the rows hanging off it."""
    found = session.connection().execute(_owners_units(model), {"keys": sorted(keys)})
    return set(filter(None, found.scalars()))


def units_to_recount(session: Session, noted: Noted) -> dict[type, set[int] | None]:
    """Table → the units whose count of it the flush may have moved (None: every unit)."""
    found = {table: set(noted.units) for table in COUNTED}
    for kind, keys in noted.keys.items():
        units = _units_of(session, kind, keys)
        for table in (kind, *_FOLLOWING[kind]):
            found[table] |= units
    chosen: dict[type, set[int] | None] = {t: units for t, units in found.items() if units}
    chosen.update(dict.fromkeys(noted.everywhere))
    return chosen


# --- reading them ---------------------------------------------------------------------------


def total_in_scope(session: Session, model: type, viewer: scope.Viewer) -> int | None:
    """How many rows of ``model`` the viewer sees, from the maintained counts, when the
    viewer is admin BKPSDM (every row: every unit's) or heads an OPD (or stands in for its
    head); None when it must be counted live."""
    if model not in COUNTED:
        return None
    if viewer.is_admin:
        # Every row has an owner placed in a unit: the units' counts add up to the table's
        # (PostgreSQL counts a table of a million rows in tens of milliseconds).
        every = session.execute(
            select(func.coalesce(func.sum(Hitungan.jumlah), 0)).where(
                Hitungan.periode_id.is_(None), Hitungan.ukuran == measure(model)
            )
        ).scalar_one()
        return int(every)
    if not viewer.opd_paths:
        return None
    paths = viewer.opd_paths
    placed = session.execute(
        select(func.coalesce(func.sum(Hitungan.jumlah), 0))
        .join(UnitKerja, UnitKerja.id == Hitungan.unit_kerja_id)
        .where(
            Hitungan.periode_id.is_(None),
            Hitungan.ukuran == measure(model),
            scope.units_under(paths),
        )
    ).scalar_one()
    # Seen besides: the scope without the OPDs, less what those OPDs hold.
    outside = session.execute(
        select(func.count(model.id)).where(
            scope.besides_opds(model, viewer), ~scope.owned_under(model, paths)
        )
    ).scalar_one()
    return int(placed) + int(outside)


# A page read row by row, each checked against the scope, may read this many rows; beyond
# it (a deep page, or an OPD that holds few of the table's rows) the scope's set is cheaper.
WALK_LIMIT = 5_000
# Rows read for a page: its place over the OPD's share of the table, times this margin for
# rows not spread evenly (an OPD that drew up its SKPs in one week).
_MARGIN = 4


@dataclasses.dataclass(frozen=True)
class Walk:
    """The scope asked of each row (``clause``), and how many rows of the list's order a
    page may read before the scope's set is cheaper (``rows``)."""

    clause: ColumnElement[bool]
    rows: int


def row_by_row(
    session: Session, model: type, viewer: scope.Viewer, rows: int | None
) -> Walk | None:
    """The scope of ``model`` asked of each row as the list reads it, for the head of an
    OPD whose page ends ``rows`` rows into the list (None: a list sorted on a column no
    index leads, which reads every row); None where the scope's set is cheaper.

    The set of a large OPD's keys costs its size to build before the first row (130 ms for
    the realisasi of a third of the city); read in key order, the rows in scope come every
    few rows, so a page needs a few dozen checks. How many is known from the maintained
    counts: the OPD's share of the table."""
    if model not in COUNTED or viewer.is_admin or not viewer.opd_paths:
        return None
    rows_of = Hitungan.ukuran == measure(model)
    placed, everywhere = session.execute(
        select(
            func.coalesce(
                func.sum(case((scope.units_under(viewer.opd_paths), Hitungan.jumlah))), 0
            ),
            func.coalesce(func.sum(Hitungan.jumlah), 0),
        )
        .join(UnitKerja, UnitKerja.id == Hitungan.unit_kerja_id)
        .where(Hitungan.periode_id.is_(None), rows_of)
    ).one()
    read = everywhere if rows is None else rows_to_read(rows, int(placed), int(everywhere))
    if read > WALK_LIMIT:
        return None
    return Walk(scope.scope_clause_row_by_row(model, viewer), int(read))


def rows_to_read(rows: int, placed: int, everywhere: int) -> int:
    """How many rows of a list of ``everywhere`` rows, ``placed`` of them in scope and spread
    through it, are read for a page ending ``rows`` rows into the scope's: its place over the
    scope's share, with a margin (compare with WALK_LIMIT)."""
    return min(everywhere, max(100, _MARGIN * rows * everywhere // max(placed, 1)))


def among_first(model: type, column: Any, descending: bool, rows: int) -> ColumnElement[bool]:
    """The first ``rows`` rows of ``model`` in the order of ``column``: a bound on the
    column (the value of the last of them; none when the table holds fewer), so that a read
    in that order stops there."""
    order = column.desc() if descending else column.asc()
    edge = select(column).order_by(order).offset(rows - 1).limit(1).scalar_subquery()
    return or_(edge.is_(None), column >= edge if descending else column <= edge)


def list_scope(
    session: Session, model: type, viewer: scope.Viewer, rows: int | None
) -> ColumnElement[bool] | None:
    """The scope a list of ``model`` reads with: row by row where that is cheaper
    (``row_by_row``), else the scope's set (None: nothing to narrow)."""
    walk = row_by_row(session, model, viewer, rows)
    return scope.scope_clause(model, viewer) if walk is None else walk.clause
