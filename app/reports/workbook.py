"""What every BKPSDM workbook shares: the letterhead and title block, the cell formats, an A4
landscape print set-up with the header row repeated on every page, and cells written so that
text stays text.

Workbooks are opened in xlsxwriter's ``constant_memory`` mode: a row goes to disk as soon as
the next one starts, so memory stays flat whatever the number of rows (ARCHITECTURE.md rule 7),
at the price that each sheet is written top to bottom, one row after the other. No string is
ever converted to a formula, number or link: a NIP stays 18 digits of text and a name typed as
"=HYPERLINK(…)" stays text (formula injection).

A data row is written as one piece of sheet XML (``RowWriter``): xlsxwriter's cell-by-cell
path costs about ten microseconds a cell (a dimension check, a cell tuple, attribute lists,
three regular expressions), which made a 100,000-row roster spend most of its time there.
The row's XML is the one xlsxwriter writes for the same cells, with the same styles; a row
holding anything unusual (a control character, a literal "_x0000_", leading or trailing
blanks, a text longer than Excel's cell, a number that is no finite number) is handed to
xlsxwriter's own cell methods instead, so that such text is escaped exactly as before.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import get_locale, gettext
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
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


class StreamingSheet(Worksheet):
    """A worksheet of a constant-memory workbook that also takes a whole row of cells as the
    XML of its ``<c>`` elements (``RowWriter`` makes it): ``start_row``, then ``write_cells``."""

    def start_row(self, row: int, last_col: int) -> None:
        """Begin row ``row`` (0-based) of columns 0…``last_col``: rows go in order, and the
        row xlsxwriter still holds is written first, as its own cell methods do."""
        held = row == self.previous_row and (
            self.table.get(row) or row in self.row_info or row in self.comments
        )
        if held or self._check_dimensions(row, last_col):
            raise ValueError(f"row {row} cannot be written after row {self.previous_row}")
        self._check_dimensions(row, 0)
        self._write_single_row(row)

    def write_cells(self, row: int, cells: str) -> None:
        """The row begun by ``start_row``, as its cells' XML."""
        self.fh.write(f'<row r="{row + 1}">{cells}</row>')

    def takes_rows(self) -> bool:
        """Whether a row written by ``write_cells`` is the row xlsxwriter would write: in
        constant-memory mode, with the default row height and the default XML dialect."""
        return bool(
            self.constant_memory
            and self.default_row_height == self.original_row_height
            and self.excel_version != 2010
        )


class StreamingWorkbook(Workbook):
    """A workbook whose sheets are ``StreamingSheet``."""

    worksheet_class = StreamingSheet


def open_workbook(target: str | IO[bytes]) -> Workbook:
    """A streaming workbook that writes every string as a string."""
    return StreamingWorkbook(
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


# A text that needs more than XML's three escapes goes through xlsxwriter's own writer:
# control characters (written as _xHHHH_), a literal _xHHHH_ (its underscore escaped), the two
# non-characters, and leading or trailing whitespace (xml:space="preserve").
_UNUSUAL_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_XML_SPECIAL = re.compile("[&<>]")
# Whether a row's texts need either, checked over all of them at once (one regular expression
# a row costs less than two a cell): a character of those classes, a "_x", a blank at an end.
_CARE_CHARACTERS = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]")
# Longer texts may exceed Excel's 32,767 UTF-16 units, which xlsxwriter cuts to size.
_LONGEST_PLAIN_TEXT = 16_383
_TEXT, _NUMBER, _DATE = 0, 1, 2


