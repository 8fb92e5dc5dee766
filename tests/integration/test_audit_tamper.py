"""`flask verify-audit` against someone who can edit the database but does not hold
AUDIT_KEY (issue 15, ASVS level 2): a chain recomputed without the key, rows deleted from the
end (seen through the checkpoints kept outside the database), rows missing in the middle, a
forged checkpoint; and a backup and a restore each leave their note in the trail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, text, update

from app import audit
from app.extensions import db
from app.models.audit import AuditLog
from tests.conftest import make_app
from tests.integration.test_backup import install  # noqa: F401 - a fixture

CONTENT = (
    AuditLog.id,
    AuditLog.created_at,
    AuditLog.user_id,
    AuditLog.username,
    AuditLog.ip,
    AuditLog.table_name,
    AuditLog.row_id,
    AuditLog.action,
    AuditLog.changes,
    AuditLog.hash,
)


@pytest.fixture()
def audited(empty_database_url):  # noqa: ANN001, ANN201
    """A database of its own with the (keyed) audit rows of `flask seed`; yields (app,
    engine, ids of the audit rows in order)."""
    from flask_migrate import upgrade

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
    Path(app.config["AUDIT_CHECKPOINT_PATH"]).unlink(missing_ok=True)
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        ids = list(connection.execute(text("SELECT id FROM audit_log ORDER BY id")).scalars())
    assert len(ids) > 10
    yield app, engine, ids
    engine.dispose()
    Path(app.config["AUDIT_CHECKPOINT_PATH"]).unlink(missing_ok=True)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def verify(app):  # noqa: ANN001, ANN201
    return app.test_cli_runner().invoke(args=["verify-audit"])


def rechain(app, start_id: int, key: bytes | None) -> None:  # noqa: ANN001
    """Recompute the hashes from ``start_id`` on, as a forger would: with ``key`` (None: the
    old unkeyed SHA-256), each row chained to the one before."""
    with app.app_context():
        session = db.session
        rows = session.execute(select(*CONTENT).order_by(AuditLog.id)).all()
        previous = ""
        for row in rows:
            if row.id >= start_id:
                new = audit.row_hash(previous, row._asdict(), key)
                session.execute(update(AuditLog).where(AuditLog.id == row.id).values(hash=new))
                previous = new
            else:
                previous = row.hash
        session.commit()
        session.remove()


def alter(engine, row_id: int) -> None:  # noqa: ANN001
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_log SET username = 'orang-lain' WHERE id = :id"), {"id": row_id}
        )


def test_an_intact_trail_verifies_and_leaves_a_checkpoint(audited):  # noqa: ANN001
    app, _, ids = audited
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "intact" in result.output
    [line] = Path(app.config["AUDIT_CHECKPOINT_PATH"]).read_text().splitlines()
    checkpoint = json.loads(line)
    assert (checkpoint["last_id"], checkpoint["count"]) == (ids[-1], len(ids))
    assert checkpoint["head"].startswith(audit.KEYED)
    assert checkpoint["mac"]


def test_new_rows_are_chained_with_the_key(audited):  # noqa: ANN001
    app, engine, _ = audited
    with engine.connect() as connection:
        hashes = connection.execute(text("SELECT hash FROM audit_log")).scalars().all()
    assert all(stored.startswith(audit.KEYED) for stored in hashes)


def test_a_chain_recomputed_without_the_key_is_detected(audited):  # noqa: ANN001
    app, engine, ids = audited
    alter(engine, ids[5])
    rechain(app, ids[5], key=None)
    result = verify(app)
    assert result.exit_code == 1
    assert f"row id {ids[5]}" in result.output
    assert "without the key" in result.output


def test_a_chain_recomputed_with_a_guessed_key_is_detected(audited):  # noqa: ANN001
    app, engine, ids = audited
    alter(engine, ids[5])
    rechain(app, ids[5], key=b"sikap-dumai-demo-only-audit-key")
    result = verify(app)
    assert result.exit_code == 1
    assert f"row id {ids[5]}" in result.output


def test_a_whole_trail_recomputed_without_the_key_is_detected_by_the_checkpoint(audited):  # noqa: ANN001
    app, engine, ids = audited
    assert verify(app).exit_code == 0
    alter(engine, ids[5])
    rechain(app, ids[0], key=None)
    result = verify(app)
    assert result.exit_code == 1
    assert "without the key" in result.output


def test_a_deleted_tail_is_detected_through_the_checkpoint(audited):  # noqa: ANN001
    app, engine, ids = audited
    assert verify(app).exit_code == 0
    with engine.begin() as connection:
        connection.execute(delete(AuditLog).where(AuditLog.id >= ids[-3]))
    result = verify(app)
    assert result.exit_code == 1
    assert "checkpoint" in result.output
    assert "deleted from the end" in result.output


def test_a_deleted_tail_with_new_rows_after_it_is_detected(audited):  # noqa: ANN001
    app, engine, ids = audited
    assert verify(app).exit_code == 0
    with engine.begin() as connection:
        connection.execute(delete(AuditLog).where(AuditLog.id >= ids[-3]))
    # The app writes on, chaining to what is left (SQLite may even reuse the ids).
    with app.app_context(), audit.attributed_to("tests:after-tail"):
        audit.record_bulk(db.session, "pegawai", 5)
        audit.record_bulk(db.session, "pegawai", 5)
        audit.record_bulk(db.session, "pegawai", 5)
        audit.record_bulk(db.session, "pegawai", 5)
        db.session.commit()
        db.session.remove()
    result = verify(app)
    assert result.exit_code == 1
    assert "checkpoint" in result.output


def test_the_nightly_job_writes_the_checkpoint_that_shows_a_deleted_tail(audited):  # noqa: ANN001
    app, engine, ids = audited
    ran = app.test_cli_runner().invoke(args=["jobs", "run-due"])
    assert ran.exit_code == 0, ran.output
    assert "titik_periksa_audit: 1" in ran.output
    again = app.test_cli_runner().invoke(args=["jobs", "run-due"])
    assert "titik_periksa_audit: 0" in again.output  # the head did not move
    with engine.begin() as connection:
        connection.execute(delete(AuditLog).where(AuditLog.id == ids[-1]))
    result = verify(app)
    assert result.exit_code == 1
    assert "deleted from the end" in result.output


def test_a_gap_in_the_middle_is_detected(audited):  # noqa: ANN001
    app, engine, ids = audited
    with engine.begin() as connection:
        connection.execute(delete(AuditLog).where(AuditLog.id.in_(ids[4:7])))
    result = verify(app)
    assert result.exit_code == 1
    assert f"row id {ids[7]}" in result.output
    assert "missing" in result.output


def test_a_forged_checkpoint_is_refused(audited):  # noqa: ANN001
    app, _, _ = audited
    assert verify(app).exit_code == 0
    path = Path(app.config["AUDIT_CHECKPOINT_PATH"])
    checkpoint = json.loads(path.read_text().splitlines()[-1])
    checkpoint["count"] -= 1
    with path.open("a") as handle:
        handle.write(json.dumps(checkpoint) + "\n")
    result = verify(app)
    assert result.exit_code == 1
    assert "not signed" in result.output


def upgrade_from_before_the_key(app) -> None:  # noqa: ANN001
    """Run the migration that vouches for the plain rows again, as an install upgraded from
    before AUDIT_KEY runs it once."""
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        downgrade(revision="a1c3e5f7b9d2")
        upgrade()
        db.session.remove()


def test_rows_from_before_the_key_verify_once_the_upgrade_vouched_for_them(audited):  # noqa: ANN001
    """An install upgraded to AUDIT_KEY: its old rows keep their plain SHA-256, the upgrade
    vouches for them under the key, the new rows chain on with the key."""
    app, _, ids = audited
    rechain(app, ids[0], key=None)
    upgrade_from_before_the_key(app)
    with app.app_context(), audit.attributed_to("tests:after-upgrade"):
        audit.record_bulk(db.session, "pegawai", 1)
        db.session.commit()
        db.session.remove()
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"{len(ids)} row(s) from before AUDIT_KEY" in result.output


def test_a_whole_trail_recomputed_plain_before_any_checkpoint_is_not_verifiable(audited):  # noqa: ANN001
    """No checkpoint yet, a row altered, the trail recomputed unkeyed, the tail deleted: it
    looks like a trail from before the key, but nothing keyed vouches for it."""
    app, engine, ids = audited
    alter(engine, ids[5])
    rechain(app, ids[0], key=None)
    with engine.begin() as connection:
        connection.execute(delete(AuditLog).where(AuditLog.id >= ids[-3]))
    result = verify(app)
    assert result.exit_code == 1
    assert "not verifiable" in result.output
    assert not Path(app.config["AUDIT_CHECKPOINT_PATH"]).exists()  # no checkpoint blesses it


def test_plain_rows_the_app_chained_on_from_are_not_vouched_for(audited):  # noqa: ANN001
    """The forger recomputes the trail unkeyed and lets the application write on: its keyed
    rows chain to the forgery, but the application never vouches for plain rows itself."""
    app, engine, ids = audited
    alter(engine, ids[5])
    rechain(app, ids[0], key=None)
    with app.app_context(), audit.attributed_to("tests:after-forgery"):
        audit.record_bulk(db.session, "pegawai", 1)
        db.session.commit()
        db.session.remove()
    result = verify(app)
    assert result.exit_code == 1
    assert "not verifiable" in result.output


def test_vouched_rows_changed_afterwards_are_detected(audited):  # noqa: ANN001
    app, engine, ids = audited
    rechain(app, ids[0], key=None)
    upgrade_from_before_the_key(app)
    alter(engine, ids[5])
    with app.app_context():
        # Only the plain rows recomputed: the keyed ones cannot be.
        rows = db.session.execute(select(*CONTENT).order_by(AuditLog.id)).all()
        previous = ""
        for row in rows:
            if row.hash.startswith(audit.KEYED):
                break
            previous = audit.row_hash(previous, row._asdict(), None)
            db.session.execute(update(AuditLog).where(AuditLog.id == row.id).values(hash=previous))
        db.session.commit()
        db.session.remove()
    result = verify(app)
    assert result.exit_code == 1
    assert "broken" in result.output


def notes(app, table: str) -> list[AuditLog]:  # noqa: ANN001
    with app.app_context():
        found = list(
            db.session.execute(select(AuditLog).where(AuditLog.table_name == table)).scalars()
        )
        db.session.remove()
        return found


def test_a_backup_and_a_restore_each_leave_a_note_in_the_trail(install, tmp_path):  # noqa: ANN001, F811
    archive = tmp_path / "cadangan.tar.gz"
    assert install.cli("backup", str(archive)).exit_code == 0
    [made] = notes(install.app, "backup")
    assert made.username == "cli:backup"
    assert made.row_id == "cadangan.tar.gz"
    assert made.changes["arsip"] == [None, str(archive)]

    assert install.cli("restore", str(archive), "--yes").exit_code == 0
    # The restored database is from before the backup's note; the restore's is written in it.
    assert notes(install.app, "backup") == []
    [restored] = notes(install.app, "restore")
    assert restored.username == "cli:restore"
    assert restored.changes["dibuat_pada"][1]
    verified = install.cli("verify-audit")
    assert verified.exit_code == 0, verified.output
