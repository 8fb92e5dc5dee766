"""Long reports as jobs of the worker (issue 13): a report of more than EKSPOR_LATAR_BARIS rows
is not written in the request but queued (``minta`` → ``jalankan``), written by the worker
(``tulis``) and fetched by the account that asked for it (``unduh``) until
EKSPOR_KEDALUWARSA_JAM hours after it is done, when the nightly job deletes the file
(``hapus_kedaluwarsa``). Short reports are still written in the request.

The worker reads the report exactly as the request would: the same checks and statements
(app.reports.laporan), through the scope of the account that asked, rebuilt from its user id
(``scope.viewer_for``), in the language it asked in.

Progress lives in the queue's store, not in the ``ekspor`` row: while the report streams its
statement the reading connection holds SQLite's read lock, and SQLite lets no other
connection commit until it ends (measured: "database is locked" after the 5 s busy timeout).
The queue's store is the one place web and worker share on every install (SQLite file,
Redis, or memory in immediate mode); the row gets the final count when the file is done.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_appbuilder.security.sqla.models import User
from flask_babel import force_locale, get_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tasks
from app.domain.enums import N_
from app.domain.errors import DomainError, TransitionRefused
from app.i18n import translated
from app.models.ekspor import Ekspor
from app.reports import laporan
from app.reports.source import report_session
from app.security import scope
from app.services.errors import NotFound

log = logging.getLogger(__name__)

# The life of an export; ``kedaluwarsa``: its file has been deleted.
STATUS = {
    "antri": N_("Queued"),
    "berjalan": N_("Being written"),
    "selesai": N_("Ready"),
    "gagal": N_("Failed"),
    "kedaluwarsa": N_("Expired"),
}
# The query-string parameters a report takes (app.reports.laporan.base.pilihan).
PARAMETERS = ("periode_id", "unit_kerja_id")

GAGAL = N_("The report could not be made. Try again; if it fails again, tell BKPSDM.")
KEDALUWARSA = N_("This report file has expired and was deleted; ask for the report again.")


class Kedaluwarsa(DomainError):
    """The file has expired and been deleted (→ 410)."""

    status = 410


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def batas_baris() -> int:
    """More rows than this go to the worker; 0: every report is written in the request."""
    return int(current_app.config.get("EKSPOR_LATAR_BARIS", 5000))


def masa_simpan() -> dt.timedelta:
    return dt.timedelta(hours=float(current_app.config.get("EKSPOR_KEDALUWARSA_JAM", 24)))


def berkas_of(ekspor: Ekspor) -> str:
    """Where the worker writes the file, under EKSPOR_FOLDER (shared by web and worker)."""
    return os.path.join(current_app.config["EKSPOR_FOLDER"], f"{ekspor.token}.{ekspor.ext}")


# --- asking ----------------------------------------------------------------------------------


def minta(
    session: Session,
    reports: Session,
    viewer: scope.Viewer,
    jenis: str,
    ext: str,
    args: Mapping[str, str],
    username: str,
) -> laporan.Berkas | Ekspor:
    """A report asked for by ``viewer``: checked and counted on ``reports`` (the report
    session, app.reports.source); written at once when short, else an ``Ekspor`` added to
    ``session`` (the primary) that the caller commits and then hands to ``jalankan``."""
    p = laporan.periksa(reports, viewer, jenis, ext, args, username)
    threshold = batas_baris()
    total = laporan.hitung(reports, p) if threshold else 0
    if total <= threshold:
        return laporan.berkas(reports, p, ext)
    now = _now()
    ekspor = Ekspor(
        token=secrets.token_urlsafe(32),
        user_id=viewer.user_id,
        jenis=jenis,
        ext=ext,
        parameter={key: args[key] for key in PARAMETERS if args.get(key)},
        bahasa=str(get_locale() or current_app.config.get("BABEL_DEFAULT_LOCALE", "id")),
        status="antri",
        baris_total=total,
        baris_ditulis=0,
        dibuat_pada=now,
        kedaluwarsa_pada=now + masa_simpan(),
    )
    session.add(ekspor)
    session.flush()
    return ekspor


def jalankan(ekspor: Ekspor) -> None:
    """Queue a committed export for the worker (app.tasks.tulis_ekspor)."""
    tasks.tulis_ekspor(ekspor.token)


def milik(session: Session, token: str, user_id: int | None) -> Ekspor:
    """The export behind ``token`` if ``user_id`` asked for it; anyone else — an admin
    included — is told it does not exist (→ 404)."""
    ekspor = session.execute(select(Ekspor).where(Ekspor.token == token)).scalar_one_or_none()
    if ekspor is None or user_id is None or ekspor.user_id != user_id:
        raise NotFound(N_("There is no such report."))
    return ekspor


# --- progress and the file -----------------------------------------------------------------


def _kunci(token: str) -> str:
    return f"ekspor:{token}"


def _catat(token: str, rows: int) -> None:
    tasks.huey.put(_kunci(token), rows)


def kemajuan(ekspor: Ekspor) -> int:
    """Rows written so far: the final count once done, else what the worker last told the
    queue's store (never more than the total)."""
    if ekspor.status != "berjalan":
        return ekspor.baris_ditulis
    told = tasks.huey.get(_kunci(ekspor.token), peek=True) or 0
    return min(int(told), ekspor.baris_total)


