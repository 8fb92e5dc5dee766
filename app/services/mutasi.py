"""Mutasi: admin BKPSDM records that a pegawai moved to another post in the middle of the
year (DOMAIN.md, Organisation realities). One use case for the pegawai page, the REST API
and the import:

* the pegawai takes the new unit kerja, jabatan and atasan (an evaluator override and a
  non-ASN penilai belonged to the old post; so does heading the unit left), and the roles
  of everyone concerned follow the org chart (app.services.master.save_pegawai);
* the SKP of the post left closes the day before the move: approved, it keeps the
  evaluations app.domain.mutasi keeps and the others are withdrawn; not yet approved, it
  never came into force and is closed (workflow.SKP_CLOSED);
* a draft SKP of the new post covers the rest of the year, for the new pejabat penilai, as
  the next version of the year's SKP (so every "newest SKP" count takes it) but not as a
  revision of the old one: it evaluates the periods the old one gave up, the annual one
  included, so the last pejabat penilai sets the annual predikat;
* the move is kept in the riwayat jabatan.

Validates, writes, flushes; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.domain import mutasi as rules
from app.domain import org, workflow
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole, TransitionRefused
from app.models.master import Jabatan, Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.riwayat_jabatan import RiwayatJabatan
from app.models.skp import Skp, SkpRiwayat
from app.security import scope
from app.services import master, pihak
from app.services import org as org_service
from app.services import skp as skp_service
from app.services.errors import checked_id, checked_text
from app.services.notifikasi import notify

MAX_NOMOR_SK = 100


@dataclass(frozen=True)
class Hasil:
    """What a recorded mutasi did."""

    riwayat: RiwayatJabatan
    skp_baru: Skp
    skp_lama: Skp | None  # the SKP of the post left (None: there was none this year)
    periode_tetap: list[str]  # jenis of the evaluations the old SKP kept
    periode_ditarik: list[str]  # jenis of those withdrawn from it
    bawahan_lama: int  # pegawai who still report to the one who moved: for BKPSDM to settle


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Mutasi:
    """A transfer that passed every check, ready to record."""

    pegawai: Pegawai
    year: Periode
    tanggal: dt.date
    lama: rules.Post
    baru: rules.Post
    nomor_sk: str | None


def periksa(
    session: Session,
    viewer: scope.Viewer,
    pegawai_id: Any,
    tanggal: Any,
    unit_kerja_id: Any,
    jabatan_id: Any,
    atasan_id: Any,
    nomor_sk: Any = None,
    today: dt.date | None = None,
) -> Mutasi:
    """Every rule of a transfer of ``pegawai_id`` to a new post as of ``tanggal`` (TMT),
    judged on ``today`` (default: today); nothing is written (the import checks a whole file
    with it before writing any row)."""
    pegawai = scope.get(session, Pegawai, pegawai_id, viewer, N_("Employee not found."))
    if not viewer.is_admin:
        raise NotYourRole(N_("Only BKPSDM records a transfer."))
    if not pegawai.aktif:
        raise TransitionRefused(N_("An inactive employee cannot be transferred."))
    year = skp_service.active_year(session)
    if year is None:
        raise DomainError(N_("No annual period is active; ask BKPSDM."), field="tanggal")
    day = rules.parse_tanggal(tanggal)
    rules.check_tanggal(
        day,
        year.tanggal_mulai,
        year.tanggal_selesai,
        today or dt.date.today(),
        _previous_move(session, pegawai.id),
    )
    baru = _new_post(session, pegawai, unit_kerja_id, jabatan_id, atasan_id)
    lama = rules.Post(pegawai.unit_kerja_id, pegawai.jabatan_id, pegawai.atasan_id)
    rules.check_changes(lama, baru)
    nomor = checked_text(nomor_sk, "nomor_sk", maximum=MAX_NOMOR_SK)
    return Mutasi(pegawai, year, day, lama, baru, nomor)


def catat(
    session: Session,
    viewer: scope.Viewer,
    pegawai_id: Any,
    tanggal: Any,
    unit_kerja_id: Any,
    jabatan_id: Any,
    atasan_id: Any,
    nomor_sk: Any = None,
    today: dt.date | None = None,
) -> Hasil:
    """Record the transfer of ``pegawai_id`` (the rules of :func:`periksa`)."""
    move = periksa(
        session, viewer, pegawai_id, tanggal, unit_kerja_id, jabatan_id, atasan_id, nomor_sk, today
    )
    pegawai, day, nomor = move.pegawai, move.tanggal, move.nomor_sk
    snapshot = {"dari": _named(session, move.lama), "ke": _named(session, move.baru)}
    skp_lama, tetap, ditarik = _close_skps(session, viewer, pegawai.id, move.year, day, nomor)
    _take_post(session, pegawai, move.baru)
    skp_baru = _open_skp(session, pegawai, move.year, day, skp_lama)
    riwayat = RiwayatJabatan(
        pegawai_id=pegawai.id,
        tanggal=day,
        nomor_sk=nomor,
        unit_kerja_lama_id=move.lama.unit_kerja_id,
        jabatan_lama_id=move.lama.jabatan_id,
        atasan_lama_id=move.lama.atasan_id,
        unit_kerja_id=move.baru.unit_kerja_id,
        jabatan_id=move.baru.jabatan_id,
        atasan_id=move.baru.atasan_id,
        skp_lama_id=skp_lama.id if skp_lama else None,
        skp_baru_id=skp_baru.id,
        snapshot=snapshot,
        dicatat_oleh_id=viewer.user_id,
        dicatat_pada=_now(),
    )
    session.add(riwayat)
    notify(
        session,
        pegawai.id,
        "mutasi",
        N_(
            "You were transferred to %(jabatan)s, %(unit)s as of %(tanggal)s: draw up the "
            "SKP of your new post."
        ),
        f"/skp/{skp_baru.id}",
        jabatan=snapshot["ke"]["jabatan"],
        unit=snapshot["ke"]["unit_kerja"],
        tanggal=day.isoformat(),
    )
    session.flush()
    return Hasil(riwayat, skp_baru, skp_lama, tetap, ditarik, _still_reporting(session, pegawai))


# --- the checks ---------------------------------------------------------------------------


def _previous_move(session: Session, pegawai_id: int) -> dt.date | None:
    return session.execute(
        select(func.max(RiwayatJabatan.tanggal)).where(RiwayatJabatan.pegawai_id == pegawai_id)
    ).scalar()


REQUIRED = {
    "unit_kerja_id": N_("Choose the new work unit."),
    "jabatan_id": N_("Choose the new position."),
    "atasan_id": N_("Choose the new supervisor."),
}


def _required_id(value: Any, field: str) -> int:
    found = checked_id(value, field)
    if found is None:
        raise DomainError(REQUIRED[field], field=field)
    return found


def _new_post(
    session: Session, pegawai: Pegawai, unit_kerja_id: Any, jabatan_id: Any, atasan_id: Any
) -> rules.Post:
    """The post moved to: a unit, a jabatan and an active atasan that exist, and no cycle in
    the chain of command."""
    post = rules.Post(
        _required_id(unit_kerja_id, "unit_kerja_id"),
        _required_id(jabatan_id, "jabatan_id"),
        _required_id(atasan_id, "atasan_id"),
    )
    with session.no_autoflush:
        org_service.check_references(
            session,
            {
                "unit_kerja_id": post.unit_kerja_id,
                "jabatan_id": post.jabatan_id,
                "atasan_id": post.atasan_id,
            },
        )
        if not session.get(Pegawai, post.atasan_id).aktif:
            raise DomainError(N_("The new supervisor is not active."), field="atasan_id")
        org.check_atasan(pegawai.id, post.atasan_id, org_service.atasan_lookup(session))
    return post


def _named(session: Session, post: rules.Post) -> dict[str, str | None]:
    """A post as it reads today, for the history."""
    unit = session.get(UnitKerja, post.unit_kerja_id) if post.unit_kerja_id else None
    jabatan = session.get(Jabatan, post.jabatan_id) if post.jabatan_id else None
    atasan = session.get(Pegawai, post.atasan_id) if post.atasan_id else None
    return {
        "unit_kerja": (unit.nama_lengkap or unit.nama) if unit else None,
        "jabatan": jabatan.nama if jabatan else None,
        "atasan": atasan.nama_lengkap if atasan else None,
        "atasan_nip": atasan.nip if atasan else None,
    }


# --- the SKP of the post left and of the new one ------------------------------------------


def _close_skps(
    session: Session,
    viewer: scope.Viewer,
    pegawai_id: int,
    year: Periode,
    tanggal: dt.date,
    nomor_sk: str | None,
) -> tuple[Skp | None, list[str], list[str]]:
    """Close the year's SKP in force — the newest approved version — and any newer version
    not yet approved (a revision under way, or a draft); return the one in force (else the
    newest closed) with the jenis of the evaluations it kept and of those withdrawn."""
    versions = session.execute(
        select(Skp)
        .where(
            Skp.pegawai_id == pegawai_id,
            Skp.periode_id == year.id,
            Skp.berlaku_sampai.is_(None),
            Skp.status != workflow.SKP_CLOSED,
        )
        .order_by(Skp.versi.desc())
    ).scalars()
    in_force = None
    closed: list[Skp] = []
    tetap: list[str] = []
    ditarik: list[str] = []
    for skp in versions:
        if skp.status != "disetujui":
            _record_closing(session, skp, viewer, tanggal, nomor_sk, workflow.SKP_CLOSED)
            closed.append(skp)
        elif in_force is None:  # older approved versions were superseded by a revision
            in_force = skp
            tetap, ditarik = _withdraw_evaluations(session, skp, tanggal)
            _record_closing(session, skp, viewer, tanggal, nomor_sk, skp.status)
    return in_force or (closed[0] if closed else None), tetap, ditarik


def _record_closing(
    session: Session,
    skp: Skp,
    viewer: scope.Viewer,
    tanggal: dt.date,
    nomor_sk: str | None,
    status: str,
) -> None:
    old = skp.status
    if status == workflow.SKP_CLOSED:
        # Never approved, so never frozen: it keeps naming the post it was drawn up for.
        skp.snapshot = pihak.header_of(skp)
    skp.status = status
    skp.berlaku_sampai = rules.last_day_before(tanggal)
    skp_service.touch(skp)
    session.add(
        SkpRiwayat(
            skp=skp,
            aksi="mutasi",
            dari=old,
            ke=status,
            oleh_id=viewer.pegawai_id,
            waktu=_now(),
            catatan=f"TMT {tanggal:%d-%m-%Y}" + (f" · SK {nomor_sk}" if nomor_sk else ""),
        )
    )


def _withdraw_evaluations(
    session: Session, skp: Skp, tanggal: dt.date
) -> tuple[list[str], list[str]]:
    """Delete the evaluations the SKP of the post left gives up (through the ORM, so the
    audit trail records each); their realisasi stay with its indikator."""
    tetap, ditarik = [], []
    evaluations = session.execute(
        select(Penilaian)
        .join(Periode, Penilaian.periode_id == Periode.id)
        .where(Penilaian.skp_id == skp.id)
        .options(selectinload(Penilaian.periode))
        .order_by(Periode.tanggal_selesai, Periode.jenis == "tahunan")
    ).scalars()
    for penilaian in evaluations:
        if rules.stays_with_old_post(penilaian.status, penilaian.periode.tanggal_selesai, tanggal):
            tetap.append(penilaian.periode.jenis)
        else:
            ditarik.append(penilaian.periode.jenis)
            session.delete(penilaian)
    return tetap, ditarik


def _take_post(session: Session, pegawai: Pegawai, post: rules.Post) -> None:
    """The pegawai in the new post; the head posts they leave fall vacant (a Plt may cover
    them until a successor comes)."""
    for unit in session.execute(
        select(UnitKerja).where(
            UnitKerja.kepala_id == pegawai.id, UnitKerja.id != post.unit_kerja_id
        )
    ).scalars():
        unit.kepala_id = None
    pegawai.unit_kerja_id = post.unit_kerja_id
    pegawai.jabatan_id = post.jabatan_id
    pegawai.atasan_id = post.atasan_id
    pegawai.pejabat_penilai_id = None
    pegawai.penilai_non_asn_nama = None
    pegawai.penilai_non_asn_jabatan = None
    # Relations loaded before would still name the old post (and be validated as such).
    session.expire(pegawai, ["unit_kerja", "jabatan", "atasan", "pejabat_penilai"])
    master.save_pegawai(session, pegawai)


def _open_skp(
    session: Session, pegawai: Pegawai, year: Periode, tanggal: dt.date, lama: Skp | None
) -> Skp:
    newest = skp_service.latest_skp(session, pegawai.id, year.id)
    skp = skp_service._new_skp(
        pegawai,
        year.id,
        lama.pendekatan if lama else "kuantitatif",
        versi=newest.versi + 1 if newest else 1,
    )
    skp.berlaku_mulai = tanggal
    session.add(skp)
    session.flush()
    return skp


def _still_reporting(session: Session, pegawai: Pegawai) -> int:
    return session.execute(
        select(func.count(Pegawai.id)).where(
            Pegawai.aktif.is_(True),
            or_(Pegawai.atasan_id == pegawai.id, Pegawai.pejabat_penilai_id == pegawai.id),
        )
    ).scalar_one()


# --- reading ------------------------------------------------------------------------------


def riwayat_of(session: Session, pegawai_id: int) -> list[RiwayatJabatan]:
    """A pegawai's riwayat jabatan, the latest move first (the caller has the pegawai in
    scope)."""
    return list(
        session.execute(
            select(RiwayatJabatan)
            .where(RiwayatJabatan.pegawai_id == pegawai_id)
            .options(selectinload(RiwayatJabatan.dicatat_oleh))
            .order_by(RiwayatJabatan.tanggal.desc(), RiwayatJabatan.id.desc())
        ).scalars()
    )


@dataclass(frozen=True)
class PadaSkp:
    """How a mutasi bears on one SKP: the move that closed it, the one it was drawn up for."""

    ditutup_oleh: RiwayatJabatan | None
    dibuka_oleh: RiwayatJabatan | None


def of_skp(session: Session, skp: Skp) -> PadaSkp:
    """The moves that closed and opened ``skp``, by its days (so a revision of the SKP of a
    post taken mid-year names the same move as the version it revises)."""
    closes = rules.day_after(skp.berlaku_sampai) if skp.berlaku_sampai else None
    days = [day for day in (closes, skp.berlaku_mulai) if day is not None]
    if not days:
        return PadaSkp(None, None)
    moves = {
        move.tanggal: move
        for move in session.execute(
            select(RiwayatJabatan).where(
                RiwayatJabatan.pegawai_id == skp.pegawai_id, RiwayatJabatan.tanggal.in_(days)
            )
        ).scalars()
    }
    opened = moves.get(skp.berlaku_mulai) if skp.berlaku_mulai else None
    return PadaSkp(moves.get(closes) if closes else None, opened)
