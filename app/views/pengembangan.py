"""Tindak lanjut and pengembangan kompetensi pages: the development plans (list with filters,
one plan with the pejabat penilai's form), the training records kept by admin BKPSDM, the JP
tally per year and one pegawai's training history. Thin: every rule is in
app.services.pengembangan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app import refusals
from app.domain import pengembangan as rules
from app.domain.enums import JENIS_ASN
from app.domain.errors import DomainError
from app.extensions import db
from app.formatting import local_today
from app.security import scope
from app.services import dashboard
from app.services import pengembangan as service
from app.views.base import choices
from app.views.pages import attempt, flash_form_errors

TEXT = [Optional(), Length(max=5000)]


class RencanaForm(FlaskForm):
    """The pejabat penilai's follow-up: target, steps, deadline, notes and status."""

    versi = HiddenField()
    status = SelectField(_("Status"), choices=choices(rules.STATUS))
    target = TextAreaField(_("Target"), validators=TEXT)
    langkah = TextAreaField(_("Steps"), validators=TEXT)
    tenggat = DateField(_("Deadline"), validators=[Optional()])
    tindak_lanjut_atasan = TextAreaField(_("Supervisor's follow-up notes"), validators=TEXT)


class PelatihanForm(FlaskForm):
    versi = HiddenField()
    nip = StringField(_("NIP"), validators=[DataRequired(), Length(max=18)])
    nama_diklat = StringField(_("Training name"), validators=[DataRequired(), Length(max=300)])
    penyelenggara = StringField(_("Organiser"), validators=[Optional(), Length(max=300)])
    tanggal_mulai = DateField(_("Start date"), validators=[DataRequired()])
    tanggal_selesai = DateField(_("End date"), validators=[Optional()])
    jp = IntegerField(_("JP"), validators=[DataRequired(), NumberRange(min=1)])

    def isian(self) -> service.IsianPelatihan:
        return service.IsianPelatihan(
            nama_diklat=self.nama_diklat.data,
            penyelenggara=self.penyelenggara.data,
            tanggal_mulai=self.tanggal_mulai.data,
            tanggal_selesai=self.tanggal_selesai.data,
            jp=self.jp.data,
        )


def _unit() -> Any:
    return service.unit(db.session, request.args.get("unit_kerja_id", type=int))


def _tahun() -> int:
    tahun = request.args.get("tahun", type=int) or local_today().year
    if not 1900 <= tahun <= 2999:
        abort(400)
    return tahun


def _nomor() -> int:
    return request.args.get("page", 1, type=int)


def _opd_filter(viewer: scope.Viewer) -> list[Any]:
    """The OPD filter is offered to those who see more than one unit's people."""
    return service.opd_list(db.session) if viewer.is_admin or viewer.opd_paths else []


def _save_form(form: FlaskForm, change: Callable[[], Any]) -> bool:
    """Run a use case for a form page and commit; a broken rule goes on its field (or is
    flashed) and the form is shown again with what was typed."""
    try:
        change()
        db.session.commit()
        return True
    except (DomainError, StaleDataError) as error:
        refusals.show_on_form(refusals.as_refusal(error), form)
    return False


class RencanaPengembanganView(BaseView):
    """Follow-up plans of the annual evaluation, in the viewer's scope."""

    route_base = "/pengembangan"
    default_view = "daftar"

    @expose("/")
    @has_access
    def daftar(self) -> Any:
        viewer = scope.viewer()
        jenis = request.args.get("jenis")
        status = request.args.get("status")
        saring = service.FilterRencana(
            unit=_unit(),
            jenis=jenis if jenis in rules.JENIS else None,
            status=status if status in rules.STATUS else None,
        )
        return self.render_template(
            "sikap/pengembangan_daftar.html",
            page=service.list_plans(db.session, viewer, saring, _nomor()),
            saring=saring,
            opds=_opd_filter(viewer),
            jenis_rencana=rules.JENIS,
            status_rencana=rules.STATUS,
        )

    @expose("/<int:plan_id>")
    @has_access
    def detail(self, plan_id: int) -> Any:
        viewer = scope.viewer()
        plan = service.get_plan(db.session, plan_id, viewer)
        form = RencanaForm(obj=plan, versi=service.versi_plan(plan))
        return self._detail(plan, viewer, form)

    def _detail(self, plan: Any, viewer: scope.Viewer, form: RencanaForm) -> Any:
        # A plan only moves forward: offer its status and the ones after it.
        later = rules.STATUS_ORDER[rules.STATUS_ORDER.index(plan.status) :]
        form.status.choices = [c for c in form.status.choices if c[0] in later]
        return self.render_template(
            "sikap/pengembangan_detail.html",
            plan=plan,
            penilai=plan.pegawai.pejabat_penilai or plan.pegawai.atasan,
            may_fill=service.may_fill(plan, viewer) and plan.status != rules.SELESAI,
            form=form,
            jenis_rencana=rules.JENIS,
            status_rencana=rules.STATUS,
            required=rules.REQUIRED,
            fields=rules.FIELDS,
        )

    @expose("/<int:plan_id>", methods=["POST"])
    @has_access
    def ubah(self, plan_id: int) -> Any:
        viewer = scope.viewer()
        form = RencanaForm()
        if form.validate():
            isian = service.IsianRencana(
                status=form.status.data,
                target=form.target.data,
                langkah=form.langkah.data,
                tenggat=form.tenggat.data,
                tindak_lanjut_atasan=form.tindak_lanjut_atasan.data,
            )
            saved = _save_form(
                form,
                lambda: service.update_plan(db.session, plan_id, viewer, isian, form.versi.data),
            )
            if saved:
                flash(gettext("Development plan saved."), "success")
                return redirect(url_for("RencanaPengembanganView.detail", plan_id=plan_id))
        plan = service.get_plan(db.session, plan_id, viewer)
        return self._detail(plan, viewer, form)


