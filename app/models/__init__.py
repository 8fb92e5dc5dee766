"""SQLAlchemy models on FAB's declarative base (so Alembic sees them with FAB's own tables)."""

from app.models.audit import AuditLog
from app.models.master import Jabatan, Pangkat, Pegawai, Periode, UnitKerja
from app.models.skp import IndikatorKinerja, PerilakuKerja, RencanaHasilKerja, Skp, SkpRiwayat

__all__ = [
    "AuditLog",
    "IndikatorKinerja",
    "Jabatan",
    "Pangkat",
    "Pegawai",
    "PerilakuKerja",
    "Periode",
    "RencanaHasilKerja",
    "Skp",
    "SkpRiwayat",
    "UnitKerja",
]
