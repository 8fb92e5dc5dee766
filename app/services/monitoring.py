"""Monitoring of the Perencanaan stage: how far each unit is with the SKPs of a year.

For pimpinan OPD and admin BKPSDM. Every query starts from the active pegawai the viewer may
see (``scope.visible_pegawai_ids``) and joins each one's newest SKP version of the year, so a
page costs the same few statements whatever the number of pegawai; the export streams the
same query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    DateTime,
    Select,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session, aliased

from app.domain import workflow
from app.domain.enums import N_
from app.domain.org import path_ids, unit_with_opd
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.skp import Skp, SkpRiwayat
from app.security import scope
from app.services import hitungan
from app.services.cakupan import Cakupan
from app.services.paging import Halaman, page_of

BELUM_DIBUAT = "belum_dibuat"

# From furthest behind to done; the summary's columns and the status sort follow this order.
STATUSES: dict[str, str] = {
    BELUM_DIBUAT: N_("Not yet created"),
    "draft": workflow.SKP_STATES["draft"],
    "dikembalikan": workflow.SKP_STATES["dikembalikan"],
    "diajukan": workflow.SKP_STATES["diajukan"],
    "disetujui": workflow.SKP_STATES["disetujui"],
}

# Who the SKP waits on: the pejabat penilai once it is submitted, the pegawai while it is not
# yet created, a draft or returned, nobody once approved.
WAITS_ON_PENILAI = "penilai"
WAITS_ON_PEGAWAI = "pegawai"

# The columns of the detail list that can be sorted (?sort=); anything else sorts by name.
SORTS = ("nip", "nama", "unit", "status", "menunggu", "sejak", "hari")
DEFAULT_SORT = "nama"

# Unit paths are "/root/opd/…/": an OPD's id is the second one (scope.is_opd_path).
_OPD_LEVEL = 1


@dataclass(frozen=True)
class Selection:
    """What the monitoring page shows: a year and optionally one unit's subtree (``cakupan``,
    whose periode is the annual one), optionally one status, and the order of the detail
    list."""

    cakupan: Cakupan
    status: str | None = None
    sort: str = DEFAULT_SORT
    descending: bool = False


@dataclass
class SummaryRow:
    """SKP counts per status of one unit's subtree (``direct``: only the pegawai placed in
    the unit itself, not in its sub-units; ``unit_id`` None: outside every OPD)."""

    unit_id: int | None
    nama: str
    direct: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class PegawaiRow:
    pegawai_id: int
    nip: str
    nama: str
    unit: str
    status: str
    skp_id: int | None
    penilai_nama: str | None
    penilai_nip: str | None
    sejak: dt.datetime | None  # UTC, like every stored datetime
    hari: int | None  # whole days waiting, in the local calendar; None once approved

    @property
    def waits_on(self) -> str | None:
        if self.status == "disetujui":
            return None
        return WAITS_ON_PENILAI if self.status == "diajukan" else WAITS_ON_PEGAWAI


# --- periods and units ------------------------------------------------------------------


def annual_periods(session: Session) -> list[Periode]:
    """The years an SKP can be monitored for, newest first."""
    return list(
        session.execute(
            select(Periode).where(Periode.jenis == "tahunan").order_by(Periode.tahun.desc())
        ).scalars()
    )


def breadcrumbs(session: Session, unit: UnitKerja | None) -> list[tuple[int, str]]:
    """(id, nama) of the unit's ancestors from its OPD down, the unit itself excluded."""
    if unit is None:
        return []
    ids = path_ids(unit.path)[_OPD_LEVEL:-1]
    if not ids:
        return []
    names = {
        row.id: row.nama
        for row in session.execute(
            select(UnitKerja.id, UnitKerja.nama).where(UnitKerja.id.in_(ids))
        )
    }
    return [(unit_id, names[unit_id]) for unit_id in ids if unit_id in names]


def _slashes(column: Any) -> Any:
    return func.length(column) - func.length(func.replace(column, "/", ""))


# --- the query every part of the page shares ---------------------------------------------


def _from_pegawai(columns: list[Any], viewer: scope.Viewer, cakupan: Cakupan) -> Select:
    """Active pegawai in the viewer's scope (and the unit's subtree) with their newest SKP
    version of the year, outer-joined so that "not yet created" is a NULL SKP."""
    query = (
        select(*columns)
        .select_from(Pegawai)
        .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .outerjoin(Skp, Skp.newest_of_year(Pegawai.id, cakupan.tahunan.id))
        .where(Pegawai.aktif.is_(True))
    )
    clause = scope.visible_pegawai_ids_under(viewer, cakupan.unit.path if cakupan.unit else None)
    if clause is not None:
        query = query.where(clause)
    if cakupan.unit is not None:
        query = query.where(UnitKerja.path.startswith(cakupan.unit.path, autoescape=True))
    return query


