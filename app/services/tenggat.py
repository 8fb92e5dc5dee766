"""The deadline reminders (a scheduled job, app.services.jobs): a few days before and after
each deadline of each evaluation periode (app.domain.tenggat), whoever has not acted gets a
notice — the pegawai about their realisasi, each pejabat penilai one digest of the ratings
waiting on them — in-app and by e-mail when MAIL_ENABLED, once each (PengingatTenggat)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import tenggat as rules
from app.domain.enums import JENIS_PERIODE, N_, label
from app.domain.periode import evaluation_jenis
from app.formatting import tanggal
from app.models.master import Periode
from app.models.tahun import PengingatTenggat
from app.security import scope
from app.services import kepatuhan
from app.services import periode as periode_service
from app.services import tahun as tahun_service
from app.services.cakupan import Cakupan
from app.services.notifikasi import notify

JENIS_NOTIFIKASI = "tenggat"

# Who must act before each deadline, and what they are told.
MENUNGGU = {rules.REALISASI: kepatuhan.PEGAWAI, rules.PENILAIAN: kepatuhan.ATASAN}
PESAN = {
    (rules.REALISASI, rules.SEBELUM): N_(
        "Deadline: submit your realisations for %(tahun)s %(periode)s by %(batas)s."
    ),
    (rules.REALISASI, rules.SESUDAH): N_(
        "Overdue: your realisations for %(tahun)s %(periode)s were due on %(batas)s. "
        "Submit them now."
    ),
    (rules.PENILAIAN, rules.SEBELUM): N_(
        "Deadline: %(jumlah)d evaluations of your staff for %(tahun)s %(periode)s are waiting "
        "for your rating, due by %(batas)s."
    ),
    (rules.PENILAIAN, rules.SESUDAH): N_(
        "Overdue: %(jumlah)d evaluations of your staff for %(tahun)s %(periode)s were due for "
        "rating on %(batas)s."
    ),
}
TAUTAN = {rules.REALISASI: kepatuhan.TAUTAN_SENDIRI, rules.PENILAIAN: kepatuhan.TAUTAN_BAWAHAN}

# Every pegawai of the city: the job reminds everyone, not a viewer's scope.
_SEMUA = scope.Viewer(user_id=None, is_admin=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def evaluated_periods(periods: list[Periode]) -> list[Periode]:
    """The periods that are evaluated (and so have deadlines): each year's annual periode
    and the periodic ones of its rhythm."""
    ritme = {p.tahun: p.ritme for p in periods if p.jenis == "tahunan"}
    return [p for p in periods if p.jenis in evaluation_jenis(ritme.get(p.tahun))]


def belum_bertindak(
    session: Session, periods: list[Periode], periode: Periode, jenis: str
) -> dict[int, int]:
    """Who has not acted before deadline ``jenis`` of ``periode``: recipient → how many of
    the periode's evaluations wait on them (kepatuhan's open items, one statement)."""
    kewajiban = kepatuhan.Kewajiban(Cakupan.of(periods, periode), (periode,))
    open_items = kepatuhan.items(session, _SEMUA, kewajiban, kepatuhan.BELUM_DINILAI)
    # Waiting on the pegawai: they are the recipient; waiting on the atasan: the penilai.
    who = open_items.c.pegawai_id if jenis == rules.REALISASI else open_items.c.penilai_id
    query = (
        select(who, func.count())
        .where(open_items.c.periode_id == periode.id, open_items.c.menunggu == MENUNGGU[jenis])
        .group_by(who)
    )
    return {int(pid): int(count) for pid, count in session.execute(query) if pid is not None}


def _already_reminded(session: Session, periode: Periode, jenis: str, tahap: str) -> set[int]:
    return set(
        session.execute(
            select(PengingatTenggat.penerima_id).where(
                PengingatTenggat.periode_id == periode.id,
                PengingatTenggat.tenggat == jenis,
                PengingatTenggat.tahap == tahap,
            )
        ).scalars()
    )


def kirim_pengingat(session: Session, today: dt.date) -> int:
    """Send the deadline reminders due on ``today`` (the job); returns how many went out.
    A closed year is left alone."""
    periods = periode_service.choices(session)
    closed = tahun_service.closed_years(session)
    sent = 0
    for periode in evaluated_periods(periods):
        if periode.tahun in closed:
            continue
        for jenis, batas in periode.tenggat.items():
            tahap = rules.tahap_pengingat(batas, today)
            if tahap is None:
                continue
            waiting = belum_bertindak(session, periods, periode, jenis)
            done = _already_reminded(session, periode, jenis, tahap)
            for penerima_id, jumlah in sorted(waiting.items()):
                if penerima_id in done:
                    continue
                notify(
                    session,
                    penerima_id,
                    JENIS_NOTIFIKASI,
                    PESAN[jenis, tahap],
                    TAUTAN[jenis],
                    tahun=periode.tahun,
                    periode=label(JENIS_PERIODE, periode.jenis),
                    batas=tanggal(batas),
                    jumlah=jumlah,
                )
                session.add(
                    PengingatTenggat(
                        periode_id=periode.id,
                        tenggat=jenis,
                        tahap=tahap,
                        penerima_id=penerima_id,
                        jumlah=jumlah,
                        dikirim_pada=_now(),
                    )
                )
                sent += 1
    session.flush()
    return sent
