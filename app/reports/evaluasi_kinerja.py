"""What the Dokumen Evaluasi Kinerja Pegawai of one penilaian prints (PermenPANRB 6/2022,
DOMAIN.md "Official documents"): the three parties, the capaian kinerja organisasi of the
pegawai's OPD, the realisasi, the ratings and predikat, the feedback, the signatures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import enums, org, scoring, workflow
from app.domain.berakhlak import BERAKHLAK
from app.models.master import Pegawai, UnitKerja
from app.models.penilaian import Penilaian, PredikatOrganisasi
from app.services import penilaian as penilaian_service
from app.services import pihak


def predikat_organisasi(session: Session, penilaian: Penilaian) -> PredikatOrganisasi | None:
    """The predikat recorded for the OPD holding the pegawai's unit, for the periode."""
    unit = penilaian.skp.pegawai.unit_kerja
    if unit is None:
        return None
    opd_path = org.opd_path_of(unit.path)
    return session.execute(
        select(PredikatOrganisasi)
        .join(UnitKerja, PredikatOrganisasi.unit_kerja_id == UnitKerja.id)
        .where(UnitKerja.path == opd_path, PredikatOrganisasi.periode_id == penilaian.periode_id)
    ).scalar()


def evaluasi_context(session: Session, penilaian: Penilaian) -> dict[str, Any]:
    header = pihak.header_of(penilaian.skp)
    atasan_penilai_id = penilaian_service.atasan_penilai_of(session, penilaian)
    return {
        "item": penilaian,
        "skp": penilaian.skp,
        "pegawai": header.get("pegawai"),
        "penilai": header.get("penilai"),
        "atasan_penilai": pihak.party_header(session.get(Pegawai, atasan_penilai_id))
        if atasan_penilai_id
        else None,
        "organisasi": predikat_organisasi(session, penilaian),
        "organisasi_labels": scoring.PREDIKAT_ORGANISASI,
        "rows": penilaian_service.realisasi_rows(session, penilaian),
        "feedback": {p.nilai: p.umpan_balik for p in penilaian.perilaku},
        "berakhlak": BERAKHLAK,
        "ratings": scoring.RATINGS,
        "predikat_labels": scoring.PREDIKAT,
        "states": workflow.PENILAIAN_STATES,
        "jenis_rhk": enums.JENIS_RHK,
    }
