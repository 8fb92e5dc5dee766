"""File storage of bukti dukung: what is accepted, how it is named and where it lives.

- The type is decided by the file's CONTENT (magic bytes, and for Office files the part
  that names the document type), and it must agree with the extension of the name given:
  a PNG or a program called "laporan.pdf" is refused.
- Office files with macros are refused, whatever they are called: the macro-enabled
  extensions (.xlsm, .docm, .pptm, …), and an OOXML package holding a part whose name
  speaks of macros (a VBA project, Excel 4.0 macro sheets, ActiveX controls: anywhere in the
  archive, whatever its case) or naming a content type that does, in
  ``[Content_Types].xml`` read with the XML parser (so that character references cannot
  disguise a type). Evidence is read by people; a macro is code that would run on the
  reviewer's computer.
- The old binary Office formats (.doc, .xls, .ppt: OLE compound files) are refused outright,
  by name and by content: they may hold VBA or Excel 4.0 macro sheets, in streams no cheap
  check can rule out, and Word and Excel save the same document as .docx/.xlsx. CONTRACT.md
  promises no such type.
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
from xml.etree import ElementTree

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

# type → MIME type served on download.
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
}
ACCEPT = ",".join(f".{ext}" for ext in EXTENSIONS)  # the <input type=file> hint

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The main part's content type in [Content_Types].xml (ECMA-376 part 2).
_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# The macro-enabled cousins of the accepted Office types (templates and add-ins included).
MACRO_EXTENSIONS = {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam"}
# The old binary (OLE compound file) Office formats, templates and shows included.
LEGACY_EXTENSIONS = {"doc", "dot", "xls", "xlt", "xla", "ppt", "pot", "pps"}
# Lower-cased, in a content type or a part name: what carries or announces macros (VBA
# projects and their data, Excel 4.0 macro sheets, ActiveX controls, macro-enabled types).
_MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata", "macrosheet", "activex")
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
    return None


def is_legacy_office(path: str) -> bool:
    """Whether the file at ``path`` is an OLE compound file (.doc, .xls, .ppt, …)."""
    with open(path, "rb") as handle:
        return handle.read(8).startswith(_OLE)


def has_macros(path: str) -> bool:
    """Whether the OOXML package at ``path`` carries macros, judged by its content: any part
    whose name, or any content type whose value, names a macro carrier (case-insensitive).
    A package whose content types cannot be read is not an accepted type: sniff refuses it."""
    with open(path, "rb") as handle:
        if not handle.read(8).startswith(b"PK\x03\x04"):
            return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name.lower() for name in archive.namelist()]
            types = _content_types(archive) or []
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return False
    return any(marker in text for text in (*names, *types) for marker in _MACRO_MARKERS)


def _content_types(archive: zipfile.ZipFile) -> list[str] | None:
    """Every ContentType named in the package's ``[Content_Types].xml`` (Default and
    Override alike), lower-cased, as the XML parser reads them (character references
    resolved); None when there is none or it is not XML. Python's parser fetches no external
    entity and expat (≥ 2.4) stops entity expansion bombs; the part is read only up to 1 MB."""
    try:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > _MAX_CONTENT_TYPES:
            return None
        root = ElementTree.fromstring(archive.read(info))
    except (KeyError, ElementTree.ParseError):
        return None
    return [
        element.get("ContentType", "").strip().lower()
        for element in root.iter()
        if element.tag in (f"{_CONTENT_TYPES_NS}Default", f"{_CONTENT_TYPES_NS}Override")
    ]


def _sniff_ooxml(path: str) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            types = _content_types(archive)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    for kind, main in _OOXML_MAIN.items():
        if types and main in types:
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


def legacy_office_refused() -> FileRefused:
    return FileRefused(
        N_(
            "Old Office formats (.doc, .xls, .ppt) are not accepted: they can hide macros. "
            "Save the document as .docx, .xlsx, .pptx or .pdf and upload it again."
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
    if _extension(filename) in LEGACY_EXTENSIONS:
        raise legacy_office_refused()
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
        if is_legacy_office(temporary):
            raise legacy_office_refused()
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
