"""The REST API's own refusals, before any resource answers, speak like the rest of it
(CONTRACT.md: errors `{"message": "…"}` in Indonesian): an address that does not exist, a
method a resource does not take, a call without a token or with a malformed one. Werkzeug's
English HTML page and Flask-JWT-Extended's `{"msg": "Missing Authorization Header"}` were
what another system got."""

from __future__ import annotations


def test_an_unknown_api_address_answers_404_in_json_and_indonesian(app):
    response = app.test_client().get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json() == {"message": "Halaman atau data yang Anda cari tidak ada."}


def test_a_method_the_api_does_not_take_answers_405_in_json(app, api, cast):
    client, headers = api(cast.admin)
    response = client.patch("/api/v1/periode/", headers=headers)
    assert response.status_code == 405
    assert response.is_json and "message" in response.get_json()
    assert "Method Not Allowed" not in response.get_data(as_text=True)


def test_a_call_without_a_token_is_told_to_sign_in_in_indonesian(app):
    response = app.test_client().get("/api/v1/penilaian/")
    assert response.status_code == 401
    assert response.get_json() == {"message": "Masuk dahulu untuk memakai API ini."}


def test_a_malformed_token_is_refused_in_indonesian(app):
    response = app.test_client().get(
        "/api/v1/penilaian/", headers={"Authorization": "Bearer bukan-token"}
    )
    assert response.status_code in (401, 422)
    body = response.get_json()
    assert set(body) == {"message"}
    assert body["message"] == "Token tidak sah. Masuk kembali untuk mendapatkan token baru."


def test_pages_keep_their_own_error_page(app):
    response = app.test_client().get("/tidak-ada/")
    assert response.status_code == 404
    assert not response.is_json
    assert "tidak ada" in response.get_data(as_text=True)
