"""SQLAlchemy models on FAB's declarative base (so Alembic sees them with FAB's own tables)."""

from app.models.audit import AuditLog
from app.models.master import Jabatan, Pangkat, Pegawai, Periode, UnitKerja

__all__ = ["AuditLog", "Jabatan", "Pangkat", "Pegawai", "Periode", "UnitKerja"]
