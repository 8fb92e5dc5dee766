"""decimal_text writes a number exactly as Babel's format_decimal does with the patterns the
pages use, in Indonesian and English (it replaces it where a page writes hundreds)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from app.formatting import decimal_text

# (most, least) → the Babel pattern it stands for
PATTERNS = {
    (0, 0): "#,##0",
    (1, 0): "#,##0.#",
    (1, 1): "#,##0.0",
    (3, 0): "#,##0.###",
    (4, 0): "#,##0.####",
}

numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=5),
)


@given(value=numbers)
@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize(("most", "least"), list(PATTERNS))
def test_as_babel_writes_it(value, locale: str, most: int, least: int) -> None:  # noqa: ANN001
    expected = format_decimal(value, PATTERNS[(most, least)], locale=locale)
    assert decimal_text(value, most, least, locale) == expected


@pytest.mark.parametrize(
    ("value", "most", "least", "written"),
    [
        (1234567.891, 1, 0, "1.234.567,9"),
        (0.15, 1, 0, "0,2"),  # half to even on the decimal written, not the binary float
        (2.25, 1, 0, "2,2"),
        (12.0, 1, 0, "12"),
        (12, 1, 1, "12,0"),
        (Decimal("7.2920"), 3, 0, "7,292"),
    ],
)
def test_indonesian_examples(value, most: int, least: int, written: str) -> None:  # noqa: ANN001
    assert decimal_text(value, most, least, "id") == written
