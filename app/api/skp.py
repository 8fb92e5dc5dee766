"""REST resources of the SKP and its workflow actions (CONTRACT.md). Thin: every rule lives
in app.services.skp and app.domain.workflow."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_appbuilder.api import expose, protect, safe
from marshmallow import validate
from sqlalchemy.orm.exc import StaleDataError

from app.api.base import SikapModelApi
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole
from app.extensions import db
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
from app.security import scope
from app.security.datamodel import ScopedInterface
from app.services import skp as skp_service

PENDEKATAN = ["kuantitatif", "kualitatif"]
JENIS_RHK = ["utama", "tambahan"]
ASPEK = ["kuantitas", "kualitas", "waktu", "biaya"]


def _viewer() -> scope.Viewer:
    return scope.current_viewer(db.session)


class SkpApi(SikapModelApi):
    resource_name = "skp"
    datamodel = ScopedInterface(Skp)
    list_columns = show_columns = [
        "id",
        "pegawai_id",
        "periode_id",
        "versi",
        "pendekatan",
        "status",
        "penilai_id",
        "dukungan_sumber_daya",
        "skema_pertanggungjawaban",
        "konsekuensi",
        "diajukan_pada",
        "disetujui_pada",
        "version_id",
    ]
    add_columns = [
        "periode_id",
        "pendekatan",
        "dukungan_sumber_daya",
        "skema_pertanggungjawaban",
        "konsekuensi",
    ]
    edit_columns = ["pendekatan", "dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi"]
    search_columns = ["pegawai_id", "periode_id", "status", "penilai_id"]
    order_columns = ["id", "status", "diajukan_pada"]
    validators_columns = {"pendekatan": validate.OneOf(PENDEKATAN)}
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

    def pre_add(self, item: Skp) -> None:
        # The owner is whoever is signed in; a pegawai_id in the body is never trusted.
        viewer = _viewer()
        if viewer.pegawai_id is None:
            raise NotYourRole(N_("Your account is not linked to an employee."))
        item.pegawai_id = viewer.pegawai_id
        item.status = "draft"
        skp_service.check_new_skp(db.session, item)

    def pre_update(self, item: Skp) -> None:
        skp_service.check_editable_by_owner(item, _viewer())
        skp_service.touch(item)

    def _act(self, pk: int, action: Any) -> Response:
        try:
            skp = action(pk)
            db.session.commit()
        except DomainError as error:
            return self._domain_response(error)
        except StaleDataError:
            return self._domain_response(skp_service.stale())
        return self.response(200, id=skp.id, status=skp.status)

    def _body(self) -> dict[str, Any]:
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    @safe
    def submit(self, pk: int) -> Response:
        """Submit an SKP to the pejabat penilai."""
        version = self._body().get("version_id")
        return self._act(pk, lambda i: skp_service.submit(db.session, i, _viewer(), version))

    @expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    @safe
    def approve(self, pk: int) -> Response:
        """Approve a submitted SKP (pejabat penilai)."""
        body = self._body()
        return self._act(
            pk,
            lambda i: skp_service.approve(
                db.session, i, _viewer(), body.get("catatan"), body.get("version_id")
            ),
        )

    @expose("/<int:pk>/return", methods=["POST"])
    @protect()
    @safe
    def return_(self, pk: int) -> Response:
        """Return a submitted SKP with a mandatory catatan (pejabat penilai)."""
        body = self._body()
        return self._act(
            pk,
            lambda i: skp_service.return_(
                db.session, i, _viewer(), body.get("catatan"), body.get("version_id")
            ),
        )


class RencanaHasilKerjaApi(SikapModelApi):
    resource_name = "rencana_hasil_kerja"
    datamodel = ScopedInterface(RencanaHasilKerja)
    list_columns = show_columns = [
        "id",
        "skp_id",
        "jenis",
        "uraian",
        "intervensi_id",
        "penugasan_dari",
        "urutan",
    ]
    add_columns = ["skp_id", "jenis", "uraian", "intervensi_id", "penugasan_dari", "urutan"]
    edit_columns = ["jenis", "uraian", "intervensi_id", "penugasan_dari", "urutan"]
    search_columns = ["skp_id", "jenis", "intervensi_id"]
    validators_columns = {
        "jenis": validate.OneOf(JENIS_RHK),
        "uraian": validate.Length(min=1, max=5000),
    }

    def _check(self, item: RencanaHasilKerja) -> None:
        skp = skp_service.editable_skp(db.session, item.skp_id, _viewer())
        skp_service.check_cascade(db.session, skp, item.intervensi_id, item.penugasan_dari)

    pre_add = pre_update = _check

    def pre_delete(self, item: RencanaHasilKerja) -> None:
        skp_service.editable_skp(db.session, item.skp_id, _viewer())


class IndikatorKinerjaApi(SikapModelApi):
    resource_name = "indikator_kinerja"
    datamodel = ScopedInterface(IndikatorKinerja)
    list_columns = show_columns = [
        "id",
        "rencana_hasil_kerja_id",
        "aspek",
        "uraian",
        "target",
        "satuan",
    ]
    add_columns = ["rencana_hasil_kerja_id", "aspek", "uraian", "target", "satuan"]
    edit_columns = ["aspek", "uraian", "target", "satuan"]
    search_columns = ["rencana_hasil_kerja_id", "aspek"]
    # The target's range is the pages' rule (skp_service.parse_target: > 0 and within
    # Numeric(14, 2)), not a marshmallow Range: a Decimal field's Range puts a string
    # ("0.00") in the OpenAPI document as the minimum, and had no upper bound.
    validators_columns = {
        "aspek": validate.OneOf(ASPEK),
        "uraian": validate.Length(min=1, max=5000),
        "satuan": validate.Length(min=1, max=40),
    }

    def _check(self, item: IndikatorKinerja) -> None:
        rhk = db.session.get(RencanaHasilKerja, item.rencana_hasil_kerja_id)
        if rhk is None:
            raise skp_service.NotFound(N_("Work result plan not found."))
        skp_service.editable_skp(db.session, rhk.skp_id, _viewer())
        item.target = skp_service.parse_target(item.target)

    pre_add = pre_update = pre_delete = _check
