"""Monitoring of the SKP planning stage for pimpinan OPD and admin BKPSDM: counts per unit,
the list of pegawai and what each SKP waits on, and its .xlsx export. Thin: the queries are
in app.services.monitoring, the workbook in app.reports.monitoring_xlsx."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, g, request, send_file
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import get_timezone, gettext

from app.extensions import db
from app.formatting import tanggal, waktu
from app.models.master import Pegawai
from app.reports.monitoring_xlsx import Heading, write_monitoring
from app.security import scope
from app.services import cakupan, dashboard, monitoring
from app.services import periode as periode_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _local_zone() -> dt.tzinfo:
    return ZoneInfo(str(get_timezone()))


def _selection(viewer: scope.Viewer) -> tuple[list[Any], monitoring.Selection | None]:
    """The periods to choose from and what the query string asks for. A year or unit that
    does not exist or lies outside the viewer's scope answers 404 (cakupan.choose); an
    unknown status or sort falls back to the default."""
    periods = monitoring.annual_periods(db.session)
    chosen = cakupan.choose(
        db.session,
        viewer,
        periods,
        request.args.get("periode_id", type=int),
        # A pimpinan heading one OPD starts inside it, as on the dashboard and Kepatuhan.
        request.args.get("unit_kerja_id", type=int) or dashboard.default_unit_id(viewer),
        default=periode_service.active_annual(periods),
    )
    if chosen is None:
        return periods, None
    status = request.args.get("status")
    sort = request.args.get("sort")
    return periods, monitoring.Selection(
        cakupan=chosen,
        status=status if status in monitoring.STATUSES else None,
        sort=sort if sort in monitoring.SORTS else monitoring.DEFAULT_SORT,
        descending=request.args.get("dir") == "desc",
    )


def _args(selection: monitoring.Selection) -> dict[str, Any]:
    """The query string of the current view, for links that change one part of it."""
    args: dict[str, Any] = {"periode_id": selection.cakupan.periode.id}
    if selection.cakupan.unit is not None:
        args["unit_kerja_id"] = selection.cakupan.unit.id
    if selection.status:
        args["status"] = selection.status
    if selection.sort != monitoring.DEFAULT_SORT or selection.descending:
        args["sort"] = selection.sort
        args["dir"] = "desc" if selection.descending else "asc"
    return args


def _printed_by(viewer: scope.Viewer) -> str:
    pegawai = db.session.get(Pegawai, viewer.pegawai_id) if viewer.pegawai_id else None
    if pegawai is not None:
        return f"{pegawai.nama_lengkap} ({pegawai.nip})"
    return g.user.username


class SkpMonitoringView(BaseView):
    """Who has an SKP for the year and where each one waits, per OPD and sub-unit."""

    route_base = "/skp/monitoring"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        viewer = scope.viewer()
        periods, selection = _selection(viewer)
        if selection is None:
            return self.render_template(
                "sikap/skp_monitoring.html", periods=periods, selection=None
            )
        rows, total = monitoring.summary(db.session, viewer, selection.cakupan)
        page = monitoring.pegawai_page(
            db.session,
            viewer,
            selection,
            request.args.get("page", 1, type=int),
            _now(),
            _local_zone(),
            total,
        )
        return self.render_template(
            "sikap/skp_monitoring.html",
            periods=periods,
            selection=selection,
            breadcrumbs=monitoring.breadcrumbs(db.session, selection.cakupan.unit),
            summary=rows,
            total=total,
            page=page,
            args=_args(selection),
            statuses=monitoring.STATUSES,
        )

    @expose("/unduh.xlsx")
    @has_access
    def xlsx(self) -> Any:
        viewer = scope.viewer()
        _, selection = _selection(viewer)
        if selection is None:
            abort(404)
        chosen = selection.cakupan
        periode = chosen.periode
        unit = chosen.unit.nama_lengkap if chosen.unit else gettext("All units in scope")
        if selection.status:
            unit = f"{unit} · {gettext(monitoring.STATUSES[selection.status])}"
        heading = Heading(
            report=gettext("SKP Planning Monitoring"),
            periode=f"{periode.tahun} ({tanggal(periode.tanggal_mulai)} – "
            f"{tanggal(periode.tanggal_selesai)})",
            unit=unit,
            printed=gettext(
                "Printed on %(when)s by %(who)s", when=waktu(_now()), who=_printed_by(viewer)
            ),
        )
        zone = _local_zone()
        # A temporary file, not a BytesIO, so the finished workbook is sent from disk too;
        # send_file closes (and so deletes) it once the response has been streamed.
        handle = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            write_monitoring(
                handle,
                heading,
                monitoring.iter_pegawai(db.session, viewer, selection, _now(), zone),
                zone,
            )
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return send_file(
            handle,
            mimetype=XLSX,
            as_attachment=True,
            download_name=f"monitoring_skp_{periode.tahun}"
            + (f"_{chosen.unit.kode}" if chosen.unit else "")
            + ".xlsx",
        )
