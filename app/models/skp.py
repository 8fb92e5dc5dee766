"""The SKP (PermenPANRB 6/2022): header, rencana hasil kerja, indikator, perilaku kerja,
and the history of its workflow transitions."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    select,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from app.models.master import Pegawai, Periode
from app.models.owner import Via


class Skp(Model):
    __tablename__ = "skp"
    __table_args__ = (
        UniqueConstraint("pegawai_id", "periode_id", "versi", name="uq_skp_pegawai_periode_versi"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), nullable=False, index=True)
    periode_id: Mapped[int] = mapped_column(ForeignKey("periode.id"), nullable=False, index=True)
    # A revision of an approved SKP is a new version; the old one stays readable.
    versi: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    revisi_dari_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id"))
    pendekatan: Mapped[str] = mapped_column(String(20), nullable=False, default="kuantitatif")
    # The form of the SKP (PermenPANRB 6/2022): "jpt" for a JPT's (RHK under perspektif, each
    # indikator with its manual indikator), "non_jpt" for everyone else; fixed at creation.
    model: Mapped[str] = mapped_column(
        String(10), nullable=False, default="non_jpt", server_default="non_jpt"
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    penilai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"), index=True)
    dukungan_sumber_daya: Mapped[str | None] = mapped_column(Text)
    skema_pertanggungjawaban: Mapped[str | None] = mapped_column(Text)
    konsekuensi: Mapped[str | None] = mapped_column(Text)
    # Both parties' header (nama, NIP, pangkat, jabatan, unit) frozen at approval, so a later
    # mutation or promotion does not rewrite an approved document.
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    diajukan_pada: Mapped[datetime | None] = mapped_column(DateTime)
    disetujui_pada: Mapped[datetime | None] = mapped_column(DateTime)
    diubah_pada: Mapped[datetime | None] = mapped_column(DateTime)
    # The days of the year the SKP covers when a mutasi split it (app.services.mutasi): the
    # SKP of the post left ends the day before the move, the one of the new post starts on
    # it. NULL: from the start / to the end of the year.
    berlaku_mulai: Mapped[date | None] = mapped_column(Date)
    berlaku_sampai: Mapped[date | None] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    pegawai: Mapped[Pegawai] = relationship(foreign_keys=[pegawai_id])
    penilai: Mapped[Pegawai | None] = relationship(foreign_keys=[penilai_id])
    periode: Mapped[Periode] = relationship()
    rencana_hasil_kerja: Mapped[list[RencanaHasilKerja]] = relationship(
        back_populates="skp", cascade="all, delete-orphan", order_by="RencanaHasilKerja.urutan"
    )
    perilaku_kerja: Mapped[list[PerilakuKerja]] = relationship(
        back_populates="skp", cascade="all, delete-orphan", order_by="PerilakuKerja.nilai"
    )
    riwayat: Mapped[list[SkpRiwayat]] = relationship(
        back_populates="skp", cascade="all, delete-orphan", order_by="SkpRiwayat.id"
    )

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return cls.pegawai_id

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        """The pejabat penilai fixed on the SKP keeps seeing it after the pegawai moved to
        another post (a mutasi): they still evaluate the periods it kept."""
        return cls.penilai_id == pegawai_id

    @classmethod
    def newest_of_year(cls, pegawai_id: Any, tahunan_id: int) -> Any:
        """The join condition of a pegawai's newest SKP version of the year: a correlated
        look-up in the (pegawai, periode, versi) index per pegawai, which costs the same
        for three appraisees or a city, where a grouped subquery reads the year's every
        SKP first."""
        other = _other_versions()
        newest = (
            select(func.max(other.versi))
            .where(other.pegawai_id == pegawai_id, other.periode_id == tahunan_id)
            .scalar_subquery()
        )
        return and_(cls.pegawai_id == pegawai_id, cls.periode_id == tahunan_id, cls.versi == newest)

    @property
    def masa_berlaku(self) -> tuple[date, date]:
        """The first and the last day the SKP covers."""
        return (
            self.berlaku_mulai or self.periode.tanggal_mulai,
            self.berlaku_sampai or self.periode.tanggal_selesai,
        )

    def __str__(self) -> str:
        return f"SKP {self.periode.tahun if self.periode else ''} — {self.pegawai.nama}"


def appraised_skp_ids(pegawai_id: int) -> Select:
    """Ids of the SKPs whose pejabat penilai of record is ``pegawai_id``: what hangs off them
    (RHK, evaluations, realisasi, evidence, dialog) stays in that penilai's sight too."""
    return select(Skp.id).where(Skp.penilai_id == pegawai_id)


@functools.cache
def _other_versions() -> Any:
    """Skp's alias for its versions' look-up, built once (on first use, when the mappers are
    configured): an alias adapts its columns on first use, and most lists ask."""
    return aliased(Skp, name="skp_versi")


