"""File storage of bukti dukung: what is accepted, how it is named and where it lives.

- The type is decided by the file's CONTENT (magic bytes, and for Office files the part
  that names the document type), and it must agree with the extension of the name given:
  a PNG or a program called "laporan.pdf" is refused.
- Office files with macros are refused, whatever they are called: the macro-enabled
  extensions (.xlsm, .docm, .pptm, …), an OOXML package holding a VBA project
  (``vbaProject.bin``) or naming a macro-enabled or VBA content type in
  ``[Content_Types].xml``, and an old .doc/.xls whose compound file holds a VBA project
  (``_VBA_PROJECT``). Evidence is read by people; a macro is code that would run on the
  reviewer's computer.
- Files live under ``UPLOAD_FOLDER`` (outside the web root: never served as static files)
  under a random name; the name the user gave is kept only for display and download.
- A file is written to a temporary name and moved into place with ``os.replace``, so a
  half-written file never carries a real name.
- The disk follows the database: a file written in a transaction that rolls back is removed,
  and a file is removed only after the commit that deleted its row (see ``_track``).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from flask import Response, current_app, has_app_context, send_file
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from app.domain.enums import N_
from app.domain.errors import DomainError
from app.models.monitoring import BuktiDukung

MB = 1024 * 1024
# Room for the multipart framing and the small form fields around a file of the full limit.
REQUEST_OVERHEAD = 64 * 1024
MAX_NAME = 255  # BuktiDukung.nama_file
_CHUNK = 64 * 1024

# type → MIME type served on download. doc/xls are the old OLE formats, still common in
# offices; their macro-enabled OOXML cousins (docm, xlsm, pptm) are not accepted.
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "doc": "doc",
    "xls": "xls",
}
ACCEPT = ",".join(f".{ext}" for ext in EXTENSIONS)  # the <input type=file> hint

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The main part's content type in [Content_Types].xml (ECMA-376 part 2).
_OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
# The stream an OLE compound file of each kind must hold (names are UTF-16LE in the directory).
_OLE_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
}
# The macro-enabled cousins of the accepted Office types (templates and add-ins included).
MACRO_EXTENSIONS = {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam"}
# In [Content_Types].xml (lower-cased): the content types that carry or announce macros.
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"vnd.ms-office.activex", b"vbadata")
# The stream of the VBA project in an OLE compound file (Word: Macros/VBA/_VBA_PROJECT, Excel:
# _VBA_PROJECT_CUR/VBA/_VBA_PROJECT), named in UTF-16LE in the directory.
_OLE_VBA = "_VBA_PROJECT".encode("utf-16-le")
_MAX_CONTENT_TYPES = 1 * MB
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


class FileTooLarge(DomainError):
    status = 413


class FileRefused(DomainError):
    status = 422


@dataclass(frozen=True)
class StoredFile:
    name: str  # the random name under UPLOAD_FOLDER
    size: int
    mime: str


# --- what a file is ---------------------------------------------------------------------


def sniff(path: str) -> str | None:
    """The type of the file at ``path`` judged by its content, or None if it is none of
    the accepted types."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_ooxml(path)
    if head.startswith(_OLE):
        return _sniff_ole(path)
    return None


def has_macros(path: str) -> bool:
    """Whether the Office file at ``path`` carries macros (a VBA project), judged by its
    content: the package's parts and content types, or the compound file's directory."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = [name.lower() for name in archive.namelist()]
                if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
                    return True
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _MAX_CONTENT_TYPES:
                    return False  # not an accepted type either: sniff refuses it
                content_types = archive.read(info).lower()
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            return False
        return any(marker in content_types for marker in _MACRO_CONTENT_TYPES)
    if head.startswith(_OLE):
        with open(path, "rb") as handle:
            return _OLE_VBA in handle.read()
    return False


def _sniff_ooxml(path: str) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES:
                return None
            content_types = archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    for kind, main in _OOXML_MAIN.items():
        if main in content_types:
            return kind
    return None


def _sniff_ole(path: str) -> str | None:
    with open(path, "rb") as handle:
        content = handle.read()
    for kind, streams in _OLE_STREAMS.items():
        if any(stream.encode("utf-16-le") in content for stream in streams):
            return kind
    return None


def _extension(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def kind_of_name(name: str) -> str | None:
    """The type a file name claims by its extension (None for any other extension)."""
    return EXTENSIONS.get(_extension(name))


def clean_name(filename: str | None) -> str:
    """The name the user gave, fit for display and for a download header: the last path
    component only ("../../etc/passwd" → "passwd"), without control or direction-override
    characters, without leading dots, at most 255 characters with the extension kept."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).lstrip(". ").rstrip(" ")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) < 16:
            name = stem[: MAX_NAME - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_NAME]
    return name


