"""The SKP monitoring list as .xlsx, for BKPSDM and pimpinan OPD to filter, follow up and print.

Rows are streamed into a constant-memory workbook (app.reports.workbook), so memory stays flat
whatever the size of the list (ARCHITECTURE.md rule 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from flask_babel import gettext

from app.domain.enums import N_
from app.reports.workbook import (
    MOMENT,
    NUMBER,
    Column,
    Formats,
    Heading,
    Table,
    open_workbook,
)
from app.services.monitoring import STATUSES, WAITS_ON_PEGAWAI, WAITS_ON_PENILAI, PegawaiRow

__all__ = ["COLUMNS", "Heading", "write_monitoring"]

COLUMNS = (
    Column(N_("No."), 6, NUMBER),
    Column(N_("NIP"), 21),
    Column(N_("Name"), 34),
    Column(N_("Work unit"), 34),
    Column(N_("SKP status"), 16),
    Column(N_("Waiting on"), 34),
    Column(N_("NIP of the appraising official"), 21),
    Column(N_("Since"), 18, MOMENT),
    Column(N_("Days waiting"), 10, NUMBER),
)


def write_monitoring(
    target: str | IO[bytes], heading: Heading, rows: Iterable[PegawaiRow], tz: dt.tzinfo
) -> int:
    """Write the list to ``target`` and return the number of pegawai rows written."""
    book = open_workbook(target)
    table = Table(book, Formats(book), gettext("SKP Monitoring"), heading, COLUMNS)
    own_action = gettext("The employee")
    for count, item in enumerate(rows, start=1):
        if item.waits_on == WAITS_ON_PENILAI:
            waiting, penilai_nip = item.penilai_nama or "", item.penilai_nip or ""
        else:
            waiting = own_action if item.waits_on == WAITS_ON_PEGAWAI else ""
            penilai_nip = None
        sejak = None
        if item.sejak is not None:
            sejak = item.sejak.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)
        table.add(
            (
                count,
                item.nip,
                item.nama,
                item.unit,
                gettext(STATUSES[item.status]),
                waiting,
                penilai_nip,
                sejak,
                item.hari,
            )
        )
    count = table.finish()
    book.close()
    return count
