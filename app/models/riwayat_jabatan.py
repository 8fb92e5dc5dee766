"""Riwayat jabatan: each move of a pegawai to another post (mutasi), kept for good."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.master import Pegawai
from app.models.skp import Skp


class RiwayatJabatan(Model):
    """One mutasi: from which post to which (unit kerja, jabatan, atasan), from which date
    (TMT) and under which SK, with the SKP it closed and the one it opened. The names are
    kept as they read on that day (``snapshot``), so a later renaming or removal of a unit
    does not rewrite the history; the ids link to the rows while they exist."""

    __tablename__ = "riwayat_jabatan"
    __table_args__ = (Index("ix_riwayat_jabatan_pegawai_tanggal", "pegawai_id", "tanggal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(
        ForeignKey("pegawai.id", ondelete="CASCADE"), nullable=False
    )
    tanggal: Mapped[date] = mapped_column(Date, nullable=False)  # TMT of the new post
    nomor_sk: Mapped[str | None] = mapped_column(String(100))
    unit_kerja_lama_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_kerja.id", ondelete="SET NULL")
    )
    jabatan_lama_id: Mapped[int | None] = mapped_column(
        ForeignKey("jabatan.id", ondelete="SET NULL")
    )
    atasan_lama_id: Mapped[int | None] = mapped_column(
        ForeignKey("pegawai.id", ondelete="SET NULL")
    )
    unit_kerja_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_kerja.id", ondelete="SET NULL")
    )
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id", ondelete="SET NULL"))
    atasan_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    skp_lama_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id", ondelete="SET NULL"))
    skp_baru_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id", ondelete="SET NULL"))
    # {"dari": {...}, "ke": {...}}, each with unit_kerja, jabatan and atasan as named then.
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False)
    dicatat_oleh_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL")
    )
    dicatat_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)  # UTC

    pegawai: Mapped[Pegawai] = relationship(foreign_keys=[pegawai_id])
    skp_lama: Mapped[Skp | None] = relationship(foreign_keys=[skp_lama_id])
    skp_baru: Mapped[Skp | None] = relationship(foreign_keys=[skp_baru_id])
    dicatat_oleh: Mapped[User | None] = relationship(foreign_keys=[dicatat_oleh_id])

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        """Seen by whoever sees the pegawai (app.security.scope)."""
        return cls.pegawai_id

    def __str__(self) -> str:
        return f"{self.pegawai.nama if self.pegawai else ''} {self.tanggal.isoformat()}"
