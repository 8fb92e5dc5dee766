"""Indonesian presentation of dates, times, SKP targets and figures (Jinja filters)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_timezone


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


def target(indikator: Any) -> str:
    """An indikator's target as the SKP prints it: "12 dokumen", the target in words (a
    kualitatif SKP), or both ("12 dokumen — laporan tersusun sesuai standar")."""
    parts = []
    if indikator.target is not None:
        # As the reader writes numbers: "85,5" in Indonesian, however it was typed.
        number = format_decimal(indikator.target, "#,##0.####")
        parts.append(f"{number} {indikator.satuan or ''}".strip())
    if indikator.target_uraian:
        parts.append(indikator.target_uraian)
    return " — ".join(parts) or "—"


def angka(value: Decimal | None) -> str:
    """A figure such as an angka kredit in the reader's notation ("7,292" in Indonesian), with
    the three decimals BKN publishes and no trailing zeros."""
    if value is None:
        return ""
    return format_decimal(value, "#,##0.###")


def persen(value: float | Decimal | None) -> str:
    """A share in percent with one decimal, in the reader's notation ("33,3" in Indonesian);
    the "%" sign is the column's or the text's."""
    if value is None:
        return ""
    return format_decimal(value, "#,##0.0")


def register(app: Flask) -> None:
    app.jinja_env.filters["tanggal"] = tanggal
    app.jinja_env.filters["waktu"] = waktu
    app.jinja_env.filters["target"] = target
    app.jinja_env.filters["angka"] = angka
    app.jinja_env.filters["persen"] = persen
