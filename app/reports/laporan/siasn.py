"""The settled annual results in the layout SIASN takes (app.reports.siasn: skp22)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO

from flask_babel import gettext
from sqlalchemy import Select, and_
from sqlalchemy.orm import Session, aliased

from app.domain import workflow
from app.models.master import Jabatan, Pangkat, Pegawai, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.reports import siasn as layout
from app.reports.laporan.base import (
    Pilihan,
    nama_lengkap,
    pegawai_in_scope,
    stream,
    title_block,
    with_newest_skp,
)


def siasn_query(p: Pilihan) -> Select:
    """Pegawai in scope whose annual evaluation of the newest SKP is settled (accepted or
    final), with the evaluator's NIP, name, position, unit and golongan."""
    penilai = aliased(Pegawai, name="penilai")
    penilai_jabatan = aliased(Jabatan, name="penilai_jabatan")
    penilai_unit = aliased(UnitKerja, name="penilai_unit")
    penilai_pangkat = aliased(Pangkat, name="penilai_pangkat")
    columns = [
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        Penilaian.rating_hasil_kerja,
        Penilaian.rating_perilaku_kerja,
        Penilaian.predikat,
        penilai.nip.label("penilai_nip"),
        penilai.gelar_depan.label("penilai_gelar_depan"),
        penilai.nama.label("penilai_nama"),
        penilai.gelar_belakang.label("penilai_gelar_belakang"),
        penilai_jabatan.nama.label("penilai_jabatan"),
        penilai_unit.nama.label("penilai_unit"),
        penilai_pangkat.kode.label("penilai_golongan"),
        # A non-ASN pejabat penilai (the Wali Kota for the Sekda): no NIP, marked NON ASN.
        Pegawai.penilai_non_asn_nama,
        Pegawai.penilai_non_asn_jabatan,
    ]
    return (
        with_newest_skp(pegawai_in_scope(columns, p), p.cakupan.tahunan)
        .join(
            Penilaian,
            and_(Penilaian.skp_id == Skp.id, Penilaian.periode_id == p.cakupan.tahunan.id),
        )
        .outerjoin(penilai, penilai.id == Penilaian.penilai_id)
        .outerjoin(penilai_jabatan, penilai_jabatan.id == penilai.jabatan_id)
        .outerjoin(penilai_unit, penilai_unit.id == penilai.unit_kerja_id)
        .outerjoin(penilai_pangkat, penilai_pangkat.id == penilai.pangkat_id)
        .where(
            Penilaian.status.in_(sorted(workflow.PENILAIAN_SETTLED)),
            Penilaian.predikat.is_not(None),
        )
        .order_by(UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id)
    )


def _siasn_rows(session: Session, p: Pilihan) -> Iterator[layout.Hasil]:
    for row in stream(session, siasn_query(p), p.progress):
        yield layout.Hasil(
            nip=row.nip,
            nama=nama_lengkap(row.gelar_depan, row.nama, row.gelar_belakang) or "",
            tahun=p.cakupan.tahunan.tahun,
            rating_hasil_kerja=row.rating_hasil_kerja,
            rating_perilaku_kerja=row.rating_perilaku_kerja,
            predikat=row.predikat,
            penilai_nip=row.penilai_nip,
            penilai_nama=nama_lengkap(
                row.penilai_gelar_depan, row.penilai_nama, row.penilai_gelar_belakang
            )
            or row.penilai_non_asn_nama,
            penilai_jabatan=row.penilai_jabatan or row.penilai_non_asn_jabatan,
            penilai_unit=row.penilai_unit,
            penilai_golongan=row.penilai_golongan,
        )


def write_siasn(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    title = title_block(p, gettext("Annual Performance Results for SIASN"), p.cakupan.tahunan)
    return layout.write_xlsx(target, title, _siasn_rows(session, p))


def write_siasn_csv(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    try:
        return layout.write_csv(csv.writer(text), _siasn_rows(session, p))
    finally:
        text.detach()  # the caller owns (and closes) the binary file
