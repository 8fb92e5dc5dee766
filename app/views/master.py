"""Master data pages for admin BKPSDM (and read-only for pimpinan OPD)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.security.sqla.models import User
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from app import refusals
from app.domain import enums, tenggat
from app.domain.errors import DomainError
from app.domain.periode import RITME
from app.extensions import db
from app.models.master import Jabatan, Pangkat, Pegawai, Periode, UnitKerja
from app.security import scope
from app.services import accounts
from app.services import mutasi as mutasi_service
from app.services import pohon as pohon_service
from app.views import validators
from app.views.base import (
    SikapModelView,
    checkbox,
    enum_formatter,
    interface,
    or_dash,
    select_field,
)
from app.views.pickers import PickerSource, picker, unit_label, user_label

_ = lazy_gettext

COMMON_LABELS = {
    "kode": _("Code"),
    "nama": _("Name"),
    "jenis": _("Type"),
    "parent": _("Parent unit"),
    "kepala": _("Head"),
    "nama_lengkap": _("Full name"),
}


def unit_picker(label: Any, *validators: Any) -> Any:
    return picker(label, UnitKerja, "UnitKerjaView.pilih", validators, unit_label)


def pegawai_picker(label: Any, *validators: Any) -> Any:
    return picker(label, Pegawai, "PegawaiView.pilih", validators)


class UnitKerjaView(PickerSource, SikapModelView):
    datamodel = interface(UnitKerja)
    list_title = _("List of Work Units")
    show_title = _("Work Unit")
    add_title = _("Add Work Unit")
    edit_title = _("Edit Work Unit")
    list_columns = ["kode", "nama", "jenis", "nama_lengkap"]
    show_columns = ["kode", "nama", "jenis", "nama_lengkap", "parent", "kepala"]
    add_columns = edit_columns = ["kode", "nama", "jenis", "parent", "kepala"]
    search_columns = ["kode", "nama", "jenis", "nama_lengkap"]
    order_columns = ["kode", "nama", "jenis", "nama_lengkap"]
    base_order = ("path", "asc")
    label_columns = {**COMMON_LABELS, "nama_lengkap": _("Path")}
    formatters_columns = {"jenis": enum_formatter(enums.JENIS_UNIT)}
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": select_field("Type", enums.JENIS_UNIT),
        "parent": unit_picker(COMMON_LABELS["parent"], validators.ValidUnitParent()),
        "kepala": pegawai_picker(COMMON_LABELS["kepala"]),
    }
    picker_columns = ("kode", "nama")
    picker_order = ("path",)
    picker_label = staticmethod(unit_label)

    @expose("/pohon/")
    @has_access
    def pohon(self) -> Any:
        """The unit tree a level at a time, with each unit's pegawai (admin BKPSDM)."""
        level = pohon_service.tingkat(db.session, request.args.get("unit", type=int))
        return self.render_template("sikap/unit_pohon.html", tingkat=level, jenis=enums.JENIS_UNIT)


class JabatanView(PickerSource, SikapModelView):
    datamodel = interface(Jabatan)
    list_title = _("List of Positions")
    show_title = _("Position")
    add_title = _("Add Position")
    edit_title = _("Edit Position")
    list_columns = ["nama", "jenis", "jenjang"]
    add_columns = edit_columns = show_columns = ["nama", "jenis", "jenjang"]
    search_columns = ["nama", "jenis", "jenjang"]
    label_columns = {**COMMON_LABELS, "jenjang": _("Level")}
    formatters_columns = {
        "jenis": enum_formatter(enums.JENIS_JABATAN),
        "jenjang": enum_formatter(enums.JENJANG),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": select_field("Type", enums.JENIS_JABATAN),
        "jenjang": select_field("Level", enums.JENJANG, required=False),
    }


class PangkatView(SikapModelView):
    datamodel = interface(Pangkat)
    list_title = _("List of Ranks")
    show_title = _("Rank")
    add_title = _("Add Rank")
    edit_title = _("Edit Rank")
    list_columns = ["kode", "nama", "jenis_asn", "urutan"]
    add_columns = edit_columns = show_columns = ["kode", "nama", "jenis_asn", "urutan"]
    search_columns = ["kode", "nama", "jenis_asn"]
    base_order = ("urutan", "asc")
    label_columns = {**COMMON_LABELS, "jenis_asn": _("Civil servant type"), "urutan": _("Order")}
    formatters_columns = {"jenis_asn": enum_formatter(enums.JENIS_PANGKAT)}
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis_asn": select_field("Civil servant type", enums.JENIS_PANGKAT)
    }


