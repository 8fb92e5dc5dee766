"""Mutasi: a pegawai moved to another post in the middle of the year (DOMAIN.md, Organisation
realities; PermenPANRB 6/2022: the annual predikat is set by the last pejabat penilai, who
sees the evaluations made under the earlier post).

The SKP of the post left closes the day before the move. Of its evaluations it keeps those
whose work was done in that post — the periods that ended before the move — and those already
under way, which are never pulled from under the pegawai or their penilai. The others (the
period the move falls in, the later ones and, unless begun, the annual one) are withdrawn:
the SKP of the new post evaluates them, under the new pejabat penilai.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.domain.enums import N_
from app.domain.errors import DomainError

# The one state in which an evaluation has not begun (app.domain.workflow).
NOT_BEGUN = "belum_dinilai"


@dataclass(frozen=True)
class Post:
    """Where a pegawai stands in the org chart: unit, jabatan and atasan (ids)."""

    unit_kerja_id: int | None
    jabatan_id: int | None
    atasan_id: int | None


def parse_tanggal(value: Any) -> dt.date:
    """The date of the move (TMT) as given by a form or a JSON body: a date, or text in ISO
    form (YYYY-MM-DD)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or isinstance(value, str) and not value.strip():
        raise DomainError(N_("Enter the date of the transfer."), field="tanggal")
    if not isinstance(value, str):
        raise DomainError(N_("Enter the date as YYYY-MM-DD."), field="tanggal")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(N_("Enter the date as YYYY-MM-DD."), field="tanggal") from None


def check_tanggal(
    tanggal: dt.date,
    year_start: dt.date,
    year_end: dt.date,
    today: dt.date,
    previous: dt.date | None,
) -> None:
    """A move is recorded in the active year, once it has taken effect (the org chart is
    today's: moving someone ahead of time would send their approvals to the new post too
    early), and after the pegawai's previous move."""
    if not year_start <= tanggal <= year_end:
        raise DomainError(
            N_("The transfer date must fall in the active year (%(tahun)s)."),
            field="tanggal",
            tahun=year_start.year,
        )
    if tanggal > today:
        raise DomainError(
            N_("A transfer is recorded once it takes effect; come back on %(tanggal)s."),
            field="tanggal",
            tanggal=tanggal.isoformat(),
        )
    if previous is not None and tanggal <= previous:
        raise DomainError(
            N_("The transfer date must be after the previous transfer (%(tanggal)s)."),
            field="tanggal",
            tanggal=previous.isoformat(),
        )


def check_changes(old: Post, new: Post) -> None:
    """A transfer changes the post: its unit, its jabatan or its atasan."""
    if old == new:
        raise DomainError(
            N_("The employee already holds this post; nothing would change."),
            field="unit_kerja_id",
        )


def last_day_before(tanggal: dt.date) -> dt.date:
    """The last day the SKP of the post left covers."""
    return tanggal - dt.timedelta(days=1)


def day_after(berlaku_sampai: dt.date) -> dt.date:
    """The date of the move that closed an SKP on ``berlaku_sampai``."""
    return berlaku_sampai + dt.timedelta(days=1)


def stays_with_old_post(status: str, periode_selesai: dt.date, tanggal: dt.date) -> bool:
    """Whether an evaluation of the SKP being closed stays on it: its period ended before
    the move, or its evaluation is under way or done."""
    return status != NOT_BEGUN or periode_selesai < tanggal


def evaluated_by(berlaku_mulai: dt.date | None, periode_selesai: dt.date) -> bool:
    """Whether an SKP that covers the year from ``berlaku_mulai`` (None: from its start)
    evaluates a period: one that ends before the SKP begins was worked elsewhere."""
    return berlaku_mulai is None or periode_selesai >= berlaku_mulai
