"""Acting assignments: a Plt or Plh covering a post (SE Kepala BKN 1/2021, DOMAIN.md)."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import penugasan as rules
from app.models.master import Pegawai, UnitKerja


class Penugasan(Model):
    """One SK naming a pegawai Plt or Plh of a post for a date range: the post of a pegawai
    who is absent (``menggantikan``) or the head post of a unit that is vacant
    (``unit_kerja``), never both. While it runs the acting official approves and rates what
    that post would (app.services.penugasan)."""

    __tablename__ = "penugasan"
    __table_args__ = (
        CheckConstraint(
            "(menggantikan_id IS NULL) <> (unit_kerja_id IS NULL)", name="ck_penugasan_satu_pos"
        ),
        CheckConstraint("tanggal_selesai >= tanggal_mulai", name="ck_penugasan_tanggal"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(
        ForeignKey("pegawai.id", ondelete="CASCADE"), nullable=False, index=True
    )
    menggantikan_id: Mapped[int | None] = mapped_column(
        ForeignKey("pegawai.id", ondelete="CASCADE"), index=True
    )
    unit_kerja_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_kerja.id", ondelete="CASCADE"), index=True
    )
    jenis: Mapped[str] = mapped_column(String(3), nullable=False)  # plt / plh
    tanggal_mulai: Mapped[date] = mapped_column(Date, nullable=False)
    tanggal_selesai: Mapped[date] = mapped_column(Date, nullable=False)
    nomor_sk: Mapped[str] = mapped_column(String(100), nullable=False)
    dicatat_pada: Mapped[datetime | None] = mapped_column(DateTime)

    pegawai: Mapped[Pegawai] = relationship(foreign_keys=[pegawai_id])
    menggantikan: Mapped[Pegawai | None] = relationship(foreign_keys=[menggantikan_id])
    unit_kerja: Mapped[UnitKerja | None] = relationship()

    @property
    def pos(self) -> str:
        """The covered post as an act names it: the absent pegawai's jabatan, else the head
        of the vacant unit."""
        if self.menggantikan is not None:
            covered = self.menggantikan
            return str(covered.jabatan) if covered.jabatan else covered.nama_lengkap
        return f"Kepala {self.unit_kerja.nama}" if self.unit_kerja else ""

    @property
    def status(self) -> str:
        """Upcoming, running or ended today (app.domain.penugasan.STATUS)."""
        return rules.status(self.tanggal_mulai, self.tanggal_selesai, date.today())

    @classmethod
    def scope_owner(cls):  # noqa: ANN206 - a SQL expression
        """The acting official reads their own assignments (and whoever sees them)."""
        return cls.pegawai_id

    def __str__(self) -> str:
        return rules.signed_as(self.jenis, self.pos)
