"""The reports as files over the REST API (CONTRACT.md, Reports):
``GET /api/v1/laporan/<jenis>.xlsx?periode_id=…&unit_kerja_id=…``, and ``siasn.csv``.

Thin: the same checks, statements and writers as the Laporan page (app.reports.laporan), so
the API's file is the page's file, scoped alike."""

from __future__ import annotations

from flask import Response, g, request, send_file
from flask_appbuilder.api import BaseApi, expose, protect, safe

from app.api.base import DatabaseRefusals
from app.domain.errors import DomainError
from app.i18n import translated
from app.reports import laporan
from app.reports.source import report_session
from app.security import scope


class LaporanApi(DatabaseRefusals, BaseApi):
    resource_name = "laporan"
    openapi_spec_tag = "Laporan"
    allow_browser_login = True
    # Reading a report is a read: the role patterns grant it as can_get.
    method_permission_name = {"unduh": "get"}

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
              description: The report
              content:
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema:
                    type: string
                    format: binary
                text/csv:
                  schema:
                    type: string
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
                berkas = laporan.buat(session, viewer, jenis, ext, request.args, g.user.username)
        except DomainError as error:
            return self.response(error.status, message=translated(error))
        return send_file(
            berkas.handle,
            mimetype=berkas.mimetype,
            as_attachment=True,
            download_name=berkas.nama,
        )