def kedaluwarsa(ekspor: Ekspor, now: dt.datetime | None = None) -> bool:
    return ekspor.status == "kedaluwarsa" or (
        ekspor.status == "selesai" and ekspor.kedaluwarsa_pada <= (now or _now())
    )


@dataclass(frozen=True)
class Unduhan:
    path: str
    nama: str
    mimetype: str


def unduh(ekspor: Ekspor, now: dt.datetime | None = None) -> Unduhan:
    """The finished file; an expired one is gone (410), one not done yet or failed 409."""
    if kedaluwarsa(ekspor, now):
        raise Kedaluwarsa(KEDALUWARSA)
    if ekspor.status == "gagal":
        raise TransitionRefused(GAGAL)
    if ekspor.status != "selesai":
        raise TransitionRefused(N_("The report is still being written; try again shortly."))
    path = berkas_of(ekspor)
    if not os.path.exists(path):
        raise Kedaluwarsa(KEDALUWARSA)
    return Unduhan(
        path, ekspor.nama_berkas or os.path.basename(path), laporan.MIMETYPES[ekspor.ext]
    )


# --- the worker ------------------------------------------------------------------------------


def tulis(session: Session, token: str) -> None:
    """Write a queued export (the worker, app.tasks.tulis_ekspor): mark it running, write
    the file beside its final name and move it there when whole, then mark it done — or
    failed, with the reason in the asker's language. Commits each step: the page polls."""
    ekspor = session.execute(select(Ekspor).where(Ekspor.token == token)).scalar_one_or_none()
    if ekspor is None or ekspor.status != "antri":
        return  # gone, or already taken by another run of the task
    ekspor.status = "berjalan"
    session.commit()
    bahasa = ekspor.bahasa
    try:
        with force_locale(bahasa):
            nama, rows = _tulis_berkas(session, ekspor)
    except DomainError as error:
        session.rollback()
        with force_locale(bahasa):
            _gagal(session, token, translated(error))
        return
    except Exception:
        log.exception("Export %s (%s.%s) failed", ekspor.id, ekspor.jenis, ekspor.ext)
        session.rollback()
        with force_locale(bahasa):
            _gagal(session, token, gettext(GAGAL))
        return
    now = _now()
    ekspor.status = "selesai"
    ekspor.nama_berkas = nama
    ekspor.baris_total = ekspor.baris_ditulis = rows
    ekspor.selesai_pada = now
    ekspor.kedaluwarsa_pada = now + masa_simpan()
    session.commit()
    tasks.huey.get(_kunci(token))  # read once more, so removed from the store


def _tulis_berkas(session: Session, ekspor: Ekspor) -> tuple[str, int]:
    user = session.get(User, ekspor.user_id)
    viewer = scope.viewer_for(user, session)
    target = berkas_of(ekspor)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    part = f"{target}.part"
    with report_session() as reports:
        p = laporan.periksa(
            reports, viewer, ekspor.jenis, ekspor.ext, ekspor.parameter, user.username
        )
        p = dataclasses.replace(p, progress=functools.partial(_catat, ekspor.token))
        try:
            with open(part, "wb") as handle:
                rows = laporan.tulis(reports, p, ekspor.ext, handle)
            os.replace(part, target)
        finally:
            if os.path.exists(part):
                os.remove(part)
        return laporan.filename(p, ekspor.ext), rows


def _gagal(session: Session, token: str, message: str) -> None:
    ekspor = session.execute(select(Ekspor).where(Ekspor.token == token)).scalar_one()
    ekspor.status = "gagal"
    ekspor.galat = message
    ekspor.selesai_pada = _now()
    session.commit()
    tasks.huey.get(_kunci(token))


# --- expiry (a scheduled job, app.services.jobs) --------------------------------------------


def hapus_kedaluwarsa(session: Session, today: dt.date) -> int:
    """Delete the files of the exports that expired before ``today`` began (UTC) and mark
    them expired; their rows stay, so that a late download is told why (410). An export
    the worker never finished expires too. Returns how many."""
    cutoff = dt.datetime.combine(today, dt.time())
    expired = session.execute(
        select(Ekspor).where(Ekspor.status != "kedaluwarsa", Ekspor.kedaluwarsa_pada < cutoff)
    ).scalars()
    count = 0
    for ekspor in expired:
        path = berkas_of(ekspor)
        for leftover in (path, f"{path}.part"):
            if os.path.exists(leftover):
                os.remove(leftover)
        ekspor.status = "kedaluwarsa"
        count += 1
    return count
