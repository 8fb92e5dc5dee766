"""Maintained counts: how many pegawai, SKPs, evaluations and predikat each unit holds per
periode, and how many rows of each pegawai-owned table, so that Kepatuhan, Monitoring SKP,
the dashboard and an OPD head's lists sum a few rows per unit instead of counting the city
on every request; and the open items Kepatuhan lists. Written only by
app.services.hitungan and app.services.butir (in the transaction of the change they follow);
never edited by hand, never audited (they are derived: ``flask verify-counts`` holds them
against a full recount)."""

from __future__ import annotations

from datetime import date

from flask_appbuilder import Model
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class Hitungan(Model):
    """One measure (``ukuran``, e.g. ``skp:diajukan``) of the active pegawai placed in one
    unit (not its subtree: pages sum the subtree) for one periode; ``periode_id`` is None
    for a measure of no periode (the active pegawai themselves, and ``baris:<table>``: the
    rows of a table owned by the unit's pegawai, active or not)."""

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


class HitunganCabang(Model):
    """The cycle's measures of ``hitungan`` summed over a unit's branch — the unit and every
    unit under it — so that a page reads a few rows per line (an OPD, a sub-unit) rather
    than a few per unit of its subtree (app.services.hitungan_cabang)."""

    __tablename__ = "hitungan_cabang"
    __table_args__ = (
        Index(
            "ix_hitungan_cabang_unit_periode",
            "unit_kerja_id",
            "periode_id",
            "ukuran",
            "jumlah",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_kerja_id: Mapped[int] = mapped_column(
        ForeignKey("unit_kerja.id", ondelete="CASCADE"), nullable=False
    )
    periode_id: Mapped[int | None] = mapped_column(ForeignKey("periode.id", ondelete="CASCADE"))
    ukuran: Mapped[str] = mapped_column(String(40), nullable=False)
    jumlah: Mapped[int] = mapped_column(Integer, nullable=False)


class ButirKepatuhan(Model):
    """One open item of the cycle (app.services.butir: an SKP of the year not drawn up,
    submitted or approved; an evaluation not rated) with who must act on it and the keys the
    Kepatuhan list is sorted by, so that a page of it is read in index order. Written only
    by app.services.butir, in the transaction of the change it follows."""

    __tablename__ = "butir_kepatuhan"
    __table_args__ = (
        # The list's order (kepatuhan.halaman): OPD, pejabat penilai, pegawai, step.
        Index(
            "ix_butir_kepatuhan_urutan",
            "tahunan_id",
            "tanpa_opd",
            "opd_nama",
            "opd_id",
            "tanpa_penilai",
            "penilai_nama",
            "penilai_id",
            "pegawai_nama",
            "pegawai_id",
            "urutan",
            "periode_selesai",
        ),
        # Who has most waiting on them (kepatuhan.per_atasan), read from the index alone.
        Index(
            "ix_butir_kepatuhan_penilai",
            "tahunan_id",
            "menunggu",
            "penilai_id",
            "penilai_nama",
            "periode_id",
            "kategori",
            "unit_kerja_id",
            "pegawai_id",
        ),
        Index("ix_butir_kepatuhan_penerima", "tahunan_id", "penerima_id"),
        Index("ix_butir_kepatuhan_pegawai", "pegawai_id"),
        # What waits on a penilai, recounted at every change that touches it, under the
        # writers' turn (butir.recount_penilai): without it PostgreSQL read the whole table.
        Index("ix_butir_kepatuhan_menunggu_penilai", "penilai_id", "menunggu"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tahunan_id: Mapped[int] = mapped_column(
        ForeignKey("periode.id", ondelete="CASCADE"), nullable=False
    )
    periode_id: Mapped[int | None] = mapped_column(ForeignKey("periode.id", ondelete="CASCADE"))
    pegawai_id: Mapped[int] = mapped_column(
        ForeignKey("pegawai.id", ondelete="CASCADE"), nullable=False
    )
    unit_kerja_id: Mapped[int] = mapped_column(Integer, nullable=False)
    kategori: Mapped[str] = mapped_column(String(20), nullable=False)
    menunggu: Mapped[str] = mapped_column(String(10), nullable=False)
    penilai_id: Mapped[int | None] = mapped_column(Integer)
    penerima_id: Mapped[int | None] = mapped_column(Integer)  # whoever must act
    skp_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"))
    penilaian_id: Mapped[int | None] = mapped_column(ForeignKey("penilaian.id", ondelete="CASCADE"))
    # The sort keys, copied from the rows they name.
    tanpa_opd: Mapped[bool] = mapped_column(Boolean, nullable=False)
    opd_nama: Mapped[str | None] = mapped_column(String(200))
    opd_id: Mapped[int | None] = mapped_column(Integer)
    tanpa_penilai: Mapped[bool] = mapped_column(Boolean, nullable=False)
    penilai_nama: Mapped[str | None] = mapped_column(String(200))
    pegawai_nama: Mapped[str] = mapped_column(String(200), nullable=False)
    urutan: Mapped[int] = mapped_column(Integer, nullable=False)  # the kategori's step
    periode_selesai: Mapped[date | None] = mapped_column(Date)


class JpTahunan(Model):
    """One active pegawai's JP of competence development in a year that has an annual
    periode (app.services.jp_tahunan), 0 included, so that the JP tally is read fewest
    first by index. Written only by app.services.jp_tahunan, in the transaction of the
    change it follows."""

    __tablename__ = "jp_tahunan"
    __table_args__ = (
        Index("ix_jp_tahunan_urutan", "tahun", "jp", "pegawai_nama", "pegawai_id"),
        # What the tally's count asks of a unit's subtree, from the index alone.
        Index("ix_jp_tahunan_unit", "tahun", "unit_kerja_id", "jenis_asn", "jp", "pegawai_id"),
        Index("ix_jp_tahunan_pegawai", "pegawai_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer, nullable=False)
    pegawai_id: Mapped[int] = mapped_column(
        ForeignKey("pegawai.id", ondelete="CASCADE"), nullable=False
    )
    unit_kerja_id: Mapped[int] = mapped_column(Integer, nullable=False)
    jenis_asn: Mapped[str] = mapped_column(String(20), nullable=False)
    pegawai_nama: Mapped[str] = mapped_column(String(200), nullable=False)
    jp: Mapped[int] = mapped_column(Integer, nullable=False)


class ButirPenilai(Model):
    """The open items waiting on a pejabat penilai (``butir_kepatuhan`` rows waiting on
    ``atasan``) counted per penilai, year, periode, kategori and the pegawai's OPD, so that
    who has most waiting is read from a few rows per penilai rather than from every item
    (app.services.butir: ``per_penilai``)."""

    __tablename__ = "butir_penilai"
    __table_args__ = (
        # Of the city, and of one OPD: the penilai in order, their counts read by index.
        Index(
            "ix_butir_penilai_tahun",
            "tahunan_id",
            "penilai_id",
            "penilai_nama",
            "periode_id",
            "kategori",
            "jumlah",
        ),
        Index(
            "ix_butir_penilai_opd",
            "tahunan_id",
            "opd_id",
            "penilai_id",
            "penilai_nama",
            "periode_id",
            "kategori",
            "jumlah",
        ),
        Index("ix_butir_penilai_penilai", "penilai_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tahunan_id: Mapped[int] = mapped_column(
        ForeignKey("periode.id", ondelete="CASCADE"), nullable=False
    )
    periode_id: Mapped[int | None] = mapped_column(ForeignKey("periode.id", ondelete="CASCADE"))
    kategori: Mapped[str] = mapped_column(String(20), nullable=False)
    opd_id: Mapped[int | None] = mapped_column(Integer)
    penilai_id: Mapped[int] = mapped_column(Integer, nullable=False)
    penilai_nama: Mapped[str | None] = mapped_column(String(200))
    jumlah: Mapped[int] = mapped_column(Integer, nullable=False)
