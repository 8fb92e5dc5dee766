"""Capaian: how far a realisasi reaches the target of its indikator, in percent.

PermenPANRB 6/2022 leaves the rating to the pejabat penilai's judgement of the evidence (no
mandatory formula); the capaian shown beside each indikator is that evidence made readable.
For kuantitas and kualitas more is better: realisasi / target × 100. For waktu and biaya less
is better (3 months planned, done in 2; Rp 10 juta budgeted, Rp 8 juta spent):
target / realisasi × 100, capped, because the ratio grows without bound as the realisasi
approaches zero.

A kualitatif indikator may have no numeric target (its target and realisasi are words): it
has no capaian, shown as "—" wherever a capaian is (CONTRACT.md: ``capaian`` null).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from app.domain.enums import N_

# Aspects where a smaller realisasi is the better result.
LOWER_IS_BETTER = frozenset({"waktu", "biaya"})

# The ceiling of a lower-is-better capaian: finishing in no time or at no cost shows as
# twice the target, not as infinity. Higher-is-better capaian are not capped: 24 documents
# against a target of 12 is an honest 200 %.
CAPAIAN_MAKS_TERBALIK = Decimal(200)

RULE_LABEL = {
    True: N_("lower is better: target ÷ realisation × 100"),
    False: N_("realisation ÷ target × 100"),
}

_CENT = Decimal("0.01")


def lower_is_better(aspek: str) -> bool:
    return aspek in LOWER_IS_BETTER


def capaian(
    aspek: str, target: Decimal | int | None, realisasi: Decimal | int | None
) -> Decimal | None:
    """The capaian in percent, rounded to two decimals; None when there is no realisasi
    number yet, or no positive target to measure it against (a target in words only)."""
    if realisasi is None or target is None:
        return None
    target, realisasi = Decimal(target), Decimal(realisasi)
    if target <= 0 or realisasi < 0:
        return None
    if lower_is_better(aspek):
        if realisasi == 0:
            return CAPAIAN_MAKS_TERBALIK
        percent = min(target / realisasi * 100, CAPAIAN_MAKS_TERBALIK)
    else:
        percent = realisasi / target * 100
    return percent.quantize(_CENT, rounding=ROUND_HALF_UP)
