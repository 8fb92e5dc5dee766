"""The audit trail's filters as BKPSDM staff ask (issue 14, item 6): a person by name or NIP,
a table and an action chosen by their Indonesian words, a WIB calendar date from and to — for
admin BKPSDM only, at the same number of statements whatever is chosen."""

from __future__ import annotations

import datetime as dt
import re
import types

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, statements
from tests.factories import chain_with_submitted_skps, skp_with_rhk

URL = "/auditlogview/list/"


def listed(client, query: str) -> set[int]:  # noqa: ANN001
    response = client.get(f"{URL}?{query}&psize_AuditLogView=100")
    assert response.status_code == 200
    return {int(i) for i in re.findall(r'href="/auditlogview/show/(\d+)"', response.text)}


def filter_form(client) -> str:  # noqa: ANN001
    """The filter fields of the list, as the page hands them to FAB's filter script (JSON)."""
    page = client.get(URL).text
    return page.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')


def entries(app, **where: object) -> list[tuple]:  # noqa: ANN001
    from app.extensions import db
    from app.models.audit import AuditLog

    with app.app_context():
        query = select(AuditLog.id, AuditLog.username, AuditLog.table_name, AuditLog.action)
        for column, value in where.items():
            query = query.where(getattr(AuditLog, column) == value)
        return [tuple(row) for row in db.session.execute(query)]


def by_id(app, ids: set[int]) -> list[tuple]:  # noqa: ANN001
    from app.extensions import db
    from app.models.audit import AuditLog

    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(AuditLog.username, AuditLog.table_name, AuditLog.action).where(
                    AuditLog.id.in_(ids)
                )
            )
        ]


@pytest.fixture(scope="module")
def approval(app):  # noqa: ANN001, ANN201
    """The atasan of a fresh chain approves the staff's SKP over the API (the trail holds it
    under the atasan's account): (chain, the atasan's name)."""
    from app.extensions import db
    from app.models.master import Pegawai

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    client = app.test_client()
    token = client.post(
        "/api/v1/security/login",
        json={"username": people.atasan, "password": PASSWORD, "provider": "db"},
    ).get_json()["access_token"]
    approved = client.post(
        f"/api/v1/skp/{skp_id}/approve", headers={"Authorization": f"Bearer {token}"}
    )
    assert approved.status_code == 200, approved.get_json()
    with app.app_context():
        nama = db.session.execute(
            select(Pegawai.nama).where(Pegawai.nip == people.atasan)
        ).scalar_one()
    return people, nama


def test_a_person_is_found_by_name_or_nip(app, login, approval):
    people, nama = approval
    theirs = {row[0] for row in entries(app, username=people.atasan)}
    assert theirs, "the approval left no entry under the atasan's account"
    admin = login("admin")
    for typed in (nama.upper(), people.atasan[:14]):
        found = listed(admin, f"_flt_0_username={typed}&_flt_0_table_name=skp_riwayat")
        assert theirs & found
        # Only entries of people so named or numbered.
        assert all(typed.lower() in nama.lower() or typed in u for u, *_ in by_id(app, found))
    assert not theirs & listed(admin, "_flt_0_username=Tak Ada Orang Bernama Ini")


def test_a_table_is_chosen_by_its_indonesian_name(app, login, approval):
    # The filter form offers the tables by their words, holding the stored code.
    assert '<option value="skp_riwayat">Riwayat SKP</option>' in filter_form(login("admin"))
    found = listed(login("admin"), "_flt_0_table_name=skp_riwayat")
    assert found and {table for _, table, _ in by_id(app, found)} == {"skp_riwayat"}


def test_an_action_is_chosen_by_its_indonesian_word(app, login, approval):
    page = filter_form(login("admin"))
    assert '<option value="update">Diubah</option>' in page
    assert "Nama atau NIP memuat" in page and "Sejak tanggal (WIB)" in page
    found = listed(login("admin"), "_flt_0_action=update")
    assert found and {action for *_, action in by_id(app, found)} == {"update"}


def clock_at(utc: dt.datetime) -> types.SimpleNamespace:
    """The ``datetime`` module as app.audit uses it, with its clock stopped at ``utc``."""

    class Stopped(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:
            return utc.replace(tzinfo=dt.UTC).astimezone(tz)

    return types.SimpleNamespace(datetime=Stopped, date=dt.date, UTC=dt.UTC)


@pytest.fixture(scope="module")
def around_midnight_wib(app):  # noqa: ANN001, ANN201
    """Two notes of a backup written at 23.59 and 00.00 WIB (16.59 and 17.00 UTC): (before
    midnight, after midnight)."""
    from app import audit
    from app.extensions import db

    ids = []
    for hour, minute in ((16, 59), (17, 0)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(audit, "dt", clock_at(dt.datetime(2021, 3, 4, hour, minute)))
            with app.test_request_context():
                audit.record_event(db.session, "backup", {"arsip": [None, f"uji-{hour}.tar"]})
                db.session.commit()
        ids.append(max(i for i, *_ in entries(app, table_name="backup")))
    return tuple(ids)


def test_dates_are_wib_calendar_days_from_and_to(app, login, around_midnight_wib):
    before, after = around_midnight_wib
    admin = login("admin")
    backups = "_flt_0_table_name=backup"
    on_the_5th = listed(
        admin, f"{backups}&_flt_0_created_at=2021-03-05&_flt_1_created_at=2021-03-05"
    )
    assert after in on_the_5th and before not in on_the_5th
    until_the_4th = listed(admin, f"{backups}&_flt_1_created_at=2021-03-04")
    assert before in until_the_4th and after not in until_the_4th
    from_the_4th = listed(admin, f"{backups}&_flt_0_created_at=2021-03-04")
    assert {before, after} <= from_the_4th
    # A date that cannot be read lists nothing rather than everything.
    assert not listed(admin, f"{backups}&_flt_0_created_at=kemarin")


def test_filters_cost_the_same_statements_as_the_plain_list(app, login, approval):
    admin = login("admin")
    admin.get(URL)
    with statements(app) as plain:
        admin.get(URL)
    query = (
        "_flt_0_username=Kabid&_flt_0_table_name=skp_riwayat&_flt_0_action=insert"
        "&_flt_0_created_at=2021-01-01&_flt_1_created_at=2099-12-31"
    )
    with statements(app) as filtered:
        admin.get(f"{URL}?{query}")
    assert len(filtered) == len(plain)


@pytest.mark.parametrize("who", ["atasan", "staff"])
def test_others_than_admin_get_no_entry_whatever_the_filter(app, login, approval, who):
    people, nama = approval
    response = login(getattr(people, who)).get(f"{URL}?_flt_0_username={nama}")
    assert response.status_code in (302, 403)
    assert "/auditlogview/show/" not in response.text


def test_the_history_link_of_a_record_still_filters_its_table(app, login):
    from app.extensions import db
    from app.models.master import Jabatan

    with app.app_context():
        jabatan_id = db.session.execute(select(Jabatan.id).limit(1)).scalar_one()
    admin = login("admin")
    show = admin.get(f"/jabatanview/show/{jabatan_id}").text
    link = re.search(r'href="(/auditlogview/list/\?[^"]+)"', show).group(1).replace("&amp;", "&")
    found = listed(admin, link.split("?", 1)[1])
    assert {(t, a) for _, t, a in by_id(app, found)} <= {
        ("jabatan", "insert"),
        ("jabatan", "update"),
    }