class PelatihanView(BaseView):
    """Training records (kept by admin BKPSDM) and the JP tally against the yearly minimum."""

    route_base = "/pelatihan"
    default_view = "daftar"

    @expose("/")
    @has_access
    def daftar(self) -> Any:
        viewer = scope.viewer()
        tahun = _tahun()
        unit = _unit()
        cari = request.args.get("cari", "")
        return self.render_template(
            "sikap/pengembangan_pelatihan.html",
            page=service.list_pelatihan(db.session, viewer, tahun, unit, cari, _nomor()),
            tahun=tahun,
            unit=unit,
            cari=cari,
            opds=_opd_filter(viewer),
            may_record=viewer.is_admin,
            form=FlaskForm(),
            versi=service.versi_pelatihan,
        )

    @expose("/jp")
    @has_access
    def rekap(self) -> Any:
        viewer = scope.viewer()
        tahun = _tahun()
        # A pimpinan heading one OPD starts inside it, as on the dashboard and Kepatuhan.
        chosen = request.args.get("unit_kerja_id", type=int) or dashboard.default_unit_id(viewer)
        unit = service.unit(db.session, chosen)
        cari = request.args.get("cari", "")
        below = request.args.get("kurang") == "1"
        return self.render_template(
            "sikap/pengembangan_jp.html",
            page=service.jp_tally(db.session, viewer, tahun, unit, below, cari, _nomor()),
            tahun=tahun,
            unit=unit,
            cari=cari,
            below=below,
            opds=_opd_filter(viewer),
            minimum=rules.JP_MINIMUM,
            jenis_asn=JENIS_ASN,
        )

    @expose("/pegawai/<int:pegawai_id>")
    @has_access
    def pegawai(self, pegawai_id: int) -> Any:
        viewer = scope.viewer()
        riwayat = service.of_pegawai(db.session, viewer, pegawai_id)
        return self.render_template(
            "sikap/pengembangan_pegawai.html",
            riwayat=riwayat,
            minimum=rules.jp_minimum(riwayat.pegawai.jenis_asn),
            may_record=viewer.is_admin,
            form=FlaskForm(),
            versi=service.versi_pelatihan,
        )

    @expose("/tambah", methods=["GET", "POST"])
    @has_access
    def tambah(self) -> Any:
        viewer = scope.viewer()
        if not viewer.is_admin:
            abort(403)
        form = PelatihanForm()
        if request.method == "GET":
            form.nip.data = request.args.get("nip", "")
        elif form.validate():
            created: list[Any] = []
            if _save_form(
                form,
                lambda: created.append(
                    service.add_pelatihan(db.session, viewer, form.nip.data, form.isian())
                ),
            ):
                flash(gettext("Training record saved."), "success")
                return redirect(url_for("PelatihanView.pegawai", pegawai_id=created[0].pegawai_id))
        else:
            flash_form_errors(form)
        return self.render_template(
            "sikap/pengembangan_pelatihan_form.html", form=form, pelatihan=None
        )

    @expose("/<int:pelatihan_id>/ubah", methods=["GET", "POST"])
    @has_access
    def ubah(self, pelatihan_id: int) -> Any:
        viewer = scope.viewer()
        if not viewer.is_admin:
            abort(403)
        pelatihan = service.get_pelatihan(db.session, pelatihan_id, viewer)
        if request.method == "GET":
            form = PelatihanForm(obj=pelatihan, versi=service.versi_pelatihan(pelatihan))
        else:
            form = PelatihanForm()
        del form.nip  # the pegawai of a record does not change; a wrong one is deleted
        if request.method == "POST":
            if form.validate():
                if _save_form(
                    form,
                    lambda: service.update_pelatihan(
                        db.session, pelatihan_id, viewer, form.isian(), form.versi.data
                    ),
                ):
                    flash(gettext("Training record saved."), "success")
                    return redirect(
                        url_for("PelatihanView.pegawai", pegawai_id=pelatihan.pegawai_id)
                    )
            else:
                flash_form_errors(form)
        return self.render_template(
            "sikap/pengembangan_pelatihan_form.html", form=form, pelatihan=pelatihan
        )

    @expose("/<int:pelatihan_id>/hapus", methods=["POST"])
    @has_access
    def hapus(self, pelatihan_id: int) -> Any:
        viewer = scope.viewer()
        if not FlaskForm().validate():
            abort(400)
        pegawai_id = service.get_pelatihan(db.session, pelatihan_id, viewer).pegawai_id
        return attempt(
            lambda: service.delete_pelatihan(
                db.session, pelatihan_id, viewer, request.form.get("versi")
            ),
            gettext("Training record deleted."),
            url_for("PelatihanView.pegawai", pegawai_id=pegawai_id),
        )
