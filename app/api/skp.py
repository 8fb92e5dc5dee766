"""REST resources of the SKP and its workflow actions (CONTRACT.md). Thin: every rule lives
in app.services.skp and app.domain.workflow."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_appbuilder.api import expose, protect, safe
from marshmallow import validate

from app.api.base import ServiceWrites
from app.domain import enums
from app.domain.enums import N_
from app.extensions import db
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
from app.security import scope
from app.security.datamodel import ScopedInterface
from app.services import skp as skp_service
from app.services.errors import checked_id


def _state_of(skp: Skp) -> dict[str, Any]:
    """A workflow action's answer: the new state, and whom the act was done for."""
    last = skp.riwayat[-1] if skp.riwayat else None
    return {"id": skp.id, "status": skp.status, "atas_nama": last.atas_nama if last else None}


class SkpApi(ServiceWrites):
    noun = N_("SKP")
    resource_name = "skp"
    datamodel = ScopedInterface(Skp)
    list_columns = show_columns = [
        "id",
        "pegawai_id",
        "periode_id",
        "versi",
        "pendekatan",
        "model",
        "status",
        "penilai_id",
        "dukungan_sumber_daya",
        "skema_pertanggungjawaban",
        "konsekuensi",
        "diajukan_pada",
        "disetujui_pada",
        "berlaku_mulai",
        "berlaku_sampai",
        "version_id",
    ]
    add_columns = [
        "pegawai_id",
        "periode_id",
        "pendekatan",
        "dukungan_sumber_daya",
        "skema_pertanggungjawaban",
        "konsekuensi",
    ]
    edit_columns = ["pendekatan", "dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi"]
    search_columns = ["pegawai_id", "periode_id", "status", "penilai_id"]
    order_columns = ["id", "status", "diajukan_pada"]
    validators_columns = {"pendekatan": validate.OneOf(list(enums.PENDEKATAN))}
    include_route_methods = {
        "get",
        "get_list",
        "info",
        "post",
        "put",
        "submit",
        "approve",
        "return_",
    }
    method_permission_name = {"submit": "post", "approve": "put", "return_": "put"}

    def create(self) -> Skp:
        # The owner is the caller unless named (CONTRACT.md: admin BKPSDM names anyone).
        body = self._validated(self.add_model_schema)
        return skp_service.create_skp(
            db.session,
            scope.viewer(),
            body.get("periode_id"),
            body.get("pendekatan", "kuantitatif"),
            pegawai_id=body.get("pegawai_id"),
            lampiran=body,
        )

    def update(self, pk: int) -> Skp:
        body = self._validated(self.edit_model_schema)
        return skp_service.update_lampiran(db.session, pk, scope.viewer(), body)

    def _act(self, pk: int, action: Any) -> Response:
        return self._write(lambda: action(pk), 200, answer=_state_of)

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    @safe
    def submit(self, pk: int) -> Response:
        """Submit an SKP to the pejabat penilai."""
        version = self._action_body().get("version_id")
        return self._act(pk, lambda i: skp_service.submit(db.session, i, scope.viewer(), version))

    @expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    @safe
    def approve(self, pk: int) -> Response:
        """Approve a submitted SKP (pejabat penilai; admin BKPSDM for a non-ASN one, as
        multipart/form-data with the signed ``dokumen``)."""
        body = self._action_body()
        return self._act(
            pk,
            lambda i: skp_service.approve(
                db.session,
                i,
                scope.viewer(),
                body.get("catatan"),
                body.get("version_id"),
                self._dokumen(),
            ),
        )

    @expose("/<int:pk>/return", methods=["POST"])
    @protect()
    @safe
    def return_(self, pk: int) -> Response:
        """Return a submitted SKP with a mandatory catatan (pejabat penilai)."""
        body = self._action_body()
        return self._act(
            pk,
            lambda i: skp_service.return_(
                db.session,
                i,
                scope.viewer(),
                body.get("catatan"),
                body.get("version_id"),
                self._dokumen(),
            ),
        )


