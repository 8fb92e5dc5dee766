"""Angka kredit of the pegawai in a jabatan fungsional for the chosen year: the settled annual
predikat, its percentage, the jenjang's coefficient, the months in the jenjang and the angka
kredit earned (app.services.angka_kredit decides each figure)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from flask_babel import gettext
from sqlalchemy import Select, and_
from sqlalchemy.orm import Session

from app.domain import enums, scoring, workflow
from app.domain.enums import N_
from app.models.master import Jabatan, Pegawai, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.reports.laporan.base import (
    Pilihan,
    nama_lengkap,
    pegawai_in_scope,
    stream,
    title_block,
    translated,
    with_newest_skp,
)
from app.reports.workbook import NUMBER, Column, Formats, Table, open_workbook
from app.services import angka_kredit as service

ANGKA_KREDIT_COLUMNS = (
    Column(N_("No."), 6, NUMBER),
    Column(N_("NIP"), 21),
    Column(N_("Name"), 34),
    Column(N_("Current position"), 34),
    Column(N_("Level"), 18),
    Column(N_("Work unit"), 50),
    Column(N_("Predikat"), 18),
    Column(N_("Percentage (%)"), 12, NUMBER),
    Column(N_("Coefficient"), 12, NUMBER),
    Column(N_("Months"), 9, NUMBER),
    Column(N_("Credit points"), 13, NUMBER),
)


def angka_kredit_query(p: Pilihan) -> Select:
    """Pegawai in scope with a settled annual predikat on the newest SKP of the year, with
    their current jabatan (the service tells from the moves which jenjang the year counts in)."""
    columns = [
        Pegawai.id,
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        Jabatan.nama.label("jabatan"),
        Jabatan.jenis.label("jabatan_jenis"),
        Jabatan.jenjang.label("jabatan_jenjang"),
        UnitKerja.nama_lengkap.label("unit"),
        Penilaian.predikat,
    ]
    return (
        with_newest_skp(pegawai_in_scope(columns, p), p.cakupan.tahunan)
        .join(
            Penilaian,
            and_(Penilaian.skp_id == Skp.id, Penilaian.periode_id == p.cakupan.tahunan.id),
        )
        .outerjoin(Jabatan, Pegawai.jabatan_id == Jabatan.id)
        .where(
            Penilaian.status.in_(sorted(workflow.PENILAIAN_SETTLED)),
            Penilaian.predikat.is_not(None),
        )
        .order_by(UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id)
    )


def angka_kredit_rows(session: Session, p: Pilihan) -> Iterator[tuple[Any, ...]]:
    """The rows of the pegawai whose year counts in a jenjang fungsional, numbered. The moves
    of the year are read once for the whole scope: they grow with the transfers since the
    year began, not with the number of pegawai."""
    tahun = p.cakupan.tahunan.tahun
    moves = service.moves_since(session, pegawai_in_scope([Pegawai.id], p), service.start_of(tahun))
    predikat = translated(scoring.PREDIKAT)
    jenjang = translated(enums.JENJANG)
    number = 0
    for row in stream(session, angka_kredit_query(p), p.progress):
        current = (row.jabatan_jenis, row.jabatan_jenjang)
        earned = service.figures(tahun, row.predikat, current, moves.get(row.id, []))
        if earned is None:
            continue
        number += 1
        yield (
            number,
            row.nip,
            nama_lengkap(row.gelar_depan, row.nama, row.gelar_belakang),
            row.jabatan,
            jenjang.get(earned.jenjang, earned.jenjang),
            row.unit,
            predikat.get(earned.predikat, earned.predikat),
            earned.persentase,
            earned.koefisien,
            earned.bulan,
            earned.nilai,
        )


def write_angka_kredit(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    book = open_workbook(target)
    title = title_block(p, gettext("Credit Points of Functional Positions"), p.cakupan.tahunan)
    table = Table(book, Formats(book), gettext("Credit points"), title, ANGKA_KREDIT_COLUMNS)
    for values in angka_kredit_rows(session, p):
        table.add(values)
    count = table.finish()
    book.close()
    return count
