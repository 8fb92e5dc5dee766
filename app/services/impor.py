"""Import of pegawai master data from the BKPSDM template (.xlsx): the upload page
(app/views/impor.py) and ``flask --app run import-pegawai`` (CONTRACT.md, Commands).

The whole file is checked before anything is written:
- every cell against the rules of its column, and the NIP and TMT pangkat with the same domain
  rules as the pegawai form (app.domain.nip: structure for the jenis ASN; birth date and gender
  agree; app.domain.tanggal: a plausible TMT);
- across rows: unit, pangkat and jabatan codes that exist, a NIP only once in the file, an
  atasan and pejabat penilai that exist in the database or elsewhere in the file, and no
  cycle in the chain of command once the file's rows are laid over the database's
  (app.domain.org.check_atasan, with a lookup that sees the file).
One broken rule anywhere writes nothing. A clean file creates or updates pegawai by NIP in
one flush; a field is assigned only when its value differs, so importing the same file twice
changes nothing, and (the audit hook writing only real changes) leaves no audit rows. Aktif
"Tidak" deactivates the pegawai's login account and "Ya" reactivates it, as the pegawai page
and API do (app.services.accounts.follow_aktif).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from string import ascii_uppercase
from typing import IO, Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app import audit
from app.domain import enums, org, tanggal
from app.domain import nip as nip_rules
from app.domain.enums import N_
from app.domain.errors import DomainError, OrgChartError
from app.i18n import translated
from app.models.master import Jabatan, Pangkat, Pegawai, UnitKerja
from app.security import scope
from app.services import accounts, mutasi
from app.services import org as org_service

# --- the file format (the template of app/reports/template_pegawai.py) ---------------------

DATA_SHEET = "Pegawai"
REFERENCE_SHEET = "Referensi"
INSTRUCTIONS_SHEET = "Petunjuk"
HEADER_ROW = 1
MAX_ROWS = 20_000  # a whole Pemerintah Kota several times over; more is a wrong file
MB = 1024 * 1024
# Unpacked size of the archive: a 10 MB workbook of plain rows unpacks to well under 20×.
MAX_UNPACKED_RATIO = 25
_MAX_CONTENT_TYPES = MB
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    # The header is part of the file format, not UI text: the same in every language, so a
    # template downloaded in English imports like one downloaded in Indonesian.
    header: str
    letter: str
    required: bool
    max_length: int | None
    explanation: str  # msgid, on the instructions sheet


_SPEC = (
    ("nip", "NIP", True, None, N_("18 digits, typed as text.")),
    ("nama", "Nama", True, 150, N_("Name without academic titles.")),
    ("gelar_depan", "Gelar Depan", False, 40, N_("Title before the name, e.g. dr. or Ir.")),
    (
        "gelar_belakang",
        "Gelar Belakang",
        False,
        60,
        N_("Title after the name, e.g. S.Kom., M.Si."),
    ),
    ("jenis_asn", "Jenis ASN", True, None, N_("PNS, CPNS, PPPK or PPPK Paruh Waktu.")),
    (
        "jenis_kelamin",
        "Jenis Kelamin",
        False,
        None,
        N_("Pria or Wanita; must agree with digit 15 of the NIP."),
    ),
    (
        "tanggal_lahir",
        "Tanggal Lahir",
        False,
        None,
        N_("DD-MM-YYYY; must agree with digits 1–8 of the NIP."),
    ),
    (
        "kode_pangkat",
        "Kode Pangkat",
        False,
        None,
        N_("Rank code (e.g. III/a) or PPPK golongan (e.g. IX); see the Referensi sheet."),
    ),
    ("tmt_pangkat", "TMT Pangkat", False, None, N_("DD-MM-YYYY.")),
    (
        "kode_jabatan",
        "Kode Jabatan",
        False,
        None,
        N_("Position code (e.g. J12); see the Referensi sheet."),
    ),
    ("kode_unit", "Kode Unit Kerja", True, None, N_("Work unit code; see the Referensi sheet.")),
    ("nip_atasan", "NIP Atasan", False, None, N_("NIP of the direct supervisor.")),
    (
        "nip_penilai",
        "NIP Pejabat Penilai",
        False,
        None,
        N_("NIP of the appraising official, only when it is not the direct supervisor."),
    ),
    ("aktif", "Aktif", False, None, N_("Ya or Tidak; empty means Ya.")),
    (
        "tmt_mutasi",
        "TMT Mutasi",
        False,
        None,
        N_(
            "DD-MM-YYYY, only for an employee already in SIKAP who moves to another post in "
            "the active year: the unit, position and supervisor of the row are then the new "
            "post, recorded as a transfer (their current SKP closes the day before)."
        ),
    ),
    (
        "nomor_sk_mutasi",
        "Nomor SK Mutasi",
        False,
        100,
        N_("Number of the decree (SK) of the transfer, with TMT Mutasi."),
    ),
)
COLUMNS = tuple(
    Column(key, header, ascii_uppercase[index], required, max_length, explanation)
    for index, (key, header, required, max_length, explanation) in enumerate(_SPEC)
)
BY_KEY = {column.key: column for column in COLUMNS}
# Columns added after the first template: a file made from an older one may end before them.
LATER_COLUMNS = frozenset({"tmt_mutasi", "nomor_sk_mutasi"})

# The words of the drop-down lists (file format, like the headers) → stored values.
JENIS_ASN_CHOICES = {
    "PNS": "pns",
    "CPNS": "cpns",
    "PPPK": "pppk",
    "PPPK Paruh Waktu": "pppk_paruh_waktu",
}
JENIS_KELAMIN_CHOICES = {"Pria": "1", "Wanita": "2"}
AKTIF_CHOICES = {"Ya": True, "Tidak": False}
# Also accepted when typed: the stored values and the usual short forms.
_JENIS_KELAMIN_WORDS = {"l": "1", "laki laki": "1", "p": "2", "perempuan": "2"}
_AKTIF_WORDS = {"y": True, "t": False, "1": True, "0": False, "aktif": True, "nonaktif": False}
# Pangkat are kept per kind of ASN: PNS ranks for PNS and CPNS, golongan for both PPPK kinds.
PANGKAT_FAMILY = {"pns": "pns", "cpns": "pns", "pppk": "pppk", "pppk_paruh_waktu": "pppk"}
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")


def kode_jabatan(jabatan_id: int) -> str:
    """The code a jabatan goes by in the template (jabatan have no code of their own)."""
    return f"J{jabatan_id}"


def _words(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value).strip().lower()


def _vocabulary(choices: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    words = {_words(label): value for label, value in choices.items()}
    words.update({_words(str(value)): value for value in choices.values()})
    return {**words, **extra}


_JENIS_ASN = _vocabulary(JENIS_ASN_CHOICES, {})
_JENIS_KELAMIN = _vocabulary(JENIS_KELAMIN_CHOICES, _JENIS_KELAMIN_WORDS)
_AKTIF = _vocabulary(AKTIF_CHOICES, _AKTIF_WORDS)


# --- what a check finds -----------------------------------------------------------------


class InvalidWorkbook(DomainError):
    """The upload is not a readable .xlsx workbook (→ 400)."""

    status = 400


@dataclass(frozen=True)
class RowError:
    """One broken rule, where Excel shows it: row number and column."""

    row: int
    column: Column
    error: DomainError

    def text(self) -> str:
        """One line in the reader's language: Row 5, column A (NIP): …"""
        return gettext(
            "Row %(row)d, column %(column)s (%(header)s): %(message)s",
            row=self.row,
            column=self.column.letter,
            header=self.column.header,
            message=translated(self.error),
        )


