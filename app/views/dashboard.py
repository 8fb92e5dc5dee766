"""The landing page after login: the parts that fit the viewer's place in the org chart.
Thin: the numbers come from app.services.dashboard, the charts from app.reports.charts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, g, redirect, request
from flask_appbuilder import IndexView, expose
from flask_babel import gettext
from markupsafe import Markup

from app.domain import pengembangan as rules
from app.domain import scoring, workflow
from app.domain.enums import JENIS_PERIODE
from app.extensions import cache, db
from app.formatting import decimal_text, local_today
from app.models.master import Periode
from app.reports import charts
from app.security import scope
from app.services import cakupan, dashboard, kepatuhan, kinerja_saya, monitoring

# One colour per predikat, from best to worst, and one per completion series.
PREDIKAT_COLOURS = {
    "sangat_baik": "#2e7d32",
    "baik": "#1976d2",
    "butuh_perbaikan": "#f9a825",
    "kurang": "#ef6c00",
    "sangat_kurang": "#c62828",
}
SKP_COLOUR = "#1976d2"
DINILAI_COLOUR = "#2e7d32"


def persen(value: float | None) -> str:
    return "—" if value is None else f"{decimal_text(value, 1)}\u00a0%"


def angka(value: float) -> str:
    return decimal_text(value, 0)


def periode_list(periods: Iterable[Periode]) -> str:
    return ", ".join(str(p) for p in periods) or "—"


def row_label(row: dashboard.BarisOpd) -> str:
    if row.direct and row.unit_id is None:
        return gettext(row.nama)
    if row.direct:
        return gettext("%(unit)s (directly)", unit=row.nama)
    return row.nama


def completion_chart(part: dashboard.BagianOpd) -> Markup:
    return charts.bar_chart(
        "grafik-penyelesaian",
        gettext("Completion per unit"),
        [row_label(row) for row in part.rows],
        [
            charts.Series(
                gettext("SKP approved"), [row.skp_persen for row in part.rows], SKP_COLOUR
            ),
            charts.Series(
                gettext("Rated"), [row.dinilai_persen for row in part.rows], DINILAI_COLOUR
            ),
        ],
        maximum=100,
        value_text=persen,
    )


def predikat_chart(part: dashboard.BagianOpd) -> Markup:
    return charts.donut_chart(
        "grafik-predikat",
        gettext("Rating distribution, %(periode)s", periode=str(part.kewajiban.cakupan.periode)),
        [
            charts.Slice(gettext(label), part.predikat[key], PREDIKAT_COLOURS[key])
            for key, label in scoring.PREDIKAT.items()
        ],
        value_text=angka,
        percent_text=persen,
    )


def predikat_per_unit_chart(part: dashboard.BagianOpd) -> Markup:
    return charts.bar_chart(
        "grafik-predikat-unit",
        gettext("Rating per unit, %(periode)s", periode=str(part.kewajiban.cakupan.periode)),
        [row_label(row) for row in part.rows],
        [
            charts.Series(
                gettext(label), [row.predikat[key] for row in part.rows], PREDIKAT_COLOURS[key]
            )
            for key, label in scoring.PREDIKAT.items()
        ],
        stacked=True,
        value_text=angka,
    )


def _who(viewer: scope.Viewer) -> str:
    """Every admin sees the same city; anyone else sees what their place in the org chart
    scopes (their pegawai id and the OPDs they head)."""
    return "admin" if viewer.is_admin else f"{viewer.pegawai_id}:{','.join(viewer.opd_paths)}"


def _kept(key: str, count: Callable[[], Any]) -> Any:
    """``count()``, kept for DASHBOARD_CACHE_SECONDS under ``key`` unless the viewer asks for
    fresh numbers (``?segarkan=1``). Only plain values: ORM rows belong to one session."""
    seconds = current_app.config["DASHBOARD_CACHE_SECONDS"]
    if seconds > 0 and not request.args.get("segarkan"):
        kept = cache.get(key)
        if kept is not None:
            return kept
    value = count()
    if seconds > 0:
        cache.set(key, value, timeout=seconds)
    return value


def _bagian_opd(
    viewer: scope.Viewer, kewajiban: kepatuhan.Kewajiban
) -> tuple[dashboard.BagianOpd, dt.datetime]:
    """The OPD part and when it was counted (UTC)."""

    def count() -> tuple[Any, ...]:
        part = dashboard.bagian_opd(db.session, viewer, kewajiban)
        return part.rows, part.total, part.predikat, dt.datetime.now(dt.UTC)

    chosen = kewajiban.cakupan
    due = ",".join(str(p.id) for p in kewajiban.jatuh_tempo)
    unit = chosen.unit.id if chosen.unit is not None else ""
    key = f"dashboard-opd:{_who(viewer)}:{chosen.tahunan.id}:{chosen.periode.id}:{due}:{unit}"
    rows, total, predikat, counted_at = _kept(key, count)
    return dashboard.BagianOpd(kewajiban, rows, total, predikat), counted_at


def _visible_count(viewer: scope.Viewer) -> int:
    """Active pegawai in the viewer's scope: the whole city for admin, so kept like the
    OPD part."""

    def count() -> int:
        return dashboard.active_pegawai(db.session, viewer)

    if not dashboard.shows_opd(viewer):
        return count()
    return _kept(f"dashboard-visible:{_who(viewer)}", count)


def _opd_part(viewer: scope.Viewer, periods: list[Periode], today: dt.date) -> dict[str, Any]:
    """The OPD part and its filters; a periode or unit that does not exist or lies outside
    the viewer's scope answers 404 (cakupan.choose, as on every page and export)."""
    chosen = cakupan.choose(
        db.session,
        viewer,
        periods,
        request.args.get("periode_id", type=int),
        request.args.get("unit_kerja_id", type=int) or dashboard.default_unit_id(viewer),
        default=kepatuhan.latest_ended(periods, today),
    )
    if chosen is None:
        return {"opd": None}
    part, counted_at = _bagian_opd(viewer, kepatuhan.kewajiban_of(periods, chosen, today))
    return {
        "opd": part,
        "counted_at": counted_at,
        "breadcrumbs": monitoring.breadcrumbs(db.session, chosen.unit),
        "completion_chart": completion_chart(part),
        "predikat_chart": predikat_chart(part),
        "predikat_unit_chart": predikat_per_unit_chart(part),
    }