class PeriodeView(SikapModelView):
    datamodel = interface(Periode)
    list_title = _("List of Periods")
    show_title = _("Period")
    add_title = _("Add Period")
    edit_title = _("Edit Period")
    list_columns = ["tahun", "jenis", "tanggal_mulai", "tanggal_selesai", "aktif", "ritme"]
    add_columns = edit_columns = show_columns = [
        *list_columns,
        "batas_realisasi",
        "batas_penilaian",
    ]
    search_columns = ["tahun", "jenis", "aktif"]
    base_order = ("tahun", "desc")
    label_columns = {
        "tahun": _("Year"),
        "jenis": _("Type"),
        "tanggal_mulai": _("Start date"),
        "tanggal_selesai": _("End date"),
        "aktif": _("Active"),
        "ritme": _("Evaluation rhythm"),
        "batas_realisasi": _("Realisations due by"),
        "batas_penilaian": _("Ratings due by"),
    }
    description_columns = {
        "batas_realisasi": _(
            "Leave empty for the default: %(days)d days after the period ends. Reminders go "
            "out a few days before and after it to whoever has not submitted.",
            days=tenggat.HARI_REALISASI,
        ),
        "batas_penilaian": _(
            "Leave empty for the default: %(days)d days after the realisation deadline. "
            "Reminders go out a few days before and after it to the pejabat penilai who have "
            "not rated.",
            days=tenggat.HARI_PENILAIAN,
        ),
        "ritme": _(
            "Annual period only: evaluate the year per quarter or per month. Saving creates "
            "the year's periods; it can change only while they hold no evaluations."
        ),
    }
    formatters_columns = {
        "jenis": enum_formatter(enums.JENIS_PERIODE),
        "ritme": enum_formatter(RITME),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "aktif": checkbox("Active"),
        "jenis": select_field("Type", enums.JENIS_PERIODE),
        "ritme": select_field(
            "Evaluation rhythm", RITME, required=False, extra_validators=[validators.ValidRitme()]
        ),
    }

    validators_columns = {
        "tanggal_mulai": [validators.ValidPeriodeDates()],
        "tanggal_selesai": [validators.ValidPeriodeDates()],
        "batas_realisasi": [validators.ValidPeriodeDates()],
        "batas_penilaian": [validators.ValidPeriodeDates()],
    }


PEGAWAI_LABELS = {
    "nip": _("NIP"),
    "nama": _("Name"),
    "nama_lengkap": _("Name"),
    "gelar_depan": _("Title before name"),
    "gelar_belakang": _("Title after name"),
    "jenis_asn": _("Civil servant type"),
    "jenis_kelamin": _("Gender"),
    "tanggal_lahir": _("Date of birth"),
    "pangkat": _("Rank/grade"),
    "tmt_pangkat": _("Rank effective date (TMT)"),
    "jabatan": _("Position"),
    "unit_kerja": _("Work unit"),
    "atasan": _("Direct supervisor"),
    "pejabat_penilai": _("Appraising official (override)"),
    "penilai_non_asn_nama": _("Non-ASN appraising official: name"),
    "penilai_non_asn_jabatan": _("Non-ASN appraising official: position"),
    "aktif": _("Active"),
    "user": _("User account"),
}


class MutasiForm(FlaskForm):
    """Admin BKPSDM's record of a transfer. Fields are named as the service and the REST API
    name them, so that a refusal lands on its field."""

    tanggal = StringField(_("Effective date (TMT)"), render_kw={"type": "date"})
    unit_kerja_id = unit_picker(_("New work unit"))
    jabatan_id = picker(_("New position"), Jabatan, "JabatanView.pilih")
    atasan_id = pegawai_picker(_("New direct supervisor"))
    nomor_sk = StringField(_("Decree (SK) number"), validators=[Optional(), Length(max=100)])

    def values(self) -> tuple[Any, ...]:
        """The transfer in the order app.services.mutasi.catat takes it."""
        rows = (self.unit_kerja_id.data, self.jabatan_id.data, self.atasan_id.data)
        return (self.tanggal.data, *(row.id if row else None for row in rows), self.nomor_sk.data)