@dataclass
class PegawaiRow:
    """One row of the file, converted; a field whose cell broke a rule is None."""

    row: int
    nip: str | None = None
    nama: str | None = None
    gelar_depan: str | None = None
    gelar_belakang: str | None = None
    jenis_asn: str | None = None
    jenis_kelamin: str | None = None
    tanggal_lahir: dt.date | None = None
    kode_pangkat: str | None = None
    tmt_pangkat: dt.date | None = None
    kode_jabatan: str | None = None
    kode_unit: str | None = None
    nip_atasan: str | None = None
    nip_penilai: str | None = None
    aktif: bool = True
    tmt_mutasi: dt.date | None = None
    nomor_sk_mutasi: str | None = None


@dataclass
class ImportResult:
    filename: str
    dry_run: bool
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows_failed(self) -> int:
        return len({error.row for error in self.errors if error.row != HEADER_ROW})

    @property
    def rows_valid(self) -> int:
        return self.rows_read - self.rows_failed

    def summary(self) -> str:
        """One line for the CLI and the result page."""
        counts = gettext(
            "Rows read: %(read)d, valid: %(valid)d, with errors: %(failed)d.",
            read=self.rows_read,
            valid=self.rows_valid,
            failed=self.rows_failed,
        )
        if self.errors:
            outcome = gettext("Nothing was saved.")
        elif self.dry_run:
            outcome = gettext(
                "Check only, nothing saved: %(created)d would be created, %(updated)d "
                "updated, %(unchanged)d unchanged.",
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
            )
        else:
            outcome = gettext(
                "Saved: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
            )
        return f"{counts} {outcome}"


