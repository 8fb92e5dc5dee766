"""With REPORTS_DATABASE_URL the reports read from that database (a read replica), on the
page and through the API alike; without it, from the primary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.extensions import db
from app.reports import source
from tests.conftest import statements

API = "/api/v1/laporan/pegawai.xlsx"


@pytest.fixture
def replica(app, database_url, monkeypatch) -> Iterator[list[str]]:
    """The test database again, under a second engine: what it is asked is recorded."""
    monkeypatch.setitem(app.config, "REPORTS_DATABASE_URL", database_url)
    with app.app_context():
        engine = source.replica_engine()
        assert engine is not None and engine is not db.engine
    with statements(engine=engine) as seen:
        yield seen
    with app.app_context():
        app.extensions.pop("sikap_reports_engine").dispose()


def _report_statements(seen: list[str]) -> list[str]:
    return [s for s in seen if "FROM pegawai" in s]


def test_the_api_report_reads_the_replica(api, replica):
    client, headers = api("admin")
    response = client.get(API, headers=headers)
    assert response.status_code == 200
    assert _report_statements(replica)


def test_the_page_report_reads_the_replica(login, replica):
    response = login("admin").get("/laporan/pegawai.xlsx")
    assert response.status_code == 200, response.status_code
    assert _report_statements(replica)


def test_without_a_replica_the_primary_answers(app, api):
    client, headers = api("admin")
    assert client.get(API, headers=headers).status_code == 200
    assert "sikap_reports_engine" not in app.extensions