class DashboardIndexView(IndexView):
    index_template = "sikap/dashboard.html"

    @expose("/")
    def index(self):  # noqa: ANN201
        user = getattr(g, "user", None)
        if user is None or not user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_login)
        viewer = scope.viewer()
        today = local_today()
        periods = kepatuhan.periode_choices(db.session)
        saya = kinerja_saya.untuk(db.session, viewer, today)
        atasan = dashboard.bagian_atasan(db.session, viewer, periods)
        context: dict[str, Any] = {"opd": None}
        if dashboard.shows_opd(viewer):
            context = _opd_part(viewer, periods, today)
        return self.render_template(
            self.index_template,
            me=saya.pegawai if saya else None,
            saya=saya,
            atasan=atasan if atasan is not None and atasan.ada else None,
            tenggat=dashboard.tenggat(periods, today),
            periods=periods,
            viewer=viewer,
            visible_count=_visible_count(viewer),
            role_names=[role.name for role in self.appbuilder.sm.get_user_roles(user)],
            skp_states=workflow.SKP_STATES,
            skp_statuses=monitoring.STATUSES,
            penilaian_states=workflow.PENILAIAN_STATES,
            predikat_labels=scoring.PREDIKAT,
            predikat_colours=PREDIKAT_COLOURS,
            jenis_periode=JENIS_PERIODE,
            jenis_rencana=rules.JENIS,
            status_rencana=rules.STATUS,
            periode_list=periode_list,
            row_label=row_label,
            persen=persen,
            number=charts.number,
            may_remind=kepatuhan.may_remind(viewer),
            **context,
        )
