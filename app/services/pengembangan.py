"""Tindak lanjut and pengembangan kompetensi: the follow-up plan of a settled annual
evaluation, and the training records with their JP per year (app.domain.pengembangan).

* A plan is created by :func:`tindak_lanjuti`, which app.services.penilaian calls when an
  annual evaluation becomes diterima or final; one plan per penilaian, whatever the calls.
* The pegawai's pejabat penilai fills and moves the plan; everyone with the pegawai in scope
  reads it (the pegawai, pimpinan OPD, admin BKPSDM).
* Training records are kept by admin BKPSDM (there is no verification step in the schema for
  records a pegawai would enter themselves); the JP tally is read through the scope.

Every function authorizes by relation and scope, writes, and leaves the commit to the caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, contains_eager

from app.domain import pengembangan as rules
from app.domain import workflow
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole
from app.models.hitungan import JpTahunan
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import Pelatihan, Penilaian, RencanaPengembangan
from app.security import scope
from app.services import hitungan, jp_tahunan, jumlah_baris
from app.services.errors import NotFound, checked_text, stale
from app.services.notifikasi import notify
from app.services.paging import PER_HALAMAN, Halaman, page_of


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _versi(*values: Any) -> str:
    """A fingerprint of what a form was rendered from. Neither table has a version column,
    so a save compares it with the row as it is now (ARCHITECTURE.md rule 6)."""
    raw = json.dumps([v.isoformat() if isinstance(v, dt.date) else v for v in values])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


# --- units for the filters ------------------------------------------------------------------


def opd_list(session: Session) -> list[UnitKerja]:
    """The OPDs (children of the root unit), by name: master data, shown to every role."""
    parent = aliased(UnitKerja)
    return list(
        session.execute(
            select(UnitKerja)
            .join(parent, UnitKerja.parent_id == parent.id)
            .where(parent.parent_id.is_(None))
            .order_by(UnitKerja.nama)
        ).scalars()
    )


def unit(session: Session, unit_id: int | None) -> UnitKerja | None:
    """The unit a list is narrowed to (its whole subtree); NotFound for an unknown id."""
    if unit_id is None:
        return None
    found = session.get(UnitKerja, unit_id)
    if found is None:
        raise NotFound(N_("Work unit not found."))
    return found


def _in_scope(query: Select, clause: Any, unit_kerja: UnitKerja | None) -> Select:
    if clause is not None:
        query = query.where(clause)
    if unit_kerja is not None:
        query = query.where(UnitKerja.path.startswith(unit_kerja.path, autoescape=True))
    return query


# --- the follow-up plan ---------------------------------------------------------------------


def tindak_lanjuti(session: Session, penilaian: Penilaian) -> RencanaPengembangan | None:
    """The follow-up of an evaluation that has just been settled: a proposal for advanced
    training or a pembinaan plan, by app.domain.pengembangan.TINDAK_LANJUT. Idempotent: an
    evaluation that already has its plan gets it back unchanged."""
    jenis = rules.tindak_lanjut(penilaian.periode.jenis, penilaian.status, penilaian.predikat)
    if jenis is None:
        return None
    existing = session.execute(
        select(RencanaPengembangan).where(RencanaPengembangan.penilaian_id == penilaian.id)
    ).scalar()
    if existing is not None:
        return existing
    pegawai = penilaian.skp.pegawai
    plan = RencanaPengembangan(
        pegawai_id=pegawai.id,
        penilaian_id=penilaian.id,
        jenis=jenis,
        status=rules.USULAN,
        dibuat_pada=_now(),
    )
    session.add(plan)
    session.flush()
    link = f"/pengembangan/{plan.id}"
    tahun = penilaian.periode.tahun
    notify(
        session,
        pegawai.id,
        "tindak_lanjut",
        N_("Your annual evaluation for %(tahun)s is followed up: %(bentuk)s."),
        link,
        tahun=tahun,
        bentuk=rules.JENIS[jenis],
    )
    notify(
        session,
        pegawai.penilai_id,
        "tindak_lanjut",
        N_("Fill in the follow-up (%(bentuk)s) of %(nama)s for %(tahun)s."),
        link,
        bentuk=rules.JENIS[jenis],
        nama=pegawai.nama_lengkap,
        tahun=tahun,
    )
    return plan


def get_plan(
    session: Session, plan_id: int, viewer: scope.Viewer, for_update: bool = False
) -> RencanaPengembangan:
    """The plan if the viewer may see it; NotFound otherwise (never its content)."""
    return scope.get(
        session,
        RencanaPengembangan,
        plan_id,
        viewer,
        N_("Development plan not found."),
        for_update=for_update,
    )


def may_fill(plan: RencanaPengembangan, viewer: scope.Viewer) -> bool:
    """The pegawai's pejabat penilai (as the org chart stands now) runs the follow-up."""
    return viewer.pegawai_id is not None and plan.pegawai.penilai_id == viewer.pegawai_id


