"""The four roles of DOMAIN.md, declared as code (FAB_ROLES).

FAB checks built-in roles in memory against these patterns (``re.match``, so each is anchored
at both ends): what is deployed is exactly what is written here, with no drift in the DB.
What rows a role sees is not decided here but by ``app.security.scope``.
"""

from __future__ import annotations

from app.domain.enums import N_

# Role names double as msgids: pages show `_(role.name)`, the catalogues hold the label
# ("Admin BKPSDM" in Indonesian).
ADMIN = N_("admin_bkpsdm")
PIMPINAN_OPD = N_("pimpinan_opd")
ATASAN = N_("atasan")
PEGAWAI = N_("pegawai")
# FAB's role of a visitor who has not signed in (config.AUTH_ROLE_PUBLIC): listed on the
# account and role pages like the others.
PUBLIC = N_("Public")
ORG_CHART_ROLES = (PEGAWAI, ATASAN, PIMPINAN_OPD)

REFERENCE_VIEWS = "UnitKerjaView|JabatanView|PangkatView|PeriodeView"
REFERENCE_APIS = "UnitKerjaApi|JabatanApi|PangkatApi|PeriodeApi"

_read_only = "can_list|can_show"
_api_read = "can_get|can_info"

# Every signed-in ASN: their own account, their own data (scope narrows the rows).
_EVERY_ASN = [
    ["^PegawaiView$", f"^({_read_only})$"],
    ["^PegawaiApi$", f"^({_api_read})$"],
    # Plt/Plh: each reads their own assignments (scope); admin BKPSDM records them.
    ["^PenugasanApi$", f"^({_api_read})$"],
    [f"^({REFERENCE_APIS})$", f"^({_api_read})$"],
    ["^UserDBModelView$", "^can_userinfo$"],
    # Signing out over REST ends the caller's own sessions and tokens (app/api/sesi.py).
    ["^SesiApi$", "^can_keluar$"],
    ["^(ResetMyPasswordView|UserInfoEditView)$", "^can_this_form_(get|post)$"],
    ["^(Data Pegawai|Pegawai)$", "^menu_access$"],
    # SKP: the owner drafts and submits, the pejabat penilai approves or returns; which
    # rows and which transitions is decided by scope and app.domain.workflow.
    ["^SkpApi$", "^can_(get|info|post|put)$"],
    ["^(RencanaHasilKerjaApi|IndikatorKinerjaApi)$", "^can_(get|info|post|put|delete)$"],
    ["^PenilaianApi$", "^can_(get|info|put)$"],
    ["^SkpView$", "^can_[a-z_]+$"],
    ["^SkpDocumentView$", "^can_(cetak|xlsx)$"],
    ["^DokumenResmiView$", "^can_(skp_pdf|penilaian_pdf)$"],
    ["^(SKP|SKP Saya|Penilaian)$", "^menu_access$"],
    # Who may submit, rate, answer or decide is the relation (app.domain.workflow).
    ["^PenilaianView$", "^can_(daftar|detail|dokumen|ajukan|nilai|terima|keberatan|putuskan)$"],
    # Dialog kinerja: everyone with the SKP in scope reads; only its owner and pejabat
    # penilai write (app.services.umpan_balik). Notifications are each pegawai's own.
    ["^UmpanBalikView$", "^can_(dialog|tulis)$"],
    ["^UmpanBalikApi$", "^can_(get|info|post)$"],
    ["^NotifikasiView$", "^can_(daftar|baca|buka|baca_semua)$"],
    # Realisasi and bukti dukung: only the SKP's owner writes, and only before the periode
    # is submitted (app.services.realisasi); whoever has the SKP in scope reads.
    ["^RealisasiView$", "^can_(halaman|simpan|unggah|tautan|hapus_bukti|unduh|ajukan)$"],
    ["^(RealisasiApi|BuktiDukungApi)$", "^can_(get|info|post|put|delete)$"],
    # Kinerja Saya, follow-up plans and training JP: read in scope; a plan is written by
    # the pegawai's pejabat penilai (app.services.pengembangan), training records by
    # admin BKPSDM only.
    ["^(KinerjaSayaView|PanduanView)$", "^can_index$"],
    ["^RencanaPengembanganView$", "^can_(daftar|detail|ubah)$"],
    ["^PelatihanView$", "^can_(daftar|rekap|pegawai)$"],
    [
        "^(Kinerja Saya|Panduan|Pengembangan Kompetensi|Rencana Pengembangan|Pelatihan)$",
        "^menu_access$",
    ],
]

# The reports (.xlsx) of app.reports.laporan, page and API; scope narrows every row to the
# viewer's own: a pimpinan their OPD, an atasan their own staff.
_REPORTS = [
    ["^LaporanView$", "^can_(index|unduh)$"],
    ["^LaporanApi$", "^can_get$"],
    ["^(Laporan|Unduh Laporan)$", "^menu_access$"],
]

# Whoever appraises someone: the approval inbox (its rows are the viewer's own appraisees).
_APPRAISER = [
    ["^PersetujuanSkpView$", "^can_(inbox|setujui)$"],
    ["^Persetujuan SKP$", "^menu_access$"],
    ["^Rekap JP$", "^menu_access$"],
]

ROLES: dict[str, list[list[str]]] = {
    ADMIN: [[".*", ".*"]],
    PIMPINAN_OPD: _EVERY_ASN
    + _APPRAISER
    + _REPORTS
    + [
        [f"^({REFERENCE_VIEWS})$", f"^({_read_only})$"],
        ["^(Master Data|Unit Kerja|Jabatan|Pangkat|Periode)$", "^menu_access$"],
        # Monitoring of the OPD's SKPs; scope narrows it to the pimpinan's own OPD.
        ["^SkpMonitoringView$", "^can_(index|xlsx)$"],
        ["^Monitoring SKP$", "^menu_access$"],
        # Kurva distribusi: the check, what-if and justification; app.services.kurva
        # narrows it to the OPD(s) the pimpinan heads. The predikat organisasi itself is
        # set by the pimpinan above and recorded by admin BKPSDM: the pimpinan reads it.
        ["^KurvaView$", "^can_(index|justifikasi|simulasi)$"],
        ["^DokumenResmiView$", "^can_pola_distribusi_pdf$"],
        ["^PredikatOrganisasiApi$", f"^({_api_read})$"],
        ["^Kurva Distribusi$", "^menu_access$"],
        # Kepatuhan: who is behind in the cycle and reminders to them; scope narrows it to
        # the pimpinan's OPD (app.services.kepatuhan).
        ["^KepatuhanView$", "^can_(index|kirim)$"],
        ["^Kepatuhan$", "^menu_access$"],
    ],
    ATASAN: _EVERY_ASN + _APPRAISER + _REPORTS,
    PEGAWAI: list(_EVERY_ASN),
}
