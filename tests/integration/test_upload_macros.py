"""Office files with macros are refused as bukti dukung, by name and by content
(app/uploads.py): a macro is code that would run on the reviewer's computer. The old binary
formats (.doc, .xls, .ppt) are refused outright, macros or not: they can hide Excel 4.0 macro
sheets and VBA in streams of any name, and Office saves the same document as .docx/.xlsx."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from app import uploads
from tests.integration.test_realisasi_api import record, upload
from tests.integration.test_realisasi_pages import ApprovedSkp, approved_skp, bukti_of
from tests.unit.test_uploads import XLSX, ole

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
REFUSAL = "makro"  # the Indonesian message names macros


def workbook(
    main_type: str = XLSX_MAIN,
    vba: bool = False,
    vba_type: bool = False,
    parts: dict[str, str] | None = None,
    types: str = "",
) -> bytes:
    """An OOXML workbook; ``vba``: with a VBA project part, ``vba_type``: naming its type;
    ``parts``: more parts (name → content type, empty: none declared); ``types``: more raw
    entries of [Content_Types].xml."""
    overrides = f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>'
    if vba_type:
        overrides += '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    for name, content_type in (parts or {}).items():
        if content_type:
            overrides += f'<Override PartName="/{name}" ContentType="{content_type}"/>'
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types">{overrides}{types}</Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        if vba:
            archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 VBA project")
        for name in parts or {}:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


MACROSHEET_TYPE = "application/vnd.ms-excel.macrosheet+xml"
# "vbaProject" with its P written as a character reference: only an XML parser sees the type.
VBA_TYPE_DISGUISED = "application/vnd.ms-office.vba&#80;roject"


@pytest.fixture()
def skp(app) -> ApprovedSkp:  # noqa: ANN001
    return approved_skp(app)


@pytest.fixture()
def folder(app, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(path))
    return path


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (workbook(main_type=XLSM_MAIN, vba=True, vba_type=True), "rekap.xlsm"),
        (workbook(vba=True), "rekap.xlsx"),
        (workbook(vba=True, vba_type=True), "rekap.xlsx"),
        (workbook(vba_type=True), "rekap.xlsx"),
        (workbook(main_type=f"{XLSX_MAIN} {XLSM_MAIN}"), "rekap.xlsx"),
        (XLSX, "rekap.docm"),
        (workbook(parts={"xl/macrosheets/sheet1.xml": MACROSHEET_TYPE}), "rekap.xlsx"),
        (workbook(parts={"xl/macrosheets/sheet1.xml": "application/xml"}), "rekap.xlsx"),
        (workbook(parts={"xl/sheet9.xml": MACROSHEET_TYPE}), "rekap.xlsx"),
        (workbook(parts={"word/activeX/activeX1.xml": ""}), "rekap.xlsx"),
        (workbook(parts={"XL/VBAPROJECT.BIN": ""}), "rekap.xlsx"),
        (
            workbook(
                parts={"xl/data.bin": ""},
                types=f'<Default Extension="bin" ContentType="{VBA_TYPE_DISGUISED}"/>',
            ),
            "rekap.xlsx",
        ),
    ],
    ids=[
        "xlsm",
        "xlsx-with-vbaproject",
        "xlsx-with-vbaproject-and-type",
        "xlsx-naming-vba-type",
        "xlsx-naming-macro-enabled-type",
        "docm-name",
        "xlsx-with-excel4-macrosheet",
        "macrosheet-part-of-a-plain-type",
        "macrosheet-type-on-another-part",
        "activex-part-undeclared",
        "vbaproject-part-in-capitals-undeclared",
        "vba-type-behind-a-character-reference",
    ],
)
def test_an_office_file_with_macros_is_refused(app, api, skp, folder, content, name):  # noqa: ANN001
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    response = upload(api, skp.people.staff, realisasi_id, content, name)
    assert response.status_code == 422, response.get_json()
    assert REFUSAL in str(response.get_json()["message"]).lower()
    assert bukti_of(app, realisasi_id) == []
    assert not folder.exists() or os.listdir(folder) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (ole("Workbook"), "rekap.xls"),
        (ole("Workbook") + "_VBA_PROJECT_CUR".encode("utf-16-le"), "rekap.xls"),
        (ole("Workbook") + "_vba_project_cur".encode("utf-16-le"), "rekap.xls"),
        (ole("WordDocument") + "_VBA_PROJECT".encode("utf-16-le"), "surat.doc"),
        (ole("WordDocument"), "surat.doc"),
        (ole("PowerPoint Document"), "paparan.ppt"),
        (ole("Workbook"), "rekap.xlsx"),
        (ole("WORKBOOK"), "rekap.pdf"),
    ],
    ids=[
        "xls",
        "xls-with-vba",
        "xls-with-vba-in-lower-case",
        "doc-with-vba",
        "doc",
        "ppt",
        "xls-called-xlsx",
        "xls-in-capitals-called-pdf",
    ],
)
def test_an_old_binary_office_file_is_refused_with_the_formats_to_save_as(
    app, api, skp, folder, content, name
):  # noqa: ANN001
    """Excel 4.0 macro sheets and VBA hide in an OLE file under streams of any name and case:
    the whole format is refused, and the message says what to save as instead."""
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    response = upload(api, skp.people.staff, realisasi_id, content, name)
    assert response.status_code == 422, response.get_json()
    message = str(response.get_json()["message"])
    assert ".docx" in message and ".xlsx" in message and ".pdf" in message
    assert "makro" in message.lower()
    assert bukti_of(app, realisasi_id) == []
    assert not folder.exists() or os.listdir(folder) == []


def test_a_workbook_without_macros_is_still_accepted(app, api, skp, folder):  # noqa: ANN001
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    response = upload(api, skp.people.staff, realisasi_id, workbook(), "rekap.xlsx")
    assert response.status_code == 201, response.get_json()


def test_macro_detection_reads_the_content_not_the_name(tmp_path):  # noqa: ANN001
    path = tmp_path / "sample"
    path.write_bytes(workbook(vba=True))
    assert uploads.has_macros(str(path))
    path.write_bytes(workbook())
    assert not uploads.has_macros(str(path))
