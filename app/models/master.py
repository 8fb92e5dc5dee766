"""Master data: the organisation tree, jabatan, pangkat, periode and pegawai (DOMAIN.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import gettext
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    and_,
    func,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import enums, org, tenggat

PATH_SEPARATOR = org.NAME_SEPARATOR


def not_null_index(name: str, column: str) -> Index:
    """An index of the rows where ``column`` is set: for a column NULL in most rows, which
    SQLite's planner statistics (one value for all the NULLs) make look unselective, so that
    it read the whole table to find the few rows of one value."""
    where = text(f"{column} IS NOT NULL")
    return Index(name, column, sqlite_where=where, postgresql_where=where)


class UnitKerja(Model):
    """A node of the organisation tree: Pemerintah Kota → OPD → bidang → seksi/UPT/sekolah."""

    __tablename__ = "unit_kerja"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kode: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    nama: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    jenis: Mapped[str] = mapped_column(String(30), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_kerja.id", ondelete="RESTRICT"), index=True
    )
    # Materialised ancestry ("/1/12/40/") so that an OPD's subtree is one indexed prefix
    # match instead of a recursive query per request. Kept by app.services.org.
    path: Mapped[str] = mapped_column(String(400), nullable=False, default="", index=True)
    # Denormalised name path for display ("Pemerintah Kota Dumai › Dinas Kesehatan › …").
    nama_lengkap: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    kepala_id: Mapped[int | None] = mapped_column(
        ForeignKey("pegawai.id", ondelete="SET NULL", use_alter=True), index=True
    )

    parent: Mapped[UnitKerja | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[UnitKerja]] = relationship(back_populates="parent")
    kepala: Mapped[Pegawai | None] = relationship(foreign_keys=[kepala_id])

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    def __str__(self) -> str:
        return org.unit_with_opd(self.nama, self.nama_lengkap)


class Jabatan(Model):
    __tablename__ = "jabatan"
    __table_args__ = (UniqueConstraint("nama", "jenis", "jenjang", name="uq_jabatan"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nama: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    jenis: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    jenjang: Mapped[str | None] = mapped_column(String(40))

    def __str__(self) -> str:
        return self.nama


class Pangkat(Model):
    __tablename__ = "pangkat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kode: Mapped[str] = mapped_column(String(10), nullable=False)
    nama: Mapped[str] = mapped_column(String(60), nullable=False)
    jenis_asn: Mapped[str] = mapped_column(String(10), nullable=False)  # pns | pppk
    urutan: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (UniqueConstraint("kode", "jenis_asn", name="uq_pangkat_kode"),)

    def __str__(self) -> str:
        if self.jenis_asn == "pns":
            return f"{self.nama} ({self.kode})"
        return f"PPPK {self.nama}"


class Periode(Model):
    __tablename__ = "periode"
    __table_args__ = (
        UniqueConstraint("tahun", "jenis", name="uq_periode_tahun_jenis"),
        CheckConstraint("tanggal_mulai <= tanggal_selesai", name="ck_periode_tanggal"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    jenis: Mapped[str] = mapped_column(String(10), nullable=False)
    tanggal_mulai: Mapped[date] = mapped_column(Date, nullable=False)
    tanggal_selesai: Mapped[date] = mapped_column(Date, nullable=False)
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # On the annual periode: the rhythm of the year's periodic evaluations (domain/periode.py).
    ritme: Mapped[str | None] = mapped_column(String(10))
    # Deadlines set by admin BKPSDM; empty means the default of app.domain.tenggat.
    batas_realisasi: Mapped[date | None] = mapped_column(Date)
    batas_penilaian: Mapped[date | None] = mapped_column(Date)

    @property
    def tenggat(self) -> dict[str, date]:
        """Both deadlines as they apply: the dates set, else the defaults."""
        return tenggat.batas(self.tanggal_selesai, self.batas_realisasi, self.batas_penilaian)

    def __str__(self) -> str:
        # Translated in the reader's locale (English msgids; no context → as written).
        return f"{self.tahun} {gettext(enums.label(enums.JENIS_PERIODE, self.jenis))}"


class Pegawai(Model):
    """An ASN (PNS or PPPK) of Kota Dumai, with their place in the org chart."""

    __tablename__ = "pegawai"
    __table_args__ = (
        Index("ix_pegawai_unit_aktif", "unit_kerja_id", "aktif"),
        # Set for few pegawai: SQLite's statistics, which count the NULLs as one value,
        # took a look-up by value for a read of the whole table.
        not_null_index("ix_pegawai_pejabat_penilai_id", "pejabat_penilai_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True, nullable=False)
    nama: Mapped[str] = mapped_column(String(150), nullable=False, index=True)
    gelar_depan: Mapped[str | None] = mapped_column(String(40))
    gelar_belakang: Mapped[str | None] = mapped_column(String(60))
    jenis_asn: Mapped[str] = mapped_column(String(20), nullable=False, default="pns")
    jenis_kelamin: Mapped[str | None] = mapped_column(String(1))  # "1" pria, "2" wanita
    tanggal_lahir: Mapped[date | None] = mapped_column(Date)
    pangkat_id: Mapped[int | None] = mapped_column(ForeignKey("pangkat.id"), index=True)
    tmt_pangkat: Mapped[date | None] = mapped_column(Date)
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id"), index=True)
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), nullable=False)
    atasan_id: Mapped[int | None] = mapped_column(
        ForeignKey("pegawai.id", ondelete="SET NULL"), index=True
    )
    # Evaluator override of the atasan langsung (e.g. kepala sekolah for guru).
    pejabat_penilai_id: Mapped[int | None] = mapped_column(
        ForeignKey("pegawai.id", ondelete="SET NULL")
    )
    # Top of the chain: a pejabat penilai who is not an ASN (the Wali Kota for the Sekda) has
    # no record here; admin BKPSDM acts on their behalf (DOMAIN.md, Organisation realities).
    penilai_non_asn_nama: Mapped[str | None] = mapped_column(String(200))
    penilai_non_asn_jabatan: Mapped[str | None] = mapped_column(String(200))
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"), unique=True)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    pangkat: Mapped[Pangkat | None] = relationship()
    jabatan: Mapped[Jabatan | None] = relationship()
    unit_kerja: Mapped[UnitKerja] = relationship(foreign_keys=[unit_kerja_id])
    atasan: Mapped[Pegawai | None] = relationship(remote_side=[id], foreign_keys=[atasan_id])
    pejabat_penilai: Mapped[Pegawai | None] = relationship(
        remote_side=[id], foreign_keys=[pejabat_penilai_id]
    )
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def nama_lengkap(self) -> str:
        """Name with academic titles as written on official documents."""
        depan = f"{self.gelar_depan} " if self.gelar_depan else ""
        belakang = f", {self.gelar_belakang}" if self.gelar_belakang else ""
        return f"{depan}{self.nama}{belakang}"

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        """The owning pegawai of a Pegawai row is the pegawai itself (app.security.scope)."""
        return cls.id

    @hybrid_property
    def penilai_id(self) -> int | None:
        """The pejabat penilai: the override when set, else the atasan langsung. The one
        definition, in Python and (as ``Pegawai.penilai_id``) in SQL."""
        return self.pejabat_penilai_id or self.atasan_id

    @penilai_id.inplace.expression
    @classmethod
    def _penilai_id_expression(cls) -> Any:
        return func.coalesce(cls.pejabat_penilai_id, cls.atasan_id)

    @classmethod
    def has_penilai_non_asn(cls) -> tuple[Any, ...]:
        """``penilai_non_asn`` in SQL: a non-ASN official named, no penilai in the app."""
        return (
            cls.penilai_non_asn_nama.is_not(None),
            cls.atasan_id.is_(None),
            cls.pejabat_penilai_id.is_(None),
        )

    @property
    def penilai_non_asn(self) -> str | None:
        """The pejabat penilai who is not an ASN (the Wali Kota for the Sekda), as named on
        the SKP and on every act done on their behalf; None when the penilai is a pegawai."""
        if self.penilai_id is not None or not self.penilai_non_asn_nama:
            return None
        jabatan = self.penilai_non_asn_jabatan
        return f"{jabatan} ({self.penilai_non_asn_nama})" if jabatan else self.penilai_non_asn_nama

    @classmethod
    def penilai_cases(cls, match: Callable[[Any], Any]) -> tuple[Any, Any]:
        """``match(Pegawai.penilai_id)`` split by the cases of that definition — the override
        set; no override and the atasan — one indexed condition each, for the branches of a
        UNION: as ``match(coalesce(…))`` or an OR the database walks every pegawai."""
        return (
            match(cls.pejabat_penilai_id),
            and_(cls.pejabat_penilai_id.is_(None), match(cls.atasan_id)),
        )

    def __str__(self) -> str:
        return f"{self.nama_lengkap} ({self.nip})"