# --- the workbook -----------------------------------------------------------------------


def _not_xlsx() -> InvalidWorkbook:
    return InvalidWorkbook(N_("The file is not an Excel workbook (.xlsx)."), field="berkas")


def check_xlsx(stream: IO[bytes], limit: int) -> None:
    """Refuse anything but an .xlsx workbook, judged by its content, not its name: a zip
    archive with the workbook part whose main content type is a spreadsheet (not a macro
    workbook or template), and no more unpacked than ``MAX_UNPACKED_RATIO`` × ``limit``."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
                raise _not_xlsx()
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_RATIO * limit:
                raise InvalidWorkbook(
                    N_("The workbook unpacks to too much data to be an employee list."),
                    field="berkas",
                )
            content_types = archive.getinfo("[Content_Types].xml")
            if content_types.file_size > _MAX_CONTENT_TYPES:
                raise _not_xlsx()
            if XLSX_MAIN not in archive.read(content_types):
                raise _not_xlsx()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError) as e:
        raise _not_xlsx() from e
    finally:
        stream.seek(0)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(stream: IO[bytes]) -> tuple[list[PegawaiRow], list[RowError]]:
    """The non-empty rows of the data sheet, converted, with every cell error. A header that
    is not the template's is reported on row 1 and stops the reading."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl warns about parts it does not keep (e.g. data validation extensions).
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - any failure inside the parts = unreadable
            raise InvalidWorkbook(
                N_("The file could not be read as an Excel workbook."), field="berkas"
            ) from error
        try:
            sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
            return _read_sheet(sheet)
        except InvalidWorkbook:
            raise
        except Exception as error:  # noqa: BLE001 - a corrupt sheet part fails while iterated
            raise InvalidWorkbook(
                N_("The file could not be read as an Excel workbook."), field="berkas"
            ) from error
        finally:
            book.close()


def _read_sheet(sheet: Any) -> tuple[list[PegawaiRow], list[RowError]]:
    lines = sheet.iter_rows(min_row=HEADER_ROW, values_only=True)
    header = next(lines, ())
    errors = check_header(header)
    if errors:
        return [], errors
    rows: list[PegawaiRow] = []
    for number, values in enumerate(lines, start=HEADER_ROW + 1):
        values = tuple(values[: len(COLUMNS)])
        if all(_is_empty(value) for value in values):
            continue
        if len(rows) == MAX_ROWS:
            raise InvalidWorkbook(
                N_("The file has more than %(max)d employee rows; split it into several files."),
                field="berkas",
                max=MAX_ROWS,
            )
        row, row_errors = parse_row(number, values)
        rows.append(row)
        errors.extend(row_errors)
    return rows, errors


def check_header(values: Sequence[Any]) -> list[RowError]:
    """Row 1 must name the template's columns in the template's order."""
    errors = []
    for index, column in enumerate(COLUMNS):
        found = values[index] if index < len(values) else None
        if found is None and column.key in LATER_COLUMNS:
            continue
        if not isinstance(found, str) or _words(found) != _words(column.header):
            errors.append(
                RowError(
                    HEADER_ROW,
                    column,
                    DomainError(
                        N_("This column must be headed %(header)s, as in the template."),
                        header=column.header,
                    ),
                )
            )
    return errors


# --- one row ----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return " ".join(str(value).split())


