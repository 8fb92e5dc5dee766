"""The dashboard's city-wide numbers are kept for DASHBOARD_CACHE_SECONDS: a second look costs
none of the aggregates, the page says as of when, "Hitung ulang" counts afresh, and no viewer
ever gets the numbers of another scope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.extensions import cache
from tests.conftest import statements
from tests.factories import new_chain
from tests.integration.test_dashboard import completion_total, opd_of


@pytest.fixture
def cached(app, monkeypatch) -> Iterator[None]:
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 60)
    with app.app_context():
        cache.clear()
    yield
    with app.app_context():
        cache.clear()


def _aggregates(seen: list[str]) -> list[str]:
    """The statements that count: a grouping per unit, or a read of the maintained counts
    (the city's are their sums per OPD)."""
    return [s for s in seen if ("GROUP BY" in s and "unit_kerja.path" in s) or "FROM hitungan" in s]


def test_second_look_reuses_the_numbers_until_asked_to_count_again(app, login, cast, cached):
    client = login("admin")
    with app.app_context(), statements(app) as first_statements:
        first = client.get("/").get_data(as_text=True)
    assert _aggregates(first_statements), "the first look counts"
    before = int(completion_total(first)["pegawai"])
    assert "Angka per " in first and "Hitung ulang" in first

    new_chain(app, opd_of(app, cast.pimpinan).kode)  # four more active pegawai

    with app.app_context(), statements(app) as second_statements:
        second = client.get("/").get_data(as_text=True)
    assert not _aggregates(second_statements)
    assert not [s for s in second_statements if "count(pegawai.id)" in s]  # visible pegawai
    assert int(completion_total(second)["pegawai"]) == before
    assert (
        second.split('id="dash-counted-at"')[1].split("</p>")[0]
        == (first.split('id="dash-counted-at"')[1].split("</p>")[0])
    )

    fresh = client.get("/?segarkan=1").get_data(as_text=True)
    assert int(completion_total(fresh)["pegawai"]) == before + 4
    # The fresh count is what the next plain look shows.
    assert int(completion_total(client.get("/").get_data(as_text=True))["pegawai"]) == before + 4


def test_a_pimpinan_never_gets_the_city_numbers_kept_for_admin(app, login, cast, cached):
    city = int(completion_total(login("admin").get("/").get_data(as_text=True))["pegawai"])
    own = int(completion_total(login(cast.pimpinan).get("/").get_data(as_text=True))["pegawai"])
    assert own < city
    with app.app_context():
        cache.clear()
    assert (
        int(completion_total(login(cast.pimpinan).get("/").get_data(as_text=True))["pegawai"])
        == own
    )


def test_without_a_cache_every_look_counts(app, login):
    client = login("admin")
    client.get("/")
    with app.app_context(), statements(app) as seen:
        client.get("/")
    assert _aggregates(seen)