def versi_plan(plan: RencanaPengembangan) -> str:
    return _versi(plan.target, plan.langkah, plan.tenggat, plan.tindak_lanjut_atasan, plan.status)


@dataclass(frozen=True)
class IsianRencana:
    """What the pejabat penilai writes on a plan."""

    status: str
    target: str | None = None
    langkah: str | None = None
    tenggat: dt.date | None = None
    tindak_lanjut_atasan: str | None = None


def update_plan(
    session: Session,
    plan_id: int,
    viewer: scope.Viewer,
    isian: IsianRencana,
    expected: str | None = None,
) -> RencanaPengembangan:
    """The pejabat penilai fills the plan and moves it on (usulan → berjalan → selesai)."""
    plan = get_plan(session, plan_id, viewer, for_update=True)
    if not may_fill(plan, viewer):
        raise NotYourRole(
            N_("Only %(actor)s may do this."), actor=workflow.ACTORS[workflow.PENILAI]
        )
    if expected and expected != versi_plan(plan):
        raise stale()
    values: dict[str, Any] = {
        "target": checked_text(isian.target, "target"),
        "langkah": checked_text(isian.langkah, "langkah"),
        "tenggat": isian.tenggat,
        "tindak_lanjut_atasan": checked_text(isian.tindak_lanjut_atasan, "tindak_lanjut_atasan"),
    }
    if isian.tenggat is not None and isian.tenggat < plan.dibuat_pada.date():
        raise DomainError(N_("The deadline cannot be before the plan was made."), field="tenggat")
    rules.check_plan(plan.jenis, plan.status, isian.status, values)
    moved = plan.status != isian.status
    for name, value in values.items():
        setattr(plan, name, value)
    plan.status = isian.status
    if moved:
        notify(
            session,
            plan.pegawai_id,
            "tindak_lanjut",
            N_("Your follow-up (%(bentuk)s) is now: %(status)s."),
            f"/pengembangan/{plan.id}",
            bentuk=rules.JENIS[plan.jenis],
            status=rules.STATUS[plan.status],
        )
    return plan


@dataclass(frozen=True)
class FilterRencana:
    unit: UnitKerja | None = None
    jenis: str | None = None
    status: str | None = None


def list_plans(
    session: Session, viewer: scope.Viewer, saring: FilterRencana, nomor: int = 1
) -> Halaman[RencanaPengembangan]:
    """The plans in the viewer's scope, newest first, with their pegawai, unit and
    evaluation year loaded in the same statement."""
    query = (
        select(RencanaPengembangan)
        .join(Pegawai, RencanaPengembangan.pegawai_id == Pegawai.id)
        .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .outerjoin(Penilaian, RencanaPengembangan.penilaian_id == Penilaian.id)
        .outerjoin(Periode, Penilaian.periode_id == Periode.id)
        .options(
            contains_eager(RencanaPengembangan.pegawai).contains_eager(Pegawai.unit_kerja),
            contains_eager(RencanaPengembangan.penilaian).contains_eager(Penilaian.periode),
        )
        .order_by(RencanaPengembangan.dibuat_pada.desc(), RencanaPengembangan.id.desc())
    )
    # Sorted by date: every plan is read (row by row, or through the scope's set).
    clause = jumlah_baris.list_scope(session, RencanaPengembangan, viewer, None)
    query = _in_scope(query, clause, saring.unit)
    if saring.jenis:
        query = query.where(RencanaPengembangan.jenis == saring.jenis)
    if saring.status:
        query = query.where(RencanaPengembangan.status == saring.status)
    total = None
    if saring == FilterRencana():
        total = jumlah_baris.total_in_scope(session, RencanaPengembangan, viewer)
    return page_of(session, query, nomor, total=total)


