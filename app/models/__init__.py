"""SQLAlchemy models on FAB's declarative base (so Alembic sees them with FAB's own tables)."""

from app.models.audit import AuditLog
from app.models.dokumen import DokumenTerbit
from app.models.ekspor import Ekspor
from app.models.hitungan import (
    ButirKepatuhan,
    ButirPenilai,
    Hitungan,
    HitunganCabang,
    JpTahunan,
)
from app.models.master import Jabatan, Pangkat, Pegawai, Periode, UnitKerja
from app.models.monitoring import BuktiDukung, Notifikasi, Realisasi, UmpanBalik
from app.models.penilaian import (
    KurvaJustifikasi,
    Pelatihan,
    Penilaian,
    PenilaianPerilaku,
    PenilaianRiwayat,
    PredikatOrganisasi,
    RencanaPengembangan,
)
from app.models.penugasan import Penugasan
from app.models.riwayat_jabatan import RiwayatJabatan
from app.models.sesi import CatatanMasuk, SesiPengguna
from app.models.skp import IndikatorKinerja, PerilakuKerja, RencanaHasilKerja, Skp, SkpRiwayat
from app.models.tahun import PengingatTenggat, TutupTahun

__all__ = [
    "AuditLog",
    "BuktiDukung",
    "ButirKepatuhan",
    "CatatanMasuk",
    "DokumenTerbit",
    "Ekspor",
    "Hitungan",
    "HitunganCabang",
    "ButirPenilai",
    "IndikatorKinerja",
    "Jabatan",
    "JpTahunan",
    "KurvaJustifikasi",
    "Notifikasi",
    "Pangkat",
    "Pegawai",
    "Pelatihan",
    "PengingatTenggat",
    "Penilaian",
    "PenilaianPerilaku",
    "PenilaianRiwayat",
    "Penugasan",
    "PerilakuKerja",
    "Periode",
    "PredikatOrganisasi",
    "Realisasi",
    "RencanaHasilKerja",
    "RencanaPengembangan",
    "RiwayatJabatan",
    "SesiPengguna",
    "Skp",
    "SkpRiwayat",
    "TutupTahun",
    "UmpanBalik",
    "UnitKerja",
]
