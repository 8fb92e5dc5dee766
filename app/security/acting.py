"""Who acts for whom today: the running Plt/Plh assignments (DOMAIN.md, Organisation
realities; app.models.penugasan).

An assignment runs from its first to its last day and ends by itself: nothing is stored when
it starts or stops. While it runs the acting official stands in the covered post's place —
they see its staff (app.security.scope), approve and rate what the post would
(app.services.skp / penilaian ``relations``), find it in their inbox, dashboard and kepatuhan,
and hold the roles the post gives (app.security.manager). One definition of "the post's
staff", :func:`staff_of`, serves every one of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session, joinedload

from app.domain.org import is_opd_path
from app.models.master import Pegawai, UnitKerja
from app.models.penugasan import Penugasan


@dataclass(frozen=True)
class Acting:
    """A running assignment of the viewer: the post it covers and how acts under it are
    signed ("Plt. Kepala Dinas Pendidikan")."""

    penugasan_id: int
    signed_as: str
    menggantikan_id: int | None = None
    unit_kerja_id: int | None = None
    opd_path: str | None = None  # the OPD the post heads, if it heads one
    tanggal_selesai: dt.date | None = None
    nomor_sk: str = ""


def today() -> dt.date:
    return dt.date.today()


def running(on: dt.date | None = None) -> ColumnElement[bool]:
    """The assignments that run on ``on`` (today)."""
    day = on or today()
    return and_(Penugasan.tanggal_mulai <= day, Penugasan.tanggal_selesai >= day)


def _headed_opd(session: Session, penugasan: Penugasan) -> str | None:
    if penugasan.unit_kerja is not None:
        path = penugasan.unit_kerja.path
    else:
        path = session.execute(
            select(UnitKerja.path).where(UnitKerja.kepala_id == penugasan.menggantikan_id)
        ).scalar()
    return path if path and is_opd_path(path) else None


def acting_of(session: Session, pegawai_id: int, on: dt.date | None = None) -> tuple[Acting, ...]:
    """The assignments under which ``pegawai_id`` acts on ``on`` (today)."""
    rows = session.execute(
        select(Penugasan)
        .where(Penugasan.pegawai_id == pegawai_id, running(on))
        .options(
            joinedload(Penugasan.menggantikan).joinedload(Pegawai.jabatan),
            joinedload(Penugasan.unit_kerja),
        )
        .order_by(Penugasan.tanggal_mulai, Penugasan.id)
    ).scalars()
    return tuple(
        Acting(
            penugasan.id,
            str(penugasan),
            penugasan.menggantikan_id,
            penugasan.unit_kerja_id,
            _headed_opd(session, penugasan),
            penugasan.tanggal_selesai,
            penugasan.nomor_sk,
        )
        for penugasan in rows
    )


def _vacant_head_staff(unit_id: int) -> Select:
    """Who a unit's head would appraise while the post is vacant: pegawai with no pejabat
    penilai at all (the post is empty) in the unit itself, and the heads of its direct
    sub-units."""
    return (
        select(Pegawai.id)
        .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(
            Pegawai.atasan_id.is_(None),
            Pegawai.pejabat_penilai_id.is_(None),
            Pegawai.penilai_non_asn_nama.is_(None),
            or_(
                and_(
                    UnitKerja.id == unit_id,
                    or_(UnitKerja.kepala_id.is_(None), UnitKerja.kepala_id != Pegawai.id),
                ),
                and_(UnitKerja.parent_id == unit_id, UnitKerja.kepala_id == Pegawai.id),
            ),
        )
    )


def staff_of(acting: Acting) -> list[Select]:
    """Ids of the pegawai the covered post appraises — those whose pejabat penilai is the
    absent pegawai, or the staff of the vacant head post — as branches of a UNION (SQLite
    takes no UNION nested in another)."""
    if acting.menggantikan_id is not None:
        covered = acting.menggantikan_id
        return [
            select(Pegawai.id).where(case) for case in Pegawai.penilai_cases(lambda c: c == covered)
        ]
    return [_vacant_head_staff(acting.unit_kerja_id)]


def covering(
    session: Session, actings: Iterable[Acting], owner_id: int, penilai_id: int | None
) -> Acting | None:
    """The assignment under which the viewer stands as pejabat penilai of ``owner_id``,
    whose pejabat penilai is ``penilai_id`` (None: nobody — a vacant head post)."""
    for acting in actings:
        if acting.menggantikan_id is not None and acting.menggantikan_id == penilai_id:
            return acting
        if acting.unit_kerja_id is not None and penilai_id is None:
            staff = _vacant_head_staff(acting.unit_kerja_id).where(Pegawai.id == owner_id)
            if session.execute(select(exists(staff))).scalar():
                return acting
    return None


def acting_officials(
    session: Session, owner_id: int, penilai_id: int | None, on: dt.date | None = None
) -> list[int]:
    """Who acts today for the pejabat penilai of ``owner_id`` (``penilai_id``; None: a
    vacant head post): the pegawai to tell that something waits for them."""
    post = Penugasan.menggantikan_id == penilai_id
    if penilai_id is None:
        vacant = select(UnitKerja.id).where(
            or_(
                UnitKerja.id
                == select(Pegawai.unit_kerja_id).where(Pegawai.id == owner_id).scalar_subquery(),
                UnitKerja.id
                == select(UnitKerja.parent_id)
                .where(UnitKerja.kepala_id == owner_id)
                .limit(1)
                .scalar_subquery(),
            )
        )
        post = Penugasan.unit_kerja_id.in_(vacant)
    candidates = session.execute(
        select(Penugasan.pegawai_id, Penugasan.menggantikan_id, Penugasan.unit_kerja_id).where(
            post, running(on)
        )
    ).all()
    found = []
    for pegawai_id, menggantikan_id, unit_kerja_id in candidates:
        acting = Acting(0, "", menggantikan_id, unit_kerja_id)
        if covering(session, [acting], owner_id, penilai_id) is not None:
            found.append(pegawai_id)
    return sorted(set(found))