class RencanaHasilKerjaApi(ServiceWrites):
    noun = N_("Work result plan")
    resource_name = "rencana_hasil_kerja"
    datamodel = ScopedInterface(RencanaHasilKerja)
    list_columns = show_columns = [
        "id",
        "skp_id",
        "jenis",
        "uraian",
        "intervensi_id",
        "penugasan_dari",
        "perspektif",
        "urutan",
    ]
    # The order of the RHK is the SKP's (app.services.skp), never the client's.
    add_columns = ["skp_id", "jenis", "uraian", "intervensi_id", "penugasan_dari", "perspektif"]
    edit_columns = ["jenis", "uraian", "intervensi_id", "penugasan_dari", "perspektif"]
    search_columns = ["skp_id", "jenis", "intervensi_id"]
    validators_columns = {
        "jenis": validate.OneOf(list(enums.JENIS_RHK)),
        "uraian": validate.Length(min=1, max=5000),
    }

    def create(self) -> RencanaHasilKerja:
        body = self._validated(self.add_model_schema)
        return skp_service.add_rhk(
            db.session,
            checked_id(body.get("skp_id"), "skp_id"),
            scope.viewer(),
            body.get("jenis"),
            body.get("uraian"),
            body.get("intervensi_id"),
            body.get("penugasan_dari"),
            body.get("perspektif"),
        )

    def update(self, pk: int) -> RencanaHasilKerja:
        body = self._validated(self.edit_model_schema)
        return skp_service.update_rhk(db.session, pk, scope.viewer(), body)

    def remove(self, pk: int) -> None:
        skp_service.delete_rhk(db.session, pk, scope.viewer())


class IndikatorKinerjaApi(ServiceWrites):
    noun = N_("Performance indicator")
    resource_name = "indikator_kinerja"
    datamodel = ScopedInterface(IndikatorKinerja)
    list_columns = show_columns = [
        "id",
        "rencana_hasil_kerja_id",
        "aspek",
        "uraian",
        "target",
        "target_uraian",
        "satuan",
        "manual_indikator",
    ]
    # ``manual_indikator`` (JPT SKP only) is an object keyed by enums.MANUAL_INDIKATOR
    # (definisi, tujuan, formula, jenis, unit_penanggung_jawab, unit_penyedia_data,
    # sumber_data, periode_pelaporan); a refusal names its field as manual_indikator.<key>.
    add_columns = [
        "rencana_hasil_kerja_id",
        "aspek",
        "uraian",
        "target",
        "target_uraian",
        "satuan",
        "manual_indikator",
    ]
    edit_columns = ["aspek", "uraian", "target", "target_uraian", "satuan", "manual_indikator"]
    search_columns = ["rencana_hasil_kerja_id", "aspek"]
    # The target's range is the pages' rule (skp_service.parse_target: > 0 and within
    # Numeric(14, 2)), not a marshmallow Range: a Decimal field's Range puts a string
    # ("0.00") in the OpenAPI document as the minimum, and had no upper bound.
    validators_columns = {
        "aspek": validate.OneOf(list(enums.ASPEK)),
        "uraian": validate.Length(min=1, max=5000),
        "satuan": validate.Length(min=1, max=40),
    }

    def create(self) -> IndikatorKinerja:
        body = self._validated(self.add_model_schema)
        return skp_service.add_indikator(
            db.session,
            body.get("rencana_hasil_kerja_id"),
            scope.viewer(),
            body.get("aspek"),
            body.get("uraian"),
            body.get("target"),
            body.get("satuan"),
            body.get("target_uraian"),
            body.get("manual_indikator"),
        )

    def update(self, pk: int) -> IndikatorKinerja:
        body = self._validated(self.edit_model_schema)
        return skp_service.update_indikator(db.session, pk, scope.viewer(), body)

    def remove(self, pk: int) -> None:
        skp_service.delete_indikator(db.session, pk, scope.viewer())
