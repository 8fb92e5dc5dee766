"""Tindak lanjut of the annual evaluation and the right to competence development.

PP 30/2019 (Penilaian Kinerja PNS) with PermenPANRB 6/2022: a settled annual predikat is
followed up — penghargaan such as advanced training for Sangat Baik, pembinaan for Butuh
Perbaikan, Kurang and Sangat Kurang. PP 11/2017 Ps. 203 ayat (4) as amended by PP 17/2020:
every PNS develops their competence at least 20 JP a year; 1 JP = 45 minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.domain.enums import N_
from app.domain.errors import DomainError, TransitionRefused
from app.domain.periode import ANNUAL
from app.domain.workflow import PENILAIAN_SETTLED

PELATIHAN_LANJUTAN = "pelatihan_lanjutan"
PEMBINAAN = "pembinaan"

JENIS = {
    PELATIHAN_LANJUTAN: N_("Advanced training"),
    PEMBINAAN: N_("Coaching plan"),
}

# PP 30/2019: which annual predikat calls for which follow-up. Baik calls for none.
TINDAK_LANJUT: dict[str, str | None] = {
    "sangat_baik": PELATIHAN_LANJUTAN,
    "baik": None,
    "butuh_perbaikan": PEMBINAAN,
    "kurang": PEMBINAAN,
    "sangat_kurang": PEMBINAAN,
}


def tindak_lanjut(jenis_periode: str, status: str, predikat: str | None) -> str | None:
    """The follow-up an evaluation calls for: only a settled annual evaluation has one.
    ValueError for a predikat outside the matrix."""
    if jenis_periode != ANNUAL or status not in PENILAIAN_SETTLED or predikat is None:
        return None
    try:
        return TINDAK_LANJUT[predikat]
    except KeyError:
        raise ValueError(f"unknown predikat {predikat!r}") from None


# --- the plan's life ----------------------------------------------------------------------

USULAN, BERJALAN, SELESAI = "usulan", "berjalan", "selesai"
STATUS = {
    USULAN: N_("Proposed"),
    BERJALAN: N_("In progress"),
    SELESAI: N_("Completed"),
}
# A plan only moves forward: proposed → in progress → completed.
STATUS_ORDER = (USULAN, BERJALAN, SELESAI)

FIELDS = {
    "target": N_("Target"),
    "langkah": N_("Steps"),
    "tenggat": N_("Deadline"),
    "tindak_lanjut_atasan": N_("Supervisor's follow-up notes"),
}

# What a plan must hold before it may be in a status: a pembinaan runs with a target, steps
# and a deadline; advanced training with the training proposed (its target); either closes
# with the atasan's account of how it went.
REQUIRED: dict[tuple[str, str], tuple[str, ...]] = {
    (PEMBINAAN, BERJALAN): ("target", "langkah", "tenggat"),
    (PEMBINAAN, SELESAI): ("target", "langkah", "tenggat", "tindak_lanjut_atasan"),
    (PELATIHAN_LANJUTAN, BERJALAN): ("target",),
    (PELATIHAN_LANJUTAN, SELESAI): ("target", "tindak_lanjut_atasan"),
}


def check_plan(jenis: str, old_status: str, new_status: str, values: Mapping[str, object]) -> None:
    """A change of a plan: forward only, nothing after completion, and the fields the new
    status needs filled. TransitionRefused (→ 409) or DomainError (→ 422) with the reason."""
    if new_status not in STATUS:
        raise DomainError(N_("Choose a valid status."), field="status")
    if old_status == SELESAI:
        raise TransitionRefused(N_("A completed plan can no longer be changed."))
    if STATUS_ORDER.index(new_status) < STATUS_ORDER.index(old_status):
        raise TransitionRefused(
            N_("A plan cannot go back from '%(old)s' to '%(new)s'."),
            old=STATUS[old_status],
            new=STATUS[new_status],
        )
    for name in REQUIRED.get((jenis, new_status), ()):
        if values.get(name) in (None, ""):
            raise DomainError(
                N_("Fill in '%(label)s' before setting the status to '%(status)s'."),
                field=name,
                label=FIELDS[name],
                status=STATUS[new_status],
            )


# --- the 20 JP right ------------------------------------------------------------------------

JP_MINIMUM = 20
MINUTES_PER_JP = 45
# The 20 JP a year is a right of the PNS (PP 11/2017 Ps. 203); PPPK development is bounded
# from above instead (PP 49/2018 Ps. 39), so they have no minimum to fall short of.
JP_MINIMUM_APPLIES_TO = frozenset({"pns"})
# 24 hours of 45-minute JP: no record can hold more JP than fit between its dates.
JP_PER_DAY = 24 * 60 // MINUTES_PER_JP


def jp_minimum(jenis_asn: str | None) -> int | None:
    """The yearly minimum for this kind of ASN; None when the right does not apply."""
    return JP_MINIMUM if jenis_asn in JP_MINIMUM_APPLIES_TO else None


def jp_shortfall(jenis_asn: str | None, jp: int) -> int:
    """How many JP are still missing this year (0 when met or not applicable)."""
    minimum = jp_minimum(jenis_asn)
    return max(0, minimum - jp) if minimum is not None else 0


def hours(jp: int) -> float:
    """Clock hours of a number of JP."""
    return jp * MINUTES_PER_JP / 60


def check_pelatihan(
    nama_diklat: str | None,
    tanggal_mulai: dt.date | None,
    tanggal_selesai: dt.date | None,
    jp: int | None,
) -> None:
    """A training record: named, dated, and a positive number of JP that fits its dates."""
    if not (nama_diklat or "").strip():
        raise DomainError(N_("This field is required."), field="nama_diklat")
    if tanggal_mulai is None:
        raise DomainError(N_("This field is required."), field="tanggal_mulai")
    if tanggal_selesai is not None and tanggal_selesai < tanggal_mulai:
        raise DomainError(
            N_("The start date must not be after the end date."), field="tanggal_selesai"
        )
    if jp is None or isinstance(jp, bool) or not isinstance(jp, int) or jp <= 0:
        raise DomainError(N_("JP must be a whole number greater than zero."), field="jp")
    days = ((tanggal_selesai or tanggal_mulai) - tanggal_mulai).days + 1
    if jp > days * JP_PER_DAY:
        raise DomainError(
            N_("%(jp)d JP do not fit between the dates (at most %(max)d JP; 1 JP = 45 minutes)."),
            field="jp",
            jp=jp,
            max=days * JP_PER_DAY,
        )
