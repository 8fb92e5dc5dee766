"""Evaluasi and tindak lanjut: periodic and annual penilaian with their ratings and predikat,
the predikat kinerja organisasi and kurva justifications, development plans and training."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.master import Pegawai, Periode, UnitKerja, not_null_index
from app.models.owner import Via
from app.models.skp import Skp, appraised_skp_ids


class Penilaian(Model):
    """The evaluation of one SKP for one periode (tw1…tw4 or tahunan).

    ``predikat`` is always derived from the two ratings (app.domain.scoring), never typed in.
    """

    __tablename__ = "penilaian"
    __table_args__ = (
        UniqueConstraint("skp_id", "periode_id", name="uq_penilaian_skp_periode"),
        not_null_index("ix_penilaian_diputus_oleh_id", "diputus_oleh_id"),  # the few decided
        # What still waits in a year (objections, ratings whose window has passed: the
        # closing page), found without reading the year's other evaluations.
        Index("ix_penilaian_status_periode", "status", "periode_id", "dinilai_pada", "skp_id"),
        # A pejabat penilai's evaluations, and among them those objected to (scope_also).
        Index("ix_penilaian_penilai_status", "penilai_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skp_id: Mapped[int] = mapped_column(
        ForeignKey("skp.id", ondelete="CASCADE"), nullable=False, index=True
    )
    periode_id: Mapped[int] = mapped_column(ForeignKey("periode.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="belum_dinilai")
    rating_hasil_kerja: Mapped[str | None] = mapped_column(String(10))
    rating_perilaku_kerja: Mapped[str | None] = mapped_column(String(10))
    predikat: Mapped[str | None] = mapped_column(String(20), index=True)
    umpan_balik: Mapped[str | None] = mapped_column(Text)
    # The written reason when the rating hasil kerja of an OPD head departs from the
    # predikat kinerja organisasi of the OPD (SE MenPANRB 3/2023).
    alasan_rating: Mapped[str | None] = mapped_column(Text)
    penilai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    diajukan_pada: Mapped[datetime | None] = mapped_column(DateTime)
    dinilai_pada: Mapped[datetime | None] = mapped_column(DateTime)
    ditanggapi_pada: Mapped[datetime | None] = mapped_column(DateTime)  # accepted or objected
    keberatan_alasan: Mapped[str | None] = mapped_column(Text)
    diputus_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    diputus_pada: Mapped[datetime | None] = mapped_column(DateTime)
    keputusan_catatan: Mapped[str | None] = mapped_column(Text)
    diubah_pada: Mapped[datetime | None] = mapped_column(DateTime)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    skp: Mapped[Skp] = relationship()
    periode: Mapped[Periode] = relationship()
    penilai: Mapped[Pegawai | None] = relationship(foreign_keys=[penilai_id])
    diputus_oleh: Mapped[Pegawai | None] = relationship(foreign_keys=[diputus_oleh_id])
    perilaku: Mapped[list[PenilaianPerilaku]] = relationship(
        back_populates="penilaian", cascade="all, delete-orphan", order_by="PenilaianPerilaku.nilai"
    )
    riwayat: Mapped[list[PenilaianRiwayat]] = relationship(
        back_populates="penilaian", cascade="all, delete-orphan", order_by="PenilaianRiwayat.id"
    )

    @classmethod
    def scope_owner(cls) -> Via:
        return Via(cls.skp_id, select(Skp.id), Skp.pegawai_id)

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        """Besides the org chart, the atasan pejabat penilai sees an evaluation once it is
        objected to — to decide it — and after deciding it (PP 30/2019), even when the
        pegawai sits outside their scope; the SKP's pejabat penilai sees it after the
        pegawai moved away (Skp.scope_also)."""
        raters = select(Pegawai.id).where(Pegawai.atasan_id == pegawai_id)

        def rated(column: Any) -> Any:
            return column.in_(raters)

        # Objected or decided, asked inside each look-up: the few such evaluations, then
        # whether their pejabat penilai is among the raters (from the raters' evaluations
        # of every status, PostgreSQL read every evaluation they rated). Of the evaluation's
        # own penilai the two states are asked apart, the objected ones through the index of
        # (penilai, status): asked as one OR, PostgreSQL read every objection of the city
        # (5,774 at 100,000 pegawai, 17 ms) to keep the raters'.
        objected = (cls.status == "keberatan", cls.diputus_oleh_id.is_not(None))
        own = [select(cls.id).where(state, rated(cls.penilai_id)) for state in objected]
        others = cls.by_penilai_parts(rated, or_(*objected), own=False)
        return or_(
            cls.id.in_(union_all(*own, *others)),
            cls.skp_id.in_(appraised_skp_ids(pegawai_id)),  # as Skp.scope_also
        )

    @classmethod
    def by_penilai(cls, match: Callable[[Any], Any], *where: Any) -> Select:
        """Ids of the evaluations (among ``where``) whose pejabat penilai — the evaluation's
        own, else its SKP's, else the owner's (Pegawai.penilai_id) — satisfies ``match``: one
        indexed look-up per case in a UNION, where ``match(coalesce(…))`` would scan them
        all."""
        return union_all(*cls.by_penilai_parts(match, *where))

    @classmethod
    def by_penilai_parts(
        cls, match: Callable[[Any], Any], *where: Any, own: bool = True
    ) -> list[Select]:
        """The look-ups of ``by_penilai``, one per case, to be joined in a UNION; without
        the evaluation's own penilai unless ``own``."""
        not_fixed = (
            select(cls.id).join(Skp, cls.skp_id == Skp.id).where(*where, cls.penilai_id.is_(None))
        )
        owners = not_fixed.join(Pegawai, Skp.pegawai_id == Pegawai.id).where(
            Skp.penilai_id.is_(None)
        )
        return [
            *([select(cls.id).where(*where, match(cls.penilai_id))] if own else []),
            not_fixed.where(match(Skp.penilai_id)),
            *(owners.where(case) for case in Pegawai.penilai_cases(match)),
        ]


