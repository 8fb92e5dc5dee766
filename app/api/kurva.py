"""REST resource of the predikat kinerja organisasi (CONTRACT.md, additions of December 2026):
``/api/v1/predikat_organisasi/`` ``{"unit_kerja_id", "periode_id", "predikat",
"nomor_penetapan"}``. Admin BKPSDM records it as the Wali Kota set it; the pimpinan OPD reads
their OPD's rows (PredikatOrganisasi.scope_owner) and gets 403 on a write. Every write is a
use case of app.services.kurva, the same the kurva page calls.

A POST for an OPD and periode that already have one answers 409: change that row (PUT).
"""

from __future__ import annotations

from marshmallow import validate

from app.api.base import ServiceWrites
from app.domain import scoring
from app.domain.enums import N_
from app.extensions import db
from app.models.penilaian import PredikatOrganisasi
from app.security import scope
from app.security.datamodel import ScopedInterface
from app.services import kurva


class PredikatOrganisasiApi(ServiceWrites):
    noun = N_("Organisation performance rating")
    resource_name = "predikat_organisasi"
    datamodel = ScopedInterface(PredikatOrganisasi)
    list_columns = show_columns = [
        "id",
        "unit_kerja_id",
        "periode_id",
        "predikat",
        "nomor_penetapan",
        "ditetapkan_oleh_id",
        "ditetapkan_pada",
    ]
    add_columns = ["unit_kerja_id", "periode_id", "predikat", "nomor_penetapan"]
    edit_columns = ["predikat", "nomor_penetapan"]
    search_columns = ["unit_kerja_id", "periode_id", "predikat"]
    order_columns = ["id", "unit_kerja_id", "periode_id", "ditetapkan_pada"]
    validators_columns = {"predikat": validate.OneOf(list(scoring.PREDIKAT_ORGANISASI))}
    include_route_methods = {"get", "get_list", "info", "post", "put", "delete"}

    def create(self) -> PredikatOrganisasi:
        body = self._validated(self.add_model_schema)
        return kurva.tetapkan(
            db.session,
            scope.viewer(),
            body.get("unit_kerja_id"),
            body.get("periode_id"),
            body.get("predikat"),
            body.get("nomor_penetapan"),
            expected="",
        )

    def update(self, pk: int) -> PredikatOrganisasi:
        body = self._validated(self.edit_model_schema)
        return kurva.ubah_penetapan(db.session, scope.viewer(), pk, body)

    def remove(self, pk: int) -> None:
        kurva.hapus_penetapan(db.session, scope.viewer(), pk)
