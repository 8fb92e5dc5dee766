"""The audit hook (app.audit): one AuditLog row per written record, in the same transaction,
with the exact before → after of each changed column; secrets masked; a tamper-evident chain."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from app import audit
from app.models.audit import AuditLog
from app.models.master import Jabatan, UnitKerja

_names = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix} audit-{next(_names)}"


def rows_for(session, table: str, row_id: int) -> list[AuditLog]:  # noqa: ANN001
    query = select(AuditLog).where(AuditLog.table_name == table, AuditLog.row_id == str(row_id))
    return list(session.execute(query.order_by(AuditLog.id)).scalars())


def last_audit_id(session) -> int:  # noqa: ANN001
    return session.execute(select(func.max(AuditLog.id))).scalar() or 0


@pytest.fixture()
def jabatan(db_session) -> Jabatan:  # noqa: ANN001
    item = Jabatan(nama=unique("Analis"), jenis="fungsional_keahlian", jenjang="ahli_muda")
    db_session.add(item)
    db_session.flush()
    return item


@pytest.fixture()
def unit(db_session) -> UnitKerja:  # noqa: ANN001
    root = db_session.execute(select(UnitKerja).where(UnitKerja.parent_id.is_(None))).scalar()
    item = UnitKerja(
        kode=unique("U").replace(" ", "-")[:40],
        nama=unique("Bidang"),
        jenis="bidang",
        parent_id=root.id,
        path=f"{root.path}x/",
        nama_lengkap="Pemerintah Kota Dumai › Bidang",
    )
    db_session.add(item)
    db_session.flush()
    return item


def test_inserting_a_jabatan_writes_one_insert_row_with_every_set_column(db_session, jabatan):
    [row] = rows_for(db_session, "jabatan", jabatan.id)
    assert row.action == "insert"
    assert row.changes == {
        "id": [None, jabatan.id],
        "nama": [None, jabatan.nama],
        "jenis": [None, "fungsional_keahlian"],
        "jenjang": [None, "ahli_muda"],
    }


def test_updating_a_jabatan_writes_one_update_row_with_only_the_changed_column(db_session, jabatan):
    old = jabatan.nama
    jabatan.nama = unique("Analis Kebijakan")
    db_session.flush()
    [insert, change] = rows_for(db_session, "jabatan", jabatan.id)
    assert change.action == "update"
    assert change.changes == {"nama": [old, jabatan.nama]}


def test_assigning_an_unchanged_value_writes_no_update_row(db_session, jabatan):
    jabatan.nama = str(jabatan.nama)
    db_session.flush()
    assert [row.action for row in rows_for(db_session, "jabatan", jabatan.id)] == ["insert"]


def test_deleting_a_jabatan_writes_one_delete_row_with_the_old_values(db_session, jabatan):
    jabatan_id, nama = jabatan.id, jabatan.nama
    db_session.delete(jabatan)
    db_session.flush()
    [_, deleted] = rows_for(db_session, "jabatan", jabatan_id)
    assert deleted.action == "delete"
    assert deleted.changes == {
        "id": [jabatan_id, None],
        "nama": [nama, None],
        "jenis": ["fungsional_keahlian", None],
        "jenjang": ["ahli_muda", None],
    }


def test_inserting_a_unit_kerja_writes_one_insert_row(db_session, unit):
    [row] = rows_for(db_session, "unit_kerja", unit.id)
    assert row.action == "insert"
    assert row.changes["nama"] == [None, unit.nama]
    assert row.changes["parent_id"] == [None, unit.parent_id]
    assert "kepala_id" not in row.changes  # unset columns are not noise in the diff


def test_updating_a_unit_kerja_records_old_and_new_values(db_session, unit):
    old_nama, old_jenis = unit.nama, unit.jenis
    unit.nama, unit.jenis = unique("Seksi"), "seksi"
    db_session.flush()
    [_, change] = rows_for(db_session, "unit_kerja", unit.id)
    assert change.changes == {"nama": [old_nama, unit.nama], "jenis": [old_jenis, "seksi"]}


def test_deleting_a_unit_kerja_writes_one_delete_row(db_session, unit):
    unit_id = unit.id
    db_session.delete(unit)
    db_session.flush()
    assert [row.action for row in rows_for(db_session, "unit_kerja", unit_id)] == [
        "insert",
        "delete",
    ]


def test_writes_outside_a_request_are_attributed_to_the_named_command(db_session):
    with audit.attributed_to("import-pegawai"):
        item = Jabatan(nama=unique("Arsiparis"), jenis="pelaksana")
        db_session.add(item)
        db_session.flush()
    [row] = rows_for(db_session, "jabatan", item.id)
    assert (row.username, row.user_id, row.ip) == ("import-pegawai", None, None)


def test_writes_outside_a_request_without_a_name_are_attributed_to_system(db_session):
    item = Jabatan(nama=unique("Arsiparis"), jenis="pelaksana")
    db_session.add(item)
    db_session.flush()
    assert rows_for(db_session, "jabatan", item.id)[0].username == "system"


def test_attribution_ends_with_its_block(db_session):
    with audit.attributed_to("import-pegawai"):
        pass
    item = Jabatan(nama=unique("Arsiparis"), jenis="pelaksana")
    db_session.add(item)
    db_session.flush()
    assert rows_for(db_session, "jabatan", item.id)[0].username == "system"


def test_rolled_back_transaction_leaves_no_audit_row(db_session):
    before = last_audit_id(db_session)
    db_session.add(Jabatan(nama=unique("Pranata"), jenis="pelaksana"))
    db_session.flush()
    assert last_audit_id(db_session) > before
    db_session.rollback()
    assert last_audit_id(db_session) == before


@pytest.fixture()
def account(app, db_session):  # noqa: ANN001, ANN201
    """A fresh FAB user (add_user commits it: it stays, under a name no other test uses)."""
    name = unique("user").replace(" ", "_")
    return app.appbuilder.sm.add_user(
        username=name,
        first_name="Uji",
        last_name="Audit",
        email=f"{name}@example.test",
        role=app.appbuilder.sm.find_role("pegawai"),
        password="Rahasia123",
    )


def test_a_new_user_password_is_masked(db_session, account):
    [row] = rows_for(db_session, "ab_user", account.id)
    assert row.action == "insert"
    assert row.changes["password"] == ["***", "***"]
    assert row.changes["username"] == [None, account.username]
    assert account.password not in str(row.changes)


def test_changing_a_password_records_only_that_it_changed(db_session, account):
    new_hash = generate_password_hash("GantiSandi2026")
    account.password = new_hash
    db_session.flush()
    change = rows_for(db_session, "ab_user", account.id)[-1]
    assert change.action == "update"
    assert change.changes == {"password": ["***", "***"]}
    assert new_hash not in str(change.changes)


def test_intact_chain_verifies(db_session, jabatan):
    assert audit.verify_chain(db_session) is None


def test_tampered_audit_row_is_detected(db_session, jabatan):
    [row] = rows_for(db_session, "jabatan", jabatan.id)
    db_session.execute(
        update(AuditLog).where(AuditLog.id == row.id).values(username="someone-else")
    )
    assert audit.verify_chain(db_session) == row.id


def test_deleted_audit_row_is_detected(db_session, jabatan):
    jabatan.nama = unique("Analis")
    db_session.flush()
    first, second = rows_for(db_session, "jabatan", jabatan.id)
    db_session.delete(first)
    db_session.flush()
    assert audit.verify_chain(db_session) == second.id
