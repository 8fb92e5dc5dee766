"""The Laporan page: choose a year (or period) and a unit, download a report. Thin: the checks,
statements and workbooks are in app.reports.laporan, shared with /api/v1/laporan/; a report
of many rows is written by the worker (app.services.ekspor) and followed on its own page."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import format_decimal, get_locale, gettext

from app.domain.errors import DomainError
from app.extensions import db
from app.i18n import translated
from app.models.ekspor import Ekspor
from app.reports import laporan
from app.reports.source import report_session
from app.security import scope
from app.services import ekspor as ekspor_service
from app.services.errors import NotFound
from app.views.pickers import select2_answer


class LaporanView(BaseView):
    route_base = "/laporan"
    default_view = "index"
    # Following and fetching a report one asked for is part of downloading it.
    method_permission_name = {
        "index": "index",
        "unit": "index",
        "unduh": "unduh",
        "ekspor": "unduh",
        "ekspor_berkas": "unduh",
    }

    def _page(self, viewer: scope.Viewer, error: str | None = None) -> Any:
        periods = laporan.periode_choices(db.session)
        default = next((p for p in periods if p.jenis == "tahunan" and p.aktif), None)
        return self.render_template(
            "sikap/laporan.html",
            reports=laporan.REPORTS,
            periods=periods,
            unit=laporan.unit_choice(
                db.session, viewer, request.args.get("unit_kerja_id", type=int)
            ),
            periode_id=request.args.get("periode_id", type=int) or (default and default.id),
            error=error,
        )

    @expose("/")
    @has_access
    def index(self) -> Any:
        return self._page(scope.viewer())

    @expose("/unit")
    @has_access
    def unit(self) -> Any:
        """The units to filter by whose name holds ``q``, a page at a time (select2's JSON)."""
        found = laporan.unit_choices(
            db.session,
            scope.viewer(),
            request.args.get("q", ""),
            request.args.get("page", 1, type=int),
        )
        return select2_answer(found.rows, found.more)

    @expose("/<string:jenis>.<string:ext>")
    @has_access
    def unduh(self, jenis: str, ext: str) -> Any:
        viewer = scope.viewer()
        try:
            with report_session() as session:
                made = ekspor_service.minta(
                    db.session, session, viewer, jenis, ext, request.args, g.user.username
                )
        except NotFound:
            raise
        except DomainError as error:
            return self._page(viewer, translated(error)), error.status
        if isinstance(made, Ekspor):
            db.session.commit()
            ekspor_service.jalankan(made)
            return redirect(url_for("LaporanView.ekspor", token=made.token))
        return send_file(
            made.handle, mimetype=made.mimetype, as_attachment=True, download_name=made.nama
        )

    def _ekspor_page(self, ekspor: Ekspor, status: int = 200) -> Any:
        written, total = ekspor_service.kemajuan(ekspor), ekspor.baris_total
        error = ekspor.galat
        if ekspor_service.kedaluwarsa(ekspor):
            error = translated(ekspor_service.Kedaluwarsa(ekspor_service.KEDALUWARSA))
        page = self.render_template(
            "sikap/laporan_ekspor.html",
            ekspor=ekspor,
            report=laporan.REPORTS[ekspor.jenis],
            status_label=ekspor_service.STATUS[ekspor.status],
            written=written,
            total=total,
            percent=round(100 * written / total) if total else 100,
            rows_text=format_decimal(written),
            total_text=format_decimal(total),
            error=error,
            ready=ekspor.status == "selesai" and error is None,
            hours=format_decimal(ekspor_service.masa_simpan().total_seconds() / 3600),
            status_url=url_for("LaporanApi.ekspor", token=ekspor.token),
            labels={key: gettext(label) for key, label in ekspor_service.STATUS.items()},
            locale=str(get_locale()),
        )
        return page, status

    @expose("/ekspor/<string:token>")
    @has_access
    def ekspor(self, token: str) -> Any:
        return self._ekspor_page(ekspor_service.milik(db.session, token, g.user.id))

    @expose("/ekspor/<string:token>/berkas")
    @has_access
    def ekspor_berkas(self, token: str) -> Any:
        ekspor = ekspor_service.milik(db.session, token, g.user.id)
        try:
            unduhan = ekspor_service.unduh(ekspor)
        except ekspor_service.Kedaluwarsa:
            return self._ekspor_page(ekspor, 410)
        except DomainError:
            return redirect(url_for("LaporanView.ekspor", token=token))
        return send_file(
            unduhan.path,
            mimetype=unduhan.mimetype,
            as_attachment=True,
            download_name=unduhan.nama,
        )
