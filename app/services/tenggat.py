"""The deadline reminders (a scheduled job, app.services.jobs): a few days before and after
each deadline of each evaluation periode (app.domain.tenggat), whoever has not acted gets a
notice — the pegawai about their realisasi (or, while their SKP of the year is not approved
yet, about that), each pejabat penilai about the ratings waiting on them — in-app and by
e-mail when MAIL_ENABLED. Once each: a PengingatTenggat row per periode, deadline, phase and
recipient. One digest per recipient a day: the quarter IV and the annual periode end on the
same day with the same default deadlines, and a person told of both gets one notice listing
both, not two."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.domain import tenggat as rules
from app.domain.enums import JENIS_PERIODE, N_, label
from app.domain.periode import evaluation_jenis
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
# The realisasi deadline of a pegawai whose SKP of the year is missing, a draft, returned
# or still waiting for approval: they have no evaluation to fill in yet, and so have not
# acted either — what they must see to first is the SKP.
PESAN_SKP = {
    rules.SEBELUM: N_(
        "Deadline: your SKP for %(tahun)s is not approved yet, and the realisations for "
        "%(tahun)s %(periode)s are due by %(batas)s."
    ),
    rules.SESUDAH: N_(
        "Overdue: your SKP for %(tahun)s is not approved yet, and the realisations for "
        "%(tahun)s %(periode)s were due on %(batas)s."
    ),
}
# A digest of several reminders on one day; each line is one of the messages above.
PESAN_RINGKASAN = N_("%(jumlah)d deadlines: %(butir)s")
TAUTAN = {rules.REALISASI: kepatuhan.TAUTAN_SENDIRI, rules.PENILAIAN: kepatuhan.TAUTAN_BAWAHAN}
# Where a digest of both kinds points: the dashboard lists one's own steps and the staff's.
TAUTAN_CAMPURAN = kepatuhan.TAUTAN_BAWAHAN

_SKP_BELUM_DISETUJUI = (
    kepatuhan.BELUM_MENYUSUN,
    kepatuhan.BELUM_MENGAJUKAN,
    kepatuhan.BELUM_DISETUJUI,
)

# Every pegawai of the city: the job reminds everyone, not a viewer's scope.
_SEMUA = scope.Viewer(user_id=None, is_admin=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def evaluated_periods(periods: list[Periode]) -> list[Periode]:
    """The periods that are evaluated (and so have deadlines): each year's annual periode
    and the periodic ones of its rhythm."""
    ritme = {p.tahun: p.ritme for p in periods if p.jenis == "tahunan"}
    return [p for p in periods if p.jenis in evaluation_jenis(ritme.get(p.tahun))]


@dataclass(frozen=True)
class Menunggu:
    """What waits on one recipient before a deadline: how many of the periode's evaluations,
    and (realisasi deadline) whether their SKP of the year is not approved yet."""

    jumlah: int
    skp_belum_disetujui: bool = False


def belum_bertindak(
    session: Session, periods: list[Periode], periode: Periode, jenis: str
) -> dict[int, Menunggu]:
    """Who has not acted before deadline ``jenis`` of ``periode``, and what waits on them
    (kepatuhan's open items, one statement)."""
    kewajiban = kepatuhan.Kewajiban(Cakupan.of(periods, periode), (periode,))
    open_items = kepatuhan.items(session, _SEMUA, kewajiban)
    evaluations = and_(
        open_items.c.kategori == kepatuhan.BELUM_DINILAI,
        open_items.c.periode_id == periode.id,
        open_items.c.menunggu == MENUNGGU[jenis],
    )
    if jenis == rules.REALISASI:
        # Waiting on the pegawai: they are the recipient, of their evaluation or their SKP.
        who = open_items.c.pegawai_id
        waiting = or_(evaluations, open_items.c.kategori.in_(_SKP_BELUM_DISETUJUI))
    else:
        who = open_items.c.penilai_id  # waiting on the atasan: the pejabat penilai
        waiting = evaluations
    skp_open = func.max(case((open_items.c.kategori.in_(_SKP_BELUM_DISETUJUI), 1), else_=0))
    query = (
        select(who, func.sum(case((evaluations, 1), else_=0)), skp_open)
        .where(waiting)
        .group_by(who)
    )
    return {
        int(pid): Menunggu(int(count or 0), bool(skp))
        for pid, count, skp in session.execute(query)
        if pid is not None
    }


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


@dataclass(frozen=True)
class Butir:
    """One line of a recipient's reminder: a deadline of a periode, before or after it."""

    periode: Periode
    jenis: str
    tahap: str
    batas: dt.date
    menunggu: Menunggu

    @property
    def pesan(self) -> str:
        if self.menunggu.skp_belum_disetujui:
            return PESAN_SKP[self.tahap]
        return PESAN[self.jenis, self.tahap]

    @property
    def parameter(self) -> dict[str, Any]:
        return {
            "tahun": self.periode.tahun,
            "periode": label(JENIS_PERIODE, self.periode.jenis),
            # A date, shown as each reader writes dates (app.services.notifikasi).
            "batas": self.batas.isoformat(),
            "jumlah": self.menunggu.jumlah,
        }


def _due_today(session: Session, today: dt.date) -> dict[int, list[Butir]]:
    """Every reminder due on ``today`` not sent yet, per recipient, in the order of the
    deadlines. A closed year is left alone."""
    periods = periode_service.choices(session)
    closed = tahun_service.closed_years(session)
    due: dict[int, list[Butir]] = defaultdict(list)
    for periode in evaluated_periods(periods):
        if periode.tahun in closed:
            continue
        for jenis, batas in periode.tenggat.items():
            tahap = rules.tahap_pengingat(batas, today)
            if tahap is None:
                continue
            waiting = belum_bertindak(session, periods, periode, jenis)
            done = _already_reminded(session, periode, jenis, tahap)
            for penerima_id, menunggu in waiting.items():
                if penerima_id not in done:
                    due[penerima_id].append(Butir(periode, jenis, tahap, batas, menunggu))
    for lines in due.values():
        lines.sort(key=lambda b: (b.batas, b.jenis != rules.REALISASI, b.periode.tanggal_selesai))
    return due


def kirim_pengingat(session: Session, today: dt.date) -> int:
    """Send the deadline reminders due on ``today`` (the job): one notice per recipient,
    naming every deadline due; returns how many notices went out."""
    sent = 0
    for penerima_id, lines in sorted(_due_today(session, today).items()):
        links = {TAUTAN[line.jenis] for line in lines}
        tautan = links.pop() if len(links) == 1 else TAUTAN_CAMPURAN
        if len(lines) == 1:
            notify(
                session, penerima_id, JENIS_NOTIFIKASI, lines[0].pesan, tautan, **lines[0].parameter
            )
        else:
            notify(
                session,
                penerima_id,
                JENIS_NOTIFIKASI,
                PESAN_RINGKASAN,
                tautan,
                jumlah=len(lines),
                butir=[{"pesan": line.pesan, "parameter": line.parameter} for line in lines],
            )
        for line in lines:
            session.add(
                PengingatTenggat(
                    periode_id=line.periode.id,
                    tenggat=line.jenis,
                    tahap=line.tahap,
                    penerima_id=penerima_id,
                    jumlah=line.menunggu.jumlah,
                    dikirim_pada=_now(),
                )
            )
        sent += 1
    session.flush()
    return sent
