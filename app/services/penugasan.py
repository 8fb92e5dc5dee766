"""The writes of Plt/Plh assignments (admin BKPSDM records the SK): one use case for the
page, the REST API and any other door (app.services.master.WRITERS)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.domain import penugasan as rules
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.models.master import Pegawai, UnitKerja
from app.models.penugasan import Penugasan


def _id(item: Penugasan, relation: str, column: str) -> int | None:
    related = getattr(item, relation)
    return related.id if related is not None else getattr(item, column)


def save(session: Session, item: Penugasan) -> None:
    """An assignment added or changed: what the SK must say (app.domain.penugasan), people
    and unit that exist, a unit's head post that is really vacant, and no second assignment
    of the same post on any of the same days."""
    with session.no_autoflush:
        pegawai_id = _id(item, "pegawai", "pegawai_id")
        menggantikan_id = _id(item, "menggantikan", "menggantikan_id")
        unit_kerja_id = _id(item, "unit_kerja", "unit_kerja_id")
        rules.check(
            item.jenis,
            pegawai_id,
            menggantikan_id,
            unit_kerja_id,
            item.tanggal_mulai,
            item.tanggal_selesai,
            item.nomor_sk,
        )
        _check_people(session, pegawai_id, menggantikan_id)
        if unit_kerja_id is not None:
            _check_vacant(session, unit_kerja_id)
        _check_no_overlap(session, item, menggantikan_id, unit_kerja_id)
    item.nomor_sk = item.nomor_sk.strip()
    if item.dicatat_pada is None:
        item.dicatat_pada = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.add(item)
    session.flush()


def delete(session: Session, item: Penugasan) -> None:
    """An assignment recorded in error may be removed; the acts done under it keep their
    signature (the history names the post)."""
    session.delete(item)
    session.flush()


def _check_people(session: Session, pegawai_id: int, menggantikan_id: int | None) -> None:
    acting = session.get(Pegawai, pegawai_id)
    if acting is None:
        raise DomainError(N_("The chosen employee does not exist."), field="pegawai_id")
    if not acting.aktif:
        raise DomainError(N_("An inactive employee cannot act for a post."), field="pegawai_id")
    if menggantikan_id is not None and session.get(Pegawai, menggantikan_id) is None:
        raise DomainError(N_("The chosen employee does not exist."), field="menggantikan_id")


def _check_vacant(session: Session, unit_kerja_id: int) -> None:
    unit = session.get(UnitKerja, unit_kerja_id)
    if unit is None:
        raise DomainError(N_("The chosen unit does not exist."), field="unit_kerja_id")
    if unit.kepala_id is not None:
        raise DomainError(
            N_("This unit has a head; cover the post of that employee instead."),
            field="unit_kerja_id",
        )


def _check_no_overlap(
    session: Session, item: Penugasan, menggantikan_id: int | None, unit_kerja_id: int | None
) -> None:
    same_post = (
        Penugasan.menggantikan_id == menggantikan_id
        if menggantikan_id is not None
        else Penugasan.unit_kerja_id == unit_kerja_id
    )
    clash = session.execute(
        select(Penugasan.nomor_sk, Penugasan.tanggal_mulai, Penugasan.tanggal_selesai)
        .where(
            same_post,
            or_(item.id is None, Penugasan.id != item.id),
            and_(
                Penugasan.tanggal_mulai <= item.tanggal_selesai,
                Penugasan.tanggal_selesai >= item.tanggal_mulai,
            ),
        )
        .limit(1)
    ).first()
    if clash is not None:
        raise DomainError(
            N_("This post is already covered on some of these days (SK %(nomor)s)."),
            field="tanggal_mulai",
            nomor=clash.nomor_sk,
        )
