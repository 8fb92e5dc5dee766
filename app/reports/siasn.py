"""The annual SKP results in the layout of the national SIASN / e-Kinerja.

SE Kepala BKN 11/2023 makes e-Kinerja mandatory and asks local systems to hand their results
over; BKN keeps the annual result of an SKP (PermenPANRB 6/2022) as ``skp22``. This file is
that record, one row per pegawai: the field names of skp22 as column headers (row 1, so that
a script or an import template maps them by name), the ratings and predikat as SIASN's codes
next to their wording, and the pejabat penilai. Only settled results go out: accepted by the
pegawai, or final after an objection. The layout is documented in README.md (Reports).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import gettext

from app.domain.enums import N_
from app.reports.workbook import (
    NUMBER,
    Column,
    Formats,
    Heading,
    RowWriter,
    Table,
    open_workbook,
    set_up_page,
)

# SIASN reference "perilakuDanKinerja": the same three codes for both ratings.
RATING_CODES = {"di_atas": 1, "sesuai": 2, "di_bawah": 3}
RATING_NAMES = {
    "di_atas": "DIATAS EKSPEKTASI",
    "sesuai": "SESUAI EKSPEKTASI",
    "di_bawah": "DIBAWAH EKSPEKTASI",
}
# SIASN reference "kuadranNilai": the predikat of the PermenPANRB 6/2022 matrix.
PREDIKAT_CODES = {
    "sangat_baik": 1,
    "baik": 2,
    "butuh_perbaikan": 3,
    "kurang": 4,
    "sangat_kurang": 5,
}
PREDIKAT_NAMES = {
    "sangat_baik": "SANGAT BAIK",
    "baik": "BAIK",
    "butuh_perbaikan": "BUTUH PERBAIKAN",
    "kurang": "KURANG/MISCONDUCT",
    "sangat_kurang": "SANGAT KURANG",
}
# statusPenilai: an evaluator outside the civil service (the Wali Kota for the Sekda) has
# no NIP in SIASN.
ASN, NON_ASN = "ASN", "NON ASN"

# (skp22 field as the header, width, kind): the header is a field name, not UI text.
FIELDS = (
    Column("nipBaru", 21),
    Column("nama", 34),
    Column("tahun", 7, NUMBER),
    Column("hasilKinerjaNilai", 9, NUMBER),
    Column("perilakuKerjaNilai", 9, NUMBER),
    Column("kuadranKinerjaNilai", 9, NUMBER),
    Column("hasilKinerja", 20),
    Column("perilakuKerja", 20),
    Column("kuadranKinerja", 20),
    Column("penilaiNipNrp", 21),
    Column("penilaiNama", 34),
    Column("penilaiJabatan", 30),
    Column("penilaiUnorNama", 30),
    Column("penilaiGolongan", 10),
    Column("statusPenilai", 10),
)

# What each column holds, for the notes sheet (msgids).
DESCRIPTIONS = {
    "nipBaru": N_("NIP of the employee: 18 digits, written as text."),
    "nama": N_("Name with titles, for checking; not a field of SIASN."),
    "tahun": N_("Year of the SKP."),
    "hasilKinerjaNilai": N_("Work result rating: 1 above, 2 meets, 3 below expectations."),
    "perilakuKerjaNilai": N_("Work behaviour rating: 1 above, 2 meets, 3 below expectations."),
    "kuadranKinerjaNilai": N_(
        "Performance rating (kuadran): 1 Very Good, 2 Good, 3 Needs Improvement, "
        "4 Poor/Misconduct, 5 Very Poor."
    ),
    "hasilKinerja": N_("The work result rating in words."),
    "perilakuKerja": N_("The work behaviour rating in words."),
    "kuadranKinerja": N_("The performance rating in words."),
    "penilaiNipNrp": N_("NIP of the appraising official who rated the annual evaluation."),
    "penilaiNama": N_("Name of the appraising official."),
    "penilaiJabatan": N_("Position of the appraising official today."),
    "penilaiUnorNama": N_("Work unit of the appraising official today."),
    "penilaiGolongan": N_("Rank code (golongan) of the appraising official today, e.g. IV/a."),
    "statusPenilai": N_("ASN, or NON ASN when the appraising official is not a civil servant."),
}

NOTE_COLUMNS = (Column(N_("Column"), 22), Column(N_("Contents"), 90))

# A text cell starting with one of these is a formula to a spreadsheet that opens the CSV.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Hasil:
    """One pegawai's settled annual result and who rated it."""

    nip: str
    nama: str
    tahun: int
    rating_hasil_kerja: str
    rating_perilaku_kerja: str
    predikat: str
    penilai_nip: str | None
    penilai_nama: str | None
    penilai_jabatan: str | None
    penilai_unit: str | None
    penilai_golongan: str | None

    def values(self) -> list[Any]:
        """The row in the order of FIELDS."""
        return [
            self.nip,
            self.nama,
            self.tahun,
            RATING_CODES.get(self.rating_hasil_kerja),
            RATING_CODES.get(self.rating_perilaku_kerja),
            PREDIKAT_CODES.get(self.predikat),
            RATING_NAMES.get(self.rating_hasil_kerja),
            RATING_NAMES.get(self.rating_perilaku_kerja),
            PREDIKAT_NAMES.get(self.predikat),
            self.penilai_nip,
            self.penilai_nama,
            self.penilai_jabatan,
            self.penilai_unit,
            self.penilai_golongan,
            ASN if self.penilai_nip else NON_ASN,
        ]


def write_xlsx(target: str | IO[bytes], heading: Heading, rows: Iterable[Hasil]) -> int:
    """The data sheet (field names in row 1, no title block above them, for an importer),
    then a notes sheet with the title block and what each column holds."""
    book = open_workbook(target)
    formats = Formats(book)
    sheet = book.add_worksheet("skp22")
    set_up_page(sheet, FIELDS)
    for col, field in enumerate(FIELDS):
        sheet.write_string(0, col, field.label, formats.header)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)
    kinds = [field.kind for field in FIELDS]
    writer = RowWriter(sheet, kinds, [formats.cell(kind) for kind in kinds])
    count = 0
    for count, hasil in enumerate(rows, start=1):
        writer.write(count, hasil.values())
    sheet.autofilter(0, 0, count, len(FIELDS) - 1)

    notes = Table(book, formats, gettext("Notes"), heading, NOTE_COLUMNS)
    for field in FIELDS:
        notes.add((field.label, gettext(DESCRIPTIONS[field.label])))
    notes.finish()
    book.close()
    return count


def _csv_text(value: Any) -> Any:
    """A cell of the CSV: text that a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP's advice for CSV injection); numbers and NIPs are never touched."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(writer: Any, rows: Iterable[Hasil]) -> int:
    """The same rows as CSV (UTF-8, comma-separated, field names in the first line)."""
    writer.writerow([field.label for field in FIELDS])
    count = 0
    for hasil in rows:
        writer.writerow([_csv_text(value) for value in hasil.values()])
        count += 1
    return count