class PegawaiView(PickerSource, SikapModelView):
    datamodel = interface(
        Pegawai,
        eager=["pangkat", "jabatan", "unit_kerja", "atasan"],
        # Ranks sort by their order in the regulation, the rest as they read.
        related_order={
            "pangkat": "urutan",
            "jabatan": "nama",
            "unit_kerja": "nama",
            "atasan": "nama",
        },
    )
    list_title = _("List of Employees")
    show_title = _("Employee")
    add_title = _("Add Employee")
    edit_title = _("Edit Employee")
    list_columns = ["nip", "nama", "pangkat", "jabatan", "unit_kerja", "atasan", "aktif"]
    order_columns = list_columns
    show_columns = [
        "nip",
        "nama_lengkap",
        "jenis_asn",
        "jenis_kelamin",
        "tanggal_lahir",
        "pangkat",
        "tmt_pangkat",
        "jabatan",
        "unit_kerja",
        "atasan",
        "pejabat_penilai",
        "penilai_non_asn_nama",
        "penilai_non_asn_jabatan",
        "aktif",
        "user",
    ]
    add_columns = edit_columns = [
        "nip",
        "nama",
        "gelar_depan",
        "gelar_belakang",
        "jenis_asn",
        "jenis_kelamin",
        "tanggal_lahir",
        "pangkat",
        "tmt_pangkat",
        "jabatan",
        "unit_kerja",
        "atasan",
        "pejabat_penilai",
        "penilai_non_asn_nama",
        "penilai_non_asn_jabatan",
        "aktif",
        "user",
    ]
    search_columns = ["nip", "nama", "jenis_asn", "unit_kerja", "jabatan", "aktif"]
    base_order = ("nama", "asc")
    label_columns = PEGAWAI_LABELS
    description_columns = {
        "penilai_non_asn_nama": _(
            "Only for the top of the chain (the Sekda: the Wali Kota, who is not an ASN): "
            "BKPSDM then approves and rates on their behalf, with the signed document."
        )
    }
    formatters_columns = {
        "jenis_asn": enum_formatter(enums.JENIS_ASN),
        "jenis_kelamin": enum_formatter(enums.JENIS_KELAMIN),
        "user": lambda user: user.username if user else "—",
        "penilai_non_asn_nama": or_dash,
        "penilai_non_asn_jabatan": or_dash,
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "aktif": checkbox("Active"),
        "jenis_asn": select_field("Civil servant type", enums.JENIS_ASN),
        "jenis_kelamin": select_field(
            "Gender",
            enums.JENIS_KELAMIN,
            required=False,
            extra_validators=[validators.MatchesNip("jenis_kelamin")],
        ),
        # Tables that grow with the province: searched as the user types, not listed whole.
        "jabatan": picker(PEGAWAI_LABELS["jabatan"], Jabatan, "JabatanView.pilih"),
        "unit_kerja": unit_picker(PEGAWAI_LABELS["unit_kerja"], DataRequired()),
        "atasan": pegawai_picker(PEGAWAI_LABELS["atasan"], validators.NoSupervisionCycle()),
        "pejabat_penilai": pegawai_picker(PEGAWAI_LABELS["pejabat_penilai"], validators.NotSelf()),
        "user": picker(PEGAWAI_LABELS["user"], User, "UserDBModelView.pilih", label_of=user_label),
    }
    search_form_extra_fields = {
        "unit_kerja": unit_picker(PEGAWAI_LABELS["unit_kerja"]),
        "jabatan": picker(PEGAWAI_LABELS["jabatan"], Jabatan, "JabatanView.pilih"),
    }
    validators_columns = {
        "nip": [validators.ValidNip()],
        "tanggal_lahir": [validators.MatchesNip("tanggal_lahir")],
        "tmt_pangkat": [validators.PlausibleTmt()],
    }
    picker_columns = ("nip", "nama")
    show_template = "sikap/pegawai_show.html"

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: str) -> Any:
        """The pegawai with their riwayat jabatan; for admin BKPSDM, the transfer form."""
        return self._show_page(pk, MutasiForm())

    @expose("/mutasi/<int:pk>", methods=["POST"])
    @has_access
    def mutasi(self, pk: int) -> Any:
        """Record a transfer (app.services.mutasi, as the REST API does)."""
        form = MutasiForm()
        if form.validate():
            try:
                hasil = mutasi_service.catat(db.session, scope.viewer(), pk, *form.values())
                db.session.commit()
            except (DomainError, StaleDataError) as error:
                refusals.show_on_form(refusals.as_refusal(error), form)
            else:
                flash(gettext("Transfer recorded; the SKP of the new post is a draft."), "success")
                if hasil.bawahan_lama:
                    flash(
                        gettext(
                            "%(count)d employees still report to this employee in the post "
                            "left: set their new supervisor (or record a Plt).",
                            count=hasil.bawahan_lama,
                        ),
                        "warning",
                    )
                return redirect(url_for("PegawaiView.show", pk=pk))
        return self._show_page(str(pk), form)

    def _show_page(self, pk: str, form: MutasiForm) -> Any:
        widgets = self._show(self._deserialize_pk_if_composite(pk))  # scoped: 404 outside
        if db.session.get(Pegawai, int(pk)).user_id is not None:
            # "Create login account" is no offer to someone who has one.
            widgets["show"].template_args["actions"] = {}
        may_transfer = self.appbuilder.sm.has_access("can_mutasi", self.class_permission_name)
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            riwayat=mutasi_service.riwayat_of(db.session, int(pk)),
            mutasi_form=form if may_transfer else None,
        )

    @action(
        "create_account",
        _("Create login account"),
        _("Create a login account (username = NIP) for the selected employees?"),
        "fa-user-plus",
    )
    def create_account(self, items: Any) -> Any:
        items = items if isinstance(items, list) else [items]
        created = accounts.create_accounts(db.session, items)
        db.session.commit()
        for pegawai, password in created:
            flash(
                gettext(
                    "Account %(username)s created; temporary password: %(password)s",
                    username=pegawai.nip,
                    password=password,
                ),
                "info",
            )
        if not created:
            flash(gettext("All selected employees already have an account."), "warning")
        return self.list_redirect()

    def list_redirect(self) -> Any:
        from flask import redirect

        return redirect(self.get_redirect())
