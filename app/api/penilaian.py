"""REST resource of evaluations and their workflow actions (CONTRACT.md). The predikat is
read-only: it is always computed from the two ratings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from flask_appbuilder.api import expose, protect, safe

from app.api.base import ServiceWrites
from app.domain.enums import N_
from app.extensions import db
from app.models.penilaian import Penilaian
from app.security import scope
from app.security.datamodel import ScopedInterface
from app.services import penilaian as penilaian_service


def _state_of(item: Penilaian) -> dict[str, Any]:
    """A workflow action's answer: the new state, and whom the act was done for."""
    last = max(item.riwayat, key=lambda r: (r.waktu, r.id or 0), default=None)
    return {
        "id": item.id,
        "status": item.status,
        "predikat": item.predikat,
        "atas_nama": last.atas_nama if last else None,
    }


class PenilaianApi(ServiceWrites):
    noun = N_("Evaluation")
    resource_name = "penilaian"
    datamodel = ScopedInterface(Penilaian)
    list_columns = show_columns = [
        "id",
        "skp_id",
        "periode_id",
        "rating_hasil_kerja",
        "rating_perilaku_kerja",
        "predikat",
        "status",
        "umpan_balik",
        "alasan_rating",
        "penilai_id",
        "diajukan_pada",
        "dinilai_pada",
        "ditanggapi_pada",
        "keberatan_alasan",
        "diputus_oleh_id",
        "diputus_pada",
        "keputusan_catatan",
        "version_id",
    ]
    search_columns = ["skp_id", "periode_id", "status", "predikat", "penilai_id"]
    order_columns = ["id", "status", "dinilai_pada"]
    include_route_methods = {
        "get",
        "get_list",
        "info",
        "submit",
        "rate",
        "accept",
        "object_",
        "decide",
    }
    method_permission_name = {
        "submit": "put",
        "rate": "put",
        "accept": "put",
        "object_": "put",
        "decide": "put",
    }

    def _act(self, change: Callable[[dict[str, Any]], Penilaian]) -> Response:
        body = self._action_body()
        return self._write(lambda: change(body), 200, answer=_state_of)

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    @safe
    def submit(self, pk: int) -> Response:
        """The pegawai submits the periode's realisasi for evaluation."""
        return self._act(
            lambda b: penilaian_service.submit(db.session, pk, scope.viewer(), b.get("version_id"))
        )

    @expose("/<int:pk>/rate", methods=["POST"])
    @protect()
    @safe
    def rate(self, pk: int) -> Response:
        """The pejabat penilai rates; the predikat follows from the matrix."""
        return self._act(
            lambda b: penilaian_service.rate(
                db.session,
                pk,
                scope.viewer(),
                b.get("rating_hasil_kerja"),
                b.get("rating_perilaku_kerja"),
                b.get("umpan_balik"),
                None,
                b.get("version_id"),
                self._dokumen(),
                alasan_rating=b.get("alasan_rating"),
            )
        )

    @expose("/<int:pk>/accept", methods=["POST"])
    @protect()
    @safe
    def accept(self, pk: int) -> Response:
        """The pegawai accepts the rating."""
        return self._act(
            lambda b: penilaian_service.accept(db.session, pk, scope.viewer(), b.get("version_id"))
        )

    @expose("/<int:pk>/object", methods=["POST"])
    @protect()
    @safe
    def object_(self, pk: int) -> Response:
        """The pegawai objects with a reason, within the objection window."""
        return self._act(
            lambda b: penilaian_service.object_(
                db.session, pk, scope.viewer(), b.get("alasan"), b.get("version_id")
            )
        )

    @expose("/<int:pk>/decide", methods=["POST"])
    @protect()
    @safe
    def decide(self, pk: int) -> Response:
        """The atasan pejabat penilai decides an objection (final)."""
        return self._act(
            lambda b: penilaian_service.decide(
                db.session,
                pk,
                scope.viewer(),
                b.get("rating_hasil_kerja"),
                b.get("rating_perilaku_kerja"),
                b.get("catatan"),
                b.get("version_id"),
            )
        )
