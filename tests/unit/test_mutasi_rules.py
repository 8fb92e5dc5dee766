"""The rules of a mutasi on dates alone (app.domain.mutasi): which evaluations the SKP of the
post left keeps, which the SKP of the new post makes, and which transfer dates are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain import mutasi as rules
from app.domain.errors import DomainError

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
QUARTERS = {
    "tw1": dt.date(2026, 3, 31),
    "tw2": dt.date(2026, 6, 30),
    "tw3": dt.date(2026, 9, 30),
    "tw4": dt.date(2026, 12, 31),
    "tahunan": dt.date(2026, 12, 31),
}
MOVE = dt.date(2026, 8, 15)


def kept(statuses: dict[str, str], tanggal: dt.date = MOVE) -> set[str]:
    return {
        jenis
        for jenis, status in statuses.items()
        if rules.stays_with_old_post(status, QUARTERS[jenis], tanggal)
    }


def test_periods_that_ended_before_the_move_stay_even_when_not_yet_evaluated():
    statuses = dict.fromkeys(QUARTERS, "belum_dinilai")
    assert kept(statuses) == {"tw1", "tw2"}


def test_the_period_of_the_move_and_the_later_ones_and_the_annual_one_are_withdrawn():
    statuses = dict.fromkeys(QUARTERS, "belum_dinilai")
    assert set(QUARTERS) - kept(statuses) == {"tw3", "tw4", "tahunan"}


@pytest.mark.parametrize("status", ["diajukan", "dinilai", "diterima", "keberatan", "final"])
def test_an_evaluation_under_way_is_never_withdrawn(status):
    statuses = {**dict.fromkeys(QUARTERS, "belum_dinilai"), "tw3": status, "tahunan": status}
    assert kept(statuses) == {"tw1", "tw2", "tw3", "tahunan"}


def test_a_move_on_the_day_after_a_period_ends_keeps_that_period():
    statuses = dict.fromkeys(QUARTERS, "belum_dinilai")
    assert kept(statuses, dt.date(2026, 7, 1)) == {"tw1", "tw2"}
    assert kept(statuses, dt.date(2026, 6, 30)) == {"tw1"}


def test_the_new_skp_evaluates_exactly_the_periods_the_old_one_gave_up():
    statuses = dict.fromkeys(QUARTERS, "belum_dinilai")
    made_new = {jenis for jenis, end in QUARTERS.items() if rules.evaluated_by(MOVE, end)}
    assert made_new == set(QUARTERS) - kept(statuses)


def test_an_skp_of_the_whole_year_evaluates_every_period():
    assert all(rules.evaluated_by(None, end) for end in QUARTERS.values())


def test_the_old_skp_ends_the_day_before_the_move_and_names_it_back():
    assert rules.last_day_before(dt.date(2026, 3, 1)) == dt.date(2026, 2, 28)
    assert rules.day_after(rules.last_day_before(MOVE)) == MOVE


@pytest.mark.parametrize(
    "value", ["2026-08-15", " 2026-08-15 ", dt.date(2026, 8, 15), dt.datetime(2026, 8, 15, 9)]
)
def test_the_date_is_read_from_iso_text_or_a_date(value):
    assert rules.parse_tanggal(value) == MOVE


@pytest.mark.parametrize("value", [None, "", "15-08-2026", "2026-02-30", "kemarin", 20260815, []])
def test_a_missing_or_malformed_date_is_refused_on_its_field(value):
    with pytest.raises(DomainError) as refused:
        rules.parse_tanggal(value)
    assert refused.value.field == "tanggal"


@pytest.mark.parametrize(
    ("tanggal", "previous"),
    [
        (dt.date(2025, 12, 31), None),  # before the active year
        (dt.date(2027, 1, 1), None),  # after it
        (dt.date(2026, 9, 2), None),  # not in force yet (today is 1 September)
        (dt.date(2026, 5, 1), dt.date(2026, 5, 1)),  # on the previous move
        (dt.date(2026, 4, 30), dt.date(2026, 5, 1)),  # before it
    ],
)
def test_a_date_outside_the_year_ahead_of_today_or_before_the_last_move_is_refused(
    tanggal, previous
):
    with pytest.raises(DomainError) as refused:
        rules.check_tanggal(tanggal, *YEAR, dt.date(2026, 9, 1), previous)
    assert refused.value.field == "tanggal"


@pytest.mark.parametrize("tanggal", [dt.date(2026, 1, 1), dt.date(2026, 9, 1)])
def test_a_date_of_the_active_year_up_to_today_is_accepted(tanggal):
    rules.check_tanggal(tanggal, *YEAR, dt.date(2026, 9, 1), dt.date(2025, 11, 1))


def test_a_transfer_must_change_the_post():
    post = rules.Post(1, 2, 3)
    with pytest.raises(DomainError) as refused:
        rules.check_changes(post, rules.Post(1, 2, 3))
    assert refused.value.field == "unit_kerja_id"
    for other in (rules.Post(9, 2, 3), rules.Post(1, 9, 3), rules.Post(1, 2, 9)):
        rules.check_changes(post, other)