class RowWriter:
    """Writes the rows of a sheet whose columns are of ``kinds``, with the data cell
    ``formats`` of those columns: each row as one string of XML, made from pieces computed
    once per column (the cell reference's letters, the style index)."""

    def __init__(self, sheet: Worksheet, kinds: Sequence[str], formats: Sequence[Format]) -> None:
        self.sheet = sheet
        self._kinds = tuple(kinds)
        self._formats = tuple(formats)
        self._last_col = len(self._kinds) - 1
        # A cell without a format would be no cell at all when blank: xlsxwriter's own path.
        self._fast = (
            isinstance(sheet, StreamingSheet)
            and sheet.takes_rows()
            and all(cell_format is not None for cell_format in self._formats)
        )
        # (how the value is written, '<c r="B', '" s="7"'), made at the first row: a style
        # is numbered when a cell first takes it, so the workbook's styles keep xlsxwriter's
        # order (after those of the rows above).
        self._columns: list[tuple[int, str, str]] | None = None
        self._serials: dict[dt.date, float] = {}

    def _layout(self) -> list[tuple[int, str, str]]:
        return [
            (
                _TEXT if kind == TEXT else _DATE if kind in (DATE, MOMENT) else _NUMBER,
                f'<c r="{xl_col_to_name(col)}',
                f'" s="{cell_format._get_xf_index()}"',
            )
            for col, (kind, cell_format) in enumerate(zip(self._kinds, self._formats, strict=True))
        ]

    def write(self, row: int, values: Sequence[Any]) -> None:
        """Row ``row`` (0-based): one value per column, None a blank (bordered) cell."""
        if len(values) != len(self._kinds):
            raise ValueError(f"{len(values)} values for {len(self._kinds)} columns")
        if self._fast:
            sheet: StreamingSheet = self.sheet  # type: ignore[assignment]
            sheet.start_row(row, self._last_col)
            if self._columns is None:
                self._columns = self._layout()
            cells = self._cells(row, values)
            if cells is not None:
                sheet.write_cells(row, cells)
                return
        for col, (kind, cell_format, value) in enumerate(
            zip(self._kinds, self._formats, values, strict=True)
        ):
            write_cell(self.sheet, row, col, kind, value, cell_format)

    def _serial(self, day: dt.date) -> float:
        """Excel's number of a calendar day, as xlsxwriter computes it, remembered: a report
        repeats the same few hundred days, and the days of a century are few enough to keep
        (a moment, which hardly repeats, is converted each time)."""
        serial = self._serials.get(day)
        if serial is None:
            serial = self.sheet._convert_date_time(dt.datetime.combine(day, dt.time()))
            self._serials[day] = serial
        return serial

    def _cells(self, row: int, values: Sequence[Any]) -> str | None:
        """The row's ``<c>`` elements as xlsxwriter writes them, or None when one of its
        values must go through xlsxwriter's own escaping."""
        texts: list[str] = []
        cells = self._xml(row, values, texts)
        if texts:
            joined = "".join(texts)
            if (
                len(joined) > _LONGEST_PLAIN_TEXT
                or _CARE_CHARACTERS.search(joined)
                or "_x" in joined
                or not all(text == text.strip() for text in texts)
            ):
                return self._xml(row, values, None)
        return cells

    def _xml(self, row: int, values: Sequence[Any], texts: list[str] | None) -> str | None:
        """The row's cells. With a list ``texts``, every text is taken as plain and added to
        it for the caller to check; with None, each text is checked: escaped where XML needs
        it, None for the row when it needs xlsxwriter."""
        number = str(row + 1)
        parts = []
        for (how, opening, style), value in zip(self._columns or (), values):  # noqa: B905
            if value is None:
                parts.append(f"{opening}{number}{style}/>")
            elif how is _TEXT:
                text = value if type(value) is str else str(value)
                if texts is not None:
                    texts.append(text)
                elif len(text) > _LONGEST_PLAIN_TEXT or _UNUSUAL_TEXT.search(text):
                    return None
                elif _XML_SPECIAL.search(text):
                    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                parts.append(f'{opening}{number}{style} t="inlineStr"><is><t>{text}</t></is></c>')
            else:
                if how is _DATE:
                    if isinstance(value, dt.datetime):
                        value = self.sheet._convert_date_time(value)
                    else:
                        value = self._serial(value)
                elif not math.isfinite(value):
                    return None
                parts.append(f"{opening}{number}{style}><v>{value:.16G}</v></c>")
        return "".join(parts)


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
        set_up_page(self.sheet, self.columns)
        write_title(self.sheet, heading, formats)
        if groups:
            self._write_groups(groups)
        for col, column in enumerate(self.columns):
            self.sheet.write_string(HEADER_ROW, col, gettext(column.label), formats.header)
        self.sheet.freeze_panes(HEADER_ROW + 1, 0)
        self.sheet.repeat_rows(HEADER_ROW - 1 if groups else HEADER_ROW, HEADER_ROW)
        # Made once, not per cell: a sheet of 100,000 rows has a million cells.
        self._kinds = [column.kind for column in self.columns]
        self._rows = RowWriter(self.sheet, self._kinds, [formats.cell(k) for k in self._kinds])

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
        self._rows.write(HEADER_ROW + self.rows, values)

    def finish(self, total: Sequence[Any] | None = None) -> int:
        """Put the filter on the rows written, add the bold total row below them (outside the
        filter, so that sorting leaves it last) and return the number of rows."""
        self.sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + self.rows, len(self.columns) - 1)
        if total is not None:
            # Made here, not with the table: a style enters the workbook once a cell takes
            # it, and a table without a total row has no use for the bold ones.
            formats = [self.formats.cell(kind, total=True) for kind in self._kinds]
            RowWriter(self.sheet, self._kinds, formats).write(HEADER_ROW + self.rows + 1, total)
        return self.rows
