"""Maintained counts: how many pegawai, SKPs, evaluations and predikat each unit holds per
periode, so that Kepatuhan, Monitoring SKP and the dashboard sum a few rows per unit instead
of counting the city on every request. Written only by app.services.hitungan (in the
transaction of the change they count); never edited by hand, never audited (they are
derived: ``flask verify-counts`` holds them against a full recount)."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class Hitungan(Model):
    """One measure (``ukuran``, e.g. ``skp:diajukan``) of the active pegawai placed in one
    unit (not its subtree: pages sum the subtree) for one periode; ``periode_id`` is None
    for a measure of no periode (the active pegawai themselves)."""

    __tablename__ = "hitungan"
    __table_args__ = (
        Index("ix_hitungan_periode_ukuran", "periode_id", "ukuran", "unit_kerja_id", "jumlah"),
        Index("ix_hitungan_unit", "unit_kerja_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_kerja_id: Mapped[int] = mapped_column(
        ForeignKey("unit_kerja.id", ondelete="CASCADE"), nullable=False
    )
    periode_id: Mapped[int | None] = mapped_column(ForeignKey("periode.id", ondelete="CASCADE"))
    ukuran: Mapped[str] = mapped_column(String(40), nullable=False)
    jumlah: Mapped[int] = mapped_column(Integer, nullable=False)
