"""File storage of bukti dukung: the type judged by content, names fit for display, random
stored names, atomic writes and nothing left on disk after a refusal."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

import pytest

from app import uploads

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def png() -> bytes:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def ooxml(main_type: str, part: str = "word/document.xml") -> bytes:
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
XLSX = ooxml(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "xl/workbook.xml",
)
PPTX = ooxml(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "ppt/presentation.xml",
)
DOCM = ooxml("application/vnd.ms-word.document.macroEnabled.main+xml")
PLAIN_ZIP = ooxml("text/plain", "readme.txt")


def ole(stream: str) -> bytes:
    """The start of an OLE compound file whose directory names ``stream``."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le")


SAMPLES = {
    "pdf": PDF,
    "png": png(),
    "jpeg": JPEG,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
}


def write(tmp_path, content: bytes) -> str:
    path = tmp_path / "sample"
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_accepted_type_is_recognised_by_its_content(tmp_path, kind):
    assert uploads.sniff(write(tmp_path, SAMPLES[kind])) == kind


@pytest.mark.parametrize(
    "content",
    [
        EXE,
        b"<html><script>alert(1)</script></html>",
        DOCM,
        PLAIN_ZIP,
        ole("Other"),
        ole("WordDocument"),
        ole("Workbook"),
        b"PK\x03\x04",
    ],
    ids=["exe", "html", "docm", "plain-zip", "other-ole", "doc", "xls", "broken-zip"],
)
def test_other_content_is_not_an_accepted_type(tmp_path, content):
    assert uploads.sniff(write(tmp_path, content)) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Laporan.PDF", "pdf"),
        ("foto.jpg", "jpeg"),
        ("foto.jpeg", "jpeg"),
        ("rekap.xlsx", "xlsx"),
        ("program.exe", None),
        ("tanpa-ekstensi", None),
        ("laporan.pdf.exe", None),
    ],
)
def test_the_name_claims_a_type_by_its_extension(name, expected):
    assert uploads.kind_of_name(name) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/var/www/laporan.pdf", "laporan.pdf"),
        ("  Laporan   Triwulan I.pdf ", "Laporan Triwulan I.pdf"),
        ("..pdf", "pdf"),
        (".htaccess", "htaccess"),
        ("gambar\u202egnp.exe", "gambargnp.exe"),  # a right-to-left override is removed
        ("baris\nbaru\x00.pdf", "barisbaru.pdf"),
        ("Rapat Kerja — Dumai.pdf", "Rapat Kerja — Dumai.pdf"),
        (None, ""),
    ],
)
def test_clean_name_keeps_only_a_harmless_last_component(given, expected):
    assert uploads.clean_name(given) == expected


def test_clean_name_shortens_a_long_name_and_keeps_its_extension():
    name = uploads.clean_name("a" * 400 + ".pdf")
    assert len(name) == 255 and name.endswith("aaa.pdf")


def test_a_stored_file_gets_a_random_name_and_its_exact_content(tmp_path):
    first = uploads.store(io.BytesIO(PDF), "laporan.pdf", str(tmp_path), 1024)
    second = uploads.store(io.BytesIO(PDF), "laporan.pdf", str(tmp_path), 1024)
    assert first.name != second.name
    assert len(first.name) == 32 and int(first.name, 16) >= 0
    assert (first.size, first.mime) == (len(PDF), "application/pdf")
    assert (tmp_path / first.name).read_bytes() == PDF
    assert sorted(os.listdir(tmp_path)) == sorted([first.name, second.name])


@pytest.mark.parametrize(
    ("content", "name"),
    [(png(), "laporan.pdf"), (EXE, "laporan.pdf"), (PDF, "laporan.png"), (PDF, "laporan.exe")],
    ids=["png-as-pdf", "exe-as-pdf", "pdf-as-png", "exe-extension"],
)
def test_content_that_disagrees_with_the_name_is_refused_and_not_kept(tmp_path, content, name):
    with pytest.raises(uploads.FileRefused):
        uploads.store(io.BytesIO(content), name, str(tmp_path), 1024 * 1024)
    assert os.listdir(tmp_path) == []


def test_a_file_over_the_limit_is_refused_and_not_kept(tmp_path):
    with pytest.raises(uploads.FileTooLarge) as refused:
        uploads.store(
            io.BytesIO(PDF + b"0" * 2 * uploads.MB), "besar.pdf", str(tmp_path), uploads.MB
        )
    assert refused.value.status == 413
    assert refused.value.params == {"mb": 1}
    assert os.listdir(tmp_path) == []


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(uploads.FileRefused):
        uploads.store(io.BytesIO(b""), "kosong.pdf", str(tmp_path), 1024)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["../../x", "abc", "0" * 31 + "/", "A" * 32])
def test_only_names_the_store_made_are_joined_to_a_path(tmp_path, name):
    with pytest.raises(ValueError):
        uploads.path_of(name, str(tmp_path))
