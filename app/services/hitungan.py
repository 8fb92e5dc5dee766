"""The maintained counts (app.models.hitungan): what is counted, defined once; how they are
kept equal to what they count; and how pages read them.

**What is counted** (per unit the pegawai is placed in, per periode), over the active
pegawai only, as every page counts:

* ``pegawai`` (no periode): the active pegawai placed in the unit;
* ``skp:<status>`` (the annual periode): their newest SKP version of the year, by status —
  a pegawai without one is ``pegawai`` minus the sum of these (Monitoring's "not yet
  created", Kepatuhan's "SKP not drawn up");
* ``penilaian:<status>`` (the evaluation periode): their evaluations of the periode, of
  every SKP version of its year (a revision leaves the periods already under way on the
  version it replaces), by status — due, rated (workflow.PENILAIAN_RATED) and waiting on
  whom (workflow.PENILAIAN_UNRATED) are read from the statuses, so the rule stays in
  app.domain.workflow;
* ``predikat:<predikat>`` (the evaluation periode): the same evaluations by predikat;
* ``kurva:<predikat>`` and ``kurva_nonaktif:<predikat>`` (the evaluation periode): the
  pegawai, active or not, by the predikat of the evaluation of their newest SKP version that
  has one for the periode — the Kurva's members (app.services.kurva), whose "not rated" are
  the active pegawai less the active ones counted here;
* ``siap_siasn`` (the annual periode): the active pegawai whose newest SKP version of the
  year has its annual evaluation settled (workflow.PENILAIAN_SETTLED) with a predikat — the
  rows the SIASN export takes (app.reports.laporan.siasn), of those still active (the
  closing page's "ready for SIASN");
* ``baris:<table>`` (no periode): the rows of a pegawai-owned table their owners hold,
  active or not (app.services.jumlah_baris: the totals of an OPD head's lists).

**How they are kept**: a session hook notes, at each flush, the units whose counts the
flushed rows may change (an SKP, an evaluation, a pegawai's unit or activity) and, at the
transaction's commit (under app.writers_turn; a read of the counts within the transaction
settles them first), recounts those units from scratch (``refresh``) — a recount of a few
units is cheap with the indexes on pegawai.unit_kerja_id, skp.pegawai_id and
penilaian.skp_id, and cannot drift the way added and subtracted deltas can. Bulk loads that
bypass the ORM (the demo data) end with ``rebuild``. ``flask verify-counts`` compares the
table with a full recount (``differences``); ``flask recount`` rebuilds it. The same hook
keeps the open items (app.services.butir) and the JP per year (app.services.jp_tahunan) of
the pegawai a flush touches.

**How pages read them**: ``sums`` reads a unit's counts per group (OPD or sub-unit,
kepatuhan.group_key) from the sums kept for each group's branch (app.services.hitungan_cabang),
one statement of a few rows per group whatever the number of pegawai and units. The rows count
every pegawai of a unit, so they answer for a viewer who sees the whole subtree
(scope.sees_every_pegawai_under: admin BKPSDM, or a unit inside an OPD the viewer heads);
anyone else is counted live.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    event,
    exists,
    func,
    inspect,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from app import deletions, writers_turn
from app.domain import org, workflow
from app.domain.periode import ANNUAL
from app.models.hitungan import ButirKepatuhan, ButirPenilai, Hitungan, HitunganCabang, JpTahunan
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import Pelatihan, Penilaian
from app.models.skp import Skp
from app.security import scope
from app.services import butir, derived_rows, hitungan_cabang, jp_tahunan, jumlah_baris

PEGAWAI = "pegawai"
SKP = "skp:"
PENILAIAN = "penilaian:"
PREDIKAT = "predikat:"
KURVA = "kurva:"
KURVA_NONAKTIF = "kurva_nonaktif:"
SIAP_SIASN = "siap_siasn"

# The families of measures, each counted by one query (_measures): a flush recounts only
# those its changes can move (_moved_by_skp, _moved_by_penilaian). KURVA holds both the
# active pegawai's KURVA and the inactive ones' KURVA_NONAKTIF.
FAMILIES = (PEGAWAI, SKP, PENILAIAN, PREDIKAT, KURVA, SIAP_SIASN)

# (unit_kerja_id, periode_id, ukuran)
Key = tuple[int, int | None, str]

# The columns whose change can move a count; any other edit (a target, a note) leaves the
# counts as they are and costs no recount.
_WATCHED: dict[type, frozenset[str]] = {
    Pegawai: frozenset({"unit_kerja_id", "aktif"}),
    Skp: frozenset({"pegawai_id", "periode_id", "versi", "status"}),
    Penilaian: frozenset({"skp_id", "periode_id", "status", "predikat"}),
    Periode: frozenset({"tahun", "jenis"}),
    # A unit moved in the tree moves its counts to other branches' sums (hitungan_cabang).
    UnitKerja: frozenset({"path"}),
}


# --- what is counted ----------------------------------------------------------------------


def _label(prefix: str, column: Any) -> Any:
    return cast(literal(prefix, String), String).concat(column)


@functools.cache
def _measures(per_unit: bool) -> dict[str, Select]:
    """The grouped query of each family of measures (FAMILIES), of the units
    jumlah_baris.UNITS only when ``per_unit`` (built once per process, not at every flush):
    each returns (unit_kerja_id, periode_id, ukuran, jumlah)."""

    def placed(query: Any) -> Any:
        query = query.where(Pegawai.aktif.is_(True))
        if per_unit:
            query = query.where(Pegawai.unit_kerja_id.in_(jumlah_baris.UNITS))
        return query

    pegawai = placed(
        select(
            Pegawai.unit_kerja_id,
            cast(literal(None), Hitungan.periode_id.type).label("periode_id"),
            cast(literal(PEGAWAI, String), String).label("ukuran"),
            func.count(Pegawai.id).label("jumlah"),
        ).group_by(Pegawai.unit_kerja_id)
    )

    newest_query = select(
        Skp.pegawai_id, Skp.periode_id, func.max(Skp.versi).label("versi")
    ).group_by(Skp.pegawai_id, Skp.periode_id)
    if per_unit:
        newest_query = newest_query.where(
            Skp.pegawai_id.in_(
                select(Pegawai.id).where(Pegawai.unit_kerja_id.in_(jumlah_baris.UNITS))
            )
        )
    newest = newest_query.subquery("newest")

    def of_newest_skp(*columns: Any) -> Any:
        # Each pegawai with the newest version of their SKP of each year.
        return (
            select(*columns)
            .select_from(Pegawai)
            .join(newest, newest.c.pegawai_id == Pegawai.id)
            .join(
                Skp,
                and_(
                    Skp.pegawai_id == newest.c.pegawai_id,
                    Skp.periode_id == newest.c.periode_id,
                    Skp.versi == newest.c.versi,
                ),
            )
        )

    skp = placed(
        of_newest_skp(
            Pegawai.unit_kerja_id,
            Skp.periode_id,
            _label(SKP, Skp.status).label("ukuran"),
            func.count(Skp.id).label("jumlah"),
        ).group_by(Pegawai.unit_kerja_id, Skp.periode_id, Skp.status)
    )

    year = aliased(Periode, name="tahun_skp")
    evaluated = aliased(Periode, name="periode_penilaian")

    def evaluations(column: Any, prefix: str) -> Any:
        # An evaluation counts in its periode when its SKP is of that periode's year.
        return placed(
            select(
                Pegawai.unit_kerja_id,
                Penilaian.periode_id,
                _label(prefix, column).label("ukuran"),
                func.count(Penilaian.id).label("jumlah"),
            )
            .select_from(Penilaian)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(Pegawai, Skp.pegawai_id == Pegawai.id)
            .join(year, year.id == Skp.periode_id)
            .join(evaluated, evaluated.id == Penilaian.periode_id)
            .where(year.jenis == ANNUAL, year.tahun == evaluated.tahun, column.is_not(None))
            .group_by(Pegawai.unit_kerja_id, Penilaian.periode_id, column)
        )

    siap_siasn = placed(
        of_newest_skp(
            Pegawai.unit_kerja_id,
            Skp.periode_id,
            cast(literal(SIAP_SIASN, String), String).label("ukuran"),
            func.count(Pegawai.id).label("jumlah"),
        )
        .join(
            Penilaian,
            and_(Penilaian.skp_id == Skp.id, Penilaian.periode_id == Skp.periode_id),
        )
        .where(
            Penilaian.status.in_(sorted(workflow.PENILAIAN_SETTLED)),
            Penilaian.predikat.is_not(None),
        )
        .group_by(Pegawai.unit_kerja_id, Skp.periode_id)
    )

    return {
        PEGAWAI: pegawai,
        SKP: skp,
        PENILAIAN: evaluations(Penilaian.status, PENILAIAN),
        PREDIKAT: evaluations(Penilaian.predikat, PREDIKAT),
        KURVA: _kurva(per_unit),
        SIAP_SIASN: siap_siasn,
    }


def _kurva(per_unit: bool) -> Select:
    """The rated pegawai per periode by the predikat of their newest SKP version's
    evaluation of it (an older version's is superseded), active or not."""
    newer, later = aliased(Skp, name="skp_baru"), aliased(Penilaian, name="penilaian_baru")
    superseded = exists(
        select(later.id)
        .join(newer, later.skp_id == newer.id)
        .where(
            newer.pegawai_id == Skp.pegawai_id,
            later.periode_id == Penilaian.periode_id,
            newer.versi > Skp.versi,
        )
    )
    ukuran = case(
        (Pegawai.aktif.is_(True), _label(KURVA, Penilaian.predikat)),
        else_=_label(KURVA_NONAKTIF, Penilaian.predikat),
    )
    query = (
        select(
            Pegawai.unit_kerja_id,
            Penilaian.periode_id,
            ukuran.label("ukuran"),
            func.count(Pegawai.id).label("jumlah"),
        )
        .select_from(Penilaian)
        .join(Skp, Penilaian.skp_id == Skp.id)
        .join(Pegawai, Skp.pegawai_id == Pegawai.id)
        .where(Penilaian.predikat.is_not(None), Pegawai.unit_kerja_id.is_not(None), ~superseded)
        .group_by(Pegawai.unit_kerja_id, Penilaian.periode_id, ukuran)
    )
    if per_unit:
        query = query.where(Pegawai.unit_kerja_id.in_(jumlah_baris.UNITS))
    return query


def recount(session: Session, unit_ids: Collection[int] | None = None) -> dict[Key, int]:
    """Every measure — the cycle's and the rows' (app.services.jumlah_baris) — counted
    afresh from the rows, for ``unit_ids`` or (None) everywhere. One statement."""
    per_unit = unit_ids is not None
    queries = (*_measures(per_unit).values(), *jumlah_baris.measures(per_unit))
    return _recount(session, queries, unit_ids)


@functools.cache
def _union(queries: tuple[Select, ...]) -> Any:
    return union_all(*queries)


def _recount(
    session: Session, queries: tuple[Select, ...], unit_ids: Collection[int] | None
) -> dict[Key, int]:
    params = {} if unit_ids is None else {jumlah_baris.UNIT_IDS: sorted(unit_ids)}
    return {
        (int(unit), periode, ukuran): int(jumlah)
        for unit, periode, ukuran, jumlah in session.connection().execute(_union(queries), params)
        if jumlah
    }


def stored(
    session: Session, unit_ids: Collection[int] | None = None, *where: Any
) -> dict[Key, int]:
    """The maintained counts as they stand (of ``unit_ids``, matching ``where``)."""
    query = select(Hitungan.unit_kerja_id, Hitungan.periode_id, Hitungan.ukuran, Hitungan.jumlah)
    if unit_ids is not None:
        query = query.where(Hitungan.unit_kerja_id.in_(sorted(unit_ids)))
    query = query.where(*where)
    return {
        (unit, periode, ukuran): jumlah
        for unit, periode, ukuran, jumlah in session.connection().execute(query)
    }


def _write(session: Session, counts: dict[Key, int], *where: Any) -> None:
    """Replace the rows matching ``where`` (none: all) by ``counts``."""
    rows = [
        {"unit_kerja_id": unit, "periode_id": periode, "ukuran": ukuran, "jumlah": jumlah}
        for (unit, periode, ukuran), jumlah in sorted(counts.items(), key=_order)
    ]
    derived_rows.replace(session, Hitungan, rows, *where)


def _order(item: tuple[Key, int]) -> tuple[int, int, str]:
    (unit, periode, ukuran), _ = item
    return unit, periode or 0, ukuran


def _stored_as(families: Iterable[str]) -> Any:
    """The stored rows of some families of measures."""
    ukuran = Hitungan.ukuran

    def of(family: str) -> Any:
        if family == PEGAWAI:
            return ukuran == PEGAWAI
        if family == KURVA:
            return or_(ukuran.startswith(KURVA), ukuran.startswith(KURVA_NONAKTIF))
        return ukuran.startswith(family)

    return or_(*(of(family) for family in families))


def refresh(
    session: Session, unit_ids: Collection[int], families: Collection[str] = FAMILIES
) -> None:
    """Recount the ``families`` of the cycle's measures of ``unit_ids`` and replace their
    rows, in the session's transaction."""
    chosen = tuple(family for family in FAMILIES if family in families)
    if unit_ids and chosen:
        measures = _measures(True)
        before = stored(session, unit_ids, _stored_as(chosen))
        after = _recount(session, tuple(measures[family] for family in chosen), unit_ids)
        _write(session, after, Hitungan.unit_kerja_id.in_(sorted(unit_ids)), _stored_as(chosen))
        hitungan_cabang.add_changes(session, before, after)


def refresh_rows(session: Session, units: dict[type, set[int] | None]) -> None:
    """Recount the rows of each table (app.services.jumlah_baris) owned in its units (None:
    in every unit): the tables of the same units in one statement."""
    tables_of: dict[frozenset[int] | None, list[type]] = {}
    for table, unit_ids in units.items():
        key = None if unit_ids is None else frozenset(unit_ids)
        tables_of.setdefault(key, []).append(table)
    for unit_ids, tables in tables_of.items():
        where = [Hitungan.ukuran.in_([jumlah_baris.measure(table) for table in tables])]
        if unit_ids is not None:
            where.append(Hitungan.unit_kerja_id.in_(sorted(unit_ids)))
        queries = tuple(jumlah_baris.measures(unit_ids is not None, tables))
        _write(session, _recount(session, queries, unit_ids), *where)


def rebuild(session: Session, branches: bool = True) -> int:
    """Recount everything and replace the whole table (after a bulk load, or to repair),
    and its sums per branch unless ``branches`` is off (the migrations from before that
    table). Returns the number of rows written; the caller commits."""
    counts = recount(session)
    _write(session, counts)
    if branches:
        hitungan_cabang.rebuild(session, _stored_as(FAMILIES))
    return len(counts)


@dataclass(frozen=True)
class Selisih:
    """A maintained count that differs from a full recount."""

    unit_kerja_id: int
    periode_id: int | None
    ukuran: str
    tersimpan: int  # what the table holds (0: no row)
    dihitung: int  # what a recount finds
    cabang: bool = False  # a sum over the unit's branch (hitungan_cabang), not its count

    def __str__(self) -> str:
        periode = "-" if self.periode_id is None else self.periode_id
        where = f"unit {self.unit_kerja_id}" + (" and below (sum)" if self.cabang else "")
        return (
            f"{where}, periode {periode}, {self.ukuran}: "
            f"stored {self.tersimpan}, recounted {self.dihitung}"
        )


def differences(session: Session) -> list[Selisih]:
    """Every maintained count, and sum per branch, that a full recount does not confirm, in
    key order (this transaction's changes settled first)."""
    settle(session)
    kept, fresh = stored(session), recount(session)
    summed = hitungan_cabang.of_units(
        session, {key: count for key, count in fresh.items() if _of_families(key[2])}
    )
    return _differing(kept, fresh, False) + _differing(
        hitungan_cabang.stored(session), summed, True
    )


def _differing(kept: dict, fresh: dict, cabang: bool) -> list[Selisih]:
    return [
        Selisih(unit, periode, ukuran, kept.get(key, 0), fresh.get(key, 0), cabang)
        for key in sorted(set(kept) | set(fresh), key=lambda k: (k[0], k[1] or 0, k[2]))
        if kept.get(key, 0) != fresh.get(key, 0)
        for unit, periode, ukuran in [key]
    ]


def _of_families(ukuran: str) -> bool:
    """Whether a measure is of the cycle's families (those summed per branch)."""
    return ukuran.startswith(KURVA_NONAKTIF) or any(
        ukuran == family if family == PEGAWAI else ukuran.startswith(family) for family in FAMILIES
    )


# --- keeping them: the session hook ---------------------------------------------------------

_PENDING = "hitungan_pending"

# The columns whose change can change an open item (app.services.butir): who must act, the
# names and dates the list sorts by.
_WATCHED_ITEMS: dict[type, frozenset[str]] = {
    Pegawai: frozenset({"unit_kerja_id", "aktif", "atasan_id", "pejabat_penilai_id", "nama"}),
    Skp: frozenset({"pegawai_id", "periode_id", "versi", "status", "penilai_id"}),
    Penilaian: frozenset({"skp_id", "periode_id", "status", "penilai_id"}),
    Periode: frozenset({"tahun", "jenis", "tanggal_selesai"}),
    UnitKerja: frozenset({"nama", "path", "parent_id"}),
}

# The columns whose change can change a pegawai's JP of a year (app.services.jp_tahunan).
_WATCHED_JP: dict[type, frozenset[str]] = {
    Pegawai: frozenset({"aktif", "nama", "unit_kerja_id", "jenis_asn"}),
    Pelatihan: frozenset({"pegawai_id", "jp", "tanggal_mulai", "tanggal_selesai"}),
    Periode: frozenset({"tahun", "jenis"}),
}


@dataclass
class _Pending:
    """What a flush touched: for the counts (units, SKP owners, evaluations' SKPs, or
    everything) and for the open items (pegawai, evaluations' SKPs, renamed pejabat
    penilai, or everything)."""

    units: set[int] = field(default_factory=set)
    pegawai: set[int] = field(default_factory=set)
    skp: set[int] = field(default_factory=set)
    families: set[str] = field(default_factory=set)  # those the changes move (FAMILIES)
    everything: bool = False
    moved_units: set[int] = field(default_factory=set)  # units moved in the tree, or gone
    item_pegawai: set[int] = field(default_factory=set)
    item_skp: set[int] = field(default_factory=set)
    renamed: set[int] = field(default_factory=set)
    item_units: set[int] = field(default_factory=set)  # units renamed or moved
    items_everything: bool = False
    new_years: set[int] = field(default_factory=set)  # annual periods added
    jp_pegawai: set[int] = field(default_factory=set)
    jp_years: set[int] = field(default_factory=set)  # years that gained or lost their periode
    jp_everything: bool = False
    rows: jumlah_baris.Noted = field(default_factory=jumlah_baris.Noted)

    def __bool__(self) -> bool:
        return bool(
            self.rows
            or self.units
            or self.pegawai
            or self.skp
            or self.everything
            or self.moved_units
            or self.item_pegawai
            or self.item_skp
            or self.renamed
            or self.item_units
            or self.items_everything
            or self.new_years
            or self.jp_pegawai
            or self.jp_years
            or self.jp_everything
        )


def _changed(obj: Any, columns: frozenset[str]) -> dict[str, list[Any]]:
    """Old and new values of the watched columns that this flush changes."""
    state = inspect(obj)
    found: dict[str, list[Any]] = {}
    for name in columns:
        history = state.attrs[name].history
        if history.has_changes():
            found[name] = [*history.deleted, *history.added]
    return found


def _note_counts(pending: _Pending, obj: Any, action: str, changes: dict[str, list[Any]]) -> None:
    kind = type(obj)
    if kind is Periode:
        pending.everything = pending.everything or action != "new"
    elif kind is UnitKerja:
        if action != "new":
            pending.moved_units.add(obj.id)
    elif kind is Pegawai:
        pending.units.update(filter(None, [obj.unit_kerja_id, *changes.get("unit_kerja_id", [])]))
        pending.families.update(FAMILIES)
    elif kind is Skp:
        pending.pegawai.update(filter(None, [obj.pegawai_id, *changes.get("pegawai_id", [])]))
        pending.families.update(_moved_by_skp(action, changes))
    elif kind is Penilaian:
        pending.skp.update(filter(None, [obj.skp_id, *changes.get("skp_id", [])]))
        pending.families.update(_moved_by_penilaian(obj, action, changes))


def _moved_by_skp(action: str, changes: dict[str, list[Any]]) -> set[str]:
    """A new status moves the owner's SKP count only. A version added or removed, or its
    owner, year or number changed, also moves which evaluations count in which year and
    which of them a newer version supersedes (the Kurva)."""
    if action == "dirty" and changes.keys() == {"status"}:
        return {SKP}
    return {SKP, PENILAIAN, PREDIKAT, KURVA, SIAP_SIASN}


def _moved_by_penilaian(obj: Penilaian, action: str, changes: dict[str, list[Any]]) -> set[str]:
    """A status moves the counts by status, and the SIASN-ready ones when it enters or
    leaves a settled one; a predikat, those by predikat, the Kurva and the SIASN-ready. A
    new evaluation not yet rated of an SKP's first version (every approval makes them) has
    no predikat to count and no older version's evaluation to supersede."""
    if action == "dirty":
        moved = {PENILAIAN} if "status" in changes else set()
        if workflow.PENILAIAN_SETTLED.intersection(changes.get("status", ())):
            moved.add(SIAP_SIASN)
        if changes.keys() & {"predikat", "skp_id", "periode_id"}:
            moved |= {PENILAIAN, PREDIKAT, KURVA, SIAP_SIASN}
        return moved
    if action == "new" and obj.predikat is None and _of_first_version(obj):
        return {PENILAIAN}
    return {PENILAIAN, PREDIKAT, KURVA, SIAP_SIASN}


def _of_first_version(obj: Penilaian) -> bool:
    """Whether the evaluation's SKP, as the session holds it, is a first version (not
    loaded: not known to be)."""
    session = inspect(obj).session
    skp = session.identity_map.get(session.identity_key(Skp, obj.skp_id)) if session else None
    return skp is not None and skp.versi == 1


def _note_items(pending: _Pending, obj: Any, action: str, changes: dict[str, list[Any]]) -> None:
    kind = type(obj)
    if kind is Periode:
        # A new year opens an item for every pegawai; a removed periode takes its items
        # along (foreign keys); a moved date or a renumbered year re-sorts them all.
        if action == "new" and obj.jenis == ANNUAL:
            pending.new_years.add(obj.id)
        elif action == "dirty":
            pending.items_everything = True
    elif kind is UnitKerja:
        # A new unit holds nobody yet (its path is set by a second flush, as a change); a
        # renamed or moved one changes the items of the pegawai under it — a move changes
        # each unit of the subtree, each noted here; a deleted one, anyone's.
        if action == "gone":
            pending.items_everything = True
        elif action == "dirty":
            pending.item_units.add(obj.id)
    elif kind is Pegawai:
        pending.item_pegawai.add(obj.id)
        if "nama" in changes:
            pending.renamed.add(obj.id)
    elif kind is Skp:
        pending.item_pegawai.update(filter(None, [obj.pegawai_id, *changes.get("pegawai_id", [])]))
    else:
        pending.item_skp.update(filter(None, [obj.skp_id, *changes.get("skp_id", [])]))


def _note_jp(pending: _Pending, obj: Any, action: str, changes: dict[str, list[Any]]) -> None:
    kind = type(obj)
    if kind is Periode:
        # A year that gains or loses its annual periode gains or loses a row per pegawai; a
        # year renumbered moves them.
        if action == "dirty":
            pending.jp_everything = True
        elif obj.jenis == ANNUAL:
            pending.jp_years.add(obj.tahun)
    elif kind is Pegawai:
        pending.jp_pegawai.add(obj.id)
    else:
        pending.jp_pegawai.update(filter(None, [obj.pegawai_id, *changes.get("pegawai_id", [])]))


def _note(session: Session, _flush_context: Any) -> None:
    """after_flush: which units and pegawai the flushed rows touch (the rows' keys are set
    by now, and the old values are still in the attributes' history)."""
    pending = session.info.get(_PENDING) or _Pending()
    for action, objects in (
        ("new", session.new),
        ("dirty", session.dirty),
        ("gone", deletions.deleted(session)),
    ):
        for obj in objects:
            kind = type(obj)
            if kind in _WATCHED:
                changes = _changed(obj, _WATCHED[kind]) if action == "dirty" else {}
                if action != "dirty" or changes:
                    _note_counts(pending, obj, action, changes)
            if action == "gone":
                jumlah_baris.note_deleted(pending.rows, obj)
            if kind in jumlah_baris.WATCHED:
                changes = _changed(obj, jumlah_baris.WATCHED[kind]) if action == "dirty" else {}
                if action != "dirty" or changes:
                    jumlah_baris.note(pending.rows, obj)
            for watched, noted in ((_WATCHED_ITEMS, _note_items), (_WATCHED_JP, _note_jp)):
                if kind in watched:
                    changes = _changed(obj, watched[kind]) if action == "dirty" else {}
                    if action != "dirty" or changes:
                        noted(pending, obj, action, changes)
    if pending:
        session.info[_PENDING] = pending


def _owners(session: Session, skp_ids: set[int]) -> set[int]:
    if not skp_ids:
        return set()
    query = select(Skp.pegawai_id).where(Skp.id.in_(sorted(skp_ids)))
    return set(session.connection().execute(query).scalars())


# A condition of so many subtrees at most (SQLite refuses an expression over 1,000 deep).
_SUBTREES_AT_ONCE = 200


def _subtrees(session: Session, unit_ids: set[int]) -> tuple[list[list[str]], bool]:
    """The paths of ``unit_ids`` as flushed (the topmost, in parts of _SUBTREES_AT_ONCE),
    and whether one of the units is gone."""
    paths = list(
        session.connection()
        .execute(select(UnitKerja.path).where(UnitKerja.id.in_(sorted(unit_ids))))
        .scalars()
    )
    tops = org.topmost(path for path in paths if path)
    parts = [tops[i : i + _SUBTREES_AT_ONCE] for i in range(0, len(tops), _SUBTREES_AT_ONCE)]
    return parts, len(paths) < len(unit_ids)


def _placed_under(session: Session, unit_ids: set[int]) -> set[int]:
    """The pegawai placed in the subtrees of ``unit_ids`` (their paths as flushed)."""
    placed: set[int] = set()
    for paths in _subtrees(session, unit_ids)[0]:
        query = (
            select(Pegawai.id)
            .join(UnitKerja, UnitKerja.id == Pegawai.unit_kerja_id)
            .where(scope.units_under(paths))
        )
        placed.update(session.connection().execute(query).scalars())
    return placed


def _counted_under(session: Session, unit_ids: set[int]) -> bool:
    """Whether any count is kept in the subtrees of ``unit_ids`` (their paths as flushed),
    or one of them is gone (its counts went with it). A new unit, whose path a second flush
    sets, holds none."""
    parts, gone = _subtrees(session, unit_ids)
    if gone:
        return True
    for paths in parts:
        under = select(UnitKerja.id).where(scope.units_under(paths))
        query = select(exists().where(Hitungan.unit_kerja_id.in_(under)))
        if session.connection().execute(query).scalar():
            return True
    return False


# Units or pegawai refreshed by their keys at most: more — a bulk change, the demo data's
# units placed before their pegawai are loaded — are rebuilt whole, which costs less than
# asking for each (and PostgreSQL's driver refuses a statement of over 65,535 keys).
_REFRESHED_AT_MOST = 10_000


def _too_many(*keys: Collection[int]) -> bool:
    return any(len(some) > _REFRESHED_AT_MOST for some in keys)


def _apply(session: Session) -> None:
    """Recount the units and refresh the open items of the pegawai noted (settle), as each
    flush resolved them (_resolve)."""
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None:
        return
    if pending.everything or _too_many(pending.units):
        rebuild(session)
    else:
        refresh(session, pending.units, pending.families)
        refresh_rows(session, jumlah_baris.units_to_recount(session, pending.rows))
        if pending.moved_units and _counted_under(session, pending.moved_units):
            hitungan_cabang.rebuild(session, _stored_as(FAMILIES))
    if pending.jp_everything or _too_many(pending.jp_pegawai):
        jp_tahunan.rebuild(session)
    else:
        jp_tahunan.refresh_years(session, pending.jp_years)
        jp_tahunan.refresh(session, pending.jp_pegawai)
    if pending.items_everything:
        butir.rebuild(session)
        return
    for tahunan_id in sorted(pending.new_years):
        butir.add_year(session, tahunan_id)
    touched = pending.item_pegawai | butir.named_by(session, pending.renamed)
    if _too_many(touched):
        butir.rebuild(session)
    else:
        butir.refresh(session, touched)


def _unsettled(session: Session) -> bool:
    return _PENDING in session.info or butir.deletions_noted(session)


def settle(session: Session) -> None:
    """Bring the maintained counts up to this transaction's changes now (the hook does at
    the commit): for a reader that asks within the transaction that made them."""
    if _unsettled(session):
        writers_turn.take(session)
        _apply(session)
        # Whatever waited on the penilai of a deleted pegawai, SKP or evaluation (noted
        # before the row went), also where no refresh followed.
        butir.recount_penilai(session, ())


def _resolve(session: Session, pending: _Pending) -> None:
    """What the flush touched, by key, turned into the units and pegawai it names now: a
    later flush of the transaction may delete the SKP that said whose an evaluation was, or
    the pegawai that said where they were placed, before the commit counts."""
    pending.pegawai |= _owners(session, pending.skp)
    pending.skp.clear()
    if pending.pegawai:
        query = select(Pegawai.unit_kerja_id).where(Pegawai.id.in_(sorted(pending.pegawai)))
        pending.units.update(filter(None, session.connection().execute(query).scalars()))
        pending.pegawai.clear()
    pending.item_pegawai |= _owners(session, pending.item_skp)
    pending.item_skp.clear()
    if pending.item_units:
        pending.item_pegawai |= _placed_under(session, pending.item_units)
        pending.item_units.clear()


def _flushed(session: Session, _flush_context: Any) -> None:
    """after_flush_postexec: the counts follow at the commit, under the writers' turn (they
    are shared: every change moves the city's sums), or at once once the transaction holds
    it. A page of the same transaction reads them anew."""
    pending = session.info.get(_PENDING)
    if pending is not None:
        session.info.pop(_SUMS, None)
        if not (pending.everything and pending.items_everything):
            _resolve(session, pending)
    if writers_turn.held(session):
        settle(session)


def _before_commit(session: Session) -> None:
    session.flush()
    settle(session)


_KEPT_TABLES = frozenset(
    model.__table__ for model in (Hitungan, HitunganCabang, ButirKepatuhan, ButirPenilai, JpTahunan)
)


def _before_reading(state: Any) -> None:
    """do_orm_execute: a transaction that reads the counts after changing what they count
    reads them settled."""
    if _unsettled(state.session) and writers_turn.reads_any(state.statement, _KEPT_TABLES):
        settle(state.session)


def _forget(session: Session, transaction: Any) -> None:
    """What a transaction noted ends with it (committed, rolled back or closed)."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_SUMS, None)
        butir.forget_deleted(session)


def install(session_class: Any) -> None:
    """Register the hook on a Session class once."""
    writers_turn.install(session_class)
    for name, listener in (
        ("after_flush", _note),
        ("after_flush_postexec", _flushed),
        ("before_commit", _before_commit),
        ("after_transaction_end", _forget),
        ("do_orm_execute", _before_reading),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
    butir.install_deletion_notes()


# --- reading them -----------------------------------------------------------------------------


@dataclass
class Jumlah:
    """The sums of one group (OPD or sub-unit): (periode_id, ukuran) → count."""

    counts: Counter[tuple[int | None, str]]

    def get(self, periode_id: int | None, ukuran: str) -> int:
        return self.counts[(periode_id, ukuran)]

    def of(self, periode_ids: Iterable[int], prefix: str, values: Iterable[str]) -> int:
        """The sum of ``prefix + value`` over ``periode_ids`` and ``values``."""
        return sum(self.counts[(p, prefix + v)] for p in periode_ids for v in values)

    def statuses(self, periode_id: int, prefix: str) -> Counter[str]:
        """value → count of the measures starting with ``prefix`` in ``periode_id``."""
        return Counter(
            {
                ukuran[len(prefix) :]: count
                for (periode, ukuran), count in self.counts.items()
                if periode == periode_id and ukuran.startswith(prefix) and count
            }
        )

    def kurva(self, periode_id: int) -> Counter[str | None]:
        """The Kurva's members of ``periode_id`` by predikat (None: the active pegawai not
        rated)."""
        rated = self.statuses(periode_id, KURVA)
        members = Counter({None: self.counts[(None, PEGAWAI)] - sum(rated.values())})
        members.update(rated)
        members.update(self.statuses(periode_id, KURVA_NONAKTIF))
        return Counter({predikat: count for predikat, count in members.items() if count})

    def tanpa_skp(self, tahunan_id: int) -> int:
        """Active pegawai without an SKP of the year."""
        return self.counts[(None, PEGAWAI)] - sum(self.statuses(tahunan_id, SKP).values())


_SUMS = "hitungan_sums"


def sums(
    session: Session,
    unit: UnitKerja | None,
    periode_ids: Iterable[int],
    prefixes: Iterable[str] = (PEGAWAI, SKP, PENILAIAN, PREDIKAT),
) -> dict[int | None, Jumlah]:
    """The maintained counts of ``unit``'s subtree (None: the city) for ``periode_ids``
    (and the counts of no periode) whose measure starts with one of ``prefixes`` (of the
    cycle's families), summed per kepatuhan.group_key: the OPD, or the sub-unit of
    ``unit``, each read from the sums kept for its branch (app.services.hitungan_cabang);
    None for the pegawai placed in ``unit`` itself (or in the units at the top, outside
    every OPD). One statement, once per transaction for the same question (the parts of a
    page ask it several times)."""
    ids = tuple(sorted(set(periode_ids)))
    wanted = tuple(sorted(set(prefixes)))
    if not all(_of_families(prefix) for prefix in wanted):
        raise ValueError(f"Only the cycle's measures are summed per branch, not {wanted}.")
    asked = (unit.id if unit is not None else None, ids, wanted)
    kept = session.info.setdefault(_SUMS, {})
    if asked in kept:
        return kept[asked]
    query = _sums_query(unit is None, wanted)
    params = {"periode_ids": [0, *ids]} | ({} if unit is None else {"unit_id": unit.id})
    groups: dict[int | None, Jumlah] = {}
    for key, periode, ukuran, jumlah in session.execute(query, params):
        groups.setdefault(key, Jumlah(Counter())).counts[(periode, ukuran)] += int(jumlah)
    kept[asked] = groups
    return groups


def _active_pegawai_of(units: Any) -> tuple[Any, ...]:
    """The branch sums of the active pegawai of ``units`` (ids, or a SELECT of them)."""
    return (
        HitunganCabang.unit_kerja_id.in_(units),
        HitunganCabang.periode_id.is_(None),
        HitunganCabang.ukuran == PEGAWAI,
    )


def pegawai_per_branch(session: Session, unit_ids: Collection[int]) -> dict[int, int]:
    """The active pegawai of each unit's branch (the unit and all under it). One statement."""
    query = select(HitunganCabang.unit_kerja_id, HitunganCabang.jumlah).where(
        *_active_pegawai_of(sorted(unit_ids))
    )
    return dict(session.execute(query).tuples().all())


def active_pegawai_of_city(session: Session) -> int:
    """The active pegawai of the whole city: the branches of the units at the top. One
    statement."""
    tops = select(UnitKerja.id).where(UnitKerja.parent_id.is_(None))
    query = select(func.coalesce(func.sum(HitunganCabang.jumlah), 0)).where(
        *_active_pegawai_of(tops)
    )
    return int(session.execute(query).scalar_one())


@functools.cache
def _sums_query(city: bool, prefixes: tuple[str, ...]) -> Any:
    """``sums``' statement, built once per shape (building it cost a third of its time):
    the branches of the lines (the OPDs, below the units at the top; or the sub-units of
    ``unit_id``) and the rows of the units themselves (at the top; or ``unit_id``), of
    ``periode_ids`` (with 0, no periode: hitungan_cabang.in_periods)."""
    if city:
        here: Any = select(UnitKerja.id).where(UnitKerja.parent_id.is_(None))
        lines = select(UnitKerja.id).where(UnitKerja.parent_id.in_(here))
    else:
        here = [bindparam("unit_id")]
        lines = select(UnitKerja.id).where(UnitKerja.parent_id == bindparam("unit_id"))
    periods = bindparam("periode_ids", expanding=True)
    placed_here = select(null(), Hitungan.periode_id, Hitungan.ukuran, Hitungan.jumlah).where(
        Hitungan.unit_kerja_id.in_(here),
        hitungan_cabang.in_periods(Hitungan.periode_id, periods),
        or_(*(Hitungan.ukuran.startswith(prefix) for prefix in prefixes)),
    )
    return union_all(hitungan_cabang.of_branches(lines, periods, prefixes), placed_here)


def total(groups: dict[int | None, Jumlah]) -> Jumlah:
    """The sums of every group together."""
    found = Jumlah(Counter())
    for group in groups.values():
        found.counts.update(group.counts)
    return found
