"""SKP use cases: the only code that changes an SKP's state (ARCHITECTURE.md rule 3).

Each function authorizes by relation, applies the domain rule, writes, and leaves the commit
to the caller, so the HTML views and the REST API behave the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import workflow
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole, TransitionRefused
from app.models.master import Pegawai, Periode
from app.models.skp import RencanaHasilKerja, Skp, SkpRiwayat
from app.security import scope

MAX_CATATAN = 5000


class NotFound(DomainError):
    """The row does not exist or lies outside the actor's scope (→ 404)."""

    status = 404


class StaleData(DomainError):
    """Someone else changed the row since it was read (→ 409)."""

    status = 409


def stale() -> StaleData:
    return StaleData(N_("The data was changed by another user; reload the page."))


def get_visible(session: Session, skp_id: int, viewer: scope.Viewer) -> Skp:
    """The SKP if the viewer may see it; NotFound otherwise (never its content)."""
    query = select(Skp).where(Skp.id == skp_id)
    clause = scope.scope_clause(Skp, viewer)
    if clause is not None:
        query = query.where(clause)
    skp = session.execute(query).scalar_one_or_none()
    if skp is None:
        raise NotFound(N_("SKP not found."))
    return skp


def relations(skp: Skp, actor_pegawai_id: int | None) -> set[str]:
    """How the actor stands to the SKP: its owner and/or its pejabat penilai."""
    found = set()
    if actor_pegawai_id is None:
        return found
    if skp.pegawai_id == actor_pegawai_id:
        found.add(workflow.OWNER)
    penilai = skp.penilai_id or skp.pegawai.penilai_id
    if penilai == actor_pegawai_id:
        found.add(workflow.PENILAI)
    return found


def _check_version(skp: Skp, expected_version: int | None) -> None:
    if expected_version is not None and skp.version_id != expected_version:
        raise stale()


def _header(pegawai: Pegawai | None) -> dict[str, Any] | None:
    if pegawai is None:
        return None
    return {
        "nama": pegawai.nama_lengkap,
        "nip": pegawai.nip,
        "pangkat": str(pegawai.pangkat) if pegawai.pangkat else None,
        "jabatan": str(pegawai.jabatan) if pegawai.jabatan else None,
        "unit_kerja": pegawai.unit_kerja.nama_lengkap if pegawai.unit_kerja else None,
    }


def check_ready_to_submit(skp: Skp) -> None:
    """An SKP goes to the atasan only complete: RHK with indikator, each RHK cascaded."""
    if not skp.rencana_hasil_kerja:
        raise DomainError(N_("Add at least one work result plan (RHK) before submitting."))
    for rhk in skp.rencana_hasil_kerja:
        if not rhk.indikator:
            raise DomainError(
                N_("Work result plan '%(rhk)s' has no performance indicator."), rhk=rhk.uraian
            )
        if rhk.intervensi_id is None and not rhk.penugasan_dari:
            raise DomainError(
                N_("Work result plan '%(rhk)s' is not linked to a work result of your supervisor."),
                rhk=rhk.uraian,
            )


def _transition(
    session: Session,
    skp: Skp,
    action: str,
    actor_pegawai_id: int | None,
    catatan: str | None,
) -> None:
    old = skp.status
    skp.status = workflow.next_skp_state(old, action, relations(skp, actor_pegawai_id))
    session.add(
        SkpRiwayat(
            skp=skp,
            aksi=action,
            dari=old,
            ke=skp.status,
            oleh_id=actor_pegawai_id,
            waktu=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            catatan=catatan,
        )
    )


def _catatan(catatan: str | None, required: bool) -> str | None:
    text = (catatan or "").strip()
    if required and not text:
        raise DomainError(N_("A note is required when returning an SKP."), field="catatan")
    if len(text) > MAX_CATATAN:
        raise DomainError(
            N_("The note may be at most %(max)d characters."), field="catatan", max=MAX_CATATAN
        )
    return text or None


def submit(
    session: Session, skp_id: int, viewer: scope.Viewer, expected_version: int | None = None
) -> Skp:
    skp = get_visible(session, skp_id, viewer)
    _check_version(skp, expected_version)
    if workflow.OWNER not in relations(skp, viewer.pegawai_id):
        raise NotYourRole(N_("Only %(actor)s may do this."), actor=workflow.ACTORS[workflow.OWNER])
    if not workflow.skp_is_editable(skp.status):
        raise TransitionRefused(N_("This SKP has already been submitted or approved."))
    check_ready_to_submit(skp)
    penilai = skp.pegawai.penilai_id
    if penilai is None:
        raise DomainError(N_("You have no appraising official; ask BKPSDM to set your supervisor."))
    skp.penilai_id = penilai
    _transition(session, skp, "submit", viewer.pegawai_id, None)
    skp.diajukan_pada = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return skp


def approve(
    session: Session,
    skp_id: int,
    viewer: scope.Viewer,
    catatan: str | None = None,
    expected_version: int | None = None,
) -> Skp:
    skp = get_visible(session, skp_id, viewer)
    _check_version(skp, expected_version)
    _transition(session, skp, "approve", viewer.pegawai_id, _catatan(catatan, required=False))
    skp.snapshot = {"pegawai": _header(skp.pegawai), "penilai": _header(skp.penilai)}
    skp.disetujui_pada = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return skp


def return_(
    session: Session,
    skp_id: int,
    viewer: scope.Viewer,
    catatan: str | None,
    expected_version: int | None = None,
) -> Skp:
    skp = get_visible(session, skp_id, viewer)
    _check_version(skp, expected_version)
    note = _catatan(catatan, required=True)
    _transition(session, skp, "return", viewer.pegawai_id, note)
    return skp


def check_new_skp(session: Session, skp: Skp) -> None:
    """One SKP per pegawai per year (a revision adds a version) on an annual period."""
    periode = session.get(Periode, skp.periode_id)
    if periode is None or periode.jenis != "tahunan":
        raise DomainError(N_("An SKP is drawn up for an annual period."), field="periode_id")
    existing = session.execute(
        select(Skp.id).where(Skp.pegawai_id == skp.pegawai_id, Skp.periode_id == skp.periode_id)
    ).first()
    if existing:
        raise DomainError(
            N_("You already have an SKP for %(tahun)s."), field="periode_id", tahun=periode.tahun
        )


def check_intervensi(session: Session, skp: Skp, intervensi_id: int | None) -> None:
    """An RHK may only intervene an RHK of the atasan's SKP of the same year that is
    submitted or approved (cascading, DOMAIN.md)."""
    if intervensi_id is None:
        return
    target = session.get(RencanaHasilKerja, intervensi_id)
    atasan_id = skp.pegawai.penilai_id
    if (
        target is None
        or target.skp.pegawai_id != atasan_id
        or target.skp.periode_id != skp.periode_id
        or target.skp.status not in ("diajukan", "disetujui")
    ):
        raise DomainError(
            N_(
                "Only a work result of your supervisor's submitted or approved SKP of the same "
                "year can be intervened."
            ),
            field="intervensi_id",
        )


def check_editable_by_owner(skp: Skp, viewer: scope.Viewer) -> None:
    """RHK, indikator and lampiran change only by the owner while draft or returned."""
    if skp.pegawai_id != viewer.pegawai_id:
        raise NotYourRole(N_("Only %(actor)s may do this."), actor=workflow.ACTORS[workflow.OWNER])
    if not workflow.skp_is_editable(skp.status):
        raise TransitionRefused(N_("This SKP can no longer be changed in its current status."))
