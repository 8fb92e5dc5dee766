"""The audit trail: append-only, one row per inserted, updated or deleted record."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship


class AuditLog(Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_table_row", "table_name", "row_id"),
        Index("ix_audit_log_created_at", "created_at"),
        # The audit list sorts and filters by it; a page of 50 must not sort millions of rows.
        Index("ix_audit_log_action", "action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)  # UTC
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    row_id: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(10), nullable=False)
    changes: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # sha256 over this row's content and the previous row's hash: a chain that shows an
    # altered, inserted or deleted row (see app.audit.verify_chain).
    hash: Mapped[str] = mapped_column(String(64), nullable=False)

    # The pegawai behind the account, for their name on the audit page (joined in the list
    # query, so a page of entries costs one statement).
    pegawai = relationship(
        "Pegawai",
        primaryjoin="foreign(AuditLog.user_id) == Pegawai.user_id",
        viewonly=True,
        lazy="joined",
        uselist=False,
    )

    @property
    def pelaku(self) -> tuple[str, str | None]:
        """Who wrote: the account and, when it is a pegawai's, their full name."""
        return self.username, self.pegawai.nama_lengkap if self.pegawai is not None else None

    @property
    def isi(self) -> tuple[str, dict]:
        """What changed, with the table that decides how its fields read."""
        return self.table_name, self.changes

    def __str__(self) -> str:
        return f"{self.table_name}#{self.row_id} {self.action}"
