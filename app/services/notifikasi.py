"""In-app notifications: written by the use cases that change something a person must
act on or know about; read by the recipient only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role
from flask_babel import gettext
from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from app import mail
from app.domain.enums import N_
from app.formatting import tanggal
from app.models.master import Pegawai
from app.models.monitoring import Notifikasi
from app.security import roles
from app.security.scope import Viewer
from app.services.errors import NotFound
from app.services.paging import Halaman, page_of


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def notify(
    session: Session,
    penerima_id: int | None,
    jenis: str,
    pesan: str,
    tautan: str | None = None,
    **parameter: Any,
) -> Notifikasi | None:
    """Queue a notice for one pegawai. ``pesan`` is an English msgid (marked with N_) with
    %(name)s parameters; it is translated when the recipient reads it."""
    if penerima_id is None:
        return None
    notice = Notifikasi(
        penerima_id=penerima_id,
        jenis=jenis,
        pesan=pesan,
        parameter=parameter,
        tautan=tautan,
        dibuat_pada=_now(),
    )
    session.add(notice)
    mail.queue(session, notice, teks)  # an e-mail copy after commit, when MAIL_ENABLED
    return notice


def admin_accounts(session: Session) -> list[int]:
    """The active accounts of admin BKPSDM (user ids). One statement."""
    return list(
        session.execute(
            select(User.id)
            .join(assoc_user_role, assoc_user_role.c.user_id == User.id)
            .join(Role, Role.id == assoc_user_role.c.role_id)
            .where(Role.name == roles.ADMIN, User.active.is_(True))
            .order_by(User.id)
            .distinct()
        ).scalars()
    )


def notify_admins(
    session: Session, jenis: str, pesan: str, tautan: str | None = None, **parameter: Any
) -> list[Notifikasi]:
    """Queue a notice (as ``notify``) for every active admin BKPSDM account: what waits on
    BKPSDM as a body (the Tim Penilai Kinerja), whoever of them takes it up. Addressed to
    the account, as an admin need not be a pegawai."""
    notices = []
    for user_id in admin_accounts(session):
        notice = Notifikasi(
            penerima_user_id=user_id,
            jenis=jenis,
            pesan=pesan,
            parameter=parameter,
            tautan=tautan,
            dibuat_pada=_now(),
        )
        session.add(notice)
        mail.queue(session, notice, teks)
        notices.append(notice)
    return notices


# A calendar date among a notice's parameters: ISO, or day-month-year as notices of a
# transfer stored it before; shown as the reader writes dates ("1 Oktober 2026").
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DMY_DATE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")


def _date_of(value: str) -> dt.date | None:
    found = _ISO_DATE.match(value)
    parts = found.groups() if found else None
    if parts is None and (found := _DMY_DATE.match(value)):
        parts = found.groups()[::-1]
    if parts is None:
        return None
    try:
        return dt.date(*map(int, parts))
    except ValueError:
        return None


def _translated(value: Any) -> Any:
    """A parameter as the reader sees it: a label (msgid) translated; a date in the reader's
    words; a nested notice (``{"pesan", "parameter"}``: one line of a digest) rendered; a
    list of them joined."""
    if isinstance(value, str):
        day = _date_of(value)
        return tanggal(day) if day is not None else gettext(value)
    if isinstance(value, dict) and "pesan" in value:
        return _rendered(value["pesan"], value.get("parameter") or {})
    if isinstance(value, list):
        return " ".join(str(_translated(item)) for item in value)
    return value


def _rendered(pesan: str, parameter: dict[str, Any]) -> str:
    return gettext(pesan, **{key: _translated(value) for key, value in parameter.items()})


def teks(notice: Notifikasi) -> str:
    """The notice in the reader's language. String parameters that are labels (msgids such
    as a predikat) are translated too; names, years and notes pass through unchanged
    (as app.web.translated does for errors)."""
    return _rendered(notice.pesan, notice.parameter or {})


# --- the recipient's own notices (personal: never through the org-chart scope) --------------

PER_HALAMAN = 20


def _mine(viewer: Viewer) -> ColumnElement[bool]:
    """The viewer's notices: to their pegawai, or to their account."""
    ways = []
    if viewer.pegawai_id is not None:
        ways.append(Notifikasi.penerima_id == viewer.pegawai_id)
    if viewer.user_id is not None:
        ways.append(Notifikasi.penerima_user_id == viewer.user_id)
    return or_(*ways) if ways else false()


def unread_count(session: Session, user_id: int) -> int:
    """Unread notices of a user account, to it or to its pegawai, in one statement (the
    navbar badge asks on every page, so it must not cost more as notices pile up)."""
    own_pegawai = select(Pegawai.id).where(Pegawai.user_id == user_id).scalar_subquery()
    return session.execute(
        select(func.count(Notifikasi.id)).where(
            or_(Notifikasi.penerima_id == own_pegawai, Notifikasi.penerima_user_id == user_id),
            Notifikasi.dibaca_pada.is_(None),
        )
    ).scalar_one()


def own(session: Session, viewer: Viewer, nomor: int = 1) -> Halaman[Notifikasi]:
    """One page of the viewer's notices, newest first, and how many there are in all."""
    query = (
        select(Notifikasi)
        .where(_mine(viewer))
        .order_by(Notifikasi.dibuat_pada.desc(), Notifikasi.id.desc())
    )
    return page_of(session, query, nomor, per_halaman=PER_HALAMAN)


def _own_notice(session: Session, viewer: Viewer, notice_id: int) -> Notifikasi:
    notice = session.get(Notifikasi, notice_id)
    mine = notice is not None and (
        (notice.penerima_id is not None and notice.penerima_id == viewer.pegawai_id)
        or (notice.penerima_user_id is not None and notice.penerima_user_id == viewer.user_id)
    )
    if not mine:
        raise NotFound(N_("Notification not found."))
    return notice


def mark_read(session: Session, viewer: Viewer, notice_id: int) -> Notifikasi:
    """Mark one of the viewer's notices read; someone else's answers NotFound (404)."""
    notice = _own_notice(session, viewer, notice_id)
    if notice.dibaca_pada is None:
        notice.dibaca_pada = _now()
    return notice


def mark_all_read(session: Session, viewer: Viewer) -> int:
    """Mark every unread notice of the viewer read; returns how many there were."""
    unread = session.execute(
        select(Notifikasi).where(_mine(viewer), Notifikasi.dibaca_pada.is_(None))
    ).scalars()
    now = _now()
    count = 0
    for notice in unread:
        notice.dibaca_pada = now
        count += 1
    return count
