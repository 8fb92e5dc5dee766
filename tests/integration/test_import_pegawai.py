"""Impor Pegawai: the BKPSDM template downloaded, filled in and uploaded (page and CLI).

A clean file creates and updates pegawai by NIP in one go, attributed to the import in the
audit trail; a file with any bad row is reported row by row and column by column and writes
nothing; the same file twice changes nothing; "check only" writes nothing; only admin BKPSDM
reaches the page. Assertions name rows and columns, not wording (the catalogue may change).
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Jabatan, Pegawai
from app.services import impor
from tests.factories import new_chain, unique_nip

URL = "/pegawai/impor/"
HEADERS = [column.header for column in impor.COLUMNS]
PROBLEM = re.compile(r'<tr data-row="(\d+)"><td>\d+</td><td>([A-N]) · ')
UNIT = "BAPPEDA"


@pytest.fixture(scope="module")
def jabatan_kode(app) -> str:  # noqa: ANN001
    with app.app_context():
        first = db.session.execute(select(Jabatan.id).order_by(Jabatan.id).limit(1)).scalar_one()
        return impor.kode_jabatan(first)


@pytest.fixture()
def admin(login):  # noqa: ANN001, ANN201
    return login("admin")


def lahir_of(nip: str) -> date:
    return date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))


def row(nip: str, **values: object) -> dict[str, object]:
    """A valid row for a new PNS in BAPPEDA; keys are template column keys."""
    return {
        "nip": nip,
        "nama": f"Pegawai {nip[-6:]}",
        "jenis_asn": "PNS",
        "jenis_kelamin": "Pria" if nip[14] == "1" else "Wanita",
        "tanggal_lahir": lahir_of(nip).strftime("%d-%m-%Y"),
        "kode_pangkat": "III/a",
        "kode_unit": UNIT,
        "aktif": "Ya",
        **values,
    }


def workbook(rows: list[dict[str, object]]) -> bytes:
    """The data sheet as the template lays it out, built with openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.title = impor.DATA_SHEET
    sheet.append(HEADERS)
    for values in rows:
        sheet.append([values.get(column.key) for column in impor.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, check_only: bool = False, name: str = "pegawai.xlsx"):  # noqa: ANN001, ANN201
    data = {"berkas": (io.BytesIO(content), name)}
    if check_only:
        data["periksa"] = "y"
    return client.post(URL, data=data, content_type="multipart/form-data")


def problems(html: str) -> set[tuple[int, str]]:
    """(row, column letter) of every problem the result page lists."""
    return {(int(number), letter) for number, letter in PROBLEM.findall(html)}


def counts(app) -> tuple[int, int]:  # noqa: ANN001
    """(pegawai, audit rows): what "nothing written" leaves as it was."""
    with app.app_context():
        pegawai = db.session.execute(select(func.count()).select_from(Pegawai)).scalar_one()
        audit = db.session.execute(select(func.count()).select_from(AuditLog)).scalar_one()
        return pegawai, audit


def pegawai(app, nip: str) -> Pegawai | None:  # noqa: ANN001
    with app.app_context():
        found = db.session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar_one_or_none()
        if found is not None:
            db.session.expunge(found)
        return found


def run_cli(app, tmp_path: Path, content: bytes, *options: str):  # noqa: ANN001, ANN201
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(content)
    # result.output holds what the terminal shows: the summary and the errors (stderr).
    return app.test_cli_runner().invoke(args=["import-pegawai", str(path), *options])


# --- a clean file -------------------------------------------------------------------------


def test_a_good_file_creates_the_pegawai_with_their_atasan(app, admin, jabatan_kode):
    chief, staff = unique_nip(), unique_nip("2")
    rows = [
        # The atasan comes after the one who reports to them: order in the file is free.
        row(staff, nip_atasan=chief, kode_jabatan=jabatan_kode, gelar_belakang="S.E."),
        row(chief, tmt_pangkat="01-04-2024", nama="Kepala Baru"),
    ]
    response = upload(admin, workbook(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert 'id="dibuat">2<' in html
    created, boss = pegawai(app, staff), pegawai(app, chief)
    assert (created.nama, created.gelar_belakang, created.jenis_kelamin) == (
        f"Pegawai {staff[-6:]}",
        "S.E.",
        "2",
    )
    assert created.tanggal_lahir == lahir_of(staff)
    assert created.atasan_id == boss.id
    assert created.jabatan_id == int(jabatan_kode[1:])
    assert boss.tmt_pangkat == date(2024, 4, 1) and boss.aktif is True


def test_a_good_file_updates_only_what_changed(app, admin):
    first, second = unique_nip(), unique_nip()
    rows = [row(first), row(second)]
    assert upload(admin, workbook(rows)).status_code == 200
    version = pegawai(app, second).version_id
    rows[0] = row(first, nama="Nama Diperbaiki", aktif="Tidak")
    response = upload(admin, workbook(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="dibuat">0<' in html and 'id="diubah">1<' in html and 'id="tetap">1<' in html
    changed = pegawai(app, first)
    assert (changed.nama, changed.aktif) == ("Nama Diperbaiki", False)
    assert pegawai(app, second).version_id == version


def test_supervisors_new_in_the_file_may_point_at_each_other(app, admin):
    # A reports to B; B is appraised by A (an override): both new, set in one import.
    a, b = unique_nip(), unique_nip()
    response = upload(admin, workbook([row(a, nip_atasan=b), row(b, nip_penilai=a)]))
    assert response.status_code == 200, response.get_data(as_text=True)
    first, second = pegawai(app, a), pegawai(app, b)
    assert (first.atasan_id, second.pejabat_penilai_id) == (second.id, first.id)


def test_the_web_import_is_attributed_to_the_file_and_the_admin(app, admin):
    nip = unique_nip()
    upload(admin, workbook([row(nip)]), name="januari.xlsx")
    with app.app_context():
        row_id = str(db.session.execute(select(Pegawai.id).where(Pegawai.nip == nip)).scalar())
        who = db.session.execute(
            select(AuditLog.username).where(
                AuditLog.table_name == "pegawai", AuditLog.row_id == row_id
            )
        ).scalars()
        assert list(who) == ["import:januari.xlsx (admin)"]


def test_an_atasan_given_by_the_file_gets_the_atasan_role(app, admin):
    chain = new_chain(app)
    response = upload(admin, workbook([row(unique_nip(), nip_atasan=chain.staff)]))
    assert response.status_code == 200
    with app.app_context():
        staff = db.session.execute(select(Pegawai).where(Pegawai.nip == chain.staff)).scalar_one()
        assert "atasan" in {role.name for role in staff.user.roles}


# --- bad rows: reported by row and column, nothing written ---------------------------------


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(app, admin):
    good, twice, loop_a, loop_b, other = (unique_nip() for _ in range(5))
    rows = [
        row(good),  # row 2: fine on its own, but not saved either
        row("19900101201503100"),  # row 3: NIP of 17 digits
        row(unique_nip(), kode_pangkat="IX/z"),  # row 4: unknown pangkat
        row(unique_nip(), kode_unit="TIDAK-ADA"),  # row 5: unknown unit
        row(twice),  # row 6
        row(twice),  # row 7: the same NIP again
        row(unique_nip(), nip_atasan="199912312025011999"),  # row 8: unknown atasan
        row(loop_a, nip_atasan=loop_b),  # row 9: cycle with row 10
        row(loop_b, nip_atasan=loop_a),  # row 10
        row(other, tanggal_lahir="02-02-1999"),  # row 11: not the birth date of the NIP
        {**row(unique_nip()), "nip": 199001012015031001},  # row 12: NIP stored as a number
    ]
    before = counts(app)
    response = upload(admin, workbook(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert problems(html) == {
        (3, "A"),
        (4, "H"),
        (5, "K"),
        (7, "A"),
        (8, "L"),
        (9, "L"),
        (10, "L"),
        (11, "G"),
        (12, "A"),
    }
    assert 'id="baris-dibaca">11<' in html and 'id="baris-salah">9<' in html
    assert 'id="baris-valid">2<' in html
    assert counts(app) == before
    assert pegawai(app, good) is None


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        ({"nip": "199013012015031001"}, "A"),
        ({"kode_pangkat": "V/a"}, "H"),
        ({"kode_unit": "ENTAH"}, "K"),
        ({"nip_atasan": "198001012005011999"}, "L"),
        ({"jenis_kelamin": "Wanita"}, "F"),
        ({"jenis_asn": "Honorer"}, "E"),
    ],
    ids=["bad nip", "unknown pangkat", "unknown unit", "unknown atasan", "gender", "jenis asn"],
)
def test_one_bad_row_stops_the_whole_file(app, tmp_path, bad, column):
    good = unique_nip()
    before = counts(app)
    result = run_cli(app, tmp_path, workbook([row(good), {**row(unique_nip()), **bad}]))
    assert result.exit_code == 1
    assert re.search(rf"\b3\b\D+{column} \(", result.output)
    assert counts(app) == before


@pytest.mark.parametrize("tmt", ["01-01-9999", date(1, 1, 1)], ids=["year 9999", "year 1"])
def test_an_implausible_tmt_pangkat_is_refused_on_its_row_and_column(app, tmp_path, tmt):
    """The rule of the pegawai form and API (app.domain.tanggal.check_tmt), on the import."""
    nip = unique_nip()
    before = counts(app)
    result = run_cli(app, tmp_path, workbook([row(unique_nip()), row(nip, tmt_pangkat=tmt)]))
    assert result.exit_code == 1
    assert re.search(r"\b3\b\D+I \(", result.output), result.output
    assert counts(app) == before and pegawai(app, nip) is None


def test_a_cycle_through_the_database_is_refused(app, admin):
    chain = new_chain(app)  # boss → atasan → staff in the database
    response = upload(admin, workbook([row(chain.boss, nip_atasan=chain.staff)]))
    # The boss's row carries the database's other columns too: only the atasan is wrong.
    assert response.status_code == 422
    assert (2, "L") in problems(response.get_data(as_text=True))


def test_a_wrong_header_is_reported_on_row_one(app, admin):
    book = Workbook()
    book.active.title = impor.DATA_SHEET
    book.active.append(["NIP", "Nama Lengkap", *HEADERS[2:]])
    book.active.append(list(row(unique_nip()).values()))
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(admin, buffer.getvalue())
    assert response.status_code == 422
    assert problems(response.get_data(as_text=True)) == {(1, "B")}


# --- the same file twice; check only ----------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing_the_second_time(app, tmp_path):
    chief = unique_nip()
    content = workbook([row(chief), row(unique_nip(), nip_atasan=chief), row(unique_nip("2"))])
    first = run_cli(app, tmp_path, content)
    assert first.exit_code == 0, first.output
    after_first = counts(app)
    version = pegawai(app, chief).version_id
    second = run_cli(app, tmp_path, content)
    assert second.exit_code == 0, second.output
    assert counts(app) == after_first
    assert pegawai(app, chief).version_id == version
    with app.app_context():
        rows = db.session.execute(
            select(AuditLog.username, AuditLog.action)
            .where(AuditLog.table_name == "pegawai")
            .order_by(AuditLog.id.desc())
            .limit(3)
        ).all()
        assert rows == [("cli:import-pegawai", "insert")] * 3


def test_check_only_on_the_page_writes_nothing(app, admin):
    nip = unique_nip()
    before = counts(app)
    response = upload(admin, workbook([row(nip)]), check_only=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="dibuat">1<' in html
    assert counts(app) == before and pegawai(app, nip) is None


def test_dry_run_on_the_command_line_writes_nothing(app, tmp_path):
    nip = unique_nip()
    before = counts(app)
    result = run_cli(app, tmp_path, workbook([row(nip)]), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1" in result.output.splitlines()[-1]
    assert counts(app) == before and pegawai(app, nip) is None


def test_the_command_line_prints_a_summary_and_exits_zero_on_success(app, tmp_path):
    nip = unique_nip()
    result = run_cli(app, tmp_path, workbook([row(nip)]))
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert re.findall(r"\d+", summary)[:3] == ["1", "1", "0"]  # read, valid, with errors
    assert pegawai(app, nip) is not None


def test_the_command_line_refuses_a_file_that_is_not_a_workbook(app, tmp_path):
    result = run_cli(app, tmp_path, b"NIP;Nama\n")
    assert result.exit_code == 1
    assert "xlsx" in (result.output)


# --- the template --------------------------------------------------------------------------


def test_the_downloaded_template_filled_in_imports(app, admin, jabatan_kode):
    response = admin.get(URL + "templat.xlsx")
    assert response.status_code == 200
    assert response.mimetype == impor.XLSX_MIME
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [impor.DATA_SHEET, impor.REFERENCE_SHEET, impor.INSTRUCTIONS_SHEET]
    sheet = book[impor.DATA_SHEET]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.column_dimensions["A"].number_format == "@"  # the NIP column is text
    dropdowns = {
        str(validation.sqref).split(":")[0][0]
        for validation in sheet.data_validations.dataValidation
        if validation.type == "list"
    }
    assert dropdowns >= {"E", "F", "H", "J", "K", "N"}
    units = [line[4] for line in book[impor.REFERENCE_SHEET].iter_rows(min_row=2, values_only=True)]
    assert UNIT in units

    chief, staff = unique_nip(), unique_nip("2")
    filled = [
        row(chief, kode_jabatan=jabatan_kode),
        row(staff, nip_atasan=chief, tanggal_lahir=lahir_of(staff)),
    ]
    for number, values in enumerate(filled, start=2):
        for index, column in enumerate(impor.COLUMNS, start=1):
            value = values.get(column.key)
            if value is not None:
                sheet.cell(row=number, column=index, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    result = upload(admin, buffer.getvalue())
    assert result.status_code == 200, result.get_data(as_text=True)
    assert pegawai(app, staff).atasan_id == pegawai(app, chief).id


def test_the_template_with_todays_employees_imports_back_unchanged(app, admin):
    response = admin.get(URL + "templat.xlsx?isi=1")
    assert response.status_code == 200
    total, audit = counts(app)
    result = upload(admin, response.data)
    html = result.get_data(as_text=True)
    assert result.status_code == 200, problems(html)
    assert f'id="tetap">{total}<' in html and 'id="diubah">0<' in html
    assert counts(app) == (total, audit)


# --- who and what may be uploaded --------------------------------------------------------


@pytest.mark.parametrize("role", ["pimpinan", "atasan", "staff"])
@pytest.mark.parametrize("method", ["page", "template", "upload"])
def test_only_admin_bkpsdm_reaches_the_import(app, login, cast, role, method):
    client = login(getattr(cast, role))
    before = counts(app)
    if method == "page":
        response = client.get(URL)
    elif method == "template":
        response = client.get(URL + "templat.xlsx")
    else:
        response = upload(client, workbook([row(unique_nip())]))
    assert response.status_code == 403
    assert counts(app) == before


def test_the_menu_offers_the_import_to_admin_only(login, cast):
    assert URL in login("admin").get("/").get_data(as_text=True)
    assert URL not in login(cast.pimpinan).get("/").get_data(as_text=True)


def test_a_file_over_the_upload_limit_answers_413(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    before = counts(app)
    response = upload(admin, b"PK" + b"\0" * (1024 * 1024 + 80 * 1024))
    assert response.status_code == 413
    assert 'id="masalah-berkas"' in response.get_data(as_text=True)
    assert "1 MB" in response.get_data(as_text=True)
    assert counts(app) == before


@pytest.mark.parametrize(
    "content",
    [b"NIP,Nama\n199001012015031001,Ahmad\n", b"PK\x03\x04 not really a zip"],
    ids=["csv named .xlsx", "broken zip"],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused(app, admin, content):
    before = counts(app)
    response = upload(admin, content)
    assert response.status_code == 400
    assert 'id="masalah-berkas"' in response.get_data(as_text=True)
    assert counts(app) == before


def test_an_upload_without_a_file_is_refused(admin):
    response = admin.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