def _nip_text(value: Any) -> str | None:
    """A NIP cell must hold text: Excel keeps 15 significant digits of a number, so an
    18-digit NIP stored as a number has already lost its last digits. Refusing every number
    is the only safe answer (even an exact-looking integer cannot be told from a rounded one)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise DomainError(
            N_(
                "NIP must be typed as text, not as a number: Excel keeps only 15 digits of a "
                "number, so the last digits of an 18-digit NIP are lost. Format the column "
                "as Text and type the NIP again."
            )
        )
    text = _text(value)
    return text.replace(" ", "") if text else None


def _date(value: Any) -> dt.date | None:
    if _is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for pattern in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
    raise DomainError(N_("Not a date: %(value)s. Use the format DD-MM-YYYY."), value=_text(value))


def _choice(value: Any, vocabulary: dict[str, Any], message: str) -> Any:
    text = _text(value)
    if text is None:
        return None
    found = vocabulary.get(_words(text))
    if found is None:
        raise DomainError(message, value=text)
    return found


def _jenis_asn(value: Any) -> str | None:
    return _choice(
        value,
        _JENIS_ASN,
        N_("Unknown civil servant type %(value)s; use PNS, CPNS, PPPK or PPPK Paruh Waktu."),
    )


def _jenis_kelamin(value: Any) -> str | None:
    return _choice(value, _JENIS_KELAMIN, N_("Unknown gender %(value)s; use Pria or Wanita."))


def _aktif(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    return _choice(value, _AKTIF, N_("Unknown value %(value)s; use Ya or Tidak."))


def _supervisor_nip(value: Any) -> str | None:
    text = _nip_text(value)
    if text is None:
        return None
    # Only digits and length: the person's own NIP was checked when they were entered.
    return nip_rules.parse_nip(text, "pppk").value


_CONVERTERS = {
    "nip": _nip_text,
    "nama": _text,
    "gelar_depan": _text,
    "gelar_belakang": _text,
    "jenis_asn": _jenis_asn,
    "jenis_kelamin": _jenis_kelamin,
    "tanggal_lahir": _date,
    "kode_pangkat": _text,
    "tmt_pangkat": _date,
    "kode_jabatan": _text,
    "kode_unit": _text,
    "nip_atasan": _supervisor_nip,
    "nip_penilai": _supervisor_nip,
    "aktif": _aktif,
    "tmt_mutasi": _date,
    "nomor_sk_mutasi": _text,
}


def parse_row(number: int, values: Sequence[Any]) -> tuple[PegawaiRow, list[RowError]]:
    """Convert the cells of one row and check what one row can tell: required cells, lengths,
    the vocabulary of each column, and the NIP by the domain rules of the pegawai form."""
    row = PegawaiRow(number)
    errors: list[RowError] = []
    for index, column in enumerate(COLUMNS):
        raw = values[index] if index < len(values) else None
        try:
            value = _CONVERTERS[column.key](raw)
        except DomainError as error:
            errors.append(RowError(number, column, error))
            continue
        if value is None:
            if column.required:
                errors.append(
                    RowError(number, column, DomainError(N_("This column must be filled in.")))
                )
            continue
        if column.max_length and len(value) > column.max_length:
            errors.append(
                RowError(
                    number,
                    column,
                    DomainError(N_("Too long: at most %(max)d characters."), max=column.max_length),
                )
            )
            continue
        setattr(row, column.key, value)
    if row.nip is not None and not any(e.column is BY_KEY["nip"] for e in errors):
        _check_nip(row, errors)
    _check_tmt_pangkat(row, errors)
    return row, errors


def _check_tmt_pangkat(row: PegawaiRow, errors: list[RowError]) -> None:
    """The plausible TMT window of the pegawai form and API (app.domain.tanggal)."""
    try:
        tanggal.check_tmt(row.tmt_pangkat, "tmt_pangkat", dt.date.today())
    except DomainError as error:
        errors.append(RowError(row.row, BY_KEY["tmt_pangkat"], error))
        row.tmt_pangkat = None


def _check_nip(row: PegawaiRow, errors: list[RowError]) -> None:
    """parse_nip + check_consistency, as the form's ValidNip and MatchesNip validators do.
    Without a valid jenis ASN only digits and length can be checked."""
    jenis = row.jenis_asn or "pppk"
    try:
        parsed = nip_rules.parse_nip(row.nip or "", jenis)
        row.nip = parsed.value
        nip_rules.check_consistency(parsed, row.tanggal_lahir, row.jenis_kelamin)
    except DomainError as error:
        errors.append(RowError(row.row, BY_KEY.get(error.field or "nip", BY_KEY["nip"]), error))
        if error.field in (None, "nip"):
            row.nip = None


# --- across rows and against the database ------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """What the checks need from the database, read once: codes and the org chart."""

    unit_ids: dict[str, int]  # kode (upper case) → id
    pangkat_ids: dict[tuple[str, str], int]  # (kode upper case, "pns" | "pppk") → id
    jabatan_ids: dict[str, int]  # "J12" → id
    pegawai_ids: dict[str, int]  # NIP → id
    atasan_of: dict[int, int | None]  # pegawai id → atasan id


def load_reference(session: Session) -> Reference:
    units = session.execute(select(UnitKerja.kode, UnitKerja.id))
    pangkat = session.execute(select(Pangkat.kode, Pangkat.jenis_asn, Pangkat.id))
    jabatan = session.execute(select(Jabatan.id))
    people = session.execute(select(Pegawai.id, Pegawai.nip, Pegawai.atasan_id)).all()
    return Reference(
        unit_ids={kode.upper(): unit_id for kode, unit_id in units},
        pangkat_ids={(kode.upper(), jenis): pid for kode, jenis, pid in pangkat},
        jabatan_ids={kode_jabatan(jid): jid for (jid,) in jabatan},
        pegawai_ids={nip: pid for pid, nip, _ in people},
        atasan_of={pid: atasan for pid, _, atasan in people},
    )


def check_rows(rows: Sequence[PegawaiRow], reference: Reference) -> list[RowError]:
    """The rules that need the other rows or the database: codes exist, each NIP once,
    supervisors exist (here or in the file), no cycle in the chain of command."""
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for row in rows:
        if row.nip is None:
            continue
        if row.nip in first_row:
            errors.append(
                RowError(
                    row.row,
                    BY_KEY["nip"],
                    DomainError(
                        N_("NIP %(nip)s appears more than once in the file (also on row %(row)d)."),
                        nip=row.nip,
                        row=first_row[row.nip],
                    ),
                )
            )
        else:
            first_row[row.nip] = row.row
    for row in rows:
        errors.extend(_check_codes(row, reference))
        errors.extend(_check_supervisors_exist(row, reference, first_row))
        errors.extend(_check_transfer_columns(row, reference))
    errors.extend(_check_cycles(rows, reference, first_row))
    return errors


def in_order(errors: Iterable[RowError]) -> list[RowError]:
    """Errors as a reader goes through the sheet: by row, then by column."""
    return sorted(errors, key=lambda e: (e.row, e.column.letter))


def _check_codes(row: PegawaiRow, reference: Reference) -> Iterator[RowError]:
    if row.kode_unit and row.kode_unit.upper() not in reference.unit_ids:
        yield RowError(
            row.row,
            BY_KEY["kode_unit"],
            DomainError(
                N_("Unknown work unit code %(kode)s; see the Referensi sheet."),
                kode=row.kode_unit,
            ),
        )
    if row.kode_jabatan and row.kode_jabatan.upper() not in reference.jabatan_ids:
        yield RowError(
            row.row,
            BY_KEY["kode_jabatan"],
            DomainError(
                N_("Unknown position code %(kode)s; see the Referensi sheet."),
                kode=row.kode_jabatan,
            ),
        )
    if row.kode_pangkat and row.jenis_asn:
        family = PANGKAT_FAMILY[row.jenis_asn]
        if (row.kode_pangkat.upper(), family) not in reference.pangkat_ids:
            yield RowError(
                row.row,
                BY_KEY["kode_pangkat"],
                DomainError(
                    N_("Unknown rank code %(kode)s for %(jenis)s; see the Referensi sheet."),
                    kode=row.kode_pangkat,
                    jenis=enums.label(enums.JENIS_PANGKAT, family),
                ),
            )


def _check_supervisors_exist(
    row: PegawaiRow, reference: Reference, first_row: dict[str, int]
) -> Iterator[RowError]:
    for key in ("nip_atasan", "nip_penilai"):
        nip = getattr(row, key)
        if nip is None or nip in first_row or nip in reference.pegawai_ids:
            continue
        yield RowError(
            row.row,
            BY_KEY[key],
            DomainError(
                N_("No employee with NIP %(nip)s exists, in the database or in this file."),
                nip=nip,
            ),
        )
    if row.nip and row.nip_penilai == row.nip:
        yield RowError(
            row.row,
            BY_KEY["nip_penilai"],
            OrgChartError(N_("An employee cannot be their own appraising official.")),
        )


def _check_transfer_columns(row: PegawaiRow, reference: Reference) -> Iterator[RowError]:
    """A transfer moves an employee already in SIKAP under a supervisor already in SIKAP
    (the riwayat jabatan names both); its SK number goes with its date."""
    if row.tmt_mutasi is None:
        if row.nomor_sk_mutasi is not None:
            yield RowError(
                row.row,
                BY_KEY["nomor_sk_mutasi"],
                DomainError(N_("A transfer's decree number goes with its TMT Mutasi.")),
            )
        return
    if row.nip and row.nip not in reference.pegawai_ids:
        yield RowError(
            row.row,
            BY_KEY["tmt_mutasi"],
            DomainError(
                N_("A transfer is for an employee already in SIKAP; leave it empty for a new one.")
            ),
        )
    if row.nip_atasan and row.nip_atasan not in reference.pegawai_ids:
        yield RowError(
            row.row,
            BY_KEY["nip_atasan"],
            DomainError(
                N_(
                    "The new supervisor of a transfer must already be in SIKAP: import them "
                    "first, then the transfer."
                )
            ),
        )


def _check_cycles(
    rows: Sequence[PegawaiRow], reference: Reference, first_row: dict[str, int]
) -> Iterator[RowError]:
    """check_atasan over the database's chain of command with the file's rows applied.

    Keys are pegawai ids; a person who is only in the file gets a provisional negative key
    (minus their row number)."""

    def key_of(nip: str | None) -> int | None:
        if nip is None:
            return None
        if nip in reference.pegawai_ids:
            return reference.pegawai_ids[nip]
        return -first_row[nip] if nip in first_row else None

    in_file = [row for row in rows if row.nip and first_row.get(row.nip) == row.row]
    atasan_in_file = {key_of(row.nip): key_of(row.nip_atasan) for row in in_file}

    def atasan_of(key: int) -> int | None:
        if key in atasan_in_file:
            return atasan_in_file[key]
        return reference.atasan_of.get(key)

    for row in in_file:
        try:
            org.check_atasan(key_of(row.nip), key_of(row.nip_atasan), atasan_of)
        except OrgChartError as error:
            yield RowError(row.row, BY_KEY["nip_atasan"], error)


# --- writing ----------------------------------------------------------------------------

_SUPERVISORS = (("nip_atasan", "atasan"), ("nip_penilai", "pejabat_penilai"))


@dataclass
class _Change:
    row: PegawaiRow
    pegawai: Pegawai | None  # None: a pegawai new to the database
    fields: dict[str, Any]  # attribute → new value, only those that differ
    supervisors: dict[str, str | None]  # "atasan" / "pejabat_penilai" → NIP, when it differs
    # A move to another post (app.services.mutasi): its arguments after the pegawai id, in
    # the order mutasi.catat takes them; the post is then not written as plain fields.
    transfer: tuple[Any, ...] | None = None

    @property
    def changes(self) -> bool:
        return bool(self.fields or self.supervisors or self.transfer)


# Where a refused transfer is shown: the column of the field the rule names.
TRANSFER_COLUMNS = {
    "tanggal": "tmt_mutasi",
    "unit_kerja_id": "kode_unit",
    "jabatan_id": "kode_jabatan",
    "atasan_id": "nip_atasan",
    "nomor_sk": "nomor_sk_mutasi",
}


def _values(row: PegawaiRow, reference: Reference) -> dict[str, Any]:
    family = PANGKAT_FAMILY[row.jenis_asn or "pns"]
    return {
        "nip": row.nip,
        "nama": row.nama,
        "gelar_depan": row.gelar_depan,
        "gelar_belakang": row.gelar_belakang,
        "jenis_asn": row.jenis_asn,
        "jenis_kelamin": row.jenis_kelamin,
        "tanggal_lahir": row.tanggal_lahir,
        "pangkat_id": (
            reference.pangkat_ids[(row.kode_pangkat.upper(), family)] if row.kode_pangkat else None
        ),
        "tmt_pangkat": row.tmt_pangkat,
        "jabatan_id": reference.jabatan_ids[row.kode_jabatan.upper()] if row.kode_jabatan else None,
        "unit_kerja_id": reference.unit_ids[(row.kode_unit or "").upper()],
        "aktif": row.aktif,
    }


def _plan(session: Session, rows: Sequence[PegawaiRow], reference: Reference) -> list[_Change]:
    nips = [row.nip for row in rows if row.nip]
    existing: dict[str, Pegawai] = {}
    for start in range(0, len(nips), 500):
        found = session.execute(select(Pegawai).where(Pegawai.nip.in_(nips[start : start + 500])))
        existing.update({pegawai.nip: pegawai for pegawai in found.scalars()})
    plan = []
    for row in rows:
        pegawai = existing.get(row.nip or "")
        values = _values(row, reference)
        supervisors = {relation: getattr(row, key) for key, relation in _SUPERVISORS}
        transfer = None
        if pegawai is not None:
            values = {k: v for k, v in values.items() if getattr(pegawai, k) != v}
            supervisors = {
                relation: nip
                for relation, nip in supervisors.items()
                if _new_supervisor(pegawai, relation, nip, reference)
            }
            transfer = _transfer(row, pegawai, values, supervisors, reference)
        plan.append(_Change(row, pegawai, values, supervisors, transfer))
    return plan


def _transfer(
    row: PegawaiRow,
    pegawai: Pegawai,
    values: dict[str, Any],
    supervisors: dict[str, str | None],
    reference: Reference,
) -> tuple[Any, ...] | None:
    """A row with a TMT Mutasi whose post (unit, jabatan, atasan) is not the employee's is a
    transfer: the post leaves the plain changes, for app.services.mutasi. The same file
    imported again finds the post taken and changes nothing."""
    moves = bool({"unit_kerja_id", "jabatan_id"} & values.keys()) or "atasan" in supervisors
    if row.tmt_mutasi is None or not moves:
        return None
    values.pop("unit_kerja_id", None)
    values.pop("jabatan_id", None)
    supervisors.pop("atasan", None)
    return (
        row.tmt_mutasi,
        reference.unit_ids[(row.kode_unit or "").upper()],
        reference.jabatan_ids[row.kode_jabatan.upper()] if row.kode_jabatan else None,
        reference.pegawai_ids.get(row.nip_atasan or ""),
        row.nomor_sk_mutasi,
    )


def _check_transfers(
    session: Session, plan: Sequence[_Change], viewer: scope.Viewer
) -> list[RowError]:
    """Every rule of each transfer of the file (app.services.mutasi), before anything is
    written; a refusal is shown on the column of the field it names."""
    errors = []
    for change in plan:
        if change.transfer is None or change.pegawai is None:
            continue
        try:
            mutasi.periksa(session, viewer, change.pegawai.id, *change.transfer)
        except DomainError as error:
            column = TRANSFER_COLUMNS.get(error.field or "tanggal", "tmt_mutasi")
            errors.append(RowError(change.row.row, BY_KEY[column], error))
    return errors


def _new_supervisor(pegawai: Pegawai, relation: str, nip: str | None, reference: Reference) -> bool:
    if nip is not None and nip not in reference.pegawai_ids:
        return True  # someone new in this file
    return reference.pegawai_ids.get(nip or "") != getattr(pegawai, f"{relation}_id")


def _apply(session: Session, plan: Sequence[_Change], reference: Reference) -> set[int]:
    """Write the changes of the plan; return the ids whose org-chart roles may change."""
    targets: list[tuple[_Change, Pegawai]] = []
    new_people: dict[str, Pegawai] = {}
    affected: set[int] = set()
    with session.no_autoflush:
        for change in plan:
            pegawai = change.pegawai
            if pegawai is None:
                pegawai = Pegawai()
                session.add(pegawai)
                new_people[change.row.nip or ""] = pegawai
            elif not change.changes:
                continue
            else:  # whoever supervised them may lose the atasan role
                affected.update(filter(None, (pegawai.atasan_id, pegawai.pejabat_penilai_id)))
            for key, value in change.fields.items():
                setattr(pegawai, key, value)
            accounts.follow_aktif(pegawai)
            targets.append((change, pegawai))
        deferred: list[tuple[Pegawai, Pegawai]] = []
        for change, pegawai in targets:
            for relation, nip in change.supervisors.items():
                if nip is None or nip in reference.pegawai_ids:
                    setattr(pegawai, f"{relation}_id", reference.pegawai_ids.get(nip or ""))
                elif relation == "atasan":
                    # The unit of work inserts the atasan first (no cycles: checked).
                    pegawai.atasan = new_people[nip]
                else:
                    # A pejabat penilai new in this file may close a loop with the atasan
                    # links, which the unit of work cannot order: set once both have ids.
                    deferred.append((pegawai, new_people[nip]))
    session.flush()
    for pegawai, penilai in deferred:
        pegawai.pejabat_penilai_id = penilai.id
    session.flush()
    for _, pegawai in targets:
        affected.update(filter(None, (pegawai.id, pegawai.atasan_id, pegawai.pejabat_penilai_id)))
    return affected


def _apply_transfers(
    session: Session, plan: Sequence[_Change], reference: Reference, viewer: scope.Viewer
) -> set[int]:
    """Record the file's transfers once its other changes are written; an evaluator
    override the row names belongs to the new post (the transfer clears the old one).
    Return the ids whose org-chart roles may change."""
    affected: set[int] = set()
    for change in plan:
        if change.transfer is None or change.pegawai is None:
            continue
        pegawai = change.pegawai
        hasil = mutasi.catat(session, viewer, pegawai.id, *change.transfer)
        penilai = reference.pegawai_ids.get(change.row.nip_penilai or "")
        if penilai is not None:
            pegawai.pejabat_penilai_id = penilai
            hasil.skp_baru.penilai_id = pegawai.penilai_id
            affected.update((pegawai.id, penilai))
    session.flush()
    return affected


def import_pegawai(
    session: Session,
    stream: IO[bytes],
    filename: str,
    *,
    actor: str,
    dry_run: bool = False,
    limit: int = 10 * MB,
    viewer: scope.Viewer | None = None,
) -> ImportResult:
    """Check the workbook and, when every row is valid and this is not a dry run, create or
    update its pegawai and their org-chart roles, and record the transfers it carries,
    attributed in the audit trail to ``actor`` and (riwayat jabatan) to ``viewer``, admin
    BKPSDM (default: the command line's operator). The caller commits. Raise
    InvalidWorkbook when the file is not a readable .xlsx."""
    viewer = viewer or scope.Viewer(user_id=None, is_admin=True)
    check_xlsx(stream, limit)
    rows, errors = read_workbook(stream)
    result = ImportResult(filename, dry_run, len(rows), errors)
    if any(error.row == HEADER_ROW for error in errors):
        return result
    reference = load_reference(session)
    result.errors = in_order([*errors, *check_rows(rows, reference)])
    if result.errors:
        return result
    plan = _plan(session, rows, reference)
    result.errors = in_order(_check_transfers(session, plan, viewer))
    if result.errors:
        return result
    result.created = sum(1 for change in plan if change.pegawai is None)
    result.updated = sum(1 for change in plan if change.pegawai is not None and change.changes)
    result.unchanged = len(plan) - result.created - result.updated
    if dry_run or not (result.created or result.updated):
        return result
    with audit.attributed_to(actor):
        affected = _apply(session, plan, reference)
        org_service.sync_roles(session, affected)
        session.flush()
        org_service.sync_roles(session, _apply_transfers(session, plan, reference, viewer))
        session.flush()
    return result


# --- the template's contents ------------------------------------------------------------


@dataclass(frozen=True)
class TemplateLists:
    """The reference lists of the template: (code, name, kind) of each pangkat, unit and
    jabatan, in the order an admin looks for them."""

    pangkat: list[tuple[str, str, str]]
    units: list[tuple[str, str]]
    jabatan: list[tuple[str, str, str, str | None]]


def template_lists(session: Session) -> TemplateLists:
    pangkat = session.execute(
        select(Pangkat.kode, Pangkat.nama, Pangkat.jenis_asn).order_by(
            Pangkat.jenis_asn, Pangkat.urutan, Pangkat.kode
        )
    ).all()
    units = session.execute(
        select(UnitKerja.kode, UnitKerja.nama_lengkap).order_by(UnitKerja.path)
    ).all()
    jabatan = session.execute(
        select(Jabatan.id, Jabatan.nama, Jabatan.jenis, Jabatan.jenjang).order_by(
            Jabatan.nama, Jabatan.jenis, Jabatan.jenjang
        )
    ).all()
    return TemplateLists(
        pangkat=[tuple(row) for row in pangkat],
        units=[tuple(row) for row in units],
        jabatan=[
            (kode_jabatan(jid), nama, jenis, jenjang) for jid, nama, jenis, jenjang in jabatan
        ],
    )


def current_rows(session: Session) -> Iterable[tuple[Any, ...]]:
    """Every pegawai as a row of the template, in column order: the template filled with
    today's data, which imports back without a change."""
    atasan = aliased(Pegawai)
    penilai = aliased(Pegawai)
    query = (
        select(
            Pegawai.nip,
            Pegawai.nama,
            Pegawai.gelar_depan,
            Pegawai.gelar_belakang,
            Pegawai.jenis_asn,
            Pegawai.jenis_kelamin,
            Pegawai.tanggal_lahir,
            Pangkat.kode,
            Pegawai.tmt_pangkat,
            Pegawai.jabatan_id,
            UnitKerja.kode,
            atasan.nip,
            penilai.nip,
            Pegawai.aktif,
        )
        .join(UnitKerja, UnitKerja.id == Pegawai.unit_kerja_id)
        .outerjoin(Pangkat, Pangkat.id == Pegawai.pangkat_id)
        .outerjoin(atasan, atasan.id == Pegawai.atasan_id)
        .outerjoin(penilai, penilai.id == Pegawai.pejabat_penilai_id)
        .order_by(UnitKerja.path, Pegawai.nama, Pegawai.nip)
        .execution_options(yield_per=1000)
    )
    asn_label = {value: label for label, value in JENIS_ASN_CHOICES.items()}
    gender_label = {value: label for label, value in JENIS_KELAMIN_CHOICES.items()}
    aktif_label = {value: label for label, value in AKTIF_CHOICES.items()}
    for values in session.execute(query):
        (nip, nama, depan, belakang, jenis, kelamin, lahir, pangkat, tmt, jabatan_id, unit) = (
            values[:11]
        )
        yield (
            nip,
            nama,
            depan,
            belakang,
            asn_label.get(jenis, jenis),
            gender_label.get(kelamin),
            lahir,
            pangkat,
            tmt,
            kode_jabatan(jabatan_id) if jabatan_id else None,
            unit,
            values[11],
            values[12],
            aktif_label[bool(values[13])],
            None,  # TMT Mutasi: a transfer is typed in when it happens
            None,
        )
