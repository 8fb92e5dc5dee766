"""The roster: every pegawai in scope, active or not, as of today."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from flask_babel import gettext
from sqlalchemy import Select
from sqlalchemy.orm import Session, aliased

from app.domain import enums
from app.domain.enums import N_
from app.formatting import tanggal
from app.models.master import Jabatan, Pangkat, Pegawai, UnitKerja
from app.reports.laporan.base import (
    Pilihan,
    nama_lengkap,
    pangkat_label,
    pegawai_in_scope,
    stream,
    title_block,
    translated,
)
from app.reports.workbook import NUMBER, Column, Formats, Table, open_workbook

PEGAWAI_COLUMNS = (
    Column(N_("No."), 6, NUMBER),
    Column(N_("NIP"), 21),
    Column(N_("Name"), 34),
    Column(N_("Rank/grade"), 26),
    Column(N_("Position"), 34),
    Column(N_("Work unit"), 60),
    Column(N_("Direct supervisor"), 34),
    Column(N_("NIP of the direct supervisor"), 21),
    Column(N_("Civil servant type"), 14),
    Column(N_("Status"), 11),
)


def pegawai_query(p: Pilihan) -> Select:
    """Every pegawai in scope, active or not, ordered by unit and name."""
    atasan = aliased(Pegawai, name="atasan")
    columns = [
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        Pangkat.kode.label("pangkat_kode"),
        Pangkat.nama.label("pangkat_nama"),
        Pangkat.jenis_asn.label("pangkat_jenis"),
        Jabatan.nama.label("jabatan"),
        UnitKerja.nama_lengkap.label("unit"),
        atasan.gelar_depan.label("atasan_gelar_depan"),
        atasan.nama.label("atasan_nama"),
        atasan.gelar_belakang.label("atasan_gelar_belakang"),
        atasan.nip.label("atasan_nip"),
        Pegawai.jenis_asn,
        Pegawai.aktif,
    ]
    return (
        pegawai_in_scope(columns, p)
        .outerjoin(Pangkat, Pegawai.pangkat_id == Pangkat.id)
        .outerjoin(Jabatan, Pegawai.jabatan_id == Jabatan.id)
        .outerjoin(atasan, atasan.id == Pegawai.atasan_id)
        .order_by(UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id)
    )


def pegawai_rows(session: Session, p: Pilihan) -> Iterator[tuple[Any, ...]]:
    """The roster's rows, numbered, as the sheet shows them."""
    active, inactive = gettext("Active"), gettext("Inactive")
    jenis_asn_labels = translated(enums.JENIS_ASN)
    # Unpacked by position (the order of pegawai_query's columns): a hundred thousand rows
    # of fifteen named look-ups each cost more than writing their cells.
    for number, (
        nip,
        gelar_depan,
        nama,
        gelar_belakang,
        pangkat_kode,
        pangkat_nama,
        pangkat_jenis,
        jabatan,
        unit,
        atasan_gelar_depan,
        atasan_nama,
        atasan_gelar_belakang,
        atasan_nip,
        jenis_asn,
        aktif,
    ) in enumerate(stream(session, pegawai_query(p), p.progress), start=1):
        yield (
            number,
            nip,
            nama_lengkap(gelar_depan, nama, gelar_belakang),
            pangkat_label(pangkat_kode, pangkat_nama, pangkat_jenis),
            jabatan,
            unit,
            nama_lengkap(atasan_gelar_depan, atasan_nama, atasan_gelar_belakang),
            atasan_nip,
            jenis_asn_labels.get(jenis_asn, jenis_asn),
            active if aktif else inactive,
        )


def write_pegawai(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    book = open_workbook(target)
    # The roster is the state of today, whatever the year chosen.
    title = title_block(
        p, gettext("Employee Roster"), gettext("as of %(date)s", date=tanggal(p.today))
    )
    table = Table(book, Formats(book), gettext("Employees"), title, PEGAWAI_COLUMNS)
    for values in pegawai_rows(session, p):
        table.add(values)
    count = table.finish()
    book.close()
    return count
