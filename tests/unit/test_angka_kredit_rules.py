"""Angka kredit of a jabatan fungsional (PermenPANRB 1/2023, Peraturan BKN 3/2023): the
predikat percentage × the jenjang's yearly coefficient, pro rata by months in the jenjang."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import angka_kredit as ak
from app.domain.enums import JENJANG_JABATAN
from app.domain.scoring import PREDIKAT

RULES = settings(max_examples=200, deadline=None, database=None)

# DOMAIN.md, Organisation realities → Angka kredit, written out once more as the reader's table.
EXPECTED_PERCENT = {
    "sangat_baik": "150",
    "baik": "100",
    "butuh_perbaikan": "75",
    "kurang": "50",
    "sangat_kurang": "25",
}
EXPECTED_COEFFICIENT = {
    ("fungsional_keahlian", "ahli_pertama"): "12.5",
    ("fungsional_keahlian", "ahli_muda"): "25",
    ("fungsional_keahlian", "ahli_madya"): "37.5",
    ("fungsional_keahlian", "ahli_utama"): "50",
    ("fungsional_keterampilan", "pemula"): "3.75",
    ("fungsional_keterampilan", "terampil"): "5",
    ("fungsional_keterampilan", "mahir"): "12.5",
    ("fungsional_keterampilan", "penyelia"): "25",
}
# Worst to best.
ORDER = ["sangat_kurang", "kurang", "butuh_perbaikan", "baik", "sangat_baik"]
JF = [
    (jenis, jenjang)
    for jenis, levels in JENJANG_JABATAN.items()
    if jenis.startswith("fungsional_")
    for jenjang in levels
]


def test_every_predikat_has_a_percentage():
    assert set(ak.PERSENTASE) == set(PREDIKAT) == set(ORDER)


def test_every_jenjang_of_a_jabatan_fungsional_has_a_coefficient():
    assert set(ak.KOEFISIEN) == set(JF) == set(EXPECTED_COEFFICIENT)


@pytest.mark.parametrize("jenjang", sorted(EXPECTED_COEFFICIENT))
@pytest.mark.parametrize("predikat", ORDER)
def test_a_full_year_earns_percentage_times_coefficient(predikat, jenjang):
    earned = ak.angka_kredit(predikat, *jenjang, 12)
    expected = Decimal(EXPECTED_PERCENT[predikat]) * Decimal(EXPECTED_COEFFICIENT[jenjang]) / 100
    assert earned is not None
    assert earned.persentase == Decimal(EXPECTED_PERCENT[predikat])
    assert earned.koefisien == Decimal(EXPECTED_COEFFICIENT[jenjang])
    assert earned.bulan == 12
    assert earned.nilai == expected.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def test_pemula_rated_very_good_earns_5_625():
    earned = ak.angka_kredit("sangat_baik", "fungsional_keterampilan", "pemula", 12)
    assert earned is not None and earned.nilai == Decimal("5.625")


def test_months_are_pro_rata_and_rounded_to_three_decimals():
    # 100 % of 12.5 for 7 months = 7.291666… → 7.292
    earned = ak.angka_kredit("baik", "fungsional_keahlian", "ahli_pertama", 7)
    assert earned is not None and earned.nilai == Decimal("7.292")
    # 75 % of 3.75 for 1 month = 0.234375 → 0.234
    earned = ak.angka_kredit("butuh_perbaikan", "fungsional_keterampilan", "pemula", 1)
    assert earned is not None and earned.nilai == Decimal("0.234")


@pytest.mark.parametrize(
    "jenis, jenjang",
    [
        ("pelaksana", None),
        ("administrator", None),
        ("jpt", "pratama"),
        ("fungsional_keahlian", None),
        (None, None),
    ],
)
def test_a_post_without_a_jf_jenjang_earns_nothing(jenis, jenjang):
    assert ak.angka_kredit("sangat_baik", jenis, jenjang, 12) is None


def test_no_predikat_earns_nothing():
    assert ak.angka_kredit(None, "fungsional_keahlian", "ahli_muda", 12) is None


def test_without_moves_the_whole_year_counts():
    assert ak.months_in(2025, "guru", "guru", []) == 12


def test_a_move_on_the_first_of_a_month_splits_the_year_there():
    moves = [ak.Move(dt.date(2025, 4, 1), "pelaksana", "guru")]
    assert ak.months_in(2025, "guru", "guru", moves) == 9
    assert ak.months_in(2025, "pelaksana", "guru", moves) == 3
    assert ak.held_on(dt.date(2025, 12, 31), "guru", moves) == "guru"


def test_a_mid_month_move_leaves_the_month_to_the_old_post():
    moves = [ak.Move(dt.date(2025, 4, 15), "pelaksana", "guru")]
    assert ak.months_in(2025, "guru", "guru", moves) == 8


def test_a_move_after_the_year_tells_which_post_was_held_in_it():
    moves = [ak.Move(dt.date(2026, 2, 1), "guru", "kepala_sekolah")]
    assert ak.held_on(dt.date(2025, 12, 31), "kepala_sekolah", moves) == "guru"
    assert ak.months_in(2025, "guru", "kepala_sekolah", moves) == 12


def test_months_away_and_back_in_the_same_jenjang_add_up():
    moves = [
        ak.Move(dt.date(2025, 3, 1), "ahli_muda", "pelaksana"),
        ak.Move(dt.date(2025, 6, 1), "pelaksana", "ahli_muda"),
    ]
    assert ak.months_in(2025, "ahli_muda", "ahli_muda", moves) == 9


@RULES
@given(
    st.sampled_from(JF),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=len(ORDER) - 2),
)
def test_a_better_predikat_never_earns_less(jenjang, bulan, worse):
    lower = ak.angka_kredit(ORDER[worse], *jenjang, bulan)
    higher = ak.angka_kredit(ORDER[worse + 1], *jenjang, bulan)
    assert lower is not None and higher is not None
    assert lower.nilai < higher.nilai


@RULES
@given(
    st.sampled_from(JF),
    st.sampled_from(ORDER),
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=12), st.booleans()),
        max_size=6,
        unique_by=lambda m: m[0],
    ),
)
def test_months_in_and_out_of_a_post_make_the_year(jenjang, predikat, changes):
    moves = [ak.Move(dt.date(2025, month, 1), not into, into) for month, into in sorted(changes)]
    inside = ak.months_in(2025, True, True, moves)
    outside = ak.months_in(2025, False, True, moves)
    assert inside + outside == 12
    earned = ak.angka_kredit(predikat, *jenjang, inside)
    full = ak.angka_kredit(predikat, *jenjang, 12)
    assert earned is not None and full is not None
    assert Decimal(0) <= earned.nilai <= full.nilai
