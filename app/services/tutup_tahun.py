"""Closing the year (admin BKPSDM): what still waits per OPD — SKPs not approved,
evaluations not rated, objections open, deemed acceptances due — and how ready the SIASN
export is; then "tutup tahun", after which the year is read-only (app.services.tahun), and
the audited reopening with a reason. Each act is a TutupTahun row (the audit hook records
it too), so the page shows the year's history.

Deemed acceptances due are settled by closing, not left behind: the nightly job skips a
closed year, so a rating whose objection window has passed would stay ``dinilai`` — out of
the SIASN export — for good. The window has passed, so the rule has already decided; closing
runs it for the year first, as the system (the history names no person, the audit trail the
job), as the job would have that night."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app import audit
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole, TransitionRefused
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.models.tahun import TutupTahun
from app.security import scope
from app.services import hitungan, kepatuhan
from app.services import penilaian as penilaian_service
from app.services import periode as periode_service
from app.services.cakupan import Cakupan
from app.services.errors import NotFound, checked_text
from app.services.paging import Halaman, page_of
from app.services.tahun import BUKA, TUTUP, is_closed

# What may still wait when a year closes, in the order of the cycle (the page's columns).
SKP_BELUM_DISETUJUI = "skp_belum_disetujui"
BELUM_DINILAI = "belum_dinilai"
KEBERATAN = "keberatan"
PENERIMAAN_JATUH_TEMPO = "penerimaan_jatuh_tempo"
SISA = {
    SKP_BELUM_DISETUJUI: N_("SKP not approved"),
    BELUM_DINILAI: N_("Evaluations not rated"),
    KEBERATAN: N_("Objections open"),
    PENERIMAAN_JATUH_TEMPO: N_("Deemed acceptances due"),
}
_SKP_KATEGORI = (kepatuhan.BELUM_MENYUSUN, kepatuhan.BELUM_MENGAJUKAN, kepatuhan.BELUM_DISETUJUI)
# The kinds closing settles itself (the module's docstring), and so never needs confirming.
DISELESAIKAN_PENUTUPAN = (PENERIMAAN_JATUH_TEMPO,)

ALASAN_MIN = 10

# Every pegawai of the city: closing a year is BKPSDM's, over all OPDs.
_SEMUA = scope.Viewer(user_id=None, is_admin=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class BarisOpd:
    """One OPD's row: what still waits, and its pegawai ready for the SIASN export."""

    opd_id: int | None
    nama: str | None
    sisa: Counter[str] = field(default_factory=Counter)
    pegawai: int = 0
    siap_siasn: int = 0

    @property
    def selesai(self) -> bool:
        return not any(self.sisa.values())


@dataclass
class Ringkasan:
    """The closing page of one year."""

    tahunan: Periode
    ditutup: bool
    berakhir: bool  # the year has ended: only then may it close
    opd: list[BarisOpd]
    total: BarisOpd
    riwayat: list[TutupTahun]

    @property
    def tahun(self) -> int:
        return self.tahunan.tahun

    @property
    def menunggu(self) -> dict[str, int]:
        """What still waits that closing does not settle itself (to be confirmed)."""
        return {
            key: count
            for key, count in self.total.sisa.items()
            if count and key not in DISELESAIKAN_PENUTUPAN
        }

    @property
    def penerimaan_jatuh_tempo(self) -> int:
        return self.total.sisa.get(PENERIMAAN_JATUH_TEMPO, 0)


def years(session: Session) -> list[Periode]:
    """The annual periods, newest first: the years there are to close."""
    return [p for p in periode_service.choices(session) if p.jenis == "tahunan"]


def _annual(session: Session, tahun: int) -> tuple[list[Periode], Periode]:
    periods = periode_service.choices(session)
    annual = next((p for p in periods if p.tahun == tahun and p.jenis == "tahunan"), None)
    if annual is None:
        raise NotFound(N_("Period not found."))
    return periods, annual


def _group(path: str) -> int | None:
    return kepatuhan.group_key(path, None)


def _answered(today: dt.date) -> dict[str, Any]:
    """The evaluations behind each kind of answer still waiting."""
    return {
        KEBERATAN: Penilaian.status == "keberatan",
        PENERIMAAN_JATUH_TEMPO: penilaian_service.deemed_due(today),
    }


