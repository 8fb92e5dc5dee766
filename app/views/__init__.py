"""HTML views, registered with their menus in one place."""

from __future__ import annotations

from flask import current_app
from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _

from app.views.audit import AuditLogView
from app.views.catatan_masuk import CatatanMasukView
from app.views.dokumen_resmi import DokumenResmiView, VerifikasiView, limit_verification
from app.views.impor import ImporPegawaiView
from app.views.kepatuhan import KepatuhanView
from app.views.kinerja_saya import KinerjaSayaView
from app.views.kurva import KurvaView
from app.views.laporan import LaporanView
from app.views.master import JabatanView, PangkatView, PegawaiView, PeriodeView, UnitKerjaView
from app.views.monitoring import SkpMonitoringView
from app.views.notifikasi import NotifikasiView, unread_badge
from app.views.panduan import PanduanView
from app.views.pengembangan import PelatihanView, RencanaPengembanganView
from app.views.penilaian import PenilaianView
from app.views.penugasan import PenugasanView
from app.views.realisasi import RealisasiView
from app.views.skp import PersetujuanSkpView, SkpView
from app.views.skp_document import SkpDocumentView
from app.views.tutup_tahun import TutupTahunView
from app.views.umpan_balik import UmpanBalikView


def register_views(appbuilder: AppBuilder) -> None:
    appbuilder.add_view(
        KinerjaSayaView,
        "Kinerja Saya",
        label=_("My Performance"),
        icon="fa-tachometer",
        category="SKP",
        category_label=_("SKP"),
    )
    appbuilder.add_view(
        SkpView,
        "SKP Saya",
        label=_("My SKP"),
        icon="fa-file-text-o",
        category="SKP",
        category_label=_("SKP"),
    )
    appbuilder.add_view(
        PersetujuanSkpView,
        "Persetujuan SKP",
        label=_("SKP Approval"),
        icon="fa-check-square-o",
        category="SKP",
        category_label=_("SKP"),
    )
    appbuilder.add_view(
        SkpMonitoringView,
        "Monitoring SKP",
        label=_("SKP Monitoring"),
        icon="fa-bar-chart",
        category="SKP",
        category_label=_("SKP"),
    )
    appbuilder.add_view(
        KurvaView,
        "Kurva Distribusi",
        label=_("Distribution Curve"),
        icon="fa-area-chart",
        category="SKP",
        category_label=_("SKP"),
    )
    appbuilder.add_view(
        KepatuhanView,
        "Kepatuhan",
        label=_("Compliance"),
        icon="fa-bell",
        category="SKP",
        category_label=_("SKP"),
    )
    appbuilder.add_view_no_menu(SkpDocumentView)
    # Official PDFs, linked from the SKP page (and its evaluations) and the kurva page; the
    # public page their QR code opens.
    appbuilder.add_view_no_menu(DokumenResmiView)
    appbuilder.add_view_no_menu(VerifikasiView)
    limit_verification(current_app, appbuilder)
    appbuilder.add_view_no_menu(UmpanBalikView)
    # Reached from the evaluations of an approved SKP (templates/sikap/skp_detail.html).
    appbuilder.add_view_no_menu(RealisasiView)
    # Reached from the navbar bell on every page (templates/sikap/notifikasi_lonceng.html).
    appbuilder.add_view_no_menu(NotifikasiView)
    current_app.jinja_env.globals["notifikasi_belum_dibaca"] = unread_badge
    appbuilder.add_view(
        PenilaianView,
        "Penilaian",
        label=_("Evaluations"),
        icon="fa-star-half-o",
        category="SKP",
        category_label=_("SKP"),
    )
    # Every role's guide to the cycle, where the cycle's pages are.
    appbuilder.add_view(
        PanduanView,
        "Panduan",
        label=_("Guide"),
        icon="fa-question-circle",
        category="SKP",
        category_label=_("SKP"),
    )
    development = "Pengembangan Kompetensi"
    appbuilder.add_view(
        RencanaPengembanganView,
        "Rencana Pengembangan",
        label=_("Development Plans"),
        icon="fa-line-chart",
        category=development,
        category_label=_("Competence Development"),
    )
    appbuilder.add_view(
        PelatihanView,
        "Pelatihan",
        label=_("Training Records"),
        icon="fa-graduation-cap",
        category=development,
        category_label=_("Competence Development"),
    )
    appbuilder.add_link(
        "Rekap JP",
        href="PelatihanView.rekap",
        label=_("Training Hours (JP)"),
        icon="fa-clock-o",
        category=development,
        category_label=_("Competence Development"),
    )
    appbuilder.add_view(
        LaporanView,
        "Unduh Laporan",
        label=_("Excel Reports"),
        icon="fa-file-excel-o",
        category="Laporan",
        category_label=_("Reports"),
    )
    master = "Master Data"
    appbuilder.add_view(
        PegawaiView,
        "Pegawai",
        label=_("Employees"),
        icon="fa-users",
        category="Data Pegawai",
        category_label=_("Employee Data"),
    )
    # Admin BKPSDM only (roles.ADMIN matches every permission; no other role names it).
    appbuilder.add_view(
        ImporPegawaiView,
        "Impor Pegawai",
        label=_("Import Employees"),
        icon="fa-upload",
        category="Data Pegawai",
        category_label=_("Employee Data"),
    )
    # Admin BKPSDM records the SKs; the acting official reads theirs through the API.
    appbuilder.add_view(
        PenugasanView,
        "Plt/Plh",
        label=_("Acting Officials (Plt/Plh)"),
        icon="fa-exchange",
        category="Data Pegawai",
        category_label=_("Employee Data"),
    )
    for view, name, label, icon in (
        (UnitKerjaView, "Unit Kerja", _("Work Units"), "fa-sitemap"),
        (JabatanView, "Jabatan", _("Positions"), "fa-briefcase"),
        (PangkatView, "Pangkat", _("Ranks"), "fa-signal"),
        (PeriodeView, "Periode", _("Periods"), "fa-calendar"),
    ):
        appbuilder.add_view(
            view, name, label=label, icon=icon, category=master, category_label=_("Master Data")
        )
    # Admin BKPSDM only: the units as an expandable tree (the list above is flat).
    appbuilder.add_link(
        "Pohon Unit Kerja",
        href="UnitKerjaView.pohon",
        label=_("Work Unit Tree"),
        icon="fa-sitemap",
        category=master,
        category_label=_("Master Data"),
    )
    # Admin BKPSDM only, like the master data: what waits before a year closes, and closing it.
    appbuilder.add_view(
        TutupTahunView,
        "Tutup Tahun",
        label=_("Close the Year"),
        icon="fa-lock",
        category=master,
        category_label=_("Master Data"),
    )
    appbuilder.add_view(
        AuditLogView,
        "Audit Log",
        label=_("Audit Trail"),
        icon="fa-history",
        category="Audit",
        category_label=_("Audit"),
    )
    appbuilder.add_view(
        CatatanMasukView,
        "Login Records",
        label=_("Login Records"),
        icon="fa-sign-in",
        category="Audit",
        category_label=_("Audit"),
    )
