"""Every response carries the security headers (app/security/headers.py): no sniffing, no
framing, no referrer to other sites, and a Content-Security-Policy under which a page runs
only the app's own scripts and the inline ones marked with this request's nonce."""

from __future__ import annotations

import re
from pathlib import Path

import flask_appbuilder
import pytest

TEMPLATE_DIRS = [
    Path(__file__).resolve().parents[2] / "app" / "templates",
    Path(flask_appbuilder.__file__).parent / "templates",
]
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=|javascript:", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def policy(response) -> dict[str, str]:  # noqa: ANN001
    header = response.headers["Content-Security-Policy"]
    return {
        name: value.strip()
        for name, _, value in (d.strip().partition(" ") for d in header.split(";"))
    }


def assert_security_headers(response) -> None:  # noqa: ANN001
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    directives = policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "http" not in response.headers["Content-Security-Policy"]  # no other origin


@pytest.mark.parametrize(
    "path", ["/login/", "/health", "/static/sikap/confirm.js", "/tidak-ada", "/api/v1/pegawai/"]
)
def test_anonymous_responses_carry_the_security_headers(app, path):  # noqa: ANN001
    assert_security_headers(app.test_client().get(path))


@pytest.mark.parametrize(
    "path", ["/", "/pegawaiview/list/", "/pegawaiview/add", "/skp/", "/users/list/"]
)
def test_pages_carry_the_security_headers(login, path):  # noqa: ANN001
    response = login("admin").get(path)
    assert response.status_code == 200
    assert_security_headers(response)


def test_api_answers_carry_the_security_headers(api):  # noqa: ANN001
    client, headers = api("admin")
    assert_security_headers(client.get("/api/v1/pegawai/", headers=headers))


def test_every_inline_script_of_a_page_carries_the_nonce_of_its_header(login, cast):  # noqa: ANN001
    client = login(cast.staff)
    for path in ("/", "/skp/", "/pegawaiview/list/"):
        response = client.get(path)
        nonce = re.fullmatch(r"'self' 'nonce-([\w-]+)'", policy(response)["script-src"])
        assert nonce, policy(response)["script-src"]
        page = response.get_data(as_text=True)
        inline = [attrs for attrs in SCRIPT_TAG.findall(page) if "src=" not in attrs]
        assert inline, path
        for attrs in inline:
            if 'type="application/json"' in attrs:
                continue  # data, never executed
            assert f'nonce="{nonce.group(1)}"' in attrs, (path, attrs)


def test_the_nonce_is_new_for_every_request(login):  # noqa: ANN001
    client = login("admin")
    first, second = (policy(client.get("/"))["script-src"] for _ in range(2))
    assert first != second


def test_no_template_uses_inline_event_handlers_the_policy_would_refuse():
    offenders = [
        f"{path}: {match.group(0)}"
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*.html")
        for match in INLINE_HANDLER.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
