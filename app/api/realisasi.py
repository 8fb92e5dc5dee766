"""REST resources of realisasi and bukti dukung (CONTRACT.md). Reads are FAB's, through the
scoped datamodel; every write calls app.services.realisasi, the same use cases as the page.

- ``/api/v1/realisasi/``: ``indikator_kinerja_id``, ``periode_id``, ``nilai``, ``catatan``;
  reads also carry ``capaian`` (percent, app.domain.capaian). An indikator whose target is
  words only (kualitatif) takes ``nilai`` null with ``catatan``; its ``capaian`` is null.
- ``/api/v1/bukti_dukung/``: POST either multipart/form-data with ``realisasi_id``, ``file``
  and optional ``keterangan``, or JSON ``{"realisasi_id", "url", "keterangan"}``;
  ``GET /api/v1/bukti_dukung/<id>/download`` returns an uploaded file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, request
from flask_appbuilder.api import expose, protect, safe
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from app import refusals, uploads
from app.api.base import ServiceWrites
from app.domain import capaian
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.extensions import db
from app.models.monitoring import BuktiDukung, Realisasi
from app.models.skp import IndikatorKinerja
from app.security import scope
from app.security.datamodel import ScopedInterface
from app.services import realisasi as realisasi_service
from app.services.errors import checked_id


def _id_field(body: Any, field: str) -> int:
    """A required id from a JSON body or a form (422 with an Indonesian message otherwise)."""
    value = body.get(field) if hasattr(body, "get") else None
    if value is None or value == "":
        raise DomainError(N_("This field is required."), field=field)
    return checked_id(value, field)


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class RealisasiApi(ServiceWrites):
    noun = N_("Realisation")
    resource_name = "realisasi"
    datamodel = ScopedInterface(Realisasi)
    list_columns = show_columns = [
        "id",
        "indikator_kinerja_id",
        "periode_id",
        "nilai",
        "catatan",
        "diubah_pada",
        "version_id",
    ]
    add_columns = ["indikator_kinerja_id", "periode_id", "nilai", "catatan"]
    edit_columns = ["nilai", "catatan"]
    search_columns = ["indikator_kinerja_id", "periode_id"]
    order_columns = ["id", "indikator_kinerja_id", "periode_id", "diubah_pada"]
    include_route_methods = {"get", "get_list", "info", "post", "put", "delete"}

    def create(self) -> Realisasi:
        body = self._json()
        return realisasi_service.create(
            db.session,
            scope.viewer(),
            _id_field(body, "indikator_kinerja_id"),
            _id_field(body, "periode_id"),
            body.get("nilai"),
            body.get("catatan"),
        )

    def update(self, pk: int) -> Realisasi:
        current = realisasi_service.get_realisasi(db.session, pk, scope.viewer())
        body = self._json()
        return realisasi_service.update(
            db.session,
            scope.viewer(),
            current.id,
            body.get("nilai", current.nilai),
            body.get("catatan", current.catatan),
            body.get("version_id"),
        )

    def remove(self, pk: int) -> None:
        realisasi_service.delete(db.session, scope.viewer(), pk)

    def _capaian(self, ids: list[int]) -> dict[int, str | None]:
        rows = db.session.execute(
            select(Realisasi.id, IndikatorKinerja.aspek, IndikatorKinerja.target, Realisasi.nilai)
            .join(IndikatorKinerja, Realisasi.indikator_kinerja_id == IndikatorKinerja.id)
            .where(Realisasi.id.in_(ids))
        ).all()
        return {
            row_id: _plain(capaian.capaian(aspek, target, nilai))
            for row_id, aspek, target, nilai in rows
        }

    def pre_get(self, data: dict[str, Any]) -> None:
        # The row was read through the scope; its capaian is derived, never stored.
        row_id = int(data["id"])
        data["result"]["capaian"] = self._capaian([row_id]).get(row_id)

    def pre_get_list(self, data: dict[str, Any]) -> None:
        found = self._capaian(list(data["ids"]))
        for row_id, row in zip(data["ids"], data["result"], strict=True):
            row["capaian"] = found.get(row_id)


class BuktiDukungApi(ServiceWrites):
    noun = N_("Evidence")
    resource_name = "bukti_dukung"
    datamodel = ScopedInterface(BuktiDukung)
    list_columns = show_columns = [
        "id",
        "realisasi_id",
        "jenis",
        "url",
        "nama_file",
        "mime",
        "ukuran",
        "keterangan",
        "diunggah_oleh_id",
        "diunggah_pada",
    ]
    add_columns = ["realisasi_id", "url", "keterangan"]
    search_columns = ["realisasi_id", "jenis"]
    order_columns = ["id", "realisasi_id", "diunggah_pada"]
    include_route_methods = {"get", "get_list", "info", "post", "delete", "download"}
    method_permission_name = {"download": "get"}

    def post_headless(self) -> Response:
        if request.mimetype == "multipart/form-data":
            return self._upload()

        def link() -> BuktiDukung:
            body = self._json()
            return realisasi_service.add_link(
                db.session,
                scope.viewer(),
                _id_field(body, "realisasi_id"),
                body.get("url"),
                body.get("keterangan"),
            )

        return self._write(link, 201)

    def _upload(self) -> Response:
        limit = uploads.request_limit()
        request.max_content_length = limit
        if (request.content_length or 0) > limit:
            return refusals.api_response(uploads.too_large())
        try:
            form, upload = request.form, request.files.get("file")
        except RequestEntityTooLarge:
            return refusals.api_response(uploads.too_large())

        def attach() -> BuktiDukung:
            return realisasi_service.add_file(
                db.session,
                scope.viewer(),
                _id_field(form, "realisasi_id"),
                upload.stream if upload else None,
                upload.filename if upload else None,
                form.get("keterangan"),
            )

        return self._write(attach, 201)

    def remove(self, pk: int) -> None:
        realisasi_service.delete_bukti(db.session, scope.viewer(), pk)

    @expose("/<int:pk>/download", methods=["GET"])
    @protect()
    @safe
    def download(self, pk: int) -> Response:
        """The uploaded file of a bukti dukung, as an attachment (scoped: 404 outside)."""
        bukti, path = realisasi_service.file_for_download(db.session, pk, scope.viewer())
        return uploads.send(path, bukti.mime, bukti.nama_file)
