"""The predikat matrix (9 cells) and the kurva distribusi rules at their boundaries."""

import pytest

from app.domain.scoring import (
    PREDIKAT_ORGANISASI,
    RATING_HASIL_KERJA_PIMPINAN,
    RATINGS,
    kurva_breaches,
    predikat,
    rating_hasil_kerja_pimpinan,
)

MATRIX = [
    ("di_atas", "di_bawah", "kurang"),
    ("di_atas", "sesuai", "baik"),
    ("di_atas", "di_atas", "sangat_baik"),
    ("sesuai", "di_bawah", "kurang"),
    ("sesuai", "sesuai", "baik"),
    ("sesuai", "di_atas", "baik"),
    ("di_bawah", "di_bawah", "sangat_kurang"),
    ("di_bawah", "sesuai", "butuh_perbaikan"),
    ("di_bawah", "di_atas", "butuh_perbaikan"),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX)
def test_predikat_follows_the_official_matrix(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) == expected


def test_unknown_rating_is_refused():
    with pytest.raises(ValueError):
        predikat("luar_biasa", "sesuai")


def spread(**counts):
    return [p for p, n in counts.items() for _ in range(n)]


def test_istimewa_allows_exactly_70_percent_sangat_baik():
    assert kurva_breaches("istimewa", spread(sangat_baik=7, baik=3)) == []
    assert len(kurva_breaches("istimewa", spread(sangat_baik=71, baik=29))) == 1


def test_baik_needs_at_most_70_percent_baik_and_one_weak_performer():
    assert kurva_breaches("baik", spread(baik=70, sangat_baik=29, butuh_perbaikan=1)) == []
    breaches = kurva_breaches("baik", spread(baik=71, sangat_baik=29))
    assert len(breaches) == 2


def test_butuh_perbaikan_boundaries_60_and_10_percent():
    assert kurva_breaches("butuh_perbaikan", spread(butuh_perbaikan=6, sangat_baik=1, baik=3)) == []
    assert kurva_breaches("butuh_perbaikan", spread(butuh_perbaikan=59, baik=41))
    assert kurva_breaches("butuh_perbaikan", spread(butuh_perbaikan=60, sangat_baik=11, baik=29))


def test_kurang_boundaries_are_exact_with_thirty_people():
    # 3 of 30 is exactly 10 %: a float comparison would wrongly call it a breach.
    assert (
        kurva_breaches("kurang", spread(kurang=18, butuh_perbaikan=3, sangat_baik=3, baik=6)) == []
    )
    assert kurva_breaches("kurang", spread(kurang=18, butuh_perbaikan=2, baik=10))


def test_sangat_kurang_allows_no_sangat_baik():
    ok = spread(sangat_kurang=6, kurang=1, butuh_perbaikan=1, baik=2)
    assert kurva_breaches("sangat_kurang", ok) == []
    assert kurva_breaches("sangat_kurang", ok + ["sangat_baik"])


def test_an_empty_unit_breaks_no_rule():
    assert kurva_breaches("baik", []) == []


# SE MenPANRB 3/2023: the head of an organisation is rated on the organisation's result.
@pytest.mark.parametrize(
    ("organisasi", "rating"),
    [
        ("istimewa", "di_atas"),
        ("baik", "sesuai"),
        ("butuh_perbaikan", "di_bawah"),
        ("kurang", "di_bawah"),
        ("sangat_kurang", "di_bawah"),
    ],
)
def test_predikat_organisasi_gives_the_rating_hasil_kerja_of_its_head(organisasi, rating):
    assert rating_hasil_kerja_pimpinan(organisasi) == rating


def test_every_predikat_organisasi_gives_a_known_rating():
    assert set(RATING_HASIL_KERJA_PIMPINAN) == set(PREDIKAT_ORGANISASI)
    assert set(RATING_HASIL_KERJA_PIMPINAN.values()) <= set(RATINGS)


def test_an_unknown_predikat_organisasi_gives_no_rating():
    with pytest.raises(ValueError):
        rating_hasil_kerja_pimpinan("luar_biasa")