# --- the summary per unit ----------------------------------------------------------------


def _counts(session: Session, viewer: scope.Viewer, cakupan: Cakupan) -> list[tuple[Any, ...]]:
    """(group, status or None for "not yet created", count) of the cakupan's year, the group
    being kepatuhan.group_key (the OPD, or the sub-unit of the chosen unit): from the
    maintained counts when they are the viewer's figures (app.services.hitungan), else
    counted live. One statement."""
    from app.services.kepatuhan import group_key

    unit, tahunan = cakupan.unit, cakupan.tahunan.id
    if scope.sees_every_pegawai_under(viewer, unit.path if unit else None):
        found: list[tuple[Any, ...]] = []
        for key, jumlah in hitungan.sums(
            session, unit, [tahunan], (hitungan.PEGAWAI, hitungan.SKP)
        ).items():
            found.append((key, None, jumlah.tanpa_skp(tahunan)))
            statuses = jumlah.statuses(tahunan, hitungan.SKP)
            found.extend((key, status, count) for status, count in statuses.items())
        return found
    counted = _from_pegawai([UnitKerja.path, Skp.status, func.count(Pegawai.id)], viewer, cakupan)
    return [
        (group_key(path, unit), status, count)
        for path, status, count in session.execute(counted.group_by(UnitKerja.path, Skp.status))
    ]


def summary(
    session: Session, viewer: scope.Viewer, cakupan: Cakupan
) -> tuple[list[SummaryRow], SummaryRow]:
    """SKP counts per status of the cakupan's year, one row per OPD (or per sub-unit of the
    chosen unit) counting its whole subtree, and the total. Two statements: the units, and
    one aggregate (of the maintained counts when they serve the viewer)."""
    unit = cakupan.unit
    if unit is None:
        groups_query = select(UnitKerja.id, UnitKerja.nama, UnitKerja.path).where(
            _slashes(UnitKerja.path) == 3
        )
        direct = SummaryRow(None, N_("Outside any OPD"), direct=True)
    else:
        groups_query = select(UnitKerja.id, UnitKerja.nama, UnitKerja.path).where(
            UnitKerja.parent_id == unit.id
        )
        direct = SummaryRow(unit.id, unit.nama, direct=True)
    groups: dict[int, tuple[SummaryRow, str]] = {
        row.id: (SummaryRow(row.id, row.nama), row.path)
        for row in session.execute(groups_query.order_by(UnitKerja.nama, UnitKerja.id))
    }
    for key, status, count in _counts(session, viewer, cakupan):
        group = groups.get(key) if key is not None else None
        target = group[0] if group else direct
        target.counts[status or BELUM_DIBUAT] += count

    def shown(row: SummaryRow, path: str) -> bool:
        # Admin sees every OPD, a pimpinan every unit of their OPD even when still empty.
        return (
            viewer.is_admin
            or row.total > 0
            or any(path.startswith(opd) for opd in viewer.opd_paths)
        )

    rows = [row for row, path in groups.values() if shown(row, path)]
    if direct.total:
        # The drilled unit's own pegawai head the list; pegawai outside any OPD close it.
        rows.insert(0 if unit is not None else len(rows), direct)
    total = SummaryRow(None, N_("Total"))
    for row in rows:
        for status, count in row.counts.items():
            total.counts[status] += count
    return rows, total


# --- the detail list ---------------------------------------------------------------------


# Built once: an alias adapts its columns on first use.
_PENILAI = aliased(Pegawai, name="penilai")


