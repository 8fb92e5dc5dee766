"""Tutup Tahun (admin BKPSDM): what still waits per OPD before a year closes, the SIASN
export readiness, the "close the year" action and the audited reopening. Thin: the counts
and the rules are in app.services.tutup_tahun."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from app import refusals
from app.domain import workflow
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.extensions import db
from app.formatting import local_today
from app.models.master import Periode
from app.security import scope
from app.services import kepatuhan, tutup_tahun
from app.services import tahun as tahun_rules
from app.services.errors import NotFound


class TutupForm(FlaskForm):
    tahun = HiddenField(validators=[DataRequired()])
    tetap_tutup = BooleanField(_("Close the year even though items still wait"))


class BukaForm(FlaskForm):
    tahun = HiddenField(validators=[DataRequired()])
    alasan = TextAreaField(
        _("Reason for reopening"),
        validators=[DataRequired(), Length(min=tutup_tahun.ALASAN_MIN, max=2000)],
    )


def _tahun(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(N_("Period not found.")) from None


def _tautan(tahunan: Periode, key: str, opd_id: int | None) -> str:
    """Where the items behind a count of the closing page are listed (``opd_id`` None: of
    every OPD): Kepatuhan, filtered to the year, the OPD and — where it takes one — the
    kind; objections and deemed acceptances, which Kepatuhan does not list, on the closing
    page's own list."""
    if key in tutup_tahun.RINCIAN:
        return url_for("TutupTahunView.rincian", tahun=tahunan.tahun, jenis=key, opd=opd_id)
    args: dict[str, Any] = {"periode_id": tahunan.id, "unit_kerja_id": opd_id}
    if key == tutup_tahun.BELUM_DINILAI:
        args["kategori"] = kepatuhan.BELUM_DINILAI
    return url_for("KepatuhanView.index", **args)


class TutupTahunView(BaseView):
    """Close a year, or reopen it with a reason."""

    route_base = "/tutup-tahun"
    default_view = "index"
    # The items behind a count are part of the closing page.
    method_permission_name = {"rincian": "index"}

    def _page(self, tahun: int | None, tutup_form: TutupForm, buka_form: BukaForm) -> Any:
        years = tutup_tahun.years(db.session)
        if not years:
            return self.render_template("sikap/tutup_tahun.html", years=[], summary=None)
        if tahun is None:
            # The most recent year that has ended (the one to close now), else the newest.
            ended = [p for p in years if p.tanggal_selesai < local_today()]
            tahun = (ended or years)[0].tahun
        summary = tutup_tahun.ringkasan(db.session, tahun, local_today())
        tutup_form.tahun.data = buka_form.tahun.data = str(tahun)
        return self.render_template(
            "sikap/tutup_tahun.html",
            years=years,
            summary=summary,
            labels=tutup_tahun.SISA,
            aksi=tahun_rules.AKSI,
            tautan=_tautan,
            tutup_form=tutup_form,
            buka_form=buka_form,
        )

    @expose("/")
    @has_access
    def index(self) -> Any:
        tahun = request.args.get("tahun")
        return self._page(_tahun(tahun) if tahun else None, TutupForm(), BukaForm())

    @expose("/<int:tahun>/rincian/<string:jenis>")
    @has_access
    def rincian(self, tahun: int, jenis: str) -> Any:
        """The objections open or deemed acceptances due behind a count, one OPD's or all."""
        tahunan, opd, page = tutup_tahun.rincian(
            db.session,
            scope.viewer(),
            tahun,
            jenis,
            request.args.get("opd", type=int),
            local_today(),
            request.args.get("page", 1, type=int),
        )
        return self.render_template(
            "sikap/tutup_tahun_rincian.html",
            tahunan=tahunan,
            opd=opd,
            jenis=jenis,
            label=tutup_tahun.SISA[jenis],
            page=page,
            states=workflow.PENILAIAN_STATES,
        )

    @expose("/tutup", methods=["POST"])
    @has_access
    def tutup(self) -> Any:
        form = TutupForm()
        tahun = _tahun(form.tahun.data)
        if not form.validate():
            return self._page(tahun, form, BukaForm()), 400
        try:
            tutup_tahun.tutup(
                db.session,
                scope.viewer(),
                g.user.id,
                tahun,
                local_today(),
                tetap_tutup=form.tetap_tutup.data,
            )
            db.session.commit()
        except DomainError as error:
            refusals.show_on_form(error, form)
            return self._page(tahun, form, BukaForm()), error.status
        flash(gettext("The year %(tahun)s is closed: its records are now read-only.", tahun=tahun))
        return redirect(url_for("TutupTahunView.index", tahun=tahun))

    @expose("/buka", methods=["POST"])
    @has_access
    def buka(self) -> Any:
        form = BukaForm()
        tahun = _tahun(form.tahun.data)
        if not form.validate():
            return self._page(tahun, TutupForm(), form), 400
        try:
            tutup_tahun.buka(db.session, scope.viewer(), g.user.id, tahun, form.alasan.data)
            db.session.commit()
        except DomainError as error:
            refusals.show_on_form(error, form)
            return self._page(tahun, TutupForm(), form), error.status
        flash(gettext("The year %(tahun)s is open again.", tahun=tahun))
        return redirect(url_for("TutupTahunView.index", tahun=tahun))
