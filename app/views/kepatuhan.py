"""Kepatuhan: who has not drawn up, submitted, had approved or had evaluated what the cycle
asks of them, per OPD and per pejabat penilai, and the "send reminders" button. For admin
BKPSDM and the pimpinan OPD (their OPD). Thin: the queries and the reminder rule are in
app.services.kepatuhan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import get_timezone, gettext
from flask_wtf import FlaskForm
from wtforms import HiddenField

from app.domain.errors import NotYourRole
from app.extensions import db
from app.formatting import local_today
from app.i18n import translated
from app.models.master import Pegawai, Periode
from app.security import roles, scope
from app.services import cakupan, dashboard, kepatuhan, monitoring
from app.services import periode as periode_service


class PengingatForm(FlaskForm):
    """The selection the reminders are for (checked again on the server)."""

    periode_id = HiddenField()
    unit_kerja_id = HiddenField()
    kategori = HiddenField()


def _zone() -> dt.tzinfo:
    return ZoneInfo(str(get_timezone()))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def day_start_utc(today: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """Local midnight of ``today`` as a stored (naive UTC) time: reminders are counted per
    local calendar day."""
    local = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def periode_list(periods: Iterable[Periode]) -> str:
    return ", ".join(str(p) for p in periods) or "—"


def _selection(
    args: Mapping[str, Any], viewer: scope.Viewer, today: dt.date
) -> tuple[list[Periode], kepatuhan.Kewajiban | None, str | None]:
    """The periods to choose from, what is due in what is asked for, and the kategori
    filter. A periode or unit that does not exist or lies outside the viewer's scope answers
    404 (cakupan.choose); an unknown kategori shows every kategori."""
    periods = kepatuhan.periode_choices(db.session)
    chosen = cakupan.choose(
        db.session,
        viewer,
        periods,
        _int(args.get("periode_id")),
        _int(args.get("unit_kerja_id")) or dashboard.default_unit_id(viewer),
        default=periode_service.active_annual(periods),
    )
    kategori = args.get("kategori")
    kategori = kategori if kategori in kepatuhan.KATEGORI else None
    if chosen is None:
        return periods, None, kategori
    return periods, kepatuhan.kewajiban_of(periods, chosen, today), kategori


def _args(chosen: cakupan.Cakupan, kategori: str | None) -> dict[str, Any]:
    args: dict[str, Any] = {"periode_id": chosen.periode.id}
    if chosen.unit is not None:
        args["unit_kerja_id"] = chosen.unit.id
    if kategori:
        args["kategori"] = kategori
    return args


def _pengirim(viewer: scope.Viewer) -> str:
    pegawai = db.session.get(Pegawai, viewer.pegawai_id) if viewer.pegawai_id else None
    if pegawai is not None:
        return pegawai.nama_lengkap
    # A role name is a msgid: the notice shows it in the reader's language (notifikasi.teks).
    return roles.ADMIN if viewer.is_admin else g.user.username


class KepatuhanView(BaseView):
    """Compliance monitoring of the cycle and reminders to whoever must act."""

    route_base = "/kepatuhan"
    default_view = "index"
    # Whoever may send the reminders may see whom they would reach.
    method_permission_name = {"index": "index", "pengingat": "kirim", "kirim": "kirim"}

    @expose("/")
    @has_access
    def index(self) -> Any:
        viewer = scope.viewer()
        today = local_today()
        periods, kewajiban, kategori = _selection(request.args, viewer, today)
        if kewajiban is None:
            return self.render_template("sikap/kepatuhan.html", periods=periods, kewajiban=None)
        chosen = kewajiban.cakupan
        summary, total = monitoring.summary(db.session, viewer, chosen)
        counts = kepatuhan.per_unit(db.session, viewer, kewajiban)
        page = kepatuhan.halaman(
            db.session, viewer, kewajiban, kategori, request.args.get("page", 1, type=int)
        )
        return self.render_template(
            "sikap/kepatuhan.html",
            periods=periods,
            kewajiban=kewajiban,
            kategori=kategori,
            kategori_labels=kepatuhan.KATEGORI,
            periode_names={p.id: str(p) for p in periods},
            periode_list=periode_list,
            summary=summary,
            total=total,
            counts=counts,
            atasan=kepatuhan.per_atasan(db.session, viewer, kewajiban),
            page=page,
            today=today,
            terlambat=kepatuhan.terlambat(db.session, viewer, kewajiban, today),
            breadcrumbs=monitoring.breadcrumbs(db.session, chosen.unit),
            args=_args(chosen, kategori),
            viewer=viewer,
            PEGAWAI=kepatuhan.PEGAWAI,
        )

    @expose("/pengingat")
    @has_access
    def pengingat(self) -> Any:
        """Who the reminders of the selection would reach, when they last went, and the
        button that sends them: the step before sending, so that the list opens without
        counting the recipients of the whole city."""
        viewer = scope.viewer()
        today = local_today()
        _, kewajiban, kategori = _selection(request.args, viewer, today)
        if kewajiban is None:
            abort(404)
        chosen = kewajiban.cakupan
        return self.render_template(
            "sikap/kepatuhan_pengingat.html",
            kewajiban=kewajiban,
            kategori=kategori,
            kategori_labels=kepatuhan.KATEGORI,
            periode_list=periode_list,
            unit=chosen.unit,
            penerima=kepatuhan.penerima(
                db.session, viewer, kewajiban, kategori, day_start_utc(today, _zone())
            ),
            terakhir=kepatuhan.terakhir_dikirim(db.session, viewer),
            form=PengingatForm(
                data={
                    "periode_id": chosen.periode.id,
                    "unit_kerja_id": chosen.unit.id if chosen.unit else "",
                    "kategori": kategori or "",
                }
            ),
            args=_args(chosen, kategori),
        )

    @expose("/kirim", methods=["POST"])
    @has_access
    def kirim(self) -> Any:
        """Send the reminders of the selection in the form (after the page's confirmation)."""
        form = PengingatForm()
        if not form.validate():
            abort(400)
        viewer = scope.viewer()
        today = local_today()
        _, kewajiban, kategori = _selection(request.form, viewer, today)
        if kewajiban is None:
            abort(404)
        try:
            result = kepatuhan.kirim_pengingat(
                db.session,
                viewer,
                kewajiban,
                kategori,
                _pengirim(viewer),
                day_start_utc(today, _zone()),
            )
            db.session.commit()
        except NotYourRole as error:
            db.session.rollback()
            abort(403, translated(error))
        flash(
            gettext(
                "Reminders sent: %(sent)d. Skipped, already reminded today: %(skipped)d.",
                sent=result.dikirim,
                skipped=result.dilewati,
            ),
            "success" if result.dikirim else "info",
        )
        return redirect(url_for("KepatuhanView.index", **_args(kewajiban.cakupan, kategori)))
