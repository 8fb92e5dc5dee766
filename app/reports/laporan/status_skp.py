"""The SKP status: where the newest SKP of the year of every active pegawai stands, since
when, and who it waits on (as on the monitoring page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, Any

from flask_babel import gettext
from sqlalchemy import DateTime, Select, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from app.domain.enums import N_
from app.models.master import Jabatan, Pegawai, UnitKerja
from app.models.skp import Skp, SkpRiwayat
from app.reports.laporan.base import (
    Pilihan,
    local,
    nama_lengkap,
    pegawai_in_scope,
    stream,
    title_block,
    translated,
    with_newest_skp,
)
from app.reports.workbook import DATE, NUMBER, Column, Formats, Table, open_workbook
from app.services import monitoring

BELUM_DIBUAT = monitoring.BELUM_DIBUAT
SKP_STATUSES = monitoring.STATUSES

STATUS_COLUMNS = (
    Column(N_("No."), 6, NUMBER),
    Column(N_("NIP"), 21),
    Column(N_("Name"), 34),
    Column(N_("Position"), 30),
    Column(N_("Work unit"), 50),
    Column(N_("SKP status"), 16),
    Column(N_("Version"), 8, NUMBER),
    Column(N_("Submitted on"), 18, DATE),
    Column(N_("Approved on"), 18, DATE),
    Column(N_("Waiting on"), 34),
    Column(N_("NIP of the appraising official"), 21),
    Column(N_("Since"), 18, DATE),
    Column(N_("Days waiting"), 10, NUMBER),
)


def _active_with_newest_skp(columns: list[Any], p: Pilihan) -> Select:
    """Who the report has a row for: each active pegawai in scope, with the newest SKP of
    the year when there is one."""
    return with_newest_skp(pegawai_in_scope(columns, p), p.cakupan.tahunan).where(
        Pegawai.aktif.is_(True)
    )


def status_count_query(p: Pilihan) -> Select:
    """As many rows as ``status_query``, without its joins of one row each (the newest
    transition of every SKP is a grouping of the whole history: 600 ms to count at 100,000
    pegawai on PostgreSQL)."""
    return _active_with_newest_skp([Pegawai.id], p)


def status_query(p: Pilihan) -> Select:
    """Active pegawai with their newest SKP of the year, since when it is where it is and
    who it waits on (as on the monitoring page)."""
    penilai = aliased(Pegawai, name="penilai")
    last_transition = (
        select(SkpRiwayat.skp_id, func.max(SkpRiwayat.waktu).label("waktu"))
        .group_by(SkpRiwayat.skp_id)
        .subquery("last_transition")
    )
    year_start = dt.datetime.combine(p.cakupan.tahunan.tanggal_mulai, dt.time(), tzinfo=p.tz)
    sejak = case(
        (Skp.status == "diajukan", Skp.diajukan_pada),
        (Skp.status == "disetujui", Skp.disetujui_pada),
        else_=func.coalesce(
            last_transition.c.waktu,
            literal(year_start.astimezone(dt.UTC).replace(tzinfo=None), DateTime),
        ),
    )
    columns = [
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        Jabatan.nama.label("jabatan"),
        UnitKerja.nama_lengkap.label("unit"),
        Skp.status,
        Skp.versi,
        Skp.diajukan_pada,
        Skp.disetujui_pada,
        sejak.label("sejak"),
        penilai.gelar_depan.label("penilai_gelar_depan"),
        penilai.nama.label("penilai_nama"),
        penilai.gelar_belakang.label("penilai_gelar_belakang"),
        penilai.nip.label("penilai_nip"),
    ]
    return (
        _active_with_newest_skp(columns, p)
        .outerjoin(Jabatan, Pegawai.jabatan_id == Jabatan.id)
        .outerjoin(last_transition, last_transition.c.skp_id == Skp.id)
        .outerjoin(
            penilai,
            penilai.id == func.coalesce(Skp.penilai_id, Pegawai.penilai_id),
        )
        .order_by(UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id)
    )


def status_rows(session: Session, p: Pilihan) -> Iterator[tuple[Any, ...]]:
    """The SKP status rows, numbered; dates and days in the local calendar."""
    today = p.today
    own_action = gettext("The employee")
    statuses = translated(SKP_STATUSES)
    for number, row in enumerate(stream(session, status_query(p), p.progress), start=1):
        status = row.status or BELUM_DIBUAT
        waiting = penilai_nip = hari = None
        if status == "diajukan":
            waiting = nama_lengkap(
                row.penilai_gelar_depan, row.penilai_nama, row.penilai_gelar_belakang
            )
            penilai_nip = row.penilai_nip
        elif status != "disetujui":
            waiting = own_action
        sejak = local(row.sejak, p.tz).date() if row.sejak is not None else None
        if status != "disetujui" and sejak is not None:
            hari = max(0, (today - sejak).days)
        yield (
            number,
            row.nip,
            nama_lengkap(row.gelar_depan, row.nama, row.gelar_belakang),
            row.jabatan,
            row.unit,
            statuses[status],
            row.versi,
            local(row.diajukan_pada, p.tz).date() if row.diajukan_pada else None,
            local(row.disetujui_pada, p.tz).date() if row.disetujui_pada else None,
            waiting,
            penilai_nip,
            sejak,
            hari,
        )


def write_status_skp(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    book = open_workbook(target)
    table = Table(
        book,
        Formats(book),
        gettext("SKP status"),
        title_block(p, gettext("SKP Status per Employee"), p.cakupan.tahunan),
        STATUS_COLUMNS,
    )
    for values in status_rows(session, p):
        table.add(values)
    count = table.finish()
    book.close()
    return count
