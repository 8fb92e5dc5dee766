"""The SKP monitoring list as .xlsx, for BKPSDM and pimpinan OPD to filter, follow up and print.

Rows are streamed (xlsxwriter ``constant_memory``: each row goes to disk as soon as the next
one starts), so memory stays flat whatever the size of the list (ARCHITECTURE.md rule 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import xlsxwriter
from flask_babel import gettext

from app.domain.enums import N_
from app.services.monitoring import STATUSES, WAITS_ON_PEGAWAI, WAITS_ON_PENILAI, PegawaiRow

# The letterhead of every BKPSDM report: names of the institutions, not UI text.
PEMERINTAH = "PEMERINTAH KOTA DUMAI"
INSTANSI = "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA"

# (msgid of the header, column width in characters)
COLUMNS = (
    (N_("No."), 6),
    (N_("NIP"), 21),
    (N_("Name"), 34),
    (N_("Work unit"), 34),
    (N_("SKP status"), 16),
    (N_("Waiting on"), 34),
    (N_("NIP of the appraising official"), 21),
    (N_("Since"), 18),
    (N_("Days waiting"), 10),
)


@dataclass(frozen=True)
class Heading:
    """The title block, already in the reader's language."""

    report: str
    periode: str
    unit: str
    printed: str


def write_monitoring(
    target: str | IO[bytes], heading: Heading, rows: Iterable[PegawaiRow], tz: dt.tzinfo
) -> int:
    """Write the list to ``target`` and return the number of pegawai rows written.

    Every text cell is written with ``write_string`` and the workbook converts no string to a
    formula, number or link: a NIP stays 18 digits of text and a name typed as "=…" stays
    text (formula injection)."""
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = book.add_worksheet(gettext("SKP Monitoring")[:31])
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format(
        {"bold": True, "border": 1, "bg_color": "#DDDDDD", "text_wrap": True, "valign": "top"}
    )
    text = book.add_format({"border": 1, "num_format": "@", "valign": "top"})
    number = book.add_format({"border": 1, "valign": "top"})
    moment = book.add_format({"border": 1, "num_format": "dd-mm-yyyy hh:mm", "valign": "top"})

    for col, (_, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # every column on the page width, as many pages down as needed
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)

    sheet.write_string(0, 0, PEMERINTAH, bold)
    sheet.write_string(1, 0, INSTANSI, bold)
    sheet.write_string(2, 0, heading.report, title)
    sheet.write_string(3, 0, f"{gettext('Period')}: {heading.periode}")
    sheet.write_string(4, 0, f"{gettext('Work unit')}: {heading.unit}")
    sheet.write_string(5, 0, heading.printed)

    header_row = 7
    for col, (label, _) in enumerate(COLUMNS):
        sheet.write_string(header_row, col, gettext(label), header)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.repeat_rows(header_row)

    own_action = gettext("The employee")
    count = 0
    for count, item in enumerate(rows, start=1):
        row = header_row + count
        sheet.write_number(row, 0, count, number)
        sheet.write_string(row, 1, item.nip, text)
        sheet.write_string(row, 2, item.nama, text)
        sheet.write_string(row, 3, item.unit, text)
        sheet.write_string(row, 4, gettext(STATUSES[item.status]), text)
        if item.waits_on == WAITS_ON_PENILAI:
            sheet.write_string(row, 5, item.penilai_nama or "", text)
            sheet.write_string(row, 6, item.penilai_nip or "", text)
        else:
            waiting = own_action if item.waits_on == WAITS_ON_PEGAWAI else ""
            sheet.write_string(row, 5, waiting, text)
            sheet.write_blank(row, 6, None, text)
        if item.sejak is not None:
            local = item.sejak.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)
            sheet.write_datetime(row, 7, local, moment)
        else:
            sheet.write_blank(row, 7, None, moment)
        if item.hari is not None:
            sheet.write_number(row, 8, item.hari, number)
        else:
            sheet.write_blank(row, 8, None, number)
    sheet.autofilter(header_row, 0, header_row + count, len(COLUMNS) - 1)
    book.close()
    return count
