"""`flask backup` and `flask restore` (app/backup.py): one archive holds the database and the
uploaded files; restoring it after rows and files changed brings both back, with the audit
trail's hash chain intact — on SQLite and, under SIKAP_TEST_BACKEND=postgresql, PostgreSQL."""

from __future__ import annotations

import json
import os
import stat
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import audit, demo
from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Jabatan, Pegawai
from tests.conftest import make_app

KEPT = "a" * 32  # stored upload names are 32 hex digits (app/uploads.py)
ADDED = "b" * 32


@dataclass
class Install:
    app: Flask
    uploads: Path

    def cli(self, *args: str, input: str | None = None):  # noqa: ANN201, A002
        return self.app.test_cli_runner().invoke(args=list(args), input=input)


@pytest.fixture()
def install(empty_database_url: str, tmp_path: Path) -> Iterator[Install]:
    """A small install of its own (database, upload folder): a restore replaces everything."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / KEPT).write_bytes(b"%PDF-1.4 bukti yang disimpan")
    migrating = make_app(empty_database_url, UPLOAD_FOLDER=str(uploads))
    with migrating.app_context():
        upgrade()
        db.engine.dispose()
    app = make_app(empty_database_url, UPLOAD_FOLDER=str(uploads))
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        with audit.attributed_to("tests:backup"):
            demo.load_demo_data(db.session, 8, performance=False)
            db.session.add(Jabatan(nama="Analis Cadangan Data", jenis="pelaksana"))
        db.session.commit()
    yield Install(app, uploads)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def snapshot(install: Install) -> dict:
    with install.app.app_context():
        session = db.session
        state = {
            "pegawai": session.execute(select(Pegawai.id, Pegawai.nama).order_by(Pegawai.id)).all(),
            "jabatan": session.execute(select(Jabatan.nama).order_by(Jabatan.id)).scalars().all(),
            "audit": session.execute(select(func.count(AuditLog.id))).scalar_one(),
            "files": sorted(os.listdir(install.uploads)),
        }
        session.remove()
        return state


def change_everything(install: Install) -> None:
    with install.app.app_context(), audit.attributed_to("tests:after-backup"):
        session = db.session
        first = session.execute(select(Pegawai).order_by(Pegawai.id).limit(1)).scalar_one()
        first.nama = "Nama Sesudah Cadangan"
        session.delete(
            session.execute(
                select(Jabatan).where(Jabatan.nama == "Analis Cadangan Data")
            ).scalar_one()
        )
        session.add(Jabatan(nama="Jabatan Sesudah Cadangan", jenis="pelaksana"))
        session.commit()
        session.remove()
    (install.uploads / KEPT).unlink()
    (install.uploads / ADDED).write_bytes(b"%PDF-1.4 bukti sesudah cadangan")


def test_restore_brings_back_rows_and_files_changed_after_the_backup(install, tmp_path):  # noqa: ANN001
    before = snapshot(install)
    archive = tmp_path / "cadangan.tar.gz"
    made = install.cli("backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "1 uploaded file(s)" in made.output

    change_everything(install)
    assert snapshot(install) != before

    restored = install.cli("restore", str(archive), input="y\n")
    assert restored.exit_code == 0, restored.output
    after = snapshot(install)
    # The backup's note is written after the archive; the restore's into the restored trail.
    assert after == {**before, "audit": before["audit"] + 1}
    assert (install.uploads / KEPT).read_bytes() == b"%PDF-1.4 bukti yang disimpan"
    verified = install.cli("verify-audit")
    assert verified.exit_code == 0, verified.output
    assert "intact" in verified.output


def test_the_archive_holds_a_manifest_the_database_and_the_uploads_for_its_owner_only(
    install,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
):
    archive = tmp_path / "cadangan.tar.gz"
    assert install.cli("backup", str(archive)).exit_code == 0
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as contents:
        names = contents.getnames()
        manifest = json.load(contents.extractfile("manifest.json"))
    backend = install.app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    assert manifest["backend"] == backend
    assert manifest["database"] in names
    assert manifest["revision"]
    assert f"uploads/{KEPT}" in names
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".backup-")]


def test_backup_without_a_path_writes_under_instance_backups(install):  # noqa: ANN001
    made = install.cli("backup")
    assert made.exit_code == 0, made.output
    written = os.listdir(Path(install.app.instance_path) / "backups")
    assert len(written) == 1 and written[0].endswith(".tar.gz")


def test_restore_asks_first_and_changes_nothing_when_refused(install, tmp_path):  # noqa: ANN001
    archive = tmp_path / "cadangan.tar.gz"
    assert install.cli("backup", str(archive)).exit_code == 0
    change_everything(install)
    changed = snapshot(install)
    refused = install.cli("restore", str(archive), input="n\n")
    assert refused.exit_code == 1
    assert "REPLACES all data" in refused.output
    assert snapshot(install) == changed


def test_restore_with_yes_does_not_ask(install, tmp_path):  # noqa: ANN001
    archive = tmp_path / "cadangan.tar.gz"
    assert install.cli("backup", str(archive)).exit_code == 0
    restored = install.cli("restore", str(archive), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "Continue?" not in restored.output


def test_restore_refuses_a_file_that_is_not_a_backup(install, tmp_path):  # noqa: ANN001
    other = tmp_path / "bukan.tar.gz"
    other.write_bytes(b"bukan arsip")
    before = snapshot(install)
    refused = install.cli("restore", str(other), "--yes")
    assert refused.exit_code == 1
    assert "is not a SIKAP backup" in refused.output
    assert snapshot(install) == before


def test_pg_tools_get_a_libpq_uri_and_the_password_only_in_their_environment():
    from sqlalchemy.engine import make_url

    from app.backup import _libpq

    conninfo, env = _libpq(
        make_url("postgresql+psycopg://sikap:rahasia@db.dumai:5433/sikap?sslmode=require")
    )
    assert conninfo == "postgresql://sikap@db.dumai:5433/sikap?sslmode=require"
    assert env["PGPASSWORD"] == "rahasia"
