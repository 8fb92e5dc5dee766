"""Rules of acting assignments, Plt and Plh (SE Kepala BKN 1/2021; DOMAIN.md, Organisation
realities): what one SK may say, when it runs, and how its acts are signed."""

from __future__ import annotations

from datetime import date

from app.domain.enums import JENIS_PENUGASAN, N_
from app.domain.errors import DomainError

# How an act done under the assignment is signed: "Plt. Kepala Dinas Pendidikan".
PREFIX = {"plt": "Plt.", "plh": "Plh."}


def check(
    jenis: str | None,
    pegawai_id: int | None,
    menggantikan_id: int | None,
    unit_kerja_id: int | None,
    tanggal_mulai: date | None,
    tanggal_selesai: date | None,
    nomor_sk: str | None,
) -> None:
    """One SK names the acting pegawai, exactly one post (an absent pegawai's, or a unit's
    vacant head post), plt or plh, a date range that does not run backwards, and its number."""
    if jenis not in JENIS_PENUGASAN:
        raise DomainError(N_("Choose Plt or Plh."), field="jenis")
    if pegawai_id is None:
        raise DomainError(N_("Choose the acting official."), field="pegawai_id")
    if (menggantikan_id is None) == (unit_kerja_id is None):
        raise DomainError(
            N_("Choose either the employee whose post is covered or a unit whose head is vacant."),
            field="menggantikan_id",
        )
    if menggantikan_id == pegawai_id:
        raise DomainError(N_("An official cannot act for themselves."), field="menggantikan_id")
    if tanggal_mulai is None:
        raise DomainError(N_("Fill in the start date."), field="tanggal_mulai")
    if tanggal_selesai is None:
        raise DomainError(N_("Fill in the end date."), field="tanggal_selesai")
    if tanggal_selesai < tanggal_mulai:
        raise DomainError(
            N_("The end date cannot be before the start date."), field="tanggal_selesai"
        )
    if not (nomor_sk or "").strip():
        raise DomainError(N_("Fill in the number of the SK."), field="nomor_sk")


# Where an assignment stands on a given day: it runs from its first to its last day
# inclusive, and ends by itself.
STATUS = {"akan_datang": N_("Upcoming"), "berjalan": N_("Running"), "selesai": N_("Ended")}


def status(tanggal_mulai: date, tanggal_selesai: date, today: date) -> str:
    """Upcoming, running or ended on ``today`` (a key of STATUS)."""
    if today < tanggal_mulai:
        return "akan_datang"
    return "berjalan" if today <= tanggal_selesai else "selesai"


def signed_as(jenis: str, post: str) -> str:
    """How an act under the assignment names the post: "Plt. Kepala Dinas Pendidikan"."""
    return f"{PREFIX.get(jenis, jenis)} {post}"
