"""Kinerja Saya: one page of the signed-in pegawai's own performance — the current SKP, what
is due, recent feedback, ratings per periode and how they were reached, the years behind,
follow-up plans and this year's JP.

Read-only and personal (the viewer's own rows, never someone else's). It costs a fixed
number of statements whatever the number of SKPs, evaluations or messages: each kind of row
is read once, with what the page shows of it loaded in the same statement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, joinedload

from app.domain import pengembangan as rules
from app.domain import tenggat as tenggat_rules
from app.domain.angka_kredit import AngkaKredit
from app.models.master import Pegawai, Periode
from app.models.monitoring import UmpanBalik
from app.models.penilaian import Penilaian, RencanaPengembangan
from app.models.skp import Skp
from app.security import scope
from app.services import angka_kredit, pengembangan
from app.services import penilaian as penilaian_service
from app.services import skp as skp_service

UMPAN_BALIK_TERAKHIR = 5

# What may be due, in the order the page lists it.
SKP_BELUM_DIBUAT = "skp_belum_dibuat"
SKP_DRAFT = "skp_draft"
SKP_DIKEMBALIKAN = "skp_dikembalikan"
REALISASI = "realisasi"
TANGGAPI = "tanggapi"
RENCANA = "rencana"
JP_KURANG = "jp_kurang"


@dataclass(frozen=True)
class Tugas:
    """Something the pegawai should do or know now; the page words it by ``jenis``."""

    jenis: str
    skp: Skp | None = None
    penilaian: Penilaian | None = None
    rencana: RencanaPengembangan | None = None
    tenggat: dt.date | dt.datetime | None = None
    terlambat: bool = False  # past the deadline
    jumlah: int | None = None


@dataclass
class KinerjaSaya:
    pegawai: Pegawai
    periode: Periode | None  # the active year
    skp: Skp | None  # the newest version of the active year's SKP
    tugas: list[Tugas] = field(default_factory=list)
    umpan_balik: list[UmpanBalik] = field(default_factory=list)
    penilaian: list[Penilaian] = field(default_factory=list)  # rated, newest periode first
    tahunan: list[tuple[int, Penilaian | None]] = field(default_factory=list)  # per year
    # By year, for a jabatan fungsional with a settled annual predikat.
    angka_kredit: dict[int, AngkaKredit] = field(default_factory=dict)
    rencana: list[RencanaPengembangan] = field(default_factory=list)
    tahun_jp: int = 0
    jp: int = 0
    jp_minimum: int | None = None


def _pegawai(session: Session, pegawai_id: int) -> Pegawai:
    return session.execute(
        select(Pegawai)
        .where(Pegawai.id == pegawai_id)
        .options(joinedload(Pegawai.jabatan), joinedload(Pegawai.unit_kerja))
    ).scalar_one()


def _skps(session: Session, pegawai_id: int) -> list[Skp]:
    """Every SKP of the pegawai, newest year and version first."""
    return list(
        session.execute(
            select(Skp)
            .join(Periode, Skp.periode_id == Periode.id)
            .where(Skp.pegawai_id == pegawai_id)
            .options(contains_eager(Skp.periode))
            .order_by(Periode.tahun.desc(), Skp.versi.desc())
        ).scalars()
    )


def _evaluations(session: Session, pegawai_id: int) -> list[Penilaian]:
    """Every evaluation of the pegawai with its periode, SKP and who rated or decided it."""
    return list(
        session.execute(
            select(Penilaian)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(Skp.pegawai_id == pegawai_id)
            .options(
                contains_eager(Penilaian.skp),
                contains_eager(Penilaian.periode),
                joinedload(Penilaian.penilai),
                joinedload(Penilaian.diputus_oleh),
            )
            .order_by(Periode.tanggal_selesai.desc(), Periode.jenis, Skp.versi.desc())
        ).scalars()
    )


def _feedback(session: Session, pegawai_id: int) -> list[UmpanBalik]:
    """The last messages of the dialog kinerja on the pegawai's SKPs, by anyone."""
    return list(
        session.execute(
            select(UmpanBalik)
            .join(Skp, UmpanBalik.skp_id == Skp.id)
            .where(Skp.pegawai_id == pegawai_id)
            .options(joinedload(UmpanBalik.penulis))
            .order_by(UmpanBalik.dibuat_pada.desc(), UmpanBalik.id.desc())
            .limit(UMPAN_BALIK_TERAKHIR)
        ).scalars()
    )


