"""The Laporan page: choose a year (or period) and a unit, download a report. Thin: the checks,
statements and workbooks are in app.reports.laporan, shared with /api/v1/laporan/."""

from __future__ import annotations

from typing import Any

from flask import g, request, send_file
from flask_appbuilder import BaseView, expose, has_access

from app.domain.errors import DomainError
from app.extensions import db
from app.i18n import translated
from app.reports import laporan
from app.reports.source import report_session
from app.security import scope
from app.services.errors import NotFound


class LaporanView(BaseView):
    route_base = "/laporan"
    default_view = "index"

    def _page(self, viewer: scope.Viewer, error: str | None = None) -> Any:
        periods = laporan.periode_choices(db.session)
        default = next((p for p in periods if p.jenis == "tahunan" and p.aktif), None)
        return self.render_template(
            "sikap/laporan.html",
            reports=laporan.REPORTS,
            periods=periods,
            units=laporan.unit_choices(db.session, viewer),
            periode_id=request.args.get("periode_id", type=int) or (default and default.id),
            unit_kerja_id=request.args.get("unit_kerja_id", type=int),
            error=error,
        )

    @expose("/")
    @has_access
    def index(self) -> Any:
        return self._page(scope.viewer())

    @expose("/<string:jenis>.<string:ext>")
    @has_access
    def unduh(self, jenis: str, ext: str) -> Any:
        viewer = scope.viewer()
        try:
            with report_session() as session:
                berkas = laporan.buat(session, viewer, jenis, ext, request.args, g.user.username)
        except NotFound:
            raise
        except DomainError as error:
            return self._page(viewer, translated(error)), error.status
        return send_file(
            berkas.handle,
            mimetype=berkas.mimetype,
            as_attachment=True,
            download_name=berkas.nama,
        )