def _answers(
    session: Session, periods: list[Periode], tahunan: Periode, today: dt.date
) -> dict[int | None, Counter]:
    """Objections open and deemed acceptances due, per OPD. Two statements: the counts per
    unit, whose cost is the evaluations still waiting — found first, by status and periode
    (an index), then placed; as one join, SQLite's planner walked every unit's pegawai
    instead, whether anything waited or not — and the paths of those units."""
    deemed_due = _answered(today)[PENERIMAAN_JATUH_TEMPO]
    waiting = (
        select(
            Penilaian.skp_id,
            case((Penilaian.status == "keberatan", 1), else_=0).label("keberatan"),
            case((deemed_due, 1), else_=0).label("jatuh_tempo"),
        )
        .where(
            Penilaian.status.in_(("keberatan", "dinilai")),
            Penilaian.periode_id.in_(_of_year(periods, tahunan)),
        )
        .cte("menunggu")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(
            Pegawai.unit_kerja_id,
            func.sum(waiting.c.keberatan),
            func.sum(waiting.c.jatuh_tempo),
        )
        .select_from(waiting)
        .join(Skp, waiting.c.skp_id == Skp.id)
        .join(Pegawai, Skp.pegawai_id == Pegawai.id)
        .where(Skp.periode_id == tahunan.id)
        .group_by(Pegawai.unit_kerja_id)
    )
    rows = session.execute(query).all()
    paths = _paths(session, {unit for unit, _, _ in rows})
    counts: dict[int | None, Counter] = {}
    for unit, objections, deemed in rows:
        found = counts.setdefault(_group(paths[unit]), Counter())
        found[KEBERATAN] += int(objections or 0)
        found[PENERIMAAN_JATUH_TEMPO] += int(deemed or 0)
    return counts


def _of_year(periods: list[Periode], tahunan: Periode) -> list[int]:
    """The periods an evaluation of the year's SKPs is of (what the index is searched by)."""
    return [p.id for p in periods if p.tahun == tahunan.tahun]


def _paths(session: Session, unit_ids: set[int]) -> dict[int, str]:
    if not unit_ids:
        return {}
    query = select(UnitKerja.id, UnitKerja.path).where(UnitKerja.id.in_(sorted(unit_ids)))
    return dict(session.execute(query).all())


def _siasn(session: Session, tahunan: Periode) -> dict[int | None, tuple[int, int]]:
    """Active pegawai and those the SIASN export takes (hitungan.SIAP_SIASN), per OPD,
    from the maintained counts."""
    groups = hitungan.sums(session, None, [tahunan.id], (hitungan.PEGAWAI, hitungan.SIAP_SIASN))
    return {
        key: (jumlah.get(None, hitungan.PEGAWAI), jumlah.get(tahunan.id, hitungan.SIAP_SIASN))
        for key, jumlah in groups.items()
    }


def ringkasan(session: Session, tahun: int, today: dt.date) -> Ringkasan:
    """What still waits in ``tahun`` per OPD as of ``today``, with the year's acts."""
    periods, tahunan = _annual(session, tahun)
    kewajiban = kepatuhan.kewajiban_of(periods, Cakupan.of(periods, tahunan), today)
    rows: dict[int | None, BarisOpd] = {}

    def row(key: int | None) -> BarisOpd:
        return rows.setdefault(key, BarisOpd(key, None))

    for key, counts in kepatuhan.per_unit(session, _SEMUA, kewajiban).items():
        row(key).sisa[SKP_BELUM_DISETUJUI] += sum(counts[k] for k in _SKP_KATEGORI)
        row(key).sisa[BELUM_DINILAI] += counts[kepatuhan.BELUM_DINILAI]
    for key, counts in _answers(session, periods, tahunan, today).items():
        row(key).sisa.update(counts)
    for key, (total, ready) in _siasn(session, tahunan).items():
        row(key).pegawai, row(key).siap_siasn = total, ready
    names = dict(
        session.execute(
            select(UnitKerja.id, UnitKerja.nama).where(
                UnitKerja.id.in_([k for k in rows if k is not None])
            )
        ).all()
    )
    for key, found in rows.items():
        found.nama = names.get(key)
    ordered = sorted(rows.values(), key=lambda r: (r.nama is None, r.nama or "", r.opd_id or 0))
    total = BarisOpd(None, None)
    for found in ordered:
        total.sisa.update(found.sisa)
        total.pegawai += found.pegawai
        total.siap_siasn += found.siap_siasn
    return Ringkasan(
        tahunan=tahunan,
        ditutup=is_closed(session, tahun),
        berakhir=tahunan.tanggal_selesai < today,
        opd=ordered,
        total=total,
        riwayat=riwayat(session, tahun),
    )


def riwayat(session: Session, tahun: int) -> list[TutupTahun]:
    """The closings and reopenings of ``tahun``, newest first."""
    return list(
        session.execute(
            select(TutupTahun).where(TutupTahun.tahun == tahun).order_by(TutupTahun.id.desc())
        ).scalars()
    )


