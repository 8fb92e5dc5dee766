"""The report sheets write a data row as one piece of XML (app.reports.workbook.RowWriter):
the file must be the one xlsxwriter's own cell methods make, byte for byte, whatever the
values — plain, needing XML escapes, or unusual enough to be handed to xlsxwriter."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter

from app.reports import workbook

KINDS = [
    workbook.NUMBER,
    workbook.TEXT,
    workbook.TEXT,
    workbook.DATE,
    workbook.MOMENT,
    workbook.PERCENT,
]
ROWS = [
    [
        1,
        "198001012005011001",
        "Budi, S.Kom.",
        dt.date(2026, 1, 5),
        dt.datetime(2026, 11, 29, 14, 5),
        0.875,
    ],
    [2, "Dinas PU & Penataan <Ruang>", None, None, None, None],
    [3, '=HYPERLINK("http://x")', "tab\tinside", dt.date(1900, 3, 1), None, 1],
    [4, " leading", "trailing ", None, None, -3.25],
    [5, "bell\x07", "_x0041_", None, None, 2.5],
    [6, "x" * 20_000, "long before", None, None, 10**17],
    [7, "line\nbreak", 'quote "q"', None, None, True],
    [8, "emoji 😀", "\ufffe", None, None, 0.1 + 0.2],
    [9, "", "ends in a line break\n", None, None, 1],
    [10, "A & B", "\nstarts with one", None, None, 2],
]


def _sheets(book_of, rows: list[list], row_writer: bool) -> dict[str, bytes]:
    target = io.BytesIO()
    book = book_of(target)
    formats = workbook.Formats(book)
    sheet = book.add_worksheet("rows")
    sheet.write_string(0, 0, "header", formats.header)
    cell_formats = [formats.cell(kind) for kind in KINDS]
    writer = workbook.RowWriter(sheet, KINDS, cell_formats)
    for number, values in enumerate(rows, start=1):
        if row_writer:
            writer.write(number, values)
        else:
            for col, (kind, cell_format, value) in enumerate(
                zip(KINDS, cell_formats, values, strict=True)
            ):
                workbook.write_cell(sheet, number, col, kind, value, cell_format)
    book.close()
    with zipfile.ZipFile(target) as archive:
        # Not the file's properties: they carry the second it was written.
        return {
            name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"
        }


def _cell_by_cell(target: io.BytesIO) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
    )


def test_rows_written_whole_are_the_rows_xlsxwriter_writes_cell_by_cell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = []
    write_cells = workbook.StreamingSheet.write_cells

    def counted(sheet: workbook.StreamingSheet, row: int, cells: str) -> None:
        whole.append(row)
        write_cells(sheet, row, cells)

    monkeypatch.setattr(workbook.StreamingSheet, "write_cells", counted)
    assert _sheets(workbook.open_workbook, ROWS, True) == _sheets(_cell_by_cell, ROWS, False)
    # The plain rows and the one with XML's escapes went whole; the others cell by cell.
    assert whole == [1, 2, 3, 7]


def test_text_looking_like_a_rich_string_stays_text() -> None:
    # xlsxwriter copies a constant-memory string framed by <r>…</r> into the XML as it is,
    # which would make a name typed that way break the file; written whole, it is text.
    sheet = _sheets(workbook.open_workbook, [[1, "<r>x</r>", "A & B", None, None, 1]], True)
    xml = sheet["xl/worksheets/sheet1.xml"].decode()
    assert "<t>&lt;r&gt;x&lt;/r&gt;</t>" in xml
    assert "<r>x</r>" not in xml


def test_a_number_that_is_no_number_is_refused_as_before() -> None:
    with pytest.raises(TypeError, match="NAN/INF"):
        _sheets(workbook.open_workbook, [[1, "a", "b", None, None, float("nan")]], True)


def test_rows_go_in_order() -> None:
    book = workbook.open_workbook(io.BytesIO())
    formats = workbook.Formats(book)
    sheet = book.add_worksheet("rows")
    writer = workbook.RowWriter(sheet, KINDS, [formats.cell(kind) for kind in KINDS])
    writer.write(5, ROWS[0])
    with pytest.raises(ValueError, match="cannot be written"):
        writer.write(4, ROWS[0])
    book.close()