def _detail_query(viewer: scope.Viewer, selection: Selection, period_start: dt.datetime) -> Select:
    penilai = _PENILAI
    # Looked up per row (an index on skp_riwayat.skp_id), not grouped over every SKP's
    # history first.
    last_transition = (
        select(func.max(SkpRiwayat.waktu)).where(SkpRiwayat.skp_id == Skp.id).scalar_subquery()
    )
    # Since when the SKP is where it is: submitted or approved at, else its last transition
    # (a return), else the start of the year (nothing done yet).
    sejak = case(
        (Skp.status == "diajukan", Skp.diajukan_pada),
        (Skp.status == "disetujui", Skp.disetujui_pada),
        else_=func.coalesce(last_transition, literal(period_start, DateTime)),
    )
    columns = [
        Pegawai.id,
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        UnitKerja.nama.label("unit"),
        UnitKerja.nama_lengkap.label("unit_lengkap"),
        Skp.id.label("skp_id"),
        Skp.status,
        sejak.label("sejak"),
        penilai.gelar_depan.label("penilai_gelar_depan"),
        penilai.nama.label("penilai_nama"),
        penilai.gelar_belakang.label("penilai_gelar_belakang"),
        penilai.nip.label("penilai_nip"),
    ]
    query = _from_pegawai(columns, viewer, selection.cakupan)
    query = query.outerjoin(
        penilai,
        penilai.id == func.coalesce(Skp.penilai_id, Pegawai.penilai_id),
    )
    if selection.status == BELUM_DIBUAT:
        query = query.where(Skp.id.is_(None))
    elif selection.status in STATUSES:
        query = query.where(Skp.status == selection.status)

    status_rank = case(
        {status: rank for rank, status in enumerate(STATUSES)}, value=Skp.status, else_=0
    )
    done_last = case((Skp.status == "disetujui", 1), else_=0)
    waits_on_rank = case((Skp.status == "diajukan", 0), (Skp.status == "disetujui", 2), else_=1)
    # (expression, reversed): "reversed" runs against the chosen direction (more days waiting
    # = an earlier "since"); None keeps ascending whatever the direction.
    keys: dict[str, list[tuple[Any, bool | None]]] = {
        "nip": [(Pegawai.nip, False)],
        "nama": [(Pegawai.nama, False)],
        "unit": [(UnitKerja.nama, False)],
        "status": [(status_rank, False)],
        "menunggu": [(waits_on_rank, False), (penilai.nama, False)],
        "sejak": [(sejak, False)],
        "hari": [(done_last, None), (sejak, True)],
    }
    order = []
    for expression, reverse in keys.get(selection.sort, keys[DEFAULT_SORT]):
        descending = False if reverse is None else selection.descending != reverse
        order.append(expression.desc() if descending else expression.asc())
    return query.order_by(*order, Pegawai.nama, Pegawai.id)


def _full_name(depan: str | None, nama: str | None, belakang: str | None) -> str | None:
    if nama is None:
        return None
    return f"{depan + ' ' if depan else ''}{nama}{', ' + belakang if belakang else ''}"


def _local_date(moment: dt.datetime, tz: dt.tzinfo) -> dt.date:
    return moment.replace(tzinfo=dt.UTC).astimezone(tz).date()


def _row(record: Any, now: dt.datetime, tz: dt.tzinfo) -> PegawaiRow:
    status = record.status or BELUM_DIBUAT
    hari = None
    if status != "disetujui" and record.sejak is not None:
        hari = max(0, (_local_date(now, tz) - _local_date(record.sejak, tz)).days)
    waits_on_penilai = status == "diajukan"
    return PegawaiRow(
        pegawai_id=record.id,
        nip=record.nip,
        nama=_full_name(record.gelar_depan, record.nama, record.gelar_belakang) or "",
        unit=unit_with_opd(record.unit, record.unit_lengkap),
        status=status,
        skp_id=record.skp_id,
        penilai_nama=_full_name(
            record.penilai_gelar_depan, record.penilai_nama, record.penilai_gelar_belakang
        )
        if waits_on_penilai
        else None,
        penilai_nip=record.penilai_nip if waits_on_penilai else None,
        sejak=record.sejak,
        hari=hari,
    )


def period_start_utc(periode: Periode, tz: dt.tzinfo) -> dt.datetime:
    """Midnight of the period's first day in the local calendar, as a stored (UTC) time."""
    local = dt.datetime.combine(periode.tanggal_mulai, dt.time(), tzinfo=tz)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def pegawai_page(
    session: Session,
    viewer: scope.Viewer,
    selection: Selection,
    nomor: int,
    now: dt.datetime,
    tz: dt.tzinfo,
    total: SummaryRow | None = None,
) -> Halaman[PegawaiRow]:
    """One page of the detail list (``now`` in UTC, ``tz`` the local calendar for days
    waiting). Two statements: the count and the page; one when ``total``, the summary's
    total of the same selection (``summary``), gives the count."""
    query = _detail_query(viewer, selection, period_start_utc(selection.cakupan.tahunan, tz))
    known = None
    if total is not None:
        known = total.counts[selection.status] if selection.status in STATUSES else total.total
    page = page_of(session, query, nomor, entities=False, total=known)
    return replace(page, rows=[_row(r, now, tz) for r in page.rows])


def iter_pegawai(
    session: Session,
    viewer: scope.Viewer,
    selection: Selection,
    now: dt.datetime,
    tz: dt.tzinfo,
) -> Iterator[PegawaiRow]:
    """The whole detail list in the chosen order, streamed from one statement (the export)."""
    query = _detail_query(viewer, selection, period_start_utc(selection.cakupan.tahunan, tz))
    for record in session.execute(query.execution_options(yield_per=500)):
        yield _row(record, now, tz)
