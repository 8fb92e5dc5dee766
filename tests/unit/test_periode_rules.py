"""The rhythm of the periodic evaluation and the calendar it gives a year."""

from datetime import date, timedelta

import pytest

from app.domain import periode as rules


@pytest.mark.parametrize(("ritme", "count"), [("triwulan", 4), ("bulanan", 12)])
@pytest.mark.parametrize("tahun", [2026, 2028])  # 2028 is a leap year
def test_the_periods_of_a_rhythm_cover_the_year_without_gap_or_overlap(ritme, count, tahun):
    periods = rules.calendar_of(tahun, ritme)
    assert len(periods) == count
    assert periods[0][1] == date(tahun, 1, 1)
    assert periods[-1][2] == date(tahun, 12, 31)
    for (_, _, end), (_, start, _) in zip(periods, periods[1:], strict=False):
        assert start == end + timedelta(days=1)


def test_february_of_a_leap_year_ends_on_the_29th():
    jenis, start, end = rules.calendar_of(2028, "bulanan")[1]
    assert (jenis, start, end) == ("bulan_02", date(2028, 2, 1), date(2028, 2, 29))


def test_quarters_are_the_default_and_the_annual_evaluation_comes_last():
    assert rules.evaluation_jenis(None) == ("tw1", "tw2", "tw3", "tw4", "tahunan")
    assert rules.evaluation_jenis("bulanan")[-1] == "tahunan"
    assert len(rules.evaluation_jenis("bulanan")) == 13


@pytest.mark.parametrize("ritme", ["triwulan", "bulanan"])
def test_a_year_is_offered_annual_first_then_its_periods_in_calendar_order(ritme):
    periodic = list(rules.periodic_jenis(ritme))
    shuffled = sorted([*periodic, rules.ANNUAL], reverse=True)  # "tw4" … "bulan_01" … "tahunan"
    assert sorted(shuffled, key=rules.urutan) == [rules.ANNUAL, *periodic]


def test_monthly_periods_keep_the_calendar_not_the_alphabet():
    assert rules.urutan("bulan_12") > rules.urutan("bulan_02") > rules.urutan(rules.ANNUAL)
    assert rules.urutan("semester_1") > rules.urutan("bulan_12")  # unknown jenis last
