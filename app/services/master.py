"""The writes of master data: unit kerja, jabatan, pangkat, periode and pegawai.

One use case per write, whichever door it comes in by (a FAB page, the REST API, the import,
the CLI): each validates, writes, keeps derived state in the same transaction — unit paths,
the roles the org chart gives, the periods of a year's rhythm — flushes, and leaves the
commit to the caller. FAB's views and REST resources reach them through
``app.security.datamodel.ServiceWrites``; a :class:`Writer` names them per model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, exists, inspect, or_, select
from sqlalchemy.orm import Session

from app.domain.enums import N_
from app.domain.errors import DomainError
from app.models.master import Jabatan, Pangkat, Pegawai, Periode, UnitKerja
from app.models.penugasan import Penugasan
from app.services import accounts, org, penugasan, periode

Write = Callable[[Session, Any], None]


@dataclass(frozen=True)
class Writer:
    """The use cases that add, change and remove one kind of row."""

    add: Write
    update: Write
    delete: Write


def _previous(item: Any, relation: str, column: str) -> list[int]:
    """The ids a relation held before this change, whether the caller set the relation (a
    page's form) or the foreign-key column (the API, the import)."""
    state = inspect(item).attrs
    ids = [value for value in state[column].history.deleted if value]
    ids += [row.id for row in state[relation].history.deleted if row is not None]
    return ids


def _id(item: Any, relation: str, column: str) -> int | None:
    related = getattr(item, relation)
    return related.id if related is not None else getattr(item, column)


# --- unit kerja -------------------------------------------------------------------------


def save_unit(session: Session, unit: UnitKerja) -> None:
    """A unit added or changed: references exist, the parent is not below the unit itself;
    the paths and full names of its subtree follow, and so do the roles of its previous
    and new head."""
    with session.no_autoflush:
        parent_id = _id(unit, "parent", "parent_id")
        kepala_id = _id(unit, "kepala", "kepala_id")
        previous_heads = _previous(unit, "kepala", "kepala_id")
        org.check_references(session, {"parent_id": parent_id, "kepala_id": kepala_id})
        org.check_unit_parent(session, unit.id, parent_id)
    session.add(unit)
    org.refresh_unit_paths(session, unit)
    session.flush()
    org.sync_roles(session, [pid for pid in (kepala_id, *previous_heads) if pid])


def delete_unit(session: Session, unit: UnitKerja) -> None:
    """A unit without sub-units or pegawai may be removed; its head's roles follow."""
    has_children = exists().where(UnitKerja.parent_id == unit.id)
    has_staff = exists().where(Pegawai.unit_kerja_id == unit.id)
    if session.execute(select(or_(has_children, has_staff))).scalar():
        raise DomainError(
            N_("This unit still has sub-units or employees; move them first."), field="id"
        )
    kepala_id = unit.kepala_id
    session.delete(unit)
    session.flush()
    if kepala_id:
        org.sync_roles(session, [kepala_id])


# --- pegawai ----------------------------------------------------------------------------


def save_pegawai(session: Session, pegawai: Pegawai) -> None:
    """A pegawai added or changed: every rule of the record (NIP, references, no cycle in
    the chain); the account is active while the pegawai is (accounts.follow_aktif); then
    the roles of the pegawai, their supervisors and their previous supervisors follow the
    org chart."""
    # Nothing may be flushed before the rules ran: with atasan_id = id SQLAlchemy cannot
    # even order the flush.
    with session.no_autoflush:
        previous = _previous(pegawai, "atasan", "atasan_id") + _previous(
            pegawai, "pejabat_penilai", "pejabat_penilai_id"
        )
        org.validate_pegawai(session, org.pegawai_form_data(pegawai), pegawai.id)
        accounts.follow_aktif(pegawai)
    session.add(pegawai)
    session.flush()
    _sync(session, [pegawai.id, pegawai.atasan_id, pegawai.pejabat_penilai_id, *previous])


def delete_pegawai(session: Session, pegawai: Pegawai) -> None:
    """A pegawai may be removed while no one reports to them and they head no unit; their
    supervisors' roles follow."""
    reports = exists().where(
        or_(Pegawai.atasan_id == pegawai.id, Pegawai.pejabat_penilai_id == pegawai.id)
    )
    heads = exists().where(UnitKerja.kepala_id == pegawai.id)
    if session.execute(select(or_(reports, heads))).scalar():
        raise DomainError(
            N_(
                "This employee still supervises others or heads a unit; change the org chart first."
            ),
            field="id",
        )
    supervisors = [pegawai.atasan_id, pegawai.pejabat_penilai_id]
    session.delete(pegawai)
    session.flush()
    _sync(session, supervisors)


def _sync(session: Session, pegawai_ids: Iterable[int | None]) -> None:
    org.sync_roles(session, {pid for pid in pegawai_ids if pid})


# --- periode ----------------------------------------------------------------------------


def save_periode(session: Session, item: Periode) -> None:
    """A periode added or changed: dates and rhythm checked; one active year; the year's
    periodic periods follow the rhythm of its annual periode."""
    periode.prepare(session, item)
    session.add(item)
    session.flush()
    periode.keep_one_active_year(session, item)
    periode.follow_ritme(session, item)


# --- reference tables without derived state ---------------------------------------------


def save_row(session: Session, item: Any) -> None:
    session.add(item)
    session.flush()


def delete_row(session: Session, item: Any) -> None:
    session.delete(item)
    session.flush()


def blank_to_none(item: Any) -> None:
    """An emptied text box posts "": store NULL in an optional text column, so that a blank
    field means the same whichever door it was saved by."""
    mapper = inspect(type(item))
    for column in mapper.columns:
        if column.nullable and isinstance(column.type, String):
            key = mapper.get_property_by_column(column).key
            value = getattr(item, key, None)
            if isinstance(value, str) and not value.strip():
                setattr(item, key, None)


WRITERS: dict[type, Writer] = {
    UnitKerja: Writer(save_unit, save_unit, delete_unit),
    Pegawai: Writer(save_pegawai, save_pegawai, delete_pegawai),
    Periode: Writer(save_periode, save_periode, delete_row),
    Jabatan: Writer(save_row, save_row, delete_row),
    Pangkat: Writer(save_row, save_row, delete_row),
    Penugasan: Writer(penugasan.save, penugasan.save, penugasan.delete),
}


def write(session: Session, action: str, item: Any) -> None:
    """Run the use case ``action`` (add, update, delete) of ``item``'s kind."""
    if action != "delete":
        blank_to_none(item)
    getattr(WRITERS[type(item)], action)(session, item)
