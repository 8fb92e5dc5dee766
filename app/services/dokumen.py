"""Issuing official documents and verifying them: the token a PDF's QR code carries, and the
few facts the public page tells about it (app.domain.dokumen)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import dokumen as rules
from app.domain.errors import NotFound
from app.models.dokumen import DokumenTerbit
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.security import scope
from app.services import kurva

# 24 random bytes (192 bits, 32 characters): a token cannot be guessed or walked like a row
# id, and its link still fits one printed line.
TOKEN_BYTES = 24


@dataclass(frozen=True)
class Verifikasi:
    """What the public page shows of an issued document, and nothing more."""

    jenis: str
    nama: str  # the pegawai's, or the OPD's for a pola distribusi
    nip_samaran: str | None
    periode: str
    status: str
    diterbitkan_pada: dt.datetime
    terkini: bool


def sidik_skp(skp: Skp) -> str:
    """The SKP's state as printed: its versi (a revision is a new row) and the row version,
    bumped by every change of the SKP or its RHK (app.services.skp.touch)."""
    return f"{skp.versi}.{skp.version_id}"


def sidik_penilaian(penilaian: Penilaian) -> str:
    """The penilaian's state as printed: its row version, bumped by every rating, answer and
    decision."""
    return str(penilaian.version_id)


def sidik_pola(found: kurva.Kalibrasi) -> str:
    """The pola distribusi as printed: the predikat organisasi and each member's predikat,
    hashed (a new rating or member changes it)."""
    content = [
        found.predikat_organisasi,
        sorted((m.pegawai_id, m.predikat or "") for m in found.anggota.rows),
    ]
    return hashlib.sha1(json.dumps(content).encode(), usedforsecurity=False).hexdigest()


def issue_skp(session: Session, skp: Skp) -> DokumenTerbit:
    """The issue of this SKP as it stands (the caller has checked scope and commits)."""
    return _issue(
        session,
        DokumenTerbit(
            jenis=rules.SKP,
            objek_id=skp.id,
            pegawai_id=skp.pegawai_id,
            periode_id=skp.periode_id,
            status=skp.status,
            sidik=sidik_skp(skp),
        ),
    )


def issue_penilaian(session: Session, penilaian: Penilaian) -> DokumenTerbit:
    """The issue of this penilaian's Dokumen Evaluasi Kinerja as it stands."""
    return _issue(
        session,
        DokumenTerbit(
            jenis=rules.EVALUASI,
            objek_id=penilaian.id,
            pegawai_id=penilaian.skp.pegawai_id,
            periode_id=penilaian.periode_id,
            status=penilaian.status,
            sidik=sidik_penilaian(penilaian),
        ),
    )


def issue_pola_distribusi(session: Session, found: kurva.Kalibrasi) -> DokumenTerbit:
    """The issue of an OPD's pola distribusi for a periode as it stands."""
    return _issue(
        session,
        DokumenTerbit(
            jenis=rules.POLA_DISTRIBUSI,
            objek_id=found.opd.id,
            unit_kerja_id=found.opd.id,
            periode_id=found.periode.id,
            status=found.predikat_organisasi or "",
            sidik=sidik_pola(found),
        ),
    )


def _issue(session: Session, wanted: DokumenTerbit) -> DokumenTerbit:
    """The same state printed twice is the same document: its first issue (and token) is
    reused, so the table grows with changes, not with downloads."""
    found = session.execute(
        select(DokumenTerbit).where(
            DokumenTerbit.jenis == wanted.jenis,
            DokumenTerbit.objek_id == wanted.objek_id,
            DokumenTerbit.periode_id == wanted.periode_id,
            DokumenTerbit.sidik == wanted.sidik,
        )
    ).scalar()
    if found is not None:
        return found
    wanted.token = secrets.token_urlsafe(TOKEN_BYTES)
    wanted.diterbitkan_pada = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.add(wanted)
    session.flush()
    return wanted


def verify(session: Session, token: str) -> Verifikasi | None:
    """The facts of the document a token names; None for a token never issued."""
    issued = session.execute(select(DokumenTerbit).where(DokumenTerbit.token == token)).scalar()
    if issued is None:
        return None
    pegawai = issued.pegawai
    return Verifikasi(
        jenis=issued.jenis,
        nama=pegawai.nama_lengkap if pegawai else issued.unit_kerja.nama_lengkap,
        nip_samaran=rules.mask_nip(pegawai.nip) if pegawai else None,
        periode=str(issued.periode),
        status=issued.status,
        diterbitkan_pada=issued.diterbitkan_pada,
        terkini=_is_current(session, issued),
    )


def _is_current(session: Session, issued: DokumenTerbit) -> bool:
    """Whether the printed row still stands as printed: not changed since, and for an SKP
    not replaced by a later versi."""
    if issued.jenis == rules.SKP:
        skp = session.get(Skp, issued.objek_id)
        if skp is None or sidik_skp(skp) != issued.sidik:
            return False
        newer = select(Skp.id).where(
            Skp.pegawai_id == skp.pegawai_id,
            Skp.periode_id == skp.periode_id,
            Skp.versi > skp.versi,
        )
        return session.execute(newer.limit(1)).scalar() is None
    if issued.jenis == rules.POLA_DISTRIBUSI:
        # Whoever may print it (pimpinan OPD, admin BKPSDM) sees the whole OPD: so does
        # the check, on behalf of nobody in particular.
        everyone = scope.Viewer(user_id=None, is_admin=True)
        try:
            now = kurva.kalibrasi(session, everyone, issued.objek_id, issued.periode_id, nomor=None)
        except NotFound:  # the unit is no OPD any more (merged, moved)
            return False
        return sidik_pola(now) == issued.sidik
    penilaian = session.get(Penilaian, issued.objek_id)
    return penilaian is not None and sidik_penilaian(penilaian) == issued.sidik
