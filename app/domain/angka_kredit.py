"""Angka kredit of a jabatan fungsional: the annual predikat converted to credit points
(PermenPANRB 1/2023, Peraturan BKN 3/2023 lampiran): a percentage by predikat times the
yearly coefficient of the jenjang, pro rata by the months of the year spent in the jenjang.

Plain data and pure functions; a jenjang is the pair (Jabatan.jenis, Jabatan.jenjang) as the
keys of app.domain.enums.JENJANG_JABATAN spell it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

# Percentage of the yearly coefficient earned by each annual predikat (PermenPANRB 1/2023).
PERSENTASE: dict[str, Decimal] = {
    "sangat_baik": Decimal("150"),
    "baik": Decimal("100"),
    "butuh_perbaikan": Decimal("75"),
    "kurang": Decimal("50"),
    "sangat_kurang": Decimal("25"),
}

# Yearly coefficient of each jenjang (Peraturan BKN 3/2023 lampiran).
KOEFISIEN: dict[tuple[str, str], Decimal] = {
    ("fungsional_keahlian", "ahli_pertama"): Decimal("12.5"),
    ("fungsional_keahlian", "ahli_muda"): Decimal("25"),
    ("fungsional_keahlian", "ahli_madya"): Decimal("37.5"),
    ("fungsional_keahlian", "ahli_utama"): Decimal("50"),
    ("fungsional_keterampilan", "pemula"): Decimal("3.75"),
    ("fungsional_keterampilan", "terampil"): Decimal("5"),
    ("fungsional_keterampilan", "mahir"): Decimal("12.5"),
    ("fungsional_keterampilan", "penyelia"): Decimal("25"),
}

MONTHS_IN_YEAR = 12
# BKN publishes angka kredit with three decimals.
PRECISION = Decimal("0.001")

Post = TypeVar("Post", bound=Hashable)


@dataclass(frozen=True)
class Move(Generic[Post]):
    """One change of post on ``tanggal`` (the TMT), from ``lama`` to ``baru``: any comparable
    key of the post — the service passes the jenjang, so that a move within the jenjang
    keeps counting the months."""

    tanggal: dt.date
    lama: Post
    baru: Post


@dataclass(frozen=True)
class AngkaKredit:
    jenis: str  # of the jabatan fungsional: keahlian or keterampilan
    jenjang: str
    predikat: str
    persentase: Decimal  # 150 for 150 %
    koefisien: Decimal
    bulan: int
    nilai: Decimal


def held_on(day: dt.date, current: Post, moves: Sequence[Move[Post]]) -> Post:
    """The post held on ``day``: the newest move on or before it, else the post left by the
    first move after it, else the current post (no move recorded)."""
    ordered = sorted(moves, key=lambda move: move.tanggal)
    before = [move for move in ordered if move.tanggal <= day]
    if before:
        return before[-1].baru
    return ordered[0].lama if ordered else current


def months_in(tahun: int, held: Post, current: Post, moves: Sequence[Move[Post]]) -> int:
    """Months of ``tahun`` in the post ``held``. A month counts for the post held on its first
    day: a TMT is the first of a month, and one mid-month leaves the month to the old post.
    Without any move the pegawai held the current post the whole year."""
    return sum(
        1
        for month in range(1, MONTHS_IN_YEAR + 1)
        if held_on(dt.date(tahun, month, 1), current, moves) == held
    )


def angka_kredit(
    predikat: str | None, jenis: str | None, jenjang: str | None, bulan: int
) -> AngkaKredit | None:
    """The angka kredit of a year: None without a predikat, or for a post that earns none
    (structural, pelaksana, or a jabatan fungsional without its jenjang recorded)."""
    if predikat is None or jenis is None or jenjang is None or (jenis, jenjang) not in KOEFISIEN:
        return None
    coefficient = KOEFISIEN[(jenis, jenjang)]
    persentase = PERSENTASE[predikat]
    nilai = persentase / 100 * coefficient * bulan / MONTHS_IN_YEAR
    return AngkaKredit(
        jenis=jenis,
        jenjang=jenjang,
        predikat=predikat,
        persentase=persentase,
        koefisien=coefficient,
        bulan=bulan,
        nilai=nilai.quantize(PRECISION, rounding=ROUND_HALF_UP),
    )
