"""Pelaksanaan and feedback: realisasi per indikator per periode, bukti dukung, the dialog
kinerja threads, and in-app notifications."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Select,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.master import Pegawai, Periode
from app.models.owner import Via
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp, appraised_skp_ids


def _appraised_indikator_ids(pegawai_id: int) -> Select:
    """Ids of the indikator of the SKPs ``pegawai_id`` appraises (Skp.scope_also)."""
    return (
        select(IndikatorKinerja.id)
        .join(RencanaHasilKerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id)
        .where(RencanaHasilKerja.skp_id.in_(appraised_skp_ids(pegawai_id)))
    )


class Realisasi(Model):
    """What the pegawai achieved on one indikator in one evaluation periode."""

    __tablename__ = "realisasi"
    __table_args__ = (
        UniqueConstraint(
            "indikator_kinerja_id", "periode_id", name="uq_realisasi_indikator_periode"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indikator_kinerja_id: Mapped[int] = mapped_column(
        ForeignKey("indikator_kinerja.id", ondelete="CASCADE"), nullable=False, index=True
    )
    periode_id: Mapped[int] = mapped_column(ForeignKey("periode.id"), nullable=False, index=True)
    # A kualitatif indikator's realisasi may be words only (catatan), without a number.
    nilai: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    catatan: Mapped[str | None] = mapped_column(Text)
    diubah_pada: Mapped[datetime | None] = mapped_column(DateTime)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    indikator_kinerja: Mapped[IndikatorKinerja] = relationship()
    periode: Mapped[Periode] = relationship()
    bukti: Mapped[list[BuktiDukung]] = relationship(
        back_populates="realisasi", cascade="all, delete-orphan", order_by="BuktiDukung.id"
    )

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        indikator = (
            select(IndikatorKinerja.id)
            .join(
                RencanaHasilKerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id
            )
            .join(Skp, RencanaHasilKerja.skp_id == Skp.id)
        )
        return Via(cls.indikator_kinerja_id, indikator, Skp.pegawai_id)

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        return cls.indikator_kinerja_id.in_(_appraised_indikator_ids(pegawai_id))


class BuktiDukung(Model):
    """Evidence for a realisasi: an uploaded file (stored outside the web root under a
    random name) or a link."""

    __tablename__ = "bukti_dukung"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    realisasi_id: Mapped[int] = mapped_column(
        ForeignKey("realisasi.id", ondelete="CASCADE"), nullable=False, index=True
    )
    jenis: Mapped[str] = mapped_column(String(10), nullable=False)  # file | url
    url: Mapped[str | None] = mapped_column(String(2000))
    nama_file: Mapped[str | None] = mapped_column(String(255))  # as uploaded, for display
    path: Mapped[str | None] = mapped_column(String(255), unique=True)  # random stored name
    mime: Mapped[str | None] = mapped_column(String(100))
    ukuran: Mapped[int | None] = mapped_column(Integer)
    keterangan: Mapped[str | None] = mapped_column(String(500))
    diunggah_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    diunggah_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    realisasi: Mapped[Realisasi] = relationship(back_populates="bukti")

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return (
            select(Skp.pegawai_id)
            .join(RencanaHasilKerja, RencanaHasilKerja.skp_id == Skp.id)
            .join(IndikatorKinerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id)
            .join(Realisasi, Realisasi.indikator_kinerja_id == IndikatorKinerja.id)
            .where(Realisasi.id == cls.realisasi_id)
            .scalar_subquery()
        )

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        realisasi = select(Realisasi.id).where(
            Realisasi.indikator_kinerja_id.in_(_appraised_indikator_ids(pegawai_id))
        )
        return cls.realisasi_id.in_(realisasi)  # as Skp.scope_also


class UmpanBalik(Model):
    """One message of a dialog kinerja on an SKP, optionally about one indikator or one
    BerAKHLAK value. Messages are never edited or deleted: nothing is said off-record."""

    __tablename__ = "umpan_balik"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skp_id: Mapped[int] = mapped_column(
        ForeignKey("skp.id", ondelete="CASCADE"), nullable=False, index=True
    )
    indikator_kinerja_id: Mapped[int | None] = mapped_column(
        ForeignKey("indikator_kinerja.id", ondelete="SET NULL"), index=True
    )
    perilaku_nilai: Mapped[int | None] = mapped_column(Integer)  # BerAKHLAK urutan 1..7
    periode_id: Mapped[int | None] = mapped_column(ForeignKey("periode.id"))
    penulis_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), nullable=False)
    pesan: Mapped[str] = mapped_column(Text, nullable=False)
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    skp: Mapped[Skp] = relationship()
    indikator_kinerja: Mapped[IndikatorKinerja | None] = relationship()
    penulis: Mapped[Pegawai] = relationship()

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return select(Skp.pegawai_id).where(Skp.id == cls.skp_id).scalar_subquery()

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        return cls.skp_id.in_(appraised_skp_ids(pegawai_id))  # as Skp.scope_also


class Notifikasi(Model):
    """An in-app notice to one pegawai (SKP submitted, returned, rated, new feedback …), or
    to one account outside the org chart (``penerima_user_id``: admin BKPSDM, who need not be
    a pegawai, told of an objection that waits on the Tim Penilai Kinerja).

    Personal: it is read by its recipient only, never through the org-chart scope.
    """

    __tablename__ = "notifikasi"
    __table_args__ = (
        Index("ix_notifikasi_penerima_dibaca", "penerima_id", "dibaca_pada"),
        Index("ix_notifikasi_penerima_user_dibaca", "penerima_user_id", "dibaca_pada"),
        CheckConstraint(
            "(penerima_id IS NULL) <> (penerima_user_id IS NULL)",
            name="ck_notifikasi_satu_penerima",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    penerima_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    penerima_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="CASCADE")
    )
    jenis: Mapped[str] = mapped_column(String(40), nullable=False)
    # An English msgid and its parameters, translated when shown (the reader's language).
    pesan: Mapped[str] = mapped_column(String(500), nullable=False)
    parameter: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    tautan: Mapped[str | None] = mapped_column(String(500))
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    dibaca_pada: Mapped[datetime | None] = mapped_column(DateTime)

    penerima: Mapped[Pegawai | None] = relationship()