class PenilaianPerilaku(Model):
    """The penilai's umpan balik on one BerAKHLAK value in one evaluation."""

    __tablename__ = "penilaian_perilaku"
    __table_args__ = (UniqueConstraint("penilaian_id", "nilai", name="uq_penilaian_perilaku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    penilaian_id: Mapped[int] = mapped_column(
        ForeignKey("penilaian.id", ondelete="CASCADE"), nullable=False, index=True
    )
    nilai: Mapped[int] = mapped_column(Integer, nullable=False)
    umpan_balik: Mapped[str | None] = mapped_column(Text)

    penilaian: Mapped[Penilaian] = relationship(back_populates="perilaku")

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return (
            select(Skp.pegawai_id)
            .join(Penilaian, Penilaian.skp_id == Skp.id)
            .where(Penilaian.id == cls.penilaian_id)
            .scalar_subquery()
        )

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        evaluations = select(Penilaian.id).where(
            Penilaian.skp_id.in_(appraised_skp_ids(pegawai_id))
        )
        return cls.penilaian_id.in_(evaluations)  # as Skp.scope_also


class PenilaianRiwayat(Model):
    """One transition of an evaluation, with the ratings at that moment (how it was reached)."""

    __tablename__ = "penilaian_riwayat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    penilaian_id: Mapped[int] = mapped_column(
        ForeignKey("penilaian.id", ondelete="CASCADE"), nullable=False, index=True
    )
    aksi: Mapped[str] = mapped_column(String(20), nullable=False)
    dari: Mapped[str] = mapped_column(String(20), nullable=False)
    ke: Mapped[str] = mapped_column(String(20), nullable=False)
    oleh_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    waktu: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    catatan: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[dict | None] = mapped_column(JSON)
    # As on SkpRiwayat: an act on a non-ASN penilai's behalf and its signed document.
    atas_nama: Mapped[str | None] = mapped_column(String(300))
    dokumen: Mapped[str | None] = mapped_column(String(64))
    dokumen_nama: Mapped[str | None] = mapped_column(String(255))
    # An act of a Plt/Plh: the assignment it was done under (atas_nama: "Plt. <post>").
    penugasan_id: Mapped[int | None] = mapped_column(
        ForeignKey("penugasan.id", ondelete="SET NULL")
    )

    penilaian: Mapped[Penilaian] = relationship(back_populates="riwayat")
    oleh: Mapped[Pegawai | None] = relationship()

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return (
            select(Skp.pegawai_id)
            .join(Penilaian, Penilaian.skp_id == Skp.id)
            .where(Penilaian.id == cls.penilaian_id)
            .scalar_subquery()
        )

    @classmethod
    def scope_also(cls, pegawai_id: int) -> Any:
        evaluations = select(Penilaian.id).where(
            Penilaian.skp_id.in_(appraised_skp_ids(pegawai_id))
        )
        return cls.penilaian_id.in_(evaluations)  # as Skp.scope_also


