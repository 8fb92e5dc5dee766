"""REST API resources under /api/v1 (CONTRACT.md), registered in one place."""

from __future__ import annotations

from flask_appbuilder import AppBuilder

from app.api.audit import AuditLogApi
from app.api.catatan_masuk import CatatanMasukApi
from app.api.kurva import PredikatOrganisasiApi
from app.api.laporan import LaporanApi
from app.api.master import (
    JabatanApi,
    PangkatApi,
    PegawaiApi,
    PenugasanApi,
    PeriodeApi,
    UnitKerjaApi,
)
from app.api.penilaian import PenilaianApi
from app.api.realisasi import BuktiDukungApi, RealisasiApi
from app.api.rison_schema import install as check_rison_schemas_once
from app.api.sesi import SesiApi
from app.api.skp import IndikatorKinerjaApi, RencanaHasilKerjaApi, SkpApi
from app.api.umpan_balik import UmpanBalikApi


def register_apis(appbuilder: AppBuilder) -> None:
    check_rison_schemas_once()
    for api in (
        UnitKerjaApi,
        JabatanApi,
        PangkatApi,
        PeriodeApi,
        PegawaiApi,
        PenugasanApi,
        AuditLogApi,
        CatatanMasukApi,
        SkpApi,
        RencanaHasilKerjaApi,
        IndikatorKinerjaApi,
        PenilaianApi,
        UmpanBalikApi,
        RealisasiApi,
        BuktiDukungApi,
        PredikatOrganisasiApi,
        LaporanApi,
        SesiApi,
    ):
        appbuilder.add_api(api)
