"""Periods of the performance cycle."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.domain.enums import N_
from app.domain.errors import DomainError
from app.models.master import Periode


def check_periode(periode: Periode) -> None:
    if (
        periode.tanggal_mulai
        and periode.tanggal_selesai
        and (periode.tanggal_mulai > periode.tanggal_selesai)
    ):
        raise DomainError(
            N_("The start date must not be after the end date."), field="tanggal_selesai"
        )
    if periode.tanggal_mulai and periode.tanggal_mulai.year != periode.tahun:
        raise DomainError(
            N_("The start date must fall in the period's year."), field="tanggal_mulai"
        )


def keep_one_active_year(session: Session, periode: Periode) -> None:
    """Only one annual period is active at a time: activating one deactivates the others."""
    if periode.aktif and periode.jenis == "tahunan":
        session.execute(
            update(Periode)
            .where(Periode.jenis == "tahunan", Periode.id != periode.id, Periode.aktif.is_(True))
            .values(aktif=False)
            .execution_options(synchronize_session="fetch")
        )
