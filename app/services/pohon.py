"""The unit tree page (admin BKPSDM), one level at a time: a unit, the units above it, and
its sub-units with their active pegawai (their whole subtree's) and how many sub-units each
has in turn. A province's tree holds thousands of units (3,230 in the demo of 100,000
pegawai), which the page used to render whole. Six statements whatever its size; the
pegawai come from the maintained counts (app.services.hitungan)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import N_
from app.domain.org import path_ids
from app.models.master import UnitKerja
from app.services import hitungan
from app.services.errors import NotFound


@dataclass(frozen=True)
class Cabang:
    """A sub-unit as a level shows it."""

    unit: UnitKerja
    pegawai: int  # active, in the unit and all its sub-units
    anak: int  # its own sub-units


@dataclass(frozen=True)
class Tingkat:
    """One level of the tree: ``unit`` opened (None: the top, the units without a parent),
    the units above it (top first) and its sub-units by name."""

    unit: UnitKerja | None
    atas: list[UnitKerja]
    cabang: list[Cabang]
    langsung: int  # active pegawai placed in ``unit`` itself


def tingkat(session: Session, unit_id: int | None) -> Tingkat:
    """The level of ``unit_id`` (None: the top, or the one unit at the top — the city —
    opened)."""
    tops = list(
        session.execute(
            select(UnitKerja.id).where(UnitKerja.parent_id.is_(None)).limit(2)
        ).scalars()
    )
    if unit_id is None and len(tops) == 1:
        unit_id = tops[0]
    unit = session.get(UnitKerja, unit_id) if unit_id is not None else None
    if unit_id is not None and unit is None:
        raise NotFound(N_("Work unit not found."))
    above = path_ids(unit.path)[:-1] if unit is not None else []
    atas = (
        list(
            session.execute(
                select(UnitKerja).where(UnitKerja.id.in_(above)).order_by(UnitKerja.path)
            ).scalars()
        )
        if above
        else []
    )
    parent = UnitKerja.parent_id == unit.id if unit is not None else UnitKerja.parent_id.is_(None)
    children = list(
        session.execute(
            select(UnitKerja).where(parent).order_by(UnitKerja.nama, UnitKerja.id)
        ).scalars()
    )
    grandchildren = (
        dict(
            session.execute(
                select(UnitKerja.parent_id, func.count(UnitKerja.id))
                .where(UnitKerja.parent_id.in_([child.id for child in children]))
                .group_by(UnitKerja.parent_id)
            ).all()
        )
        if children
        else {}
    )
    pegawai, langsung = _pegawai(session, unit, children)
    return Tingkat(
        unit=unit,
        atas=atas,
        cabang=[
            Cabang(child, pegawai.get(child.id, 0), int(grandchildren.get(child.id, 0)))
            for child in children
        ],
        langsung=langsung,
    )


def _pegawai(
    session: Session, unit: UnitKerja | None, children: list[UnitKerja]
) -> tuple[dict[int, int], int]:
    """Active pegawai per sub-unit's subtree, and those placed in ``unit`` itself (None: the
    several units at the top, each with everything under it)."""
    if unit is None:
        return hitungan.pegawai_per_branch(session, [child.id for child in children]), 0
    groups = hitungan.sums(session, unit, [], (hitungan.PEGAWAI,))
    found = {key: jumlah.get(None, hitungan.PEGAWAI) for key, jumlah in groups.items()}
    return {k: v for k, v in found.items() if k is not None}, found.get(None, 0)
