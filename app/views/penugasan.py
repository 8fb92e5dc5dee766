"""Plt/Plh assignments: admin BKPSDM records each SK (app.services.penugasan)."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms.validators import DataRequired

from app.domain import enums
from app.domain import penugasan as rules
from app.models.penugasan import Penugasan
from app.views.base import SikapModelView, enum_formatter, interface, select_field
from app.views.master import pegawai_picker, unit_picker

_ = lazy_gettext

LABELS = {
    "pegawai": _("Acting official"),
    "jenis": _("Type"),
    "menggantikan": _("Covers the post of"),
    "unit_kerja": _("Or the vacant head post of unit"),
    "pos": _("Post"),
    "tanggal_mulai": _("From"),
    "tanggal_selesai": _("Until"),
    "nomor_sk": _("SK number"),
    "status": _("Status"),
    "dicatat_pada": _("Recorded at"),
}


class PenugasanView(SikapModelView):
    datamodel = interface(
        Penugasan,
        eager=["pegawai", "menggantikan", "unit_kerja"],
        related_order={"pegawai": "nama"},
    )
    list_title = _("Acting Assignments (Plt/Plh)")
    show_title = _("Acting Assignment")
    add_title = _("Add Acting Assignment")
    edit_title = _("Edit Acting Assignment")
    list_columns = [
        "pegawai",
        "jenis",
        "pos",
        "tanggal_mulai",
        "tanggal_selesai",
        "nomor_sk",
        "status",
    ]
    order_columns = ["pegawai", "jenis", "tanggal_mulai", "tanggal_selesai", "nomor_sk"]
    show_columns = [
        "pegawai",
        "jenis",
        "pos",
        "menggantikan",
        "unit_kerja",
        "tanggal_mulai",
        "tanggal_selesai",
        "nomor_sk",
        "status",
    ]
    add_columns = edit_columns = [
        "pegawai",
        "jenis",
        "menggantikan",
        "unit_kerja",
        "tanggal_mulai",
        "tanggal_selesai",
        "nomor_sk",
    ]
    search_columns = ["pegawai", "jenis", "nomor_sk", "tanggal_mulai", "tanggal_selesai"]
    base_order = ("tanggal_mulai", "desc")
    label_columns = LABELS
    description_columns = {
        "menggantikan": _(
            "The official who is absent (Plt for a long absence, Plh for a short one). "
            "Leave empty when the post is vacant and choose the unit instead."
        ),
        "unit_kerja": _("Only when the unit has no head: its staff are then appraised by the Plt."),
    }
    formatters_columns = {
        "jenis": enum_formatter(enums.JENIS_PENUGASAN),
        "status": enum_formatter(rules.STATUS),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "pegawai": pegawai_picker(LABELS["pegawai"], DataRequired()),
        "jenis": select_field("Type", enums.JENIS_PENUGASAN),
        "menggantikan": pegawai_picker(LABELS["menggantikan"]),
        "unit_kerja": unit_picker(LABELS["unit_kerja"]),
    }
    search_form_extra_fields = {"pegawai": pegawai_picker(LABELS["pegawai"])}
