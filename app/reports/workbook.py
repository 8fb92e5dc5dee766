"""What every BKPSDM workbook shares: the letterhead and title block, the cell formats, an A4
landscape print set-up with the header row repeated on every page, and cells written so that
text stays text.

Workbooks are opened in xlsxwriter's ``constant_memory`` mode: a row goes to disk as soon as
the next one starts, so memory stays flat whatever the number of rows (ARCHITECTURE.md rule 7),
at the price that each sheet is written top to bottom, one row after the other. No string is
ever converted to a formula, number or link: a NIP stays 18 digits of text and a name typed as
"=HYPERLINK(…)" stays text (formula injection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from flask_babel import get_locale, gettext
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

# The letterhead of every BKPSDM report: names of the institutions, not UI text.
PEMERINTAH = "PEMERINTAH KOTA DUMAI"
INSTANSI = "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA"

# 0-based rows: six lines of title block, a free line (the group headers of a table that has
# them), then the column headers.
HEADER_ROW = 7

# What a column holds, and so how its cells are written.
TEXT = "text"
NUMBER = "number"
DATE = "date"  # a calendar date, shown in the reader's language ("29 November 2026")
MOMENT = "moment"  # a local date and time
PERCENT = "percent"  # a fraction, shown as "87.5%"

# Excel shows month names in the language named by the format's locale tag (LCID), whatever
# the language of the reader's Excel: 0x421 is Indonesian, 0x409 English (US).
_DATE_LOCALES = {"id": "[$-421]", "en": "[$-409]"}


@dataclass(frozen=True)
class Column:
    label: str  # msgid of the header
    width: float  # in characters
    kind: str = TEXT


@dataclass(frozen=True)
class Group:
    """A header spanning columns ``first``…``last`` (0-based) above their own headers."""

    label: str  # already in the reader's language
    first: int
    last: int


@dataclass(frozen=True)
class Heading:
    """The title block, already in the reader's language."""

    report: str
    periode: str
    unit: str
    printed: str


def open_workbook(target: str | IO[bytes]) -> Workbook:
    """A streaming workbook that writes every string as a string."""
    return xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )


def date_format(with_time: bool = False) -> str:
    """The number format of a date cell in the active locale: "29 November 2026", with the
    time as the pages write it ("29 November 2026 14.05") when ``with_time``."""
    language = str(get_locale() or "id").split("_")[0]
    time = ' hh"."mm' if with_time else ""
    return f"{_DATE_LOCALES.get(language, '')}d mmmm yyyy{time}"


class Formats:
    """The cell formats of one workbook (an xlsxwriter format belongs to its workbook)."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.header = book.add_format(
            {"bold": True, "border": 1, "bg_color": "#DDDDDD", "text_wrap": True, "valign": "top"}
        )
        self._cells: dict[tuple[str, bool], Format] = {}

    def cell(self, kind: str, total: bool = False) -> Format:
        """The bordered format of a data cell of ``kind``; bold in a total row."""
        key = (kind, total)
        if key not in self._cells:
            properties: dict[str, Any] = {"border": 1, "valign": "top"}
            if kind == TEXT:
                properties["num_format"] = "@"
            elif kind == DATE:
                properties["num_format"] = date_format()
            elif kind == MOMENT:
                properties["num_format"] = date_format(with_time=True)
            elif kind == PERCENT:
                properties["num_format"] = "0.0%"
            if total:
                properties["bold"] = True
            self._cells[key] = self._book.add_format(properties)
        return self._cells[key]


def set_up_page(sheet: Worksheet, columns: Sequence[Column]) -> None:
    """Column widths and the print set-up: A4 landscape, every column on the page width."""
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # every column on the page width, as many pages down as needed
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)


def write_title(sheet: Worksheet, heading: Heading, formats: Formats) -> None:
    """The six lines above every table: letterhead, report, periode, unit, printed at/by."""
    sheet.write_string(0, 0, PEMERINTAH, formats.bold)
    sheet.write_string(1, 0, INSTANSI, formats.bold)
    sheet.write_string(2, 0, heading.report, formats.title)
    sheet.write_string(3, 0, f"{gettext('Period')}: {heading.periode}")
    sheet.write_string(4, 0, f"{gettext('Work unit')}: {heading.unit}")
    sheet.write_string(5, 0, heading.printed)


def write_cell(
    sheet: Worksheet, row: int, col: int, kind: str, value: Any, cell_format: Format
) -> None:
    """One cell by the kind of its column; None leaves it blank (but bordered). Text is
    written as it is stored, never interpreted."""
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    elif kind == TEXT:
        sheet.write_string(row, col, str(value), cell_format)
    elif kind in (DATE, MOMENT):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        sheet.write_datetime(row, col, value, cell_format)
    else:
        sheet.write_number(row, col, value, cell_format)


class Table:
    """One sheet of a report: the title block, the column headers (frozen, filterable and
    repeated on every printed page), then the rows, streamed in order."""

    def __init__(
        self,
        book: Workbook,
        formats: Formats,
        name: str,
        heading: Heading,
        columns: Sequence[Column],
        groups: Sequence[Group] = (),
    ) -> None:
        self.sheet = book.add_worksheet(name[:31])
        self.formats = formats
        self.columns = tuple(columns)
        self.rows = 0
        # Looked up once, not per cell: a sheet of 100,000 rows has a million cells.
        self._kinds = [column.kind for column in self.columns]
        self._formats = [formats.cell(kind) for kind in self._kinds]
        self._total_formats = [formats.cell(kind, total=True) for kind in self._kinds]
        set_up_page(self.sheet, self.columns)
        write_title(self.sheet, heading, formats)
        if groups:
            self._write_groups(groups)
        for col, column in enumerate(self.columns):
            self.sheet.write_string(HEADER_ROW, col, gettext(column.label), formats.header)
        self.sheet.freeze_panes(HEADER_ROW + 1, 0)
        self.sheet.repeat_rows(HEADER_ROW - 1 if groups else HEADER_ROW, HEADER_ROW)

    def _write_groups(self, groups: Sequence[Group]) -> None:
        row = HEADER_ROW - 1
        covered = set()
        for group in groups:
            if group.last > group.first:
                self.sheet.merge_range(
                    row, group.first, row, group.last, group.label, self.formats.header
                )
            else:
                self.sheet.write_string(row, group.first, group.label, self.formats.header)
            covered.update(range(group.first, group.last + 1))
        for col in range(len(self.columns)):
            if col not in covered:
                self.sheet.write_blank(row, col, None, self.formats.header)

    def add(self, values: Sequence[Any]) -> None:
        """The next row: one value per column (None: blank)."""
        self.rows += 1
        self._write(HEADER_ROW + self.rows, values, total=False)

    def finish(self, total: Sequence[Any] | None = None) -> int:
        """Put the filter on the rows written, add the bold total row below them (outside the
        filter, so that sorting leaves it last) and return the number of rows."""
        self.sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + self.rows, len(self.columns) - 1)
        if total is not None:
            self._write(HEADER_ROW + self.rows + 1, total, total=True)
        return self.rows

    def _write(self, row: int, values: Sequence[Any], total: bool) -> None:
        formats = self._total_formats if total else self._formats
        for col, (kind, cell_format, value) in enumerate(
            zip(self._kinds, formats, values, strict=True)
        ):
            write_cell(self.sheet, row, col, kind, value, cell_format)
