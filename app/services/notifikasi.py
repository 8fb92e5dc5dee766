"""In-app notifications: written by the use cases that change something a person must
act on or know about; read by the recipient only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import mail
from app.domain.enums import N_
from app.models.master import Pegawai
from app.models.monitoring import Notifikasi
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


def teks(notice: Notifikasi) -> str:
    """The notice in the reader's language. String parameters that are labels (msgids such
    as a predikat) are translated too; names, years and notes pass through unchanged
    (as app.web.translated does for errors)."""
    params = {
        key: gettext(value) if isinstance(value, str) else value
        for key, value in (notice.parameter or {}).items()
    }
    return gettext(notice.pesan, **params)


# --- the recipient's own notices (personal: never through the org-chart scope) --------------

PER_HALAMAN = 20


def unread_count(session: Session, user_id: int) -> int:
    """Unread notices of the pegawai behind a user account, in one statement (the navbar
    badge asks on every page, so it must not cost more as notices pile up)."""
    return session.execute(
        select(func.count(Notifikasi.id))
        .join(Pegawai, Notifikasi.penerima_id == Pegawai.id)
        .where(Pegawai.user_id == user_id, Notifikasi.dibaca_pada.is_(None))
    ).scalar_one()


def own(session: Session, penerima_id: int | None, nomor: int = 1) -> Halaman[Notifikasi]:
    """One page of the recipient's notices, newest first, and how many there are in all."""
    if penerima_id is None:
        return Halaman([], 0, 1, PER_HALAMAN)
    query = (
        select(Notifikasi)
        .where(Notifikasi.penerima_id == penerima_id)
        .order_by(Notifikasi.dibuat_pada.desc(), Notifikasi.id.desc())
    )
    return page_of(session, query, nomor, per_halaman=PER_HALAMAN)


def _own_notice(session: Session, penerima_id: int | None, notice_id: int) -> Notifikasi:
    notice = session.get(Notifikasi, notice_id)
    if notice is None or penerima_id is None or notice.penerima_id != penerima_id:
        raise NotFound(N_("Notification not found."))
    return notice


def mark_read(session: Session, penerima_id: int | None, notice_id: int) -> Notifikasi:
    """Mark one of the recipient's notices read; someone else's answers NotFound (404)."""
    notice = _own_notice(session, penerima_id, notice_id)
    if notice.dibaca_pada is None:
        notice.dibaca_pada = _now()
    return notice


def mark_all_read(session: Session, penerima_id: int | None) -> int:
    """Mark every unread notice of the recipient read; returns how many there were."""
    if penerima_id is None:
        return 0
    unread = session.execute(
        select(Notifikasi).where(
            Notifikasi.penerima_id == penerima_id, Notifikasi.dibaca_pada.is_(None)
        )
    ).scalars()
    now = _now()
    count = 0
    for notice in unread:
        notice.dibaca_pada = now
        count += 1
    return count
