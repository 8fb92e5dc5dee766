"""Which periode and which unit a monitoring page, the dashboard or a report is about: the
``Cakupan`` they share, and the one check of what a request asks for (``choose``): a periode
among those offered, and a unit the viewer may drill into — anything else is NotFound (404),
never the figures of a unit outside the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.domain.enums import N_
from app.domain.periode import ANNUAL
from app.models.master import Pegawai, Periode, UnitKerja
from app.security import scope
from app.services.errors import NotFound

# An id larger than an SQL integer names no row (and must not reach the database).
_MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Cakupan:
    """The chosen periode (any jenis), the annual periode of its year (the SKPs belong to
    it), and the unit whose subtree is looked at (None: everything in the viewer's scope)."""

    periode: Periode
    tahunan: Periode
    unit: UnitKerja | None = None

    @classmethod
    def of(cls, periods: list[Periode], periode: Periode, unit: UnitKerja | None = None) -> Cakupan:
        """``periode`` (one of ``periods``) with its year's annual periode from ``periods``."""
        tahunan = next(p for p in periods if p.tahun == periode.tahun and p.jenis == ANNUAL)
        return cls(periode, tahunan, unit)


def visible_unit(session: Session, viewer: scope.Viewer, unit_id: int) -> UnitKerja | None:
    """An OPD or a unit below it that the viewer may drill into: admin any, a pimpinan
    anything in their OPD, others only a unit holding a pegawai of their scope."""
    unit = session.get(UnitKerja, unit_id) if unit_id <= _MAX_ID else None
    if unit is None or unit.path.count("/") < 3:
        return None
    if viewer.is_admin or any(unit.path.startswith(path) for path in viewer.opd_paths):
        return unit
    inside = (
        exists()
        .where(Pegawai.unit_kerja_id == UnitKerja.id)
        .where(UnitKerja.path.startswith(unit.path, autoescape=True))
    )
    clause = scope.visible_pegawai_ids(viewer)
    if clause is not None:
        inside = inside.where(clause)
    return unit if session.execute(select(inside)).scalar() else None


def choose(
    session: Session,
    viewer: scope.Viewer,
    periods: list[Periode],
    periode_id: int | None,
    unit_id: int | None,
    default: Periode | None,
) -> Cakupan | None:
    """What a request asks for: periode ``periode_id`` among ``periods`` (none asked:
    ``default``) and unit ``unit_id`` if the viewer may drill into it; None when there is no
    periode to show. A periode not offered or a unit out of reach is NotFound."""
    periode = default
    if periode_id is not None:
        periode = next((p for p in periods if p.id == periode_id), None)
        if periode is None:
            raise NotFound(N_("Period not found."))
    unit = None
    if unit_id is not None:
        unit = visible_unit(session, viewer, unit_id)
        if unit is None:
            raise NotFound(N_("Work unit not found."))
    return Cakupan.of(periods, periode, unit) if periode is not None else None
