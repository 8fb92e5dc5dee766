"""No list hands out more than 100 rows at once, whatever the URL asks: FAB's list pages
(``?psize_<View>=``, -1 meaning the whole table), their related lists, and the REST API's
``page_size`` (app/views/base.py, app/api/base.py)."""

from __future__ import annotations

import re

import pytest

from app.views.base import MAX_PAGE_SIZE

SHOW_LINK = re.compile(r'href="/pegawaiview/show/(\d+)')


def shown_rows(html: str) -> int:
    return len(set(SHOW_LINK.findall(html)))


@pytest.mark.parametrize("asked", ["-1", "1000", "0"])
def test_a_list_page_shows_at_most_100_rows(login, asked):  # noqa: ANN001
    response = login("admin").get(f"/pegawaiview/list/?psize_PegawaiView={asked}")
    assert response.status_code == 200
    assert 0 < shown_rows(response.get_data(as_text=True)) <= MAX_PAGE_SIZE


def test_a_list_page_still_takes_a_smaller_page_size(login):  # noqa: ANN001
    response = login("admin").get("/pegawaiview/list/?psize_PegawaiView=10")
    assert shown_rows(response.get_data(as_text=True)) == 10


def test_a_list_page_of_more_than_100_asked_shows_100(login):  # noqa: ANN001
    response = login("admin").get("/pegawaiview/list/?psize_PegawaiView=1000")
    assert shown_rows(response.get_data(as_text=True)) == MAX_PAGE_SIZE


@pytest.mark.parametrize("asked", [-1, 1000, 101])
def test_an_api_list_answers_at_most_100_rows(api, asked):  # noqa: ANN001
    client, headers = api("admin")
    response = client.get(f"/api/v1/pegawai/?q=(page_size:{asked})", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["count"] > MAX_PAGE_SIZE
    assert len(body["result"]) <= MAX_PAGE_SIZE


def test_the_audit_api_is_capped_too(api):  # noqa: ANN001
    client, headers = api("admin")
    body = client.get("/api/v1/audit_log/?q=(page_size:-1)", headers=headers).get_json()
    assert len(body["result"]) <= MAX_PAGE_SIZE


@pytest.mark.parametrize(
    "arg", ["psize_PegawaiView=abc", "page_PegawaiView=1.5", "page_PegawaiView="]
)
def test_a_page_or_page_size_that_is_no_number_is_a_bad_request_not_a_500(arg, login, cast):
    response = login(cast.admin).get(f"/pegawaiview/list/?{arg}")
    assert response.status_code == 400
    assert "harus berupa bilangan bulat" in response.get_data(as_text=True)
