"""Capaian per indikator: realisasi ÷ target where more is better, target ÷ realisasi (capped)
where less is better (waktu, biaya)."""

from decimal import Decimal

import pytest

from app.domain.capaian import CAPAIAN_MAKS_TERBALIK, capaian, lower_is_better


@pytest.mark.parametrize(
    ("aspek", "target", "realisasi", "expected"),
    [
        ("kuantitas", 12, 6, "50.00"),
        ("kuantitas", 12, 12, "100.00"),
        ("kuantitas", 12, 24, "200.00"),  # more than planned is shown as it is
        ("kualitas", 100, Decimal("87.5"), "87.50"),
        ("kuantitas", 3, 1, "33.33"),
        ("kuantitas", 3, 2, "66.67"),  # rounded half up to two decimals
        ("kuantitas", 12, 0, "0.00"),
    ],
)
def test_more_is_better_is_realisasi_over_target(aspek, target, realisasi, expected):
    assert capaian(aspek, Decimal(target), realisasi) == Decimal(expected)


@pytest.mark.parametrize(
    ("aspek", "target", "realisasi", "expected"),
    [
        ("waktu", 3, 3, "100.00"),
        ("waktu", 3, 2, "150.00"),  # done a month early
        ("waktu", 3, 6, "50.00"),  # took twice as long
        ("biaya", 10_000_000, 8_000_000, "125.00"),
        ("biaya", 10_000_000, 12_500_000, "80.00"),
    ],
)
def test_less_is_better_is_target_over_realisasi(aspek, target, realisasi, expected):
    assert capaian(aspek, Decimal(target), Decimal(realisasi)) == Decimal(expected)


@pytest.mark.parametrize("realisasi", [0, Decimal("0.01"), 1])
def test_less_is_better_is_capped(realisasi):
    assert capaian("waktu", Decimal(12), realisasi) == CAPAIAN_MAKS_TERBALIK
    assert capaian("biaya", Decimal(1000), realisasi) == CAPAIAN_MAKS_TERBALIK


def test_no_realisasi_or_no_target_has_no_capaian():
    assert capaian("kuantitas", Decimal(12), None) is None
    assert capaian("kuantitas", Decimal(0), Decimal(5)) is None
    assert capaian("waktu", Decimal(3), Decimal(-1)) is None


def test_only_waktu_and_biaya_are_lower_is_better():
    assert [a for a in ("kuantitas", "kualitas", "waktu", "biaya") if lower_is_better(a)] == [
        "waktu",
        "biaya",
    ]


def test_an_indikator_whose_target_is_words_only_has_no_capaian():
    assert capaian("kualitas", None, Decimal(1)) is None
    assert capaian("waktu", None, None) is None
