"""With CSRF protection on (as in production), every state-changing post from a page needs
the page's token: FAB's forms, its bulk actions, the workflow pages, login and password
forms alike answer 400 without it and change nothing; a GET cannot delete. The REST API
needs no token with a Bearer token, but does when a browser session signs the call in
(app/security/csrf.py)."""

from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.models.master import Jabatan, Pegawai
from app.models.skp import Skp
from app.security import csrf
from tests.conftest import PASSWORD
from tests.factories import chain_with_submitted_skps, person, skp_with_rhk

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@pytest.fixture()
def protected(app, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app


@pytest.fixture()
def login(protected):  # noqa: ANN001, ANN201
    """Sign in through the login form, with its token, as a browser does."""

    def _login(username: str):  # noqa: ANN202
        client = protected.test_client()
        token = token_on(client, "/login/")
        response = client.post(
            "/login/", data={"username": username, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, f"login of {username} failed"
        return client

    return _login


def pegawai_without_account(app) -> int:  # noqa: ANN001
    with app.app_context():
        model = db.session.execute(select(Pegawai).limit(1)).scalar_one()
        pegawai = person(db.session, "Belum Punya Akun", model.unit_kerja_id, account=False)
        db.session.commit()
        return pegawai.id


def token_on(client, path: str) -> str:  # noqa: ANN001
    found = TOKEN.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1) or found.group(2)


def draft_skp(app) -> tuple[str, int]:  # noqa: ANN001
    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk)
    return people.staff, skp_id


def skp_status(app, skp_id: int) -> str:  # noqa: ANN001
    with app.app_context():
        return db.session.get(Skp, skp_id).status


def assert_refused_page(app, response) -> None:  # noqa: ANN001
    assert response.status_code == 400
    with app.test_request_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        explanation = gettext(csrf.EXPLANATION)
    assert explanation in response.get_data(as_text=True)


def test_fab_add_form_without_the_token_is_refused(protected, login):  # noqa: ANN001
    client = login("admin")
    response = client.post("/jabatanview/add", data={"nama": "Tanpa Token", "jenis": "pelaksana"})
    assert_refused_page(protected, response)
    with protected.app_context():
        assert (
            db.session.execute(select(Jabatan).where(Jabatan.nama == "Tanpa Token")).first() is None
        )


def test_fab_bulk_action_without_the_token_is_refused(protected, login):  # noqa: ANN001
    pegawai_id = pegawai_without_account(protected)
    client = login("admin")
    response = client.post(
        "/pegawaiview/action_post", data={"action": "create_account", "rowid": [pegawai_id]}
    )
    assert_refused_page(protected, response)
    with protected.app_context():
        assert db.session.get(Pegawai, pegawai_id).user_id is None


def test_skp_submit_without_the_token_is_refused_and_with_it_works(protected, login):  # noqa: ANN001
    staff, skp_id = draft_skp(protected)
    client = login(staff)
    refused = client.post(f"/skp/{skp_id}/ajukan")
    assert_refused_page(protected, refused)
    assert skp_status(protected, skp_id) == "draft"

    token = token_on(client, f"/skp/{skp_id}")
    accepted = client.post(f"/skp/{skp_id}/ajukan", data={"csrf_token": token})
    assert accepted.status_code == 302
    assert skp_status(protected, skp_id) == "diajukan"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/resetmypassword/form",
            {"password": "Kinerja2026Dumai", "conf_password": "Kinerja2026Dumai"},
        ),
        ("/userinfoeditview/form", {"first_name": "Diubah", "last_name": "Orang Lain"}),
        ("/notifikasi/baca-semua", {}),
    ],
)
def test_account_and_custom_page_posts_without_the_token_are_refused(
    protected, login, cast, path, data
):  # noqa: ANN001
    response = login(cast.staff).post(path, data=data)
    assert_refused_page(protected, response)


def test_the_login_form_needs_the_token_too(protected, login):  # noqa: ANN001
    client = protected.test_client()
    refused = client.post("/login/", data={"username": "admin", "password": PASSWORD})
    assert refused.status_code == 400
    assert login("admin").get("/").status_code == 200  # with the form's token


def test_a_get_cannot_delete(protected, login):  # noqa: ANN001
    with protected.app_context():
        jabatan = Jabatan(nama="Jangan Dihapus Lewat Tautan", jenis="pelaksana")
        db.session.add(jabatan)
        db.session.commit()
        jabatan_id = jabatan.id
    login("admin").get(f"/jabatanview/delete/{jabatan_id}")
    with protected.app_context():
        assert db.session.get(Jabatan, jabatan_id) is not None


def test_the_api_with_a_bearer_token_needs_no_csrf_token(protected, api):  # noqa: ANN001
    client, headers = api("admin")
    response = client.post(
        "/api/v1/jabatan/", json={"nama": "Lewat Bearer", "jenis": "pelaksana"}, headers=headers
    )
    assert response.status_code == 201


def test_the_api_signed_in_by_the_browser_session_needs_the_csrf_header(protected, login):  # noqa: ANN001
    client = login("admin")
    body = {"nama": "Lewat Sesi Peramban", "jenis": "pelaksana"}
    refused = client.post("/api/v1/jabatan/", json=body)
    assert refused.status_code == 400
    with protected.test_request_context(), force_locale("id"):
        assert refused.get_json() == {"message": gettext(csrf.API_MESSAGE)}

    token = token_on(client, "/jabatanview/add")
    accepted = client.post("/api/v1/jabatan/", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_api_reads_by_the_browser_session_need_no_token(protected, login):  # noqa: ANN001
    assert login("admin").get("/api/v1/jabatan/").status_code == 200


def test_an_upload_of_the_full_limit_gets_past_the_csrf_check(protected, login, monkeypatch):  # noqa: ANN001
    # The check reads the form before the view: the multipart framing around a file of
    # MAX_UPLOAD_MB must not trip MAX_CONTENT_LENGTH there.
    monkeypatch.setitem(protected.config, "MAX_UPLOAD_MB", 1)
    monkeypatch.setitem(protected.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    client = login("admin")
    token = token_on(client, "/pegawai/impor/")
    response = client.post(
        "/pegawai/impor/",
        data={
            "csrf_token": token,
            "berkas": (io.BytesIO(b"PK" + b"\0" * (1024 * 1024 - 2)), "a.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code != 413
    assert 'id="masalah-berkas"' in response.get_data(as_text=True)  # the view judged the file


def test_an_upload_over_the_limit_goes_back_to_its_page_with_csrf_on(protected, login, monkeypatch):  # noqa: ANN001
    monkeypatch.setitem(protected.config, "MAX_UPLOAD_MB", 1)
    client = login("admin")
    token = token_on(client, "/pegawai/impor/")
    response = client.post(
        "/pegawai/impor/",
        data={
            "csrf_token": token,
            "berkas": (io.BytesIO(b"PK" + b"\0" * (2 * 1024 * 1024)), "a.xlsx"),
        },
        content_type="multipart/form-data",
        headers={"Referer": "http://localhost/pegawai/impor/"},
    )
    assert response.status_code == 303
    assert "1 MB" in client.get("/pegawai/impor/").get_data(as_text=True)