def plans_of(session: Session, pegawai_id: int) -> list[RencanaPengembangan]:
    """One pegawai's plans, newest first, with their evaluation's periode (one statement)."""
    return list(
        session.execute(
            select(RencanaPengembangan)
            .outerjoin(Penilaian, RencanaPengembangan.penilaian_id == Penilaian.id)
            .outerjoin(Periode, Penilaian.periode_id == Periode.id)
            .where(RencanaPengembangan.pegawai_id == pegawai_id)
            .options(
                contains_eager(RencanaPengembangan.penilaian).contains_eager(Penilaian.periode)
            )
            .order_by(RencanaPengembangan.dibuat_pada.desc(), RencanaPengembangan.id.desc())
        ).scalars()
    )


# --- training records -----------------------------------------------------------------------


def _counted_in(tahun: int) -> Any:
    """A training counts for the year it ends in, when its JP are earned."""
    ends = func.coalesce(Pelatihan.tanggal_selesai, Pelatihan.tanggal_mulai)
    return ends.between(dt.date(tahun, 1, 1), dt.date(tahun, 12, 31))


def _require_admin(viewer: scope.Viewer) -> None:
    if not viewer.is_admin:
        raise NotYourRole(N_("Only BKPSDM administrators record training."))


@dataclass(frozen=True)
class IsianPelatihan:
    nama_diklat: str | None
    penyelenggara: str | None
    tanggal_mulai: dt.date | None
    tanggal_selesai: dt.date | None
    jp: int | None


def _checked(isian: IsianPelatihan) -> dict[str, Any]:
    rules.check_pelatihan(isian.nama_diklat, isian.tanggal_mulai, isian.tanggal_selesai, isian.jp)
    return {
        "nama_diklat": checked_text(isian.nama_diklat, "nama_diklat", maximum=300),
        "penyelenggara": checked_text(isian.penyelenggara, "penyelenggara", maximum=300),
        "tanggal_mulai": isian.tanggal_mulai,
        "tanggal_selesai": isian.tanggal_selesai,
        "jp": isian.jp,
    }


def get_pelatihan(
    session: Session, pelatihan_id: int, viewer: scope.Viewer, for_update: bool = False
) -> Pelatihan:
    return scope.get(
        session, Pelatihan, pelatihan_id, viewer, N_("Training record not found."), for_update
    )


def versi_pelatihan(pelatihan: Pelatihan) -> str:
    return _versi(
        pelatihan.pegawai_id,
        pelatihan.nama_diklat,
        pelatihan.penyelenggara,
        pelatihan.tanggal_mulai,
        pelatihan.tanggal_selesai,
        pelatihan.jp,
    )


def add_pelatihan(
    session: Session, viewer: scope.Viewer, nip: str | None, isian: IsianPelatihan
) -> Pelatihan:
    """Admin BKPSDM records a training of the pegawai with this NIP."""
    _require_admin(viewer)
    nip = (nip or "").strip()
    pegawai_id = session.execute(select(Pegawai.id).where(Pegawai.nip == nip)).scalar()
    if pegawai_id is None:
        raise DomainError(N_("No employee has NIP %(nip)s."), field="nip", nip=nip)
    pelatihan = Pelatihan(pegawai_id=pegawai_id, **_checked(isian))
    session.add(pelatihan)
    session.flush()
    return pelatihan


def update_pelatihan(
    session: Session,
    pelatihan_id: int,
    viewer: scope.Viewer,
    isian: IsianPelatihan,
    expected: str | None = None,
) -> Pelatihan:
    _require_admin(viewer)
    pelatihan = get_pelatihan(session, pelatihan_id, viewer, for_update=True)
    if expected and expected != versi_pelatihan(pelatihan):
        raise stale()
    for name, value in _checked(isian).items():
        setattr(pelatihan, name, value)
    return pelatihan


