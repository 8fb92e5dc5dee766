"""What a request costs besides its own work: the ORM aliases of the monitoring pages are
built once per process (SQLAlchemy adapts an alias's columns on their first use, and building
them per call cost Kepatuhan a tenth of its time at 100,000 pegawai); a REST call reads the
public role's permissions once, not at each of FAB's two checks."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import util as orm_util

from tests.conftest import statements

PAGES = [
    ("admin", "/kepatuhan/"),
    ("pimpinan", "/kepatuhan/"),
    ("admin", "/skp/monitoring/?status=belum_dibuat"),
    ("pimpinan", "/"),
    ("atasan", "/"),
    ("staff", "/"),
]


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_a_page_asked_again_builds_no_alias(login, cast, monkeypatch, role, path):  # noqa: ANN001
    client = login(getattr(cast, role))
    assert client.get(path).status_code == 200
    built = []
    original = orm_util.AliasedInsp.__init__

    def counted(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        built.append(args[0])
        original(self, *args, **kwargs)

    monkeypatch.setattr(orm_util.AliasedInsp, "__init__", counted)
    assert client.get(path).status_code == 200
    assert built == []


def test_a_rest_call_reads_the_public_role_once(app, api):  # noqa: ANN001
    client, headers = api("admin")
    assert client.get("/api/v1/pegawai/?q=(page_size:5)", headers=headers).status_code == 200
    with statements(app) as sent:
        assert client.get("/api/v1/pegawai/?q=(page_size:5)", headers=headers).status_code == 200
    roles_by_name = [s for s in sent if "FROM ab_role" in s and "ab_role.name =" in s]
    assert len(roles_by_name) == 1, roles_by_name


def test_a_visitor_is_still_refused_what_the_public_role_lacks(app):  # noqa: ANN001
    client = app.test_client()
    assert client.get("/api/v1/pegawai/").status_code == 401
    assert client.get("/pegawaiview/list/").status_code in (302, 401)
