"""Indonesian presentation of dates and times (Jinja filters)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import format_date, format_datetime


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


def register(app: Flask) -> None:
    app.jinja_env.filters["tanggal"] = tanggal
    app.jinja_env.filters["waktu"] = waktu