class RencanaHasilKerja(Model):
    __tablename__ = "rencana_hasil_kerja"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skp_id: Mapped[int] = mapped_column(
        ForeignKey("skp.id", ondelete="CASCADE"), nullable=False, index=True
    )
    jenis: Mapped[str] = mapped_column(String(10), nullable=False, default="utama")
    uraian: Mapped[str] = mapped_column(Text, nullable=False)
    # Cascading: the atasan's RHK this one intervenes; a JPT names its penugasan instead.
    intervensi_id: Mapped[int | None] = mapped_column(
        ForeignKey("rencana_hasil_kerja.id", ondelete="SET NULL"), index=True
    )
    penugasan_dari: Mapped[str | None] = mapped_column(String(200))
    # JPT model only: the perspektif the RHK serves (domain/enums.PERSPEKTIF).
    perspektif: Mapped[str | None] = mapped_column(String(20))
    urutan: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    skp: Mapped[Skp] = relationship(back_populates="rencana_hasil_kerja")
    intervensi: Mapped[RencanaHasilKerja | None] = relationship(remote_side=[id])
    indikator: Mapped[list[IndikatorKinerja]] = relationship(
        back_populates="rencana_hasil_kerja", cascade="all, delete-orphan"
    )

    @classmethod
    def scope_owner(cls) -> Via:
        return Via(cls.skp_id, select(Skp.id), Skp.pegawai_id)

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        return cls.skp_id.in_(appraised_skp_ids(pegawai_id))  # as Skp.scope_also

    def __str__(self) -> str:
        return self.uraian


class IndikatorKinerja(Model):
    __tablename__ = "indikator_kinerja"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rencana_hasil_kerja_id: Mapped[int] = mapped_column(
        ForeignKey("rencana_hasil_kerja.id", ondelete="CASCADE"), nullable=False, index=True
    )
    aspek: Mapped[str] = mapped_column(String(10), nullable=False, default="kuantitas")
    uraian: Mapped[str] = mapped_column(Text, nullable=False)
    # Kuantitatif: a number; kualitatif: the target described in words (target_uraian), and
    # the number may be absent.
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    target_uraian: Mapped[str | None] = mapped_column(Text)
    satuan: Mapped[str] = mapped_column(String(40), nullable=False)
    # JPT model: the manual indikator (definisi, tujuan, formula, jenis, unit penanggung
    # jawab, unit penyedia data, sumber data, periode pelaporan), keys of
    # domain/enums.MANUAL_INDIKATOR.
    manual_indikator: Mapped[dict | None] = mapped_column(JSON)

    rencana_hasil_kerja: Mapped[RencanaHasilKerja] = relationship(back_populates="indikator")

    @classmethod
    def scope_owner(cls) -> Via:
        rhk = select(RencanaHasilKerja.id).join(Skp, RencanaHasilKerja.skp_id == Skp.id)
        return Via(cls.rencana_hasil_kerja_id, rhk, Skp.pegawai_id)

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        rhk = select(RencanaHasilKerja.id).where(
            RencanaHasilKerja.skp_id.in_(appraised_skp_ids(pegawai_id))
        )
        return cls.rencana_hasil_kerja_id.in_(rhk)  # as Skp.scope_also

    def __str__(self) -> str:
        return self.uraian


class PerilakuKerja(Model):
    """One BerAKHLAK value on an SKP with the atasan's ekspektasi khusus."""

    __tablename__ = "perilaku_kerja"
    __table_args__ = (UniqueConstraint("skp_id", "nilai", name="uq_perilaku_skp_nilai"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skp_id: Mapped[int] = mapped_column(
        ForeignKey("skp.id", ondelete="CASCADE"), nullable=False, index=True
    )
    nilai: Mapped[int] = mapped_column(Integer, nullable=False)  # BerAKHLAK urutan 1..7
    ekspektasi_khusus: Mapped[str | None] = mapped_column(Text)

    skp: Mapped[Skp] = relationship(back_populates="perilaku_kerja")

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return select(Skp.pegawai_id).where(Skp.id == cls.skp_id).scalar_subquery()

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        return cls.skp_id.in_(appraised_skp_ids(pegawai_id))  # as Skp.scope_also


class SkpRiwayat(Model):
    """One workflow transition of an SKP: the timeline shown on its page."""

    __tablename__ = "skp_riwayat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skp_id: Mapped[int] = mapped_column(
        ForeignKey("skp.id", ondelete="CASCADE"), nullable=False, index=True
    )
    aksi: Mapped[str] = mapped_column(String(20), nullable=False)
    dari: Mapped[str] = mapped_column(String(20), nullable=False)
    ke: Mapped[str] = mapped_column(String(20), nullable=False)
    oleh_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    waktu: Mapped[datetime] = mapped_column(DateTime, nullable=False)  # UTC
    catatan: Mapped[str | None] = mapped_column(Text)
    # An act done on someone's behalf: "a.n. Wali Kota Dumai" (admin BKPSDM for a non-ASN
    # penilai), with the signed document kept under UPLOAD_FOLDER (stored name, shown name).
    atas_nama: Mapped[str | None] = mapped_column(String(300))
    dokumen: Mapped[str | None] = mapped_column(String(64))
    dokumen_nama: Mapped[str | None] = mapped_column(String(255))
    # An act of a Plt/Plh: the assignment it was done under (atas_nama: "Plt. <post>").
    penugasan_id: Mapped[int | None] = mapped_column(
        ForeignKey("penugasan.id", ondelete="SET NULL")
    )

    skp: Mapped[Skp] = relationship(back_populates="riwayat")
    oleh: Mapped[Pegawai | None] = relationship()

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return select(Skp.pegawai_id).where(Skp.id == cls.skp_id).scalar_subquery()

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        return cls.skp_id.in_(appraised_skp_ids(pegawai_id))  # as Skp.scope_also
