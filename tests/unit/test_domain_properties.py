"""Properties of the rules, over generated inputs (Hypothesis): NIP, targets and capaian,
period dates, ratings → predikat. Each says what holds for every input, not for one example.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import capaian, periode, scoring
from app.domain.errors import DomainError, InvalidNip
from app.domain.nip import check_consistency, parse_nip
from tests.unit.test_nip import TODAY, pns_nips

RULES = settings(max_examples=200, deadline=None, database=None)

# --- NIP -----------------------------------------------------------------------------------


@RULES
@given(pns_nips(), st.lists(st.integers(min_value=0, max_value=18), max_size=4))
def test_spaces_anywhere_in_a_nip_change_nothing(case, cuts):
    raw = case[0]
    spaced = raw
    for cut in sorted(set(cuts), reverse=True):
        spaced = spaced[:cut] + " " + spaced[cut:]
    assert parse_nip(spaced, today=TODAY) == parse_nip(raw, today=TODAY)


@RULES
@given(pns_nips(), st.dates(min_value=date(1900, 1, 1), max_value=TODAY), st.sampled_from("12"))
def test_a_birth_date_and_gender_agree_with_the_nip_exactly_when_they_are_its_own(
    case, lahir, gender
):
    nip = parse_nip(case[0], today=TODAY)
    agrees = lahir == nip.tanggal_lahir and gender == nip.jenis_kelamin
    try:
        check_consistency(nip, lahir, gender)
    except InvalidNip:
        assert not agrees
    else:
        assert agrees


@RULES
@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_a_pns_nip_parses_exactly_when_its_parts_are_valid(raw):
    """Any 18 digits: accepted as PNS iff birth date, TMT, gender and sequence are valid."""
    lahir_ok = _valid_date(raw[0:4], raw[4:6], raw[6:8])
    tmt_ok = _valid_date(raw[8:12], raw[12:14], "01")
    valid = (
        lahir_ok is not None
        and lahir_ok.year >= 1900
        and lahir_ok <= TODAY
        and tmt_ok is not None
        and tmt_ok >= date(lahir_ok.year + 18, lahir_ok.month, 1)
        and tmt_ok <= date(TODAY.year + 1, 12, 31)
        and raw[14] in "12"
        and raw[15:] != "000"
    )
    try:
        parse_nip(raw, today=TODAY)
    except InvalidNip:
        assert not valid
    else:
        assert valid


def _valid_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


# --- targets and capaian -------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(min_value=-(10**14), max_value=10**14),
    st.decimals(allow_nan=True, allow_infinity=True, places=3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet="0123456789,.-eE ", max_size=12),
)


@RULES
@given(NUMBERS)
def test_a_target_is_accepted_exactly_when_it_is_a_number_above_zero_that_fits(value):
    """skp.parse_target, the rule of the pages and the API: as stored (two decimals) > 0 and
    < 10**12, finite."""
    from app.services.skp import parse_target

    try:
        number = Decimal(str(value).strip().replace(",", "."))
        valid = number.is_finite() and Decimal(0) < number < Decimal("1e12")
        if valid:
            number = number.quantize(Decimal("0.01"))
            valid = Decimal(0) < number < Decimal("1e12")
    except ArithmeticError:
        valid = False
    try:
        parsed = parse_target(value)
    except DomainError as error:
        assert not valid
        assert error.field == "target"
    else:
        assert valid
        assert parsed == number


TARGETS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e6"), places=2)
REALISASI = st.decimals(min_value=Decimal(0), max_value=Decimal("1e6"), places=2)
ASPEK = st.sampled_from(["kuantitas", "kualitas", "waktu", "biaya"])


@RULES
@given(ASPEK, TARGETS, REALISASI, REALISASI)
def test_capaian_moves_with_the_realisasi_the_right_way(aspek, target, a, b):
    low, high = sorted((a, b))
    at_low, at_high = capaian.capaian(aspek, target, low), capaian.capaian(aspek, target, high)
    if capaian.lower_is_better(aspek):
        assert at_low >= at_high
        assert at_high <= capaian.CAPAIAN_MAKS_TERBALIK
    else:
        assert at_low <= at_high


@RULES
@given(ASPEK, TARGETS)
def test_capaian_of_the_target_itself_is_100(aspek, target):
    assert capaian.capaian(aspek, target, target) == Decimal("100.00")


@RULES
@given(ASPEK, st.decimals(max_value=Decimal(0), allow_nan=False), REALISASI)
def test_capaian_needs_a_positive_target_and_a_realisasi(aspek, target, realisasi):
    assert capaian.capaian(aspek, target, realisasi) is None
    assert capaian.capaian(aspek, Decimal(1), None) is None


# --- period dates ------------------------------------------------------------------------------


@RULES
@given(st.integers(min_value=1900, max_value=2999), st.sampled_from(sorted(periode.RITME)))
def test_the_periods_of_a_year_cover_it_day_by_day(tahun, ritme):
    days = periode.calendar_of(tahun, ritme)
    assert [jenis for jenis, _, _ in days] == list(periode.periodic_jenis(ritme))
    assert days[0][1] == date(tahun, 1, 1)
    assert days[-1][2] == date(tahun, 12, 31)
    for (_, start, end), (_, following, _) in zip(days, days[1:], strict=False):
        assert start <= end
        assert following == end + timedelta(days=1)


@RULES
@given(
    st.integers(min_value=1990, max_value=2100),
    st.dates(min_value=date(1989, 1, 1), max_value=date(2101, 12, 31)),
    st.dates(min_value=date(1989, 1, 1), max_value=date(2101, 12, 31)),
)
def test_a_periode_is_accepted_exactly_when_it_lies_in_its_year_and_does_not_end_before_it_starts(
    tahun, mulai, selesai
):
    from app.services.periode import check_periode

    valid = mulai <= selesai and mulai.year == tahun == selesai.year
    candidate = SimpleNamespace(
        tahun=tahun,
        tanggal_mulai=mulai,
        tanggal_selesai=selesai,
        batas_realisasi=None,
        batas_penilaian=None,
    )
    try:
        check_periode(candidate)
    except DomainError:
        assert not valid
    else:
        assert valid


# --- ratings and predikat ------------------------------------------------------------------------

RATINGS = st.sampled_from(sorted(scoring.RATINGS))
# PP 30/2019: Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang, best first.
RANK = {"sangat_baik": 5, "baik": 4, "butuh_perbaikan": 3, "kurang": 2, "sangat_kurang": 1}
STEP = {"di_bawah": 0, "sesuai": 1, "di_atas": 2}


@RULES
@given(RATINGS, RATINGS)
def test_every_pair_of_ratings_has_a_predikat(hasil, perilaku):
    assert scoring.predikat(hasil, perilaku) in scoring.PREDIKAT


@RULES
@given(RATINGS, RATINGS, RATINGS, RATINGS)
def test_a_better_rating_never_gives_a_worse_predikat(hasil, perilaku, hasil2, perilaku2):
    if STEP[hasil2] >= STEP[hasil] and STEP[perilaku2] >= STEP[perilaku]:
        better = RANK[scoring.predikat(hasil2, perilaku2)]
        assert better >= RANK[scoring.predikat(hasil, perilaku)]


@RULES
@given(st.one_of(st.text(max_size=12), RATINGS), st.one_of(st.text(max_size=12), RATINGS))
def test_a_rating_outside_the_three_has_no_predikat(hasil, perilaku):
    if hasil in scoring.RATINGS and perilaku in scoring.RATINGS:
        return
    with pytest.raises(ValueError):
        scoring.predikat(hasil, perilaku)
