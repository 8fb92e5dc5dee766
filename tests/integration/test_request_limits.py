"""Requests the app cannot take answer 4xx with a message in the user's language, never 500
(CONTRACT.md): a body over the limit 413, malformed JSON or Rison ``q`` to the API 400."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale, gettext

from app.api.base import fab_400_message
from app.api.guard import BAD_RISON, BODY_TOO_LARGE, NOT_JSON

MB = 1024 * 1024
JSON = {"Content-Type": "application/json"}


def in_default_locale(app, msgid: str, **params: object) -> str:  # noqa: ANN001
    with app.test_request_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return gettext(msgid, **params)


def json_of_size(size: int) -> bytes:
    return b'{"nama": "' + b"x" * size + b'"}'


@pytest.mark.parametrize(
    "path",
    ["/api/v1/pegawai/", "/api/v1/realisasi/", "/api/v1/bukti_dukung/", "/api/v1/skp/1/return"],
)
def test_a_json_body_over_one_mb_answers_413_with_a_message(app, api, path):  # noqa: ANN001
    client, headers = api("admin")
    response = client.post(path, data=json_of_size(MB + 1), headers={**headers, **JSON})
    assert response.status_code == 413
    assert response.get_json() == {"message": in_default_locale(app, BODY_TOO_LARGE, mb=1)}


def test_a_json_body_over_the_upload_limit_answers_413_not_500(app, api):  # noqa: ANN001
    client, headers = api("admin")
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/api/v1/pegawai/", data=json_of_size(size), headers={**headers, **JSON})
    assert response.status_code == 413


def test_a_chunked_json_body_over_the_limit_answers_413(app, api):  # noqa: ANN001
    client, headers = api("admin")
    response = client.post(
        "/api/v1/pegawai/",
        input_stream=io.BytesIO(json_of_size(2 * MB)),
        headers={**headers, **JSON, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413


def test_a_json_body_under_the_limit_reaches_the_resource(api):  # noqa: ANN001
    client, headers = api("admin")
    response = client.post(
        "/api/v1/pegawai/", data=json_of_size(MB // 2), headers={**headers, **JSON}
    )
    assert response.status_code == 422  # the resource's own validation, not the guard


def test_a_multipart_upload_over_the_limit_answers_413_on_any_resource(app, api):  # noqa: ANN001
    client, headers = api("admin")
    content = b"%PDF-" + b"0" * (app.config["MAX_UPLOAD_MB"] * MB + 100 * 1024)
    for path in ("/api/v1/bukti_dukung/", "/api/v1/pegawai/"):
        response = client.post(
            path,
            data={"realisasi_id": "1", "file": (io.BytesIO(content), "besar.pdf")},
            content_type="multipart/form-data",
            headers=headers,
        )
        assert response.status_code == 413, path
        assert response.get_json()["field"] == "berkas"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/pegawai/", "/api/v1/realisasi/", "/api/v1/skp/1/return", "/api/v1/security/login"],
)
def test_malformed_json_answers_400_with_a_message(app, api, path):  # noqa: ANN001
    client, headers = api("admin")
    response = client.post(path, data=b'{"nama": "tanpa penutup', headers={**headers, **JSON})
    assert response.status_code == 400
    assert response.get_json() == {"message": in_default_locale(app, NOT_JSON)}


def test_an_empty_json_body_still_reaches_an_action_that_takes_none(app, api):  # noqa: ANN001
    client, headers = api("admin")
    response = client.post("/api/v1/skp/0/submit", data=b"", headers={**headers, **JSON})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/pegawai/", "/api/v1/pegawai/_info", "/api/v1/audit_log/", "/api/v1/skp/1"]
)
def test_malformed_rison_answers_400_with_a_message(app, api, path):  # noqa: ANN001
    client, headers = api("admin")
    response = client.get(path, query_string={"q": "(filters:!((col:nip"}, headers=headers)
    assert response.status_code == 400
    assert response.get_json() == {"message": in_default_locale(app, BAD_RISON)}


def test_rison_of_the_wrong_shape_answers_400_with_a_message(app, api):  # noqa: ANN001
    client, headers = api("admin")
    response = client.get("/api/v1/pegawai/", query_string={"q": "(page:x)"}, headers=headers)
    assert response.status_code == 400
    message = response.get_json()["message"]
    expected = in_default_locale(
        app, "The q parameter does not have the expected form: %(detail)s", detail=""
    )
    assert message.startswith(expected) and len(message) > len(expected)


def test_fab_english_400_messages_are_replaced(app):  # noqa: ANN001
    with app.test_request_context():
        assert fab_400_message("Request is not JSON") == gettext(
            "Send the data as JSON (Content-Type: application/json)."
        )
        assert fab_400_message("400 Bad Request: The browser (or proxy) sent a request") == (
            gettext("The request could not be understood.")
        )
        assert fab_400_message({"nip": ["wajib"]}) == {"nip": ["wajib"]}


def test_a_page_form_over_the_limit_answers_an_indonesian_413_page(app, login):  # noqa: ANN001
    client = login("admin")
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/pegawaiview/add", data={"nama": "x" * size})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert in_default_locale(app, "File too large") in page
    assert 'name="username"' not in page  # the app's error page, still signed in


def test_a_login_form_over_the_limit_answers_413_not_500(app):  # noqa: ANN001
    client = app.test_client()
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/login/", data={"username": "admin", "password": "x" * size})
    assert response.status_code == 413


def test_a_page_form_over_the_limit_goes_back_to_its_page_with_the_reason(app, login):  # noqa: ANN001
    client = login("admin")
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(
        "/pegawaiview/add",
        data={"nama": "x" * size},
        headers={"Referer": "http://localhost/pegawaiview/add"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/pegawaiview/add"
    page = client.get("/pegawaiview/add").get_data(as_text=True)
    mb = app.config["MAX_UPLOAD_MB"]
    assert (
        in_default_locale(app, "The data sent is larger than the limit of %(mb)d MB.", mb=mb)
        in page
    )


def test_a_foreign_referer_gets_the_error_page_not_a_redirect(app, login):  # noqa: ANN001
    client = login("admin")
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(
        "/pegawaiview/add", data={"nama": "x" * size}, headers={"Referer": "http://contoh.id/"}
    )
    assert response.status_code == 413


def test_fab_schemas_of_q_are_checked_once_per_process(app, api, monkeypatch):  # noqa: ANN001
    """jsonschema.validate checks the schema itself at every call (17 ms a read): FAB's
    schemas are checked once (app.api.rison_schema), and a q is still held against them."""
    import jsonschema
    from flask_appbuilder.api.schemas import get_list_schema

    client, headers = api("admin")
    paths = ["/api/v1/pegawai/?q=(page_size:5)", "/api/v1/pegawai/_info", "/api/v1/skp/1"]
    for path in paths:
        client.get(path, headers=headers)
    validator = jsonschema.validators.validator_for(get_list_schema)
    checks = []
    monkeypatch.setattr(
        validator, "check_schema", classmethod(lambda cls, schema: checks.append(schema))
    )
    for path in paths:
        assert client.get(path, headers=headers).status_code in (200, 404), path
    assert checks == []
    wrong = client.get("/api/v1/pegawai/", query_string={"q": "(page_size:x)"}, headers=headers)
    assert wrong.status_code == 400
