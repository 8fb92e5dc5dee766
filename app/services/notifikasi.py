"""In-app notifications: written by the use cases that change something a person must
act on or know about; read by the recipient only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app.models.monitoring import Notifikasi


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
        dibuat_pada=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )
    session.add(notice)
    return notice
