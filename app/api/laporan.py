"""The reports as files over the REST API (CONTRACT.md, Reports):
``GET /api/v1/laporan/<jenis>.xlsx?periode_id=…&unit_kerja_id=…``, and ``siasn.csv``.
A report of more than EKSPOR_LATAR_BARIS rows answers 202 with the URL of its status
(``/api/v1/laporan/ekspor/<token>``), which gives the file's URL once the worker is done.

Thin: the same checks, statements and writers as the Laporan page (app.reports.laporan), so
the API's file is the page's file, scoped alike; app.services.ekspor decides where it is made."""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, request, send_file, url_for
from flask_appbuilder.api import BaseApi, expose, protect, safe
from marshmallow import Schema, fields, validate

from app.api.base import DatabaseRefusals
from app.domain.errors import DomainError
from app.extensions import db
from app.i18n import translated
from app.models.ekspor import Ekspor
from app.reports.source import report_session
from app.security import scope
from app.services import ekspor as ekspor_service


class EksporStatus(Schema):
    """Where a report written by the worker stands (``_status``)."""

    token = fields.String(required=True)
    jenis = fields.String(required=True)
    ext = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(ekspor_service.STATUS)))
    rows_written = fields.Integer(required=True)
    rows_total = fields.Integer(required=True)
    status_url = fields.String(required=True)
    expires_at = fields.DateTime(required=True, metadata={"description": "UTC"})
    download_url = fields.String(metadata={"description": "when status is selesai"})
    message = fields.String(metadata={"description": "why, when gagal or kedaluwarsa"})


class LaporanApi(DatabaseRefusals, BaseApi):
    resource_name = "laporan"
    openapi_spec_tag = "Laporan"
    allow_browser_login = True
    # Reading a report is a read: the role patterns grant it as can_get.
    method_permission_name = {"unduh": "get", "ekspor": "get", "ekspor_berkas": "get"}
    openapi_spec_component_schemas = (EksporStatus,)

    @expose("/<string:jenis>.<string:ext>", methods=["GET"])
    @protect()
    @safe
    def unduh(self, jenis: str, ext: str) -> Response:
        """A report as a file, scoped to what the caller may see.
        ---
        get:
          summary: Download a report (pegawai, status_skp, predikat, kepatuhan, siasn, angka_kredit)
          parameters:
          - in: path
            name: jenis
            required: true
            schema:
              type: string
              enum: [pegawai, status_skp, predikat, kepatuhan, siasn, angka_kredit]
          - in: path
            name: ext
            required: true
            schema:
              type: string
              enum: [xlsx, csv]
            description: xlsx for every report; csv for siasn only
          - in: query
            name: periode_id
            schema:
              type: integer
            description: any periode; default the active annual periode
          - in: query
            name: unit_kerja_id
            schema:
              type: integer
            description: a unit and its subtree; default everything in scope
          responses:
            200:
              description: The report (EKSPOR_LATAR_BARIS rows or fewer)
              content:
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema:
                    type: string
                    format: binary
                text/csv:
                  schema:
                    type: string
            202:
              description: >-
                More rows than EKSPOR_LATAR_BARIS: the worker writes the file. Follow
                status_url (also the Location header) until it gives download_url.
              headers:
                Location:
                  description: the status URL
                  schema:
                    type: string
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/EksporStatus'
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
        """
        viewer = scope.viewer()
        try:
            with report_session() as session:
                made = ekspor_service.minta(
                    db.session, session, viewer, jenis, ext, request.args, g.user.username
                )
        except DomainError as error:
            return self.response(error.status, message=translated(error))
        if isinstance(made, Ekspor):
            db.session.commit()
            ekspor_service.jalankan(made)
            answer = jsonify(_status(made))
            answer.status_code = 202
            answer.headers["Location"] = answer.json["status_url"]
            return answer
        return send_file(
            made.handle, mimetype=made.mimetype, as_attachment=True, download_name=made.nama
        )

    @expose("/ekspor/<string:token>", methods=["GET"])
    @protect()
    @safe
    def ekspor(self, token: str) -> Response:
        """Where a report written by the worker stands; only its asker sees it.
        ---
        get:
          summary: Status of a report written in the background
          parameters:
          - in: path
            name: token
            required: true
            schema:
              type: string
          responses:
            200:
              description: >-
                status antri (queued), berjalan (being written), selesai (ready:
                download_url), gagal (failed: message) or kedaluwarsa (file deleted: message)
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/EksporStatus'
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
        """
        try:
            ekspor = ekspor_service.milik(db.session, token, g.user.id)
        except DomainError as error:
            return self.response(error.status, message=translated(error))
        return jsonify(_status(ekspor))

    @expose("/ekspor/<string:token>/berkas", methods=["GET"])
    @protect()
    @safe
    def ekspor_berkas(self, token: str) -> Response:
        """The file of a report written by the worker; only its asker may fetch it.
        ---
        get:
          summary: Download a report written in the background
          parameters:
          - in: path
            name: token
            required: true
            schema:
              type: string
          responses:
            200:
              description: The report
              content:
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema:
                    type: string
                    format: binary
                text/csv:
                  schema:
                    type: string
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
            409:
              description: Not written yet, or failed (message)
            410:
              description: The file has expired and was deleted (EKSPOR_KEDALUWARSA_JAM)
        """
        try:
            unduhan = ekspor_service.unduh(ekspor_service.milik(db.session, token, g.user.id))
        except DomainError as error:
            return self.response(error.status, message=translated(error))
        return send_file(
            unduhan.path,
            mimetype=unduhan.mimetype,
            as_attachment=True,
            download_name=unduhan.nama,
        )


def _status(ekspor: Ekspor) -> dict[str, Any]:
    """The status answer: what the API and the Laporan page's progress bar read."""
    answer: dict[str, Any] = {
        "token": ekspor.token,
        "jenis": ekspor.jenis,
        "ext": ekspor.ext,
        "status": "kedaluwarsa" if ekspor_service.kedaluwarsa(ekspor) else ekspor.status,
        "rows_written": ekspor_service.kemajuan(ekspor),
        "rows_total": ekspor.baris_total,
        "status_url": url_for("LaporanApi.ekspor", token=ekspor.token),
        "expires_at": ekspor.kedaluwarsa_pada.isoformat() + "Z",
    }
    if answer["status"] == "selesai":
        answer["download_url"] = url_for("LaporanApi.ekspor_berkas", token=ekspor.token)
    elif answer["status"] == "gagal":
        answer["message"] = ekspor.galat
    elif answer["status"] == "kedaluwarsa":
        answer["message"] = translated(ekspor_service.Kedaluwarsa(ekspor_service.KEDALUWARSA))
    return answer
