"""A report written in the background (issue 13): a report of many rows is made by the
worker rather than in the request, and its file is kept for a while under an unguessable
token that only the account that asked for it may use (app.services.ekspor)."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column


class Ekspor(Model):
    """One request for a report, from the queue to the file and its expiry. ``status``
    follows app.services.ekspor.STATUS. The rows read so far while it runs live in the
    queue's store (app.services.ekspor.kemajuan); ``baris_ditulis`` is the final count."""

    __tablename__ = "ekspor"
    __table_args__ = (Index("ix_ekspor_status_kedaluwarsa", "status", "kedaluwarsa_pada"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    jenis: Mapped[str] = mapped_column(String(30), nullable=False)  # app.reports.laporan.REPORTS
    ext: Mapped[str] = mapped_column(String(10), nullable=False)
    # The query string as asked (periode_id, unit_kerja_id), checked again by the worker.
    parameter: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    bahasa: Mapped[str] = mapped_column(String(10), nullable=False)  # the file's language
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="antri")
    baris_total: Mapped[int] = mapped_column(Integer, nullable=False)  # counted when asked
    baris_ditulis: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    nama_berkas: Mapped[str | None] = mapped_column(String(200))  # the download's name
    galat: Mapped[str | None] = mapped_column(Text)  # why it failed, in ``bahasa``
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    selesai_pada: Mapped[datetime | None] = mapped_column(DateTime)
    # After it the file is gone (410); also the end of a request the worker never finished.
    kedaluwarsa_pada: Mapped[datetime] = mapped_column(DateTime, nullable=False)