class PredikatOrganisasi(Model):
    """The predikat kinerja organisasi of an OPD for a periode (SE MenPANRB 3/2023), set by the
    pimpinan above it and recorded by admin BKPSDM; it decides which kurva distribusi rule
    applies and is the basis of the OPD head's rating hasil kerja."""

    __tablename__ = "predikat_organisasi"
    __table_args__ = (
        UniqueConstraint("unit_kerja_id", "periode_id", name="uq_predikat_organisasi"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), nullable=False)
    periode_id: Mapped[int] = mapped_column(ForeignKey("periode.id"), nullable=False)
    predikat: Mapped[str] = mapped_column(String(20), nullable=False)
    # The penetapan by the pimpinan above (for an OPD: the Wali Kota), recorded by BKPSDM.
    nomor_penetapan: Mapped[str | None] = mapped_column(String(100))
    ditetapkan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    ditetapkan_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    unit_kerja: Mapped[UnitKerja] = relationship()
    periode: Mapped[Periode] = relationship()

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        """The head of the OPD: the row is the basis of their rating hasil kerja. So the
        pimpinan OPD reads their OPD's predikat, and so does whoever rates them through the
        org chart; a unit without a head is read by admin BKPSDM only."""
        return (
            select(UnitKerja.kepala_id).where(UnitKerja.id == cls.unit_kerja_id).scalar_subquery()
        )


class KurvaJustifikasi(Model):
    """The written reason for a distribution that breaks the kurva rule (a warning, not a
    block): who, when, which rules, why."""

    __tablename__ = "kurva_justifikasi"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), nullable=False)
    periode_id: Mapped[int] = mapped_column(ForeignKey("periode.id"), nullable=False)
    pelanggaran: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    alasan: Mapped[str] = mapped_column(Text, nullable=False)
    oleh_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    waktu: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    unit_kerja: Mapped[UnitKerja] = relationship()
    oleh: Mapped[Pegawai | None] = relationship()


class RencanaPengembangan(Model):
    """Tindak lanjut of an annual predikat: advanced training for Sangat Baik, a pembinaan
    plan for Butuh Perbaikan, Kurang and Sangat Kurang (PP 30/2019)."""

    __tablename__ = "rencana_pengembangan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), nullable=False, index=True)
    penilaian_id: Mapped[int | None] = mapped_column(
        ForeignKey("penilaian.id", ondelete="SET NULL"), unique=True
    )
    jenis: Mapped[str] = mapped_column(String(30), nullable=False)  # pelatihan_lanjutan | pembinaan
    target: Mapped[str | None] = mapped_column(Text)
    langkah: Mapped[str | None] = mapped_column(Text)
    tenggat: Mapped[date | None] = mapped_column(Date)
    tindak_lanjut_atasan: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="usulan")
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    pegawai: Mapped[Pegawai] = relationship()
    penilaian: Mapped[Penilaian | None] = relationship()

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return cls.pegawai_id


class Pelatihan(Model):
    """A competence development record: every PNS has a right to at least 20 JP a year
    (1 JP = 45 minutes)."""

    __tablename__ = "pelatihan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), nullable=False, index=True)
    nama_diklat: Mapped[str] = mapped_column(String(300), nullable=False)
    penyelenggara: Mapped[str | None] = mapped_column(String(300))
    tanggal_mulai: Mapped[date] = mapped_column(Date, nullable=False)
    tanggal_selesai: Mapped[date | None] = mapped_column(Date)
    jp: Mapped[int] = mapped_column(Integer, nullable=False)

    pegawai: Mapped[Pegawai] = relationship()

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        return cls.pegawai_id
