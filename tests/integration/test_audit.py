"""The audit trail seen from outside: who is recorded for a web or API write, what a record's
history link lists, and that the trail itself offers no way to change it (CONTRACT.md)."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Jabatan, UnitKerja

_names = itertools.count(1)
CONTRACT_FIELDS = {
    "id", "created_at", "user_id", "username", "ip", "table_name", "row_id", "action",
    "changes", "hash",
}  # fmt: skip


def read(app, query):  # noqa: ANN001, ANN201
    with app.app_context():
        return query(db.session)


def audit_rows(app, table: str, row_id: int) -> list[tuple]:  # noqa: ANN001
    query = (
        select(AuditLog.action, AuditLog.username, AuditLog.user_id, AuditLog.ip, AuditLog.changes)
        .where(AuditLog.table_name == table, AuditLog.row_id == str(row_id))
        .order_by(AuditLog.id)
    )
    return read(app, lambda session: [tuple(row) for row in session.execute(query)])


def admin_user_id(app) -> int:  # noqa: ANN001
    with app.app_context():
        return app.appbuilder.sm.find_user(username="admin").id


def test_web_edit_is_attributed_to_the_signed_in_user_and_address(login, app):
    admin = login("admin")
    nama = f"Analis Uji Jejak {next(_names)}"
    response = admin.post("/jabatanview/add", data={"nama": nama, "jenis": "pelaksana"})
    assert response.status_code == 302
    jabatan_id = read(app, lambda s: s.execute(select(Jabatan.id).filter_by(nama=nama)).scalar())
    [(action, username, user_id, ip, changes)] = audit_rows(app, "jabatan", jabatan_id)
    assert (action, username, user_id, ip) == ("insert", "admin", admin_user_id(app), "127.0.0.1")
    assert changes["nama"] == [None, nama]


def test_api_edit_is_attributed_to_the_token_holder(api, app):
    client, headers = api("admin")
    nama = f"Pranata Uji Jejak {next(_names)}"
    response = client.post(
        "/api/v1/jabatan/", json={"nama": nama, "jenis": "pelaksana"}, headers=headers
    )
    assert response.status_code == 201
    [(action, username, user_id, _, _)] = audit_rows(app, "jabatan", response.get_json()["id"])
    assert (action, username, user_id) == ("insert", "admin", admin_user_id(app))


def test_refused_write_leaves_no_audit_row(api, app):
    client, headers = api("admin")
    before = read(app, lambda s: s.execute(select(func.max(AuditLog.id))).scalar())
    response = client.post(
        "/api/v1/pegawai/",
        json={"nip": "12345", "nama": "Tidak Jadi", "jenis_asn": "pns", "unit_kerja_id": 1},
        headers=headers,
    )
    assert response.status_code == 422
    assert read(app, lambda s: s.execute(select(func.max(AuditLog.id))).scalar()) == before


def test_history_link_lists_only_the_rows_of_that_record(login, app):
    """Row ids are strings: the history of unit 1 must not include units 10–19, 100–199, …"""
    units = read(app, lambda s: sorted(s.execute(select(UnitKerja.id)).scalars()))
    unit = units[0]
    assert any(str(other).startswith(str(unit)) for other in units[1:]), "fixture too small"
    admin = login("admin")
    show = admin.get(f"/unitkerjaview/show/{unit}").get_data(as_text=True)
    link = re.search(r'href="(/auditlogview/list/\?[^"]+)"', show).group(1).replace("&amp;", "&")
    listed = {
        int(i)
        for i in re.findall(
            r'href="/auditlogview/show/(\d+)"', admin.get(link).get_data(as_text=True)
        )
    }
    assert listed, "the history of the unit is empty"
    rows = read(
        app,
        lambda s: set(
            s.execute(select(AuditLog.table_name, AuditLog.row_id).where(AuditLog.id.in_(listed)))
        ),
    )
    assert rows == {("unit_kerja", str(unit))}


def test_admin_reads_the_audit_trail_over_the_api_with_the_contract_fields(api):
    client, headers = api("admin")
    response = client.get("/api/v1/audit_log/?q=(page_size:5)", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] >= 5
    assert all(set(row) == CONTRACT_FIELDS for row in body["result"])


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/auditlogview/add"),
        ("post", "/auditlogview/add"),
        ("get", "/auditlogview/edit/1"),
        ("post", "/auditlogview/edit/1"),
        ("get", "/auditlogview/delete/1"),
        ("post", "/auditlogview/delete/1"),
    ],
)
def test_audit_trail_pages_offer_no_way_to_change_it_even_for_admin(login, app, method, url):
    before = read(
        app, lambda s: s.execute(select(AuditLog.username, AuditLog.hash).filter_by(id=1)).one()
    )
    response = getattr(login("admin"), method)(url, data={"username": "forged"})
    assert response.status_code in (403, 404, 405)
    assert (
        read(
            app, lambda s: s.execute(select(AuditLog.username, AuditLog.hash).filter_by(id=1)).one()
        )
        == before
    )


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_audit_trail_api_answers_405_to_changes_even_for_admin(api, method):
    client, headers = api("admin")
    response = getattr(client, method)(
        "/api/v1/audit_log/1", json={"username": "x"}, headers=headers
    )
    assert response.status_code == 405


def test_audit_trail_api_refuses_to_create_rows(api):
    client, headers = api("admin")
    response = client.post("/api/v1/audit_log/", json={"username": "forged"}, headers=headers)
    assert response.status_code == 405


def test_removing_an_rhk_and_its_indikator_over_the_api_leaves_delete_lines(api, app):
    """An RHK taken off its SKP is deleted by the flush itself (an orphan, never handed to
    session.delete); the trail records it and the indikator deleted with it."""
    from app.models.skp import IndikatorKinerja
    from tests.factories import new_chain, skp_with_rhk

    people = new_chain(app)
    _, rhk_id = skp_with_rhk(app, people.boss, "Kajian dihapus", penugasan_dari="Wali Kota")
    indikator_id = read(
        app,
        lambda s: s.execute(
            select(IndikatorKinerja.id).where(IndikatorKinerja.rencana_hasil_kerja_id == rhk_id)
        ).scalar_one(),
    )
    client, headers = api(people.boss)
    response = client.delete(f"/api/v1/rencana_hasil_kerja/{rhk_id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    [*_, (action, username, _, _, changes)] = audit_rows(app, "rencana_hasil_kerja", rhk_id)
    assert (action, username) == ("delete", people.boss)
    assert changes["uraian"] == ["Kajian dihapus", None]
    assert audit_rows(app, "indikator_kinerja", indikator_id)[-1][0] == "delete"