def delete_pelatihan(
    session: Session, pelatihan_id: int, viewer: scope.Viewer, expected: str | None = None
) -> int:
    """Remove a wrong record (the audit trail keeps what it held); returns its pegawai."""
    _require_admin(viewer)
    pelatihan = get_pelatihan(session, pelatihan_id, viewer, for_update=True)
    if expected and expected != versi_pelatihan(pelatihan):
        raise stale()
    pegawai_id = pelatihan.pegawai_id
    session.delete(pelatihan)
    return pegawai_id


def _search(query: Select, cari: str | None) -> Select:
    cari = (cari or "").strip()
    if not cari:
        return query
    if cari.isdigit():
        return query.where(Pegawai.nip.startswith(cari, autoescape=True))
    return query.where(func.lower(Pegawai.nama).contains(cari.lower(), autoescape=True))


def list_pelatihan(
    session: Session,
    viewer: scope.Viewer,
    tahun: int,
    unit_kerja: UnitKerja | None = None,
    cari: str | None = None,
    nomor: int = 1,
) -> Halaman[Pelatihan]:
    """Training records of a year in the viewer's scope, with their pegawai and unit."""
    query = (
        select(Pelatihan)
        .join(Pegawai, Pelatihan.pegawai_id == Pegawai.id)
        .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(_counted_in(tahun))
        .options(contains_eager(Pelatihan.pegawai).contains_eager(Pegawai.unit_kerja))
        .order_by(Pelatihan.tanggal_mulai.desc(), Pelatihan.id.desc())
    )
    # A year's training, sorted by date: every record is read (row by row, or through the
    # scope's set); counted live (the maintained counts are not per year).
    clause = jumlah_baris.list_scope(session, Pelatihan, viewer, None)
    query = _in_scope(query, clause, unit_kerja)
    return page_of(session, _search(query, cari), nomor)


def jp_in_year(session: Session, pegawai_id: int, tahun: int) -> int:
    total = session.execute(
        select(func.coalesce(func.sum(Pelatihan.jp), 0)).where(
            Pelatihan.pegawai_id == pegawai_id, _counted_in(tahun)
        )
    ).scalar_one()
    return int(total)


@dataclass(frozen=True)
class BarisJp:
    """One pegawai's JP in a year against the minimum that applies to them."""

    pegawai_id: int
    nip: str
    nama: str
    unit: str
    jenis_asn: str
    jp: int

    @property
    def minimum(self) -> int | None:
        return rules.jp_minimum(self.jenis_asn)

    @property
    def kurang(self) -> int:
        return rules.jp_shortfall(self.jenis_asn, self.jp)


def _walked(session: Session, placed: int, nomor: int) -> bool:
    """Whether a page of a unit holding ``placed`` of the year's JP rows (one per active
    pegawai) is read cheaper in the order's index than through the unit's."""
    everywhere = hitungan.active_pegawai_of_city(session)
    rows = nomor * PER_HALAMAN
    return bool(placed) and jumlah_baris.rows_to_read(rows, placed, everywhere) <= (
        jumlah_baris.WALK_LIMIT
    )


