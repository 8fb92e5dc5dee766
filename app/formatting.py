"""Indonesian presentation of dates, times, SKP targets and figures (Jinja filters)."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask
from flask_babel import format_date, format_datetime, get_locale, get_timezone


def local_today() -> dt.date:
    """Today where the users are (the app's timezone, WIB), not on the server's clock."""
    return dt.datetime.now(ZoneInfo(str(get_timezone()))).date()


def tanggal(value: dt.date | None) -> str:
    """A date as "29 November 2026" in the active locale."""
    if value is None:
        return ""
    return format_date(value, "d MMMM y")


def waktu(value: dt.datetime | None) -> str:
    """A stored UTC datetime shown in Asia/Jakarta: "29 November 2026 14:05 WIB"."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value, "d MMMM y HH.mm") + " WIB"


@functools.cache
def _separators(locale: str) -> dict[int, str]:
    """The locale's grouping and decimal marks, as a translation of Python's "," and "."."""
    return {ord(","): get_group_symbol(locale), ord("."): get_decimal_symbol(locale)}


def decimal_text(
    value: float | Decimal | int, most: int, least: int = 0, locale: str | None = None
) -> str:
    """A number as Babel's ``format_decimal`` writes it with the pattern "#,##0." followed
    by ``least`` zeros and ``most - least`` hashes (rounded half to even, digits grouped by
    the locale), at a tenth of its cost: Babel parses the pattern and looks the locale up at
    every call, and the dashboard of the whole city writes some 300 numbers (5 of its
    28 ms at 100,000 pegawai). ``locale``: the active one unless given."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_EVEN)
    text = f"{rounded:,f}"
    if most > least and "." in text:
        whole, fraction = text.split(".")
        fraction = fraction[:least] + fraction[least:].rstrip("0")
        text = f"{whole}.{fraction}" if fraction else whole
    return text.translate(_separators(locale or str(get_locale())))


def target(indikator: Any) -> str:
    """An indikator's target as the SKP prints it: "12 dokumen", the target in words (a
    kualitatif SKP), or both ("12 dokumen — laporan tersusun sesuai standar")."""
    parts = []
    if indikator.target is not None:
        # As the reader writes numbers: "85,5" in Indonesian, however it was typed.
        number = decimal_text(indikator.target, 4)
        parts.append(f"{number} {indikator.satuan or ''}".strip())
    if indikator.target_uraian:
        parts.append(indikator.target_uraian)
    return " — ".join(parts) or "—"


def angka(value: Decimal | None) -> str:
    """A figure such as an angka kredit in the reader's notation ("7,292" in Indonesian), with
    the three decimals BKN publishes and no trailing zeros."""
    if value is None:
        return ""
    return decimal_text(value, 3)


def persen(value: float | Decimal | None) -> str:
    """A share in percent with one decimal, in the reader's notation ("33,3" in Indonesian);
    the "%" sign is the column's or the text's."""
    if value is None:
        return ""
    return decimal_text(value, 1, 1)


def register(app: Flask) -> None:
    app.jinja_env.filters["tanggal"] = tanggal
    app.jinja_env.filters["waktu"] = waktu
    app.jinja_env.filters["target"] = target
    app.jinja_env.filters["angka"] = angka
    app.jinja_env.filters["persen"] = persen
