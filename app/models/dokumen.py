"""Official documents issued as PDF: each carries an unguessable token that the public
verification page (/verifikasi/<token>) looks up."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.master import Pegawai, Periode, UnitKerja


class DokumenTerbit(Model):
    """One issue of an official document: which row it printed (``jenis`` + ``objek_id``;
    for a pola distribusi the OPD's id) in which state (``sidik``, the row's version at
    issue). The page compares ``sidik`` with the row as it is now to say whether the paper is
    still the current version. The row id is no foreign key: an SKP revised or deleted later
    still leaves the issue on record."""

    __tablename__ = "dokumen_terbit"
    __table_args__ = (Index("ix_dokumen_terbit_objek", "jenis", "objek_id", "sidik"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    jenis: Mapped[str] = mapped_column(String(20), nullable=False)  # app.domain.dokumen.JENIS
    objek_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # Whose document: a pegawai's (SKP, evaluation) or an OPD's (pola distribusi).
    pegawai_id: Mapped[int | None] = mapped_column(
        ForeignKey("pegawai.id", ondelete="CASCADE"), index=True
    )
    unit_kerja_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_kerja.id", ondelete="CASCADE")
    )
    periode_id: Mapped[int] = mapped_column(
        ForeignKey("periode.id", ondelete="CASCADE"), nullable=False
    )
    # The row's status at issue; for a pola distribusi the OPD's predikat organisasi.
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    sidik: Mapped[str] = mapped_column(String(40), nullable=False)  # its version at issue
    diterbitkan_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    pegawai: Mapped[Pegawai | None] = relationship()
    unit_kerja: Mapped[UnitKerja | None] = relationship()
    periode: Mapped[Periode] = relationship()
