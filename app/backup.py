"""Backup and restore of a SIKAP install: the database and the uploaded files together in one
.tar.gz, so that a restore brings back the rows and the files they point at.

The archive holds:
- ``manifest.json``: format, backend, time (UTC), Alembic revision, number of files;
- ``database.sqlite3`` (SQLite: a copy made with sqlite3's online backup API, consistent while
  the app keeps running) or ``database.pgdump`` (PostgreSQL: ``pg_dump -Fc``, for pg_restore);
- ``uploads/…``: everything under ``UPLOAD_FOLDER`` (bukti dukung).

A restore replaces the whole database (SQLite: the backup API copies every page back;
PostgreSQL: ``pg_restore --clean --if-exists`` in one transaction) and then swaps the upload
folder for the archive's. It is meant for a stopped service: other processes' open
connections would hold locks (PostgreSQL) or keep reading the old pages' cache (SQLite).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# The audit trail's notes of a backup made and of a restore (the latter written into the
# restored database, after the restore).
BACKUP_NOTE = "backup"
RESTORE_NOTE = "restore"


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why (English, for the CLI)."""


@dataclass(frozen=True)
class Manifest:
    format: int
    backend: str
    created_at: str  # ISO 8601, UTC
    revision: str | None  # Alembic revision of the database at backup time
    database: str  # the archive member holding the database
    files: int  # uploaded files in the archive


def default_path(instance_path: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return os.path.join(instance_path, "backups", f"sikap-{stamp}.tar.gz")


def backend_of(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in DATABASE_MEMBER:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    if backend == "sqlite" and url.database in (None, "", ":memory:"):
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return backend


# --- backup -------------------------------------------------------------------------------


def create_backup(engine: Engine, upload_folder: str, path: str) -> Manifest:
    """Write the database and the files under ``upload_folder`` to ``path`` (.tar.gz).

    The archive appears under its name only once complete, readable by its owner only: it
    holds every personal record and the password hashes."""
    backend = backend_of(engine.url)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as work:
        dump = os.path.join(work, DATABASE_MEMBER[backend])
        if backend == "sqlite":
            _sqlite_copy(_sqlite_path(engine.url), dump)
            revision = _revision(f"sqlite:///{dump}")
        else:
            revision = _revision(engine)
            _run(["pg_dump", "--format=custom", f"--file={dump}"], engine.url)
        files = _count_files(upload_folder)
        manifest = Manifest(
            format=FORMAT,
            backend=backend,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            revision=revision,
            database=DATABASE_MEMBER[backend],
            files=files,
        )
        partial = os.path.join(work, "archive.tar.gz")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(asdict(manifest), indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
            archive.add(dump, arcname=manifest.database)
            if os.path.isdir(upload_folder):
                archive.add(upload_folder, arcname=UPLOADS)
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    return manifest


def _revision(source: Engine | str) -> str | None:
    engine = create_engine(source) if isinstance(source, str) else source
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database never migrated has no revision to report
        return None
    finally:
        if isinstance(source, str):
            engine.dispose()


def _count_files(folder: str) -> int:
    return sum(len(names) for _, _, names in os.walk(folder)) if os.path.isdir(folder) else 0


def record(session: Session, note: str, path: str, manifest: Manifest) -> None:
    """The audit trail's note of a backup or a restore: which archive, of when, holding what.
    The caller commits."""
    from app import audit

    audit.record_event(
        session,
        note,
        {
            "arsip": [None, os.path.abspath(path)],
            "dibuat_pada": [None, manifest.created_at],
            "basis_data": [None, manifest.backend],
            "revisi": [None, manifest.revision],
            "jumlah_berkas": [None, manifest.files],
        },
        row_id=os.path.basename(path),
    )


# --- restore ------------------------------------------------------------------------------


def read_manifest(path: str) -> Manifest:
    """The manifest of a backup archive; BackupError if the file is not one."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            data = json.load(member) if member else None
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError(f"{path} is not a SIKAP backup ({error}).") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a SIKAP backup of format {FORMAT}.")
    try:
        return Manifest(**data)
    except TypeError as error:
        raise BackupError(f"{path} has an unreadable manifest ({error}).") from error


def restore_backup(engine: Engine, upload_folder: str, path: str) -> Manifest:
    """Replace the database and the files under ``upload_folder`` with those of the backup
    at ``path``. The caller has asked for confirmation."""
    manifest = read_manifest(path)
    backend = backend_of(engine.url)
    if manifest.backend != backend:
        raise BackupError(
            f"This backup is of a {manifest.backend} database; the app uses {backend}."
        )
    target = os.path.abspath(upload_folder)
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    # Extracted beside the upload folder, so that the new folder is moved into place by a
    # rename on the same file system.
    with tempfile.TemporaryDirectory(dir=parent, prefix=".restore-") as work:
        with tarfile.open(path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, "..", links out and device files.
            archive.extractall(work, filter="data")
        dump = os.path.join(work, manifest.database)
        if not os.path.isfile(dump):
            raise BackupError(f"{path} holds no {manifest.database}.")
        engine.dispose()  # no pooled connection may hold a lock or a stale page cache
        if backend == "sqlite":
            _sqlite_copy(dump, _sqlite_path(engine.url))
        else:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    dump,
                ],
                engine.url,
            )
        _swap_folder(os.path.join(work, UPLOADS), target)
    return manifest


def _swap_folder(new: str, target: str) -> None:
    """Put ``new`` (possibly missing: no files) in place of ``target``; the old folder is
    removed only once the new one is in place."""
    if not os.path.isdir(new):
        os.makedirs(new)
    os.chmod(new, 0o700)
    old = None
    if os.path.exists(target):
        old = tempfile.mkdtemp(dir=os.path.dirname(target), prefix=".uploads-before-restore-")
        os.rmdir(old)
        os.replace(target, old)
    os.replace(new, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)


# --- the two backends ---------------------------------------------------------------------


def _sqlite_path(url: URL) -> str:
    return os.path.abspath(url.database or "")


def _sqlite_copy(source: str, target: str) -> None:
    """Copy a whole SQLite database with the online backup API: a consistent snapshot even
    while others write to ``source``; ``target`` is replaced page by page, in one transaction."""
    if not os.path.isfile(source):
        raise BackupError(f"The SQLite database {source} does not exist.")
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The SQLAlchemy URL as a libpq connection URI (``postgresql+psycopg://`` is not one)
    and the environment carrying its password, so it never shows in the process list."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return conninfo.render_as_string(hide_password=False), env


def _run(command: list[str], url: URL) -> None:
    conninfo, env = _libpq(url)
    program = command[0]
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(
        [*command, f"--dbname={conninfo}"], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip() or result.returncode}")
