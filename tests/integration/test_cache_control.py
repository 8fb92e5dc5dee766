"""Nothing a signed-in user reads stays in a browser's or a proxy's cache: every page, API
answer, report and download is ``Cache-Control: no-store`` (app/security/headers.py); only
the static assets, the same for everybody, keep their cache lifetimes."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/pegawaiview/list/", "/skp/", "/laporan/"])
def test_signed_in_pages_are_not_stored(login, path):  # noqa: ANN001
    response = login("admin").get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_are_not_stored(api):  # noqa: ANN001
    client, headers = api("admin")
    response = client.get("/api/v1/pegawai/", headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_a_report_download_is_not_stored(login):  # noqa: ANN001
    response = login("admin").get("/laporan/status_skp.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    assert "no-cache" not in response.headers["Cache-Control"]


def test_an_api_report_is_not_stored(api):  # noqa: ANN001
    client, headers = api("admin")
    response = client.get("/api/v1/laporan/status_skp.xlsx", headers=headers)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_the_login_page_is_not_stored(app):  # noqa: ANN001
    assert "no-store" in app.test_client().get("/login/").headers["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/static/sikap/confirm.js", "/static/appbuilder/css/bootstrap.min.css"]
)
def test_static_files_keep_their_cache_lifetime(app, path):  # noqa: ANN001
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
