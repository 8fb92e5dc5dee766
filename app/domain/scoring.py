"""Predikat kinerja pegawai and the kurva distribusi (PermenPANRB 6/2022, SE MenPANRB 3/2023).

The predikat is always derived from the two ratings by the official matrix; it is never typed
in. The kurva distribusi is a check that yields warnings, not a block: a breach needs a
written justification (DOMAIN.md, Scoring).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.enums import N_

RATINGS = {
    "di_atas": N_("Above expectations"),
    "sesuai": N_("Meets expectations"),
    "di_bawah": N_("Below expectations"),
}

PREDIKAT = {
    "sangat_baik": N_("Very Good"),
    "baik": N_("Good"),
    "butuh_perbaikan": N_("Needs Improvement"),
    "kurang": N_("Poor/Misconduct"),
    "sangat_kurang": N_("Very Poor"),
}

# The kuadran matrix, PermenPANRB 6/2022 lampiran: (rating hasil kerja, rating perilaku).
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("di_atas", "di_bawah"): "kurang",
    ("di_atas", "sesuai"): "baik",
    ("di_atas", "di_atas"): "sangat_baik",
    ("sesuai", "di_bawah"): "kurang",
    ("sesuai", "sesuai"): "baik",
    ("sesuai", "di_atas"): "baik",
    ("di_bawah", "di_bawah"): "sangat_kurang",
    ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_atas"): "butuh_perbaikan",
}


def predikat(rating_hasil_kerja: str, rating_perilaku_kerja: str) -> str:
    """The predikat for a pair of ratings; ValueError for a rating outside RATINGS."""
    try:
        return PREDIKAT_MATRIX[(rating_hasil_kerja, rating_perilaku_kerja)]
    except KeyError:
        raise ValueError(
            f"unknown rating pair {rating_hasil_kerja!r}, {rating_perilaku_kerja!r}"
        ) from None


PREDIKAT_ORGANISASI = {
    "istimewa": N_("Outstanding"),
    "baik": N_("Good"),
    "butuh_perbaikan": N_("Needs Improvement"),
    "kurang": N_("Poor"),
    "sangat_kurang": N_("Very Poor"),
}

# The head of an organisation is rated on the organisation's result: "apabila pimpinan
# organisasi adalah pegawai yang dievaluasi, capaian kinerja satuan organisasi yang dipimpin
# ditetapkan sebagai rating hasil kerja" (SE MenPANRB 3/2023, tahap ketiga; PermenPANRB
# 6/2022). The five predikat organisasi fall on the three ratings: above expectations only
# for Istimewa, as expected for Baik, below for the three that ask for improvement.
RATING_HASIL_KERJA_PIMPINAN: dict[str, str] = {
    "istimewa": "di_atas",
    "baik": "sesuai",
    "butuh_perbaikan": "di_bawah",
    "kurang": "di_bawah",
    "sangat_kurang": "di_bawah",
}


def rating_hasil_kerja_pimpinan(predikat_organisasi: str) -> str:
    """The rating hasil kerja that the predikat organisasi gives the head of the
    organisation; ValueError for a predikat outside PREDIKAT_ORGANISASI."""
    try:
        return RATING_HASIL_KERJA_PIMPINAN[predikat_organisasi]
    except KeyError:
        raise ValueError(f"unknown predikat organisasi {predikat_organisasi!r}") from None


@dataclass(frozen=True)
class KurvaRule:
    """A bound on the share of employees whose predikat is in ``predikat``."""

    predikat: frozenset[str]
    at_least: int | None = None  # percent; compared in integers so 60 of 100 is 60 %
    at_most: int | None = None
    at_least_count: int | None = None
    message: str = ""


def _rule(predikat: set[str], message: str, **bounds: int) -> KurvaRule:
    return KurvaRule(frozenset(predikat), message=message, **bounds)  # type: ignore[arg-type]


# SE MenPANRB 3/2023: the distribution of employee predikat allowed by the predikat kinerja
# organisasi, set by the pimpinan of the organisation above (never by its own head).
KURVA_RULES: dict[str, list[KurvaRule]] = {
    "istimewa": [
        _rule({"sangat_baik"}, N_("At most 70 percent Very Good."), at_most=70),
    ],
    "baik": [
        _rule({"baik"}, N_("At most 70 percent Good."), at_most=70),
        _rule(
            {"butuh_perbaikan", "kurang"},
            N_("At least one Needs Improvement or Poor."),
            at_least_count=1,
        ),
    ],
    "butuh_perbaikan": [
        _rule({"butuh_perbaikan"}, N_("At least 60 percent Needs Improvement."), at_least=60),
        _rule({"sangat_baik"}, N_("At most 10 percent Very Good."), at_most=10),
    ],
    "kurang": [
        _rule({"kurang"}, N_("At least 60 percent Poor/Misconduct."), at_least=60),
        _rule({"butuh_perbaikan"}, N_("At least 10 percent Needs Improvement."), at_least=10),
        _rule({"sangat_baik"}, N_("At most 10 percent Very Good."), at_most=10),
    ],
    "sangat_kurang": [
        _rule({"sangat_kurang"}, N_("At least 60 percent Very Poor."), at_least=60),
        _rule(
            {"kurang", "butuh_perbaikan"},
            N_("At least 10 percent Poor or Needs Improvement."),
            at_least=10,
        ),
        _rule({"sangat_baik"}, N_("No Very Good."), at_most=0),
    ],
}


@dataclass(frozen=True)
class KurvaBreach:
    rule: KurvaRule
    count: int
    total: int

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


def kurva_breaches(predikat_organisasi: str, predikats: Iterable[str]) -> list[KurvaBreach]:
    """The kurva distribusi rules that the employees' predikat break (empty = conforms).

    Shares are compared exactly: 70 of 100 is "at most 70%", 60 of 100 is "at least 60%".
    """
    counts = Counter(predikats)
    total = sum(counts.values())
    breaches = []
    for rule in KURVA_RULES[predikat_organisasi]:
        count = sum(counts[p] for p in rule.predikat)
        broken = (
            (rule.at_most is not None and count * 100 > rule.at_most * total)
            or (rule.at_least is not None and count * 100 < rule.at_least * total)
            or (rule.at_least_count is not None and count < rule.at_least_count)
        )
        if broken and total:
            breaches.append(KurvaBreach(rule, count, total))
    return breaches
