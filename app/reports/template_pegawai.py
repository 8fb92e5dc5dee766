"""The BKPSDM template for importing pegawai (.xlsx), read back by app.services.impor.

Three sheets: the data sheet (the template's columns, NIP columns formatted as text, drop-down
lists on the coded columns), the reference lists the drop-downs point at (pangkat, unit kerja,
jabatan with their codes and names) and the instructions with an example row. The data sheet
may come pre-filled with today's pegawai, so that an update is: download, edit, upload.
Rows are streamed (``constant_memory``), as in every export (ARCHITECTURE.md rule 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter
from flask_babel import gettext

from app.domain import enums
from app.services.impor import (
    AKTIF_CHOICES,
    COLUMNS,
    DATA_SHEET,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    JENIS_ASN_CHOICES,
    JENIS_KELAMIN_CHOICES,
    REFERENCE_SHEET,
    TemplateLists,
)

# Rows of the data sheet that carry the drop-downs and formats beyond the filled ones.
SPARE_ROWS = 5000
WIDTHS = {
    "nip": 21,
    "nama": 30,
    "gelar_depan": 12,
    "gelar_belakang": 14,
    "jenis_asn": 18,
    "jenis_kelamin": 14,
    "tanggal_lahir": 14,
    "kode_pangkat": 13,
    "tmt_pangkat": 14,
    "kode_jabatan": 13,
    "kode_unit": 18,
    "nip_atasan": 21,
    "nip_penilai": 21,
    "aktif": 8,
    "tmt_mutasi": 14,
    "nomor_sk_mutasi": 24,
}
TEXT_COLUMNS = {
    "nip",
    "nip_atasan",
    "nip_penilai",
    "kode_pangkat",
    "kode_jabatan",
    "kode_unit",
    "nomor_sk_mutasi",
}
DATE_COLUMNS = {"tanggal_lahir", "tmt_pangkat", "tmt_mutasi"}
DATE_FORMAT = "dd-mm-yyyy"
# Names of the reference lists, used by the drop-downs (workbook-level defined names).
LIST_NAMES = {
    "kode_pangkat": "DaftarPangkat",
    "kode_unit": "DaftarUnit",
    "kode_jabatan": "DaftarJabatan",
}
# An example that passes every check of its own (the unit and rank are taken from the lists).
EXAMPLE_NIP = "199001012015031001"


def write_template(
    target: str | IO[bytes], lists: TemplateLists, rows: Iterable[tuple[Any, ...]] = ()
) -> int:
    """Write the template to ``target``; ``rows`` pre-fill the data sheet (in column order).
    Return the number of rows written. Text goes in as text: a NIP stays 18 digits and a name
    typed as "=…" stays a name (no formulas, numbers or links are made from strings)."""
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        "header": book.add_format(
            {"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "required": book.add_format(
            {"bold": True, "bg_color": "#F4CCCC", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "text": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": DATE_FORMAT}),
        "bold": book.add_format({"bold": True}),
        "title": book.add_format({"bold": True, "font_size": 13}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "example": book.add_format({"italic": True, "font_color": "#555555", "num_format": "@"}),
    }
    # The data sheet comes first: it is what Excel opens on.
    data = book.add_worksheet(DATA_SHEET)
    reference = book.add_worksheet(REFERENCE_SHEET)
    instructions = book.add_worksheet(INSTRUCTIONS_SHEET)
    _write_reference(book, reference, lists, formats)
    written = _write_data(data, rows, formats)
    _add_validations(data, lists, HEADER_ROW + max(written, 0) + SPARE_ROWS)
    _write_instructions(instructions, lists, formats)
    book.close()
    return written


def _write_data(sheet: Any, rows: Iterable[tuple[Any, ...]], formats: dict[str, Any]) -> int:
    for index, column in enumerate(COLUMNS):
        cell_format = (
            formats["text"]
            if column.key in TEXT_COLUMNS
            else formats["date"]
            if column.key in DATE_COLUMNS
            else None
        )
        sheet.set_column(index, index, WIDTHS[column.key], cell_format)
        sheet.write_string(
            0, index, column.header, formats["required" if column.required else "header"]
        )
    sheet.freeze_panes(HEADER_ROW, 1)
    sheet.autofilter(0, 0, 0, len(COLUMNS) - 1)
    count = 0
    for count, values in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(COLUMNS, values, strict=True)):
            _write_cell(sheet, HEADER_ROW + count - 1, index, column.key, value, formats)
    return count


def _write_cell(
    sheet: Any, row: int, col: int, key: str, value: Any, formats: dict[str, Any]
) -> None:
    if value is None:
        return
    if isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats["date"])
    elif key in TEXT_COLUMNS:
        sheet.write_string(row, col, str(value), formats["text"])
    else:
        sheet.write_string(row, col, str(value))


def _add_validations(sheet: Any, lists: TemplateLists, last_row: int) -> None:
    def dropdown(key: str, source: list[str] | str, message: str) -> None:
        index = next(i for i, column in enumerate(COLUMNS) if column.key == key)
        sheet.data_validation(
            HEADER_ROW,
            index,
            last_row,
            index,
            {
                "validate": "list",
                "source": source,
                "input_title": COLUMNS[index].header,
                "input_message": message[:255],
                "error_title": COLUMNS[index].header,
                "error_message": gettext("Pick a value from the list.")[:255],
            },
        )

    dropdown("jenis_asn", list(JENIS_ASN_CHOICES), gettext("PNS, CPNS, PPPK or PPPK Paruh Waktu."))
    dropdown("jenis_kelamin", list(JENIS_KELAMIN_CHOICES), gettext("Pria or Wanita."))
    dropdown("aktif", list(AKTIF_CHOICES), gettext("Ya or Tidak; empty means Ya."))
    for key, values in (
        ("kode_pangkat", lists.pangkat),
        ("kode_unit", lists.units),
        ("kode_jabatan", lists.jabatan),
    ):
        if values:
            dropdown(
                key,
                f"={LIST_NAMES[key]}",
                gettext("Codes and names are on the %(sheet)s sheet.", sheet=REFERENCE_SHEET),
            )
    for key in ("nip", "nip_atasan", "nip_penilai"):
        index = next(i for i, column in enumerate(COLUMNS) if column.key == key)
        sheet.data_validation(
            HEADER_ROW,
            index,
            last_row,
            index,
            {
                "validate": "length",
                "criteria": "==",
                "value": 18,
                "input_title": COLUMNS[index].header,
                "input_message": gettext("18 digits, typed as text.")[:255],
                "error_title": COLUMNS[index].header,
                "error_message": gettext("A NIP has 18 digits.")[:255],
            },
        )


def _write_reference(book: Any, sheet: Any, lists: TemplateLists, formats: dict[str, Any]) -> None:
    """Three tables side by side; constant_memory writes row by row, so row r of every
    table is written before row r + 1 of any."""
    tables = (
        (
            0,
            "kode_pangkat",
            (gettext("Rank code"), gettext("Rank"), gettext("Civil servant type")),
            [
                (kode, nama, gettext(enums.label(enums.JENIS_PANGKAT, jenis)))
                for kode, nama, jenis in lists.pangkat
            ],
            (12, 26, 16),
        ),
        (
            4,
            "kode_unit",
            (gettext("Work unit code"), gettext("Work unit")),
            list(lists.units),
            (18, 70),
        ),
        (
            7,
            "kode_jabatan",
            (gettext("Position code"), gettext("Position"), gettext("Type"), gettext("Level")),
            [
                (
                    kode,
                    nama,
                    gettext(enums.label(enums.JENIS_JABATAN, jenis)),
                    gettext(enums.label(enums.JENJANG, jenjang)) if jenjang else "",
                )
                for kode, nama, jenis, jenjang in lists.jabatan
            ],
            (12, 40, 26, 18),
        ),
    )
    for first, _key, _headers, _rows, widths in tables:
        for offset, width in enumerate(widths):
            sheet.set_column(first + offset, first + offset, width, formats["text"])
    for first, _key, headers, _rows, _widths in tables:
        for offset, header in enumerate(headers):
            sheet.write_string(0, first + offset, header, formats["header"])
    longest = max(len(rows) for _, _, _, rows, _ in tables)
    for index in range(longest):
        for first, _key, _headers, rows, _widths in tables:
            if index < len(rows):
                for offset, value in enumerate(rows[index]):
                    sheet.write_string(index + 1, first + offset, str(value or ""))
    sheet.freeze_panes(1, 0)
    for first, key, _headers, rows, _widths in tables:
        if rows:
            column = xlsxwriter.utility.xl_col_to_name(first)
            book.define_name(
                LIST_NAMES[key], f"='{REFERENCE_SHEET}'!${column}$2:${column}${len(rows) + 1}"
            )


def _instruction_lines() -> list[str]:
    return [
        gettext(
            "Fill in one employee per row on the %(sheet)s sheet, starting at row 2. Do not "
            "change the headers in row 1 or the order of the columns.",
            sheet=DATA_SHEET,
        ),
        gettext(
            "Type the NIP as text (the NIP columns are formatted as Text): Excel keeps only 15 "
            "digits of a number, so an 18-digit NIP typed as a number loses its last digits "
            "and is refused."
        ),
        gettext(
            "Required columns (red headers): NIP, Nama, Jenis ASN and Kode Unit Kerja. The "
            "others may be left empty; an empty cell clears that field of an existing employee."
        ),
        gettext(
            "Employees are matched by NIP: a NIP already in SIKAP updates that employee, a new "
            "NIP creates one. Employees who are not in the file stay as they are."
        ),
        gettext(
            "Pick Jenis ASN, Jenis Kelamin, Kode Pangkat, Kode Jabatan, Kode Unit Kerja and "
            "Aktif from the drop-down lists; the codes and their names are on the %(sheet)s "
            "sheet.",
            sheet=REFERENCE_SHEET,
        ),
        gettext(
            "Dates (Tanggal Lahir, TMT Pangkat) as DD-MM-YYYY. The birth date and the gender "
            "must agree with the NIP."
        ),
        gettext(
            "NIP Atasan and NIP Pejabat Penilai: the NIP of an employee already in SIKAP or "
            "elsewhere in this file. Leave NIP Pejabat Penilai empty when the direct supervisor "
            "is the appraising official."
        ),
        gettext(
            "A transfer (mutasi) of an employee already in SIKAP: give the new unit, position "
            "and supervisor with TMT Mutasi (and Nomor SK Mutasi); their current SKP closes the "
            "day before and a draft SKP of the new post is drawn up. Without TMT Mutasi a "
            "changed unit or position is a correction of the record."
        ),
        gettext(
            "Upload the file on the Import Employees page, first with “Check only” to see every "
            "problem by row and column. If any row has a problem, nothing is saved."
        ),
    ]


def _write_instructions(sheet: Any, lists: TemplateLists, formats: dict[str, Any]) -> None:
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 3, 80)
    row = 0
    sheet.write_string(
        row, 0, gettext("How to fill in the employee import template"), formats["title"]
    )
    row += 2
    for number, line in enumerate(_instruction_lines(), start=1):
        sheet.write_number(row, 0, number)
        sheet.merge_range(row, 1, row, 3, line, formats["wrap"])
        sheet.set_row(row, 32)
        row += 1
    row += 1
    for col, header in enumerate(
        (gettext("Column"), gettext("Header"), gettext("Required"), gettext("Explanation"))
    ):
        sheet.write_string(row, col, header, formats["header"])
    row += 1
    for column in COLUMNS:
        sheet.write_string(row, 0, column.letter)
        sheet.write_string(row, 1, column.header, formats["bold"])
        sheet.write_string(row, 2, gettext("Yes") if column.required else gettext("No"))
        sheet.write_string(row, 3, gettext(column.explanation), formats["wrap"])
        row += 1
    row += 1
    sheet.write_string(
        row,
        0,
        gettext("Example (for reading only: this sheet is not imported)"),
        formats["bold"],
    )
    row += 1
    for col, column in enumerate(COLUMNS):
        sheet.write_string(row, col, column.header, formats["header"])
    row += 1
    example = _example(lists)
    for col, value in enumerate(example):
        sheet.write_string(row, col, value, formats["example"])


def _example(lists: TemplateLists) -> list[str]:
    pangkat = next((kode for kode, _, jenis in lists.pangkat if jenis == "pns"), "III/a")
    unit = lists.units[0][0] if lists.units else ""
    jabatan = lists.jabatan[0][0] if lists.jabatan else ""
    return [
        EXAMPLE_NIP,
        "Ahmad Fauzi",
        "",
        "S.Kom.",
        "PNS",
        "Pria",
        "01-01-1990",
        pangkat,
        "01-04-2019",
        jabatan,
        unit,
        "",
        "",
        "Ya",
        "",
        "",
    ]