def _due(
    current: Skp | None,
    periode: Periode | None,
    evaluations: list[Penilaian],
    plans: list[RencanaPengembangan],
    shortfall: int,
    today: dt.date,
) -> list[Tugas]:
    due: list[Tugas] = []
    if periode is not None and current is None:
        due.append(Tugas(SKP_BELUM_DIBUAT))
    elif current is not None and current.status == "draft":
        due.append(Tugas(SKP_DRAFT, skp=current))
    elif current is not None and current.status == "dikembalikan":
        due.append(Tugas(SKP_DIKEMBALIKAN, skp=current))
    for item in sorted(evaluations, key=lambda p: p.periode.tanggal_selesai):
        if item.status == "belum_dinilai" and item.periode.tanggal_selesai < today:
            deadline = item.periode.tenggat[tenggat_rules.REALISASI]
            due.append(
                Tugas(
                    REALISASI,
                    penilaian=item,
                    tenggat=deadline,
                    terlambat=tenggat_rules.terlambat(deadline, today),
                )
            )
        elif item.status == "dinilai":
            deadline = penilaian_service.objection_deadline(item)
            due.append(Tugas(TANGGAPI, penilaian=item, tenggat=deadline))
    for plan in plans:
        if plan.status != rules.SELESAI:
            due.append(Tugas(RENCANA, rencana=plan, tenggat=plan.tenggat))
    if shortfall:
        due.append(Tugas(JP_KURANG, jumlah=shortfall))
    return due


def _per_year(skps: list[Skp], evaluations: list[Penilaian]) -> list[tuple[int, Penilaian | None]]:
    """Each year with an SKP and its annual evaluation (of the newest version that has one)."""
    annual: dict[int, Penilaian] = {}
    for item in evaluations:  # newest version first within a year
        if item.periode.jenis == rules.ANNUAL:
            annual.setdefault(item.periode.tahun, item)
    years = sorted({skp.periode.tahun for skp in skps} | set(annual), reverse=True)
    return [(tahun, annual.get(tahun)) for tahun in years]


def untuk(session: Session, viewer: scope.Viewer, today: dt.date) -> KinerjaSaya | None:
    """The page of the viewer's own performance; None when the account has no pegawai."""
    if viewer.pegawai_id is None:
        return None
    pegawai = _pegawai(session, viewer.pegawai_id)
    periode = skp_service.active_year(session)
    skps = _skps(session, pegawai.id)
    current = next((s for s in skps if periode is not None and s.periode_id == periode.id), None)
    evaluations = _evaluations(session, pegawai.id)
    plans = pengembangan.plans_of(session, pegawai.id)
    jp = pengembangan.jp_in_year(session, pegawai.id, today.year)
    tahunan = _per_year(skps, evaluations)
    return KinerjaSaya(
        pegawai=pegawai,
        periode=periode,
        skp=current,
        tugas=_due(
            current,
            periode,
            evaluations,
            plans,
            rules.jp_shortfall(pegawai.jenis_asn, jp),
            today,
        ),
        umpan_balik=_feedback(session, pegawai.id),
        penilaian=[p for p in evaluations if p.predikat is not None],
        tahunan=tahunan,
        angka_kredit=angka_kredit.per_year(session, pegawai, tahunan),
        rencana=plans,
        tahun_jp=today.year,
        jp=jp,
        jp_minimum=rules.jp_minimum(pegawai.jenis_asn),
    )
