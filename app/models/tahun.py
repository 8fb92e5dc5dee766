"""The closing of a year and the deadline reminders sent within it."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.master import Pegawai, Periode


class TutupTahun(Model):
    """One act on a year: ``tutup`` (the year becomes read-only) or ``buka`` (reopened, with
    the reason). The newest act of a year is its state; the rows are its history."""

    __tablename__ = "tutup_tahun"
    __table_args__ = (Index("ix_tutup_tahun_tahun", "tahun", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer, nullable=False)
    aksi: Mapped[str] = mapped_column(String(10), nullable=False)  # app.domain.tahun.AKSI
    alasan: Mapped[str | None] = mapped_column(Text)
    # What still waited when the act was done (counts per kind), for the record.
    sisa: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    waktu: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    oleh: Mapped[User | None] = relationship()


class PengingatTenggat(Model):
    """A deadline reminder sent: to whom, about which deadline of which periode, before or
    after it — at most once each (the unique key), so a rerun sends nothing twice."""

    __tablename__ = "pengingat_tenggat"
    __table_args__ = (
        UniqueConstraint(
            "periode_id", "tenggat", "tahap", "penerima_id", name="uq_pengingat_tenggat_sekali"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    periode_id: Mapped[int] = mapped_column(
        ForeignKey("periode.id", ondelete="CASCADE"), nullable=False
    )
    tenggat: Mapped[str] = mapped_column(String(20), nullable=False)  # realisasi | penilaian
    tahap: Mapped[str] = mapped_column(String(10), nullable=False)  # sebelum | sesudah
    penerima_id: Mapped[int] = mapped_column(
        ForeignKey("pegawai.id", ondelete="CASCADE"), nullable=False
    )
    jumlah: Mapped[int] = mapped_column(Integer, nullable=False)  # open items it named
    dikirim_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    periode: Mapped[Periode] = relationship()
    penerima: Mapped[Pegawai] = relationship()
