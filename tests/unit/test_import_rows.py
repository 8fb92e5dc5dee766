"""The rules of one row of the pegawai import and of the rows together, without a database
(app.services.impor: parse_row, check_rows, check_header, check_xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from app.domain.errors import DomainError
from app.services import impor

NIP = "199001012015031001"  # born 1 January 1990, CPNS March 2015, pria, 001
OTHER = "198505052010012002"  # born 5 May 1985, wanita
THIRD = "197003032000031003"


def cells(**values: object) -> list[object]:
    """A row in column order; a valid PNS unless told otherwise."""
    row = {
        "nip": NIP,
        "nama": "Ahmad Fauzi",
        "jenis_asn": "PNS",
        "jenis_kelamin": "Pria",
        "tanggal_lahir": dt.datetime(1990, 1, 1),
        "kode_unit": "DINKES",
        **values,
    }
    return [row.get(column.key) for column in impor.COLUMNS]


def parsed(**values: object) -> tuple[impor.PegawaiRow, list[impor.RowError]]:
    return impor.parse_row(7, cells(**values))


def columns_of(errors: list[impor.RowError]) -> list[str]:
    return [error.column.key for error in errors]


def reference(**people: int | None) -> impor.Reference:
    """Codes DINKES, III/a (PNS), IX (PPPK), J1; pegawai NIP → id given as keyword
    nip_<id>=atasan id; NIPs are looked up from DB_NIPS."""
    atasan_of = {int(key.split("_")[1]): atasan for key, atasan in people.items()}
    return impor.Reference(
        unit_ids={"DINKES": 1},
        pangkat_ids={("III/A", "pns"): 1, ("IX", "pppk"): 2},
        jabatan_ids={"J1": 1},
        pegawai_ids={DB_NIPS[pid]: pid for pid in atasan_of},
        atasan_of=atasan_of,
    )


DB_NIPS = {1: "196001011985031001", 2: "196502021990032002", 3: "197004042000031003"}


def row(number: int, nip: str, atasan: str | None = None, **values: object) -> impor.PegawaiRow:
    return impor.PegawaiRow(
        number, nip=nip, nama="X", jenis_asn="pns", kode_unit="DINKES", nip_atasan=atasan, **values
    )


# --- one row ------------------------------------------------------------------------------


def test_a_valid_row_is_converted_to_stored_values():
    result, errors = parsed(gelar_belakang="  S.Kom.  ", kode_pangkat="III/a", aktif="Tidak")
    assert errors == []
    assert (result.nip, result.jenis_asn, result.jenis_kelamin) == (NIP, "pns", "1")
    assert result.tanggal_lahir == dt.date(1990, 1, 1)
    assert (result.gelar_belakang, result.aktif) == ("S.Kom.", False)


def test_a_nip_stored_as_a_number_is_refused_with_the_reason():
    _, errors = parsed(nip=1.99001012015031e17)
    assert columns_of(errors) == ["nip"]
    assert "15 digits" in errors[0].error.message


def test_even_an_exact_integer_nip_is_refused_because_it_cannot_be_told_from_a_rounded_one():
    _, errors = parsed(nip=int(NIP))
    assert columns_of(errors) == ["nip"]


def test_a_nip_with_spaces_is_read_as_its_digits():
    result, errors = parsed(nip="19900101 201503 1 001")
    assert errors == [] and result.nip == NIP


@pytest.mark.parametrize(
    "nip",
    ["19900101201503100", "19900101201503100X", "199013012015031001", "199001012015033001"],
)
def test_a_bad_nip_is_reported_on_the_nip_column(nip):
    result, errors = parsed(nip=nip, tanggal_lahir=None, jenis_kelamin=None)
    assert columns_of(errors) == ["nip"]
    assert result.nip is None


def test_a_birth_date_that_does_not_match_the_nip_is_reported_on_its_column():
    _, errors = parsed(tanggal_lahir="02-01-1990")
    assert columns_of(errors) == ["tanggal_lahir"]
    assert errors[0].error.params == {"nip_date": "1990-01-01"}


def test_a_gender_that_does_not_match_the_nip_is_reported_on_its_column():
    _, errors = parsed(jenis_kelamin="Wanita")
    assert columns_of(errors) == ["jenis_kelamin"]


def test_pppk_numbers_are_checked_for_digits_and_length_only():
    result, errors = parsed(
        nip="202301012023011001", jenis_asn="PPPK Paruh Waktu", tanggal_lahir=None
    )
    assert errors == [] and result.jenis_asn == "pppk_paruh_waktu"


@pytest.mark.parametrize("key", ["nip", "nama", "jenis_asn", "kode_unit"])
def test_a_required_column_left_empty_is_reported(key):
    _, errors = parsed(**{key: "  "})
    assert columns_of(errors) == [key]


def test_a_name_longer_than_the_column_is_reported():
    _, errors = parsed(nama="A" * 151)
    assert columns_of(errors) == ["nama"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("jenis_asn", "Honorer"),
        ("jenis_kelamin", "X"),
        ("aktif", "Mungkin"),
        ("tanggal_lahir", "1990/31/01"),
        ("tmt_pangkat", 43000),
    ],
)
def test_a_value_outside_its_column_vocabulary_is_reported(key, value):
    _, errors = parsed(**{key: value})
    assert columns_of(errors) == [key]


@pytest.mark.parametrize(
    ("value", "expected"), [("L", "1"), ("laki-laki", "1"), ("P", "2"), (2, "2"), ("wanita", "2")]
)
def test_gender_accepts_the_usual_forms(value, expected):
    nip = NIP if expected == "1" else OTHER
    result, errors = parsed(nip=nip, jenis_kelamin=value, tanggal_lahir=None)
    assert errors == [] and result.jenis_kelamin == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, True), ("ya", True), ("TIDAK", False), (True, True), (0, False), ("nonaktif", False)],
)
def test_aktif_accepts_ya_tidak_and_defaults_to_ya(value, expected):
    result, errors = parsed(aktif=value)
    assert errors == [] and result.aktif is expected


@pytest.mark.parametrize("text", ["01-01-1990", "01/01/1990", "1990-01-01", "01.01.1990"])
def test_dates_typed_as_text_are_read_day_first(text):
    result, errors = parsed(tanggal_lahir=text)
    assert errors == [] and result.tanggal_lahir == dt.date(1990, 1, 1)


def test_a_supervisor_nip_stored_as_a_number_is_refused():
    _, errors = parsed(nip_atasan=float(OTHER))
    assert columns_of(errors) == ["nip_atasan"]


def test_the_header_must_be_the_templates():
    header = [column.header for column in impor.COLUMNS]
    assert impor.check_header(header) == []
    assert impor.check_header([h.upper() for h in header]) == []
    header[3], header[4] = header[4], header[3]
    errors = impor.check_header(header)
    assert [(e.row, e.column.letter) for e in errors] == [(1, "D"), (1, "E")]


# --- rows together ----------------------------------------------------------------------


def test_a_nip_twice_in_the_file_is_reported_on_the_later_row():
    errors = impor.check_rows([row(2, NIP), row(3, OTHER), row(9, NIP)], reference())
    assert [(e.row, e.column.key, e.error.params["row"]) for e in errors] == [(9, "nip", 2)]


def test_unknown_codes_are_reported_on_their_columns():
    bad = row(4, NIP, kode_pangkat="IX", kode_jabatan="J99")
    bad.kode_unit = "NOWHERE"
    errors = impor.check_rows([bad], reference())
    assert sorted(columns_of(errors)) == ["kode_jabatan", "kode_pangkat", "kode_unit"]


def test_a_pangkat_code_is_looked_up_for_the_kind_of_asn():
    pppk = row(4, NIP, kode_pangkat="ix")
    pppk.jenis_asn = "pppk"
    assert impor.check_rows([pppk, row(5, OTHER, kode_pangkat="iii/a")], reference()) == []


def test_an_atasan_neither_in_the_database_nor_in_the_file_is_reported():
    errors = impor.check_rows([row(2, NIP, atasan=OTHER)], reference())
    assert [(e.row, e.column.key) for e in errors] == [(2, "nip_atasan")]


def test_an_atasan_further_down_the_file_or_in_the_database_is_accepted():
    rows = [row(2, NIP, atasan=OTHER), row(3, OTHER, atasan=DB_NIPS[1])]
    assert impor.check_rows(rows, reference(nip_1=None)) == []


def test_a_cycle_inside_the_file_is_reported_on_every_row_of_it():
    rows = [row(2, NIP, atasan=OTHER), row(3, OTHER, atasan=THIRD), row(4, THIRD, atasan=NIP)]
    errors = impor.check_rows(rows, reference())
    assert [(e.row, e.column.key) for e in errors] == [
        (2, "nip_atasan"),
        (3, "nip_atasan"),
        (4, "nip_atasan"),
    ]


def test_a_cycle_through_the_database_is_reported():
    # In the database 2 reports to 1; the file makes 1 report to a new person who reports to 2.
    rows = [row(2, DB_NIPS[1], atasan=NIP), row(3, NIP, atasan=DB_NIPS[2])]
    errors = impor.check_rows(rows, reference(nip_1=None, nip_2=1))
    assert {e.row for e in errors} == {2, 3}
    assert all(e.column.key == "nip_atasan" for e in errors)


def test_the_file_overrides_the_database_chain_it_corrects():
    # In the database 2 reports to 1; the file moves 1 under 3 and 2 under 3: no cycle.
    rows = [row(2, DB_NIPS[1], atasan=DB_NIPS[3]), row(3, DB_NIPS[2], atasan=DB_NIPS[3])]
    assert impor.check_rows(rows, reference(nip_1=None, nip_2=1, nip_3=None)) == []


def test_self_supervision_is_refused_for_atasan_and_pejabat_penilai():
    errors = impor.check_rows([row(2, NIP, atasan=NIP, nip_penilai=NIP)], reference())
    assert sorted(columns_of(errors)) == ["nip_atasan", "nip_penilai"]


# --- the file itself --------------------------------------------------------------------


def _workbook_bytes() -> bytes:
    book = Workbook()
    book.active.append(["NIP"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_real_workbook_passes_the_content_check():
    impor.check_xlsx(io.BytesIO(_workbook_bytes()), impor.MB)


def _zip(parts: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    "stream",
    [
        io.BytesIO(b"NIP;Nama\n199001012015031001;Ahmad\n"),
        _zip({"hello.txt": b"hi"}),
        _zip(
            {
                "[Content_Types].xml": b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                "xl/workbook.xml": b"<workbook/>",
            }
        ),
    ],
    ids=["csv renamed", "other zip", "macro workbook"],
)
def test_anything_but_an_xlsx_is_refused_by_its_content(stream):
    with pytest.raises(impor.InvalidWorkbook):
        impor.check_xlsx(stream, impor.MB)
    assert stream.tell() == 0


def test_a_workbook_that_unpacks_to_too_much_is_refused():
    stream = _zip(
        {
            "[Content_Types].xml": impor.XLSX_MAIN,
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * (impor.MAX_UNPACKED_RATIO * 1024 + 1),
        }
    )
    with pytest.raises(impor.InvalidWorkbook):
        impor.check_xlsx(stream, 1024)


def test_row_errors_are_domain_errors_with_msgids():
    _, errors = parsed(nip="123")
    assert isinstance(errors[0].error, DomainError)
    assert errors[0].row == 7 and errors[0].column.letter == "A"