def jp_tally(
    session: Session,
    viewer: scope.Viewer,
    tahun: int,
    unit_kerja: UnitKerja | None = None,
    below_minimum: bool = False,
    cari: str | None = None,
    nomor: int = 1,
) -> Halaman[BarisJp]:
    """JP per active pegawai in scope for a year, fewest first; ``below_minimum`` keeps only
    those the minimum applies to who have not reached it. Two statements per page, read in
    index order from the JP kept per year (app.services.jp_tahunan) for a year with an
    annual periode, counted from the trainings for any other."""
    columns = [
        Pegawai.id,
        Pegawai.nip,
        Pegawai.nama,
        Pegawai.gelar_depan,
        Pegawai.gelar_belakang,
        UnitKerja.nama_lengkap,
        Pegawai.jenis_asn,
    ]
    clause = scope.visible_pegawai_ids_under(viewer, unit_kerja.path if unit_kerja else None)
    total = None
    if tahun in jp_tahunan.years(session):
        # Every condition on the kept rows' own columns, so that without a search the count
        # reads them alone.
        kept = [JpTahunan.tahun == tahun]
        # A year's rows are its active pegawai (one each): without a filter, their number is
        # the maintained count of active pegawai (counting a year's rows of the city took
        # 12 ms on PostgreSQL at 100,000 pegawai).
        whole = clause is None and not below_minimum and not cari
        if unit_kerja is None and whole:
            total = hitungan.active_pegawai_of_city(session)
        if unit_kerja is not None:
            subtree = select(UnitKerja.id).where(
                UnitKerja.path.startswith(unit_kerja.path, autoescape=True)
            )
            kept.append(JpTahunan.unit_kerja_id.in_(subtree))
            if whole:
                branch = hitungan.pegawai_per_branch(session, [unit_kerja.id])
                total = branch.get(unit_kerja.id, 0)
                if _walked(session, total, nomor):
                    # Read fewest first through the order's index, each row's unit checked
                    # as it comes (an expression, so no index on the unit is taken): a large
                    # unit's page is among the first rows, where the unit's index would read
                    # and sort every one of its rows (an OPD of 36,680 pegawai: 17 ms).
                    kept[-1] = (JpTahunan.unit_kerja_id + 0).in_(subtree)
        if clause is not None:
            kept.append(JpTahunan.pegawai_id.in_(select(Pegawai.id).where(clause)))
        if below_minimum:
            kept += [
                JpTahunan.jenis_asn.in_(rules.JP_MINIMUM_APPLIES_TO),
                JpTahunan.jp < rules.JP_MINIMUM,
            ]
        query = (
            select(*columns, JpTahunan.jp.label("jp"))
            .select_from(JpTahunan)
            .join(Pegawai, Pegawai.id == JpTahunan.pegawai_id)
            .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(*kept)
            .order_by(JpTahunan.jp, JpTahunan.pegawai_nama, JpTahunan.pegawai_id)
        )
        counted = None if cari else select(JpTahunan.id).where(*kept).subquery()
    else:
        earned = (
            select(Pelatihan.pegawai_id, func.sum(Pelatihan.jp).label("jp"))
            .where(_counted_in(tahun))
            .group_by(Pelatihan.pegawai_id)
            .subquery("jp_tahun")
        )
        jp = func.coalesce(earned.c.jp, 0)
        query = (
            select(*columns, jp.label("jp"))
            .select_from(Pegawai)
            .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
            .outerjoin(earned, earned.c.pegawai_id == Pegawai.id)
            .where(Pegawai.aktif.is_(True))
            .order_by(jp, Pegawai.nama, Pegawai.id)
        )
        query = _in_scope(query, clause, unit_kerja)
        if below_minimum:
            query = query.where(
                Pegawai.jenis_asn.in_(rules.JP_MINIMUM_APPLIES_TO), jp < rules.JP_MINIMUM
            )
        counted = None
    page = page_of(
        session, _search(query, cari), nomor, entities=False, counted=counted, total=total
    )
    rows = [
        BarisJp(
            row.id,
            row.nip,
            " ".join(filter(None, [row.gelar_depan, row.nama]))
            + (f", {row.gelar_belakang}" if row.gelar_belakang else ""),
            row.nama_lengkap,
            row.jenis_asn,
            int(row.jp),
        )
        for row in page.rows
    ]
    return replace(page, rows=rows)


@dataclass(frozen=True)
class RiwayatPelatihan:
    pegawai: Pegawai
    records: Sequence[Pelatihan]
    per_tahun: dict[int, int]  # JP per year, newest year first


def of_pegawai(session: Session, viewer: scope.Viewer, pegawai_id: int) -> RiwayatPelatihan:
    """Every training of one pegawai in the viewer's scope, and the JP per year."""
    if not scope.can_see(Pegawai, pegawai_id, session, viewer):
        raise NotFound(N_("Employee not found."))
    pegawai = session.get(Pegawai, pegawai_id)
    records = list(
        session.execute(
            select(Pelatihan)
            .where(Pelatihan.pegawai_id == pegawai_id)
            .order_by(Pelatihan.tanggal_mulai.desc(), Pelatihan.id.desc())
        ).scalars()
    )
    per_tahun: dict[int, int] = {}
    for record in records:
        tahun = (record.tanggal_selesai or record.tanggal_mulai).year
        per_tahun[tahun] = per_tahun.get(tahun, 0) + record.jp
    return RiwayatPelatihan(pegawai, records, dict(sorted(per_tahun.items(), reverse=True)))
