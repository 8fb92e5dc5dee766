"""The distribution the kurva page shows (app.services.kurva.distribusi): counts per predikat,
the not-yet-rated apart, and each rule line of the predikat organisasi with its verdict taken
from app.domain.scoring.kurva_breaches."""

from __future__ import annotations

import pytest

from app.domain.scoring import KURVA_RULES, PREDIKAT, kurva_breaches
from app.services.kurva import distribusi, rule_key, rules_data


def spread(**counts: int) -> list[str]:
    return [p for p, n in counts.items() for _ in range(n)]


def test_counts_every_predikat_in_order_and_the_not_rated_apart():
    result = distribusi(None, spread(baik=2, kurang=1) + [None, None])
    assert list(result.counts) == list(PREDIKAT)
    assert result.counts == {
        "sangat_baik": 0,
        "baik": 2,
        "butuh_perbaikan": 0,
        "kurang": 1,
        "sangat_kurang": 0,
    }
    assert (result.total, result.belum_dinilai) == (3, 2)


def test_shares_are_of_the_rated_only():
    result = distribusi(None, spread(baik=1, kurang=3) + [None])
    assert result.persen("kurang") == 75.0
    assert distribusi(None, [None]).persen("baik") == 0.0


def test_without_a_predikat_organisasi_no_rule_applies():
    result = distribusi(None, spread(sangat_baik=10))
    assert result.aturan == [] and result.breaches == []


@pytest.mark.parametrize("organisasi", list(KURVA_RULES))
def test_rule_lines_follow_kurva_breaches(organisasi):
    predikats = spread(sangat_baik=3, baik=4, butuh_perbaikan=1, kurang=1, sangat_kurang=1)
    result = distribusi(organisasi, predikats)
    assert [line.message for line in result.aturan] == [
        rule.message for rule in KURVA_RULES[organisasi]
    ]
    assert [line.message for line in result.breaches] == [
        breach.rule.message for breach in kurva_breaches(organisasi, predikats)
    ]


def test_baik_line_counts_both_weak_predikat():
    result = distribusi("baik", spread(baik=7, butuh_perbaikan=2, kurang=1))
    line = result.aturan[1]
    assert (line.key, line.count, line.total, line.breached) == (
        "baik:butuh_perbaikan+kurang:at_least_count=1",
        3,
        10,
        False,
    )
    assert result.aturan[0].breached is False  # exactly 70 %


def test_an_empty_distribution_breaks_nothing():
    assert distribusi("sangat_kurang", [None, None]).breaches == []


def test_every_rule_has_its_own_key():
    keys = [rule_key(org, rule) for org, rules in KURVA_RULES.items() for rule in rules]
    assert len(keys) == len(set(keys))


def test_rules_data_carries_every_bound():
    data = rules_data()
    assert data["kurang"][1] == {
        "key": "kurang:butuh_perbaikan:at_least=10",
        "message": KURVA_RULES["kurang"][1].message,
        "predikat": ["butuh_perbaikan"],
        "at_least": 10,
        "at_most": None,
        "at_least_count": None,
    }
    assert data["sangat_kurang"][2]["at_most"] == 0