# --- where files live -------------------------------------------------------------------


def upload_folder() -> str:
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def max_bytes() -> int:
    """The largest file accepted (setting MAX_UPLOAD_MB)."""
    return int(current_app.config.get("MAX_UPLOAD_MB", 10)) * MB


def request_limit() -> int:
    """The largest upload request an upload endpoint reads."""
    return max_bytes() + REQUEST_OVERHEAD


def too_large(limit: int | None = None) -> FileTooLarge:
    return FileTooLarge(
        N_("The file is larger than the limit of %(mb)d MB."),
        field="berkas",
        mb=(limit or max_bytes()) // MB,
    )


def macros_refused() -> FileRefused:
    return FileRefused(
        N_(
            "Office files with macros are not accepted. Save the document without macros "
            "(as .docx, .xlsx or .pptx) and upload it again."
        ),
        field="berkas",
    )


def path_of(stored_name: str, folder: str | None = None) -> str:
    """The path of a stored file; only names this module made are ever joined to a path."""
    if not _STORED_NAME.match(stored_name or ""):
        raise ValueError(f"not a stored file name: {stored_name!r}")
    return os.path.join(folder or upload_folder(), stored_name)


def store(
    stream: IO[bytes], filename: str, folder: str, limit: int, session: Session | None = None
) -> StoredFile:
    """Write an uploaded stream under a random name if its content is an accepted type that
    agrees with ``filename``; FileTooLarge or FileRefused otherwise (nothing left on disk).

    With a ``session``, the file is removed again if that session's transaction rolls back.
    """
    if _extension(filename) in MACRO_EXTENSIONS:
        raise macros_refused()
    claimed = kind_of_name(filename)
    if claimed is None:
        raise FileRefused(
            N_("Only PDF, PNG, JPEG, Word, Excel and PowerPoint files can be uploaded."),
            field="berkas",
        )
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        size = 0
        with os.fdopen(descriptor, "wb") as handle:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if size == 0:
            raise FileRefused(N_("The file is empty."), field="berkas")
        if has_macros(temporary):
            raise macros_refused()
        actual = sniff(temporary)
        if actual != claimed:
            raise FileRefused(
                N_("The content of the file is not a %(type)s file as its name says."),
                field="berkas",
                type=claimed.upper(),
            )
        stored_name = secrets.token_hex(16)
        os.replace(temporary, os.path.join(folder, stored_name))
    except BaseException:
        _unlink(temporary)
        raise
    if session is not None:
        _pending(session, "written").add(os.path.join(folder, stored_name))
    return StoredFile(stored_name, size, MIME[actual])


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def send(path: str, mime: str | None, name: str | None) -> Response:
    """A stored file as a download: always an attachment under its display name, with the
    type we sniffed (never guessed by the browser), kept out of shared caches."""
    response = send_file(
        path,
        mimetype=mime or "application/octet-stream",
        as_attachment=True,
        download_name=name or "bukti",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the disk follows the transaction -----------------------------------------------------


def _pending(session: Session, what: str) -> set[str]:
    return session.info.setdefault(f"sikap_uploads_{what}", set())


def _track() -> None:
    """Remove a file once the deletion of its row is committed (whether the row went by
    itself or with its realisasi), and a file written in a transaction that rolled back."""

    @event.listens_for(BuktiDukung, "after_delete")
    def _row_deleted(mapper, connection, target: BuktiDukung) -> None:  # noqa: ANN001
        session = object_session(target)
        stored = target.path or ""
        if session is not None and _STORED_NAME.match(stored) and has_app_context():
            _pending(session, "deleted").add(path_of(stored))

    @event.listens_for(Session, "after_commit")
    def _committed(session: Session) -> None:
        session.info.pop("sikap_uploads_written", None)
        for path in session.info.pop("sikap_uploads_deleted", ()):
            _unlink(path)

    @event.listens_for(Session, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop("sikap_uploads_deleted", None)
        for path in session.info.pop("sikap_uploads_written", ()):
            _unlink(path)


_track()