def _check_admin(viewer: scope.Viewer) -> None:
    if not viewer.is_admin:
        raise NotYourRole(N_("Only admin BKPSDM may close or reopen a year."))


def tutup(
    session: Session,
    viewer: scope.Viewer,
    user_id: int | None,
    tahun: int,
    today: dt.date,
    tetap_tutup: bool = False,
) -> TutupTahun:
    """Close ``tahun``: from now on its records can only be read. Only once the year has
    ended; while anything still waits, only when the admin says to close it anyway (what
    waited is kept on the act). Its deemed acceptances due are settled first, as the system
    (the module's docstring)."""
    _check_admin(viewer)
    summary = ringkasan(session, tahun, today)
    if summary.ditutup:
        raise TransitionRefused(N_("The year %(tahun)s is already closed."), tahun=tahun)
    if not summary.berakhir:
        raise TransitionRefused(
            N_("The year %(tahun)s can be closed only after it has ended."), tahun=tahun
        )
    waiting = summary.menunggu
    if waiting and not tetap_tutup:
        raise DomainError(
            N_(
                "%(jumlah)d items of %(tahun)s still wait. Settle them first, or confirm that "
                "the year closes anyway."
            ),
            field="tetap_tutup",
            jumlah=sum(waiting.values()),
            tahun=tahun,
        )
    with audit.attributed_to("jobs:penerimaan_otomatis"):
        penilaian_service.deem_accepted(session, today, of_year=tahun)
        session.flush()
    act = TutupTahun(tahun=tahun, aksi=TUTUP, sisa=waiting, oleh_id=user_id, waktu=_now())
    session.add(act)
    session.flush()
    return act


# --- the items behind a count ------------------------------------------------------------------

# The kinds the closing page lists itself (the others link to Kepatuhan, which lists them).
RINCIAN = (KEBERATAN, PENERIMAAN_JATUH_TEMPO)


def rincian(
    session: Session,
    viewer: scope.Viewer,
    tahun: int,
    jenis: str,
    opd_id: int | None,
    today: dt.date,
    nomor: int = 1,
) -> tuple[Periode, UnitKerja | None, Halaman[Penilaian]]:
    """One page of the evaluations behind a count of the closing page: the objections open
    or the deemed acceptances due of ``tahun``, in one OPD (None: every OPD), longest
    waiting first. Admin BKPSDM only, as the page."""
    if not viewer.is_admin:
        raise NotYourRole(N_("Only admin BKPSDM may close or reopen a year."))
    if jenis not in RINCIAN:
        raise NotFound(N_("Page not found."))
    periods, tahunan = _annual(session, tahun)
    opd = session.get(UnitKerja, opd_id) if opd_id is not None else None
    if opd_id is not None and opd is None:
        raise NotFound(N_("Work unit not found."))
    # Found first by the index, as in _answers.
    waiting = (
        select(Penilaian.id)
        .where(_answered(today)[jenis], Penilaian.periode_id.in_(_of_year(periods, tahunan)))
        .cte("menunggu")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(Penilaian)
        .join(waiting, waiting.c.id == Penilaian.id)
        .join(Skp, Penilaian.skp_id == Skp.id)
        .join(Pegawai, Skp.pegawai_id == Pegawai.id)
        .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(Skp.periode_id == tahunan.id)
        .options(*penilaian_service.LISTED)
        .order_by(Penilaian.ditanggapi_pada, Penilaian.dinilai_pada, Penilaian.id)
    )
    if opd is not None:
        query = query.where(UnitKerja.path.startswith(opd.path, autoescape=True))
    return tahunan, opd, page_of(session, query, nomor)


def buka(
    session: Session, viewer: scope.Viewer, user_id: int | None, tahun: int, alasan: str | None
) -> TutupTahun:
    """Reopen a closed year, with the reason on record."""
    _check_admin(viewer)
    _annual(session, tahun)
    if not is_closed(session, tahun):
        raise TransitionRefused(N_("The year %(tahun)s is not closed."), tahun=tahun)
    reason = checked_text(alasan, "alasan", maximum=2000)
    if reason is None or len(reason) < ALASAN_MIN:
        raise DomainError(
            N_("Give the reason for reopening the year (at least %(min)d characters)."),
            field="alasan",
            min=ALASAN_MIN,
        )
    act = TutupTahun(tahun=tahun, aksi=BUKA, alasan=reason, sisa={}, oleh_id=user_id, waktu=_now())
    session.add(act)
    session.flush()
    return act
