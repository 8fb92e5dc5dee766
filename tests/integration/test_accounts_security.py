"""Accounts: the password rule on every form that sets a password, the login attempt limit on
both doors, the session cookie's flags and idle timeout, and no password in the audit trail."""

from __future__ import annotations

import itertools
import json
import re
from datetime import timedelta
from types import SimpleNamespace

import itsdangerous
import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from app.security import passwords
from tests.conftest import PASSWORD, make_app

GOOD = "Kinerja2026Dumai"
_accounts = itertools.count(1)


def in_default_locale(app, msgid: str, **params: object) -> str:  # noqa: ANN001
    with app.test_request_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return gettext(msgid, **params)


def new_account(app, password: str = PASSWORD) -> tuple[int, str]:  # noqa: ANN001
    """An account of its own (letters and digits in the username), made by code like demo data."""
    username = f"operator{next(_accounts)}x2026"
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(
            username,
            "Operator",
            "Uji",
            f"{username}@contoh.id",
            [sm.find_role("pegawai")],
            password,
        )
        db.session.commit()
        return user.id, username


def role_id(app, name: str = "pegawai") -> int:  # noqa: ANN001
    with app.app_context():
        return app.appbuilder.sm.find_role(name).id


def sign_in(app, username: str, password: str):  # noqa: ANN001, ANN201
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": password})
    return client, response


def password_hash(app, user_id: int) -> str:  # noqa: ANN001
    with app.app_context():
        return db.session.get(app.appbuilder.sm.user_model, user_id).password


# --- the password rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("Ab1", passwords.TOO_SHORT),
        ("dumai2026", passwords.TOO_SHORT),  # the demo password: only for accounts made by code
        ("kinerjadumai", passwords.LETTERS_AND_DIGITS),
        ("202620262026", passwords.LETTERS_AND_DIGITS),
    ],
)
def test_the_add_account_form_refuses_a_weak_password(app, login, password, broken):  # noqa: ANN001
    username = f"akunbaru{next(_accounts)}"
    response = login("admin").post(
        "/users/add",
        data={
            "first_name": "Akun",
            "last_name": "Baru",
            "username": username,
            "email": f"{username}@contoh.id",
            "roles": [role_id(app)],
            "password": password,
            "conf_password": password,
        },
    )
    assert response.status_code == 200
    assert in_default_locale(app, broken, min=10) in response.get_data(as_text=True)
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=username) is None


def test_the_add_account_form_refuses_the_username_as_password(app, login):  # noqa: ANN001
    username = f"petugas{next(_accounts)}x2026"
    response = login("admin").post(
        "/users/add",
        data={
            "first_name": "Akun",
            "last_name": "Baru",
            "username": username,
            "email": f"{username}@contoh.id",
            "roles": [role_id(app)],
            "password": username.upper(),
            "conf_password": username.upper(),
        },
    )
    assert response.status_code == 200
    assert in_default_locale(app, passwords.IS_USERNAME) in response.get_data(as_text=True)


def test_the_add_account_form_accepts_a_password_that_meets_the_rule(app, login):  # noqa: ANN001
    username = f"akunbaru{next(_accounts)}"
    response = login("admin").post(
        "/users/add",
        data={
            "first_name": "Akun",
            "last_name": "Baru",
            "username": username,
            "email": f"{username}@contoh.id",
            "roles": [role_id(app)],
            "password": GOOD,
            "conf_password": GOOD,
        },
    )
    assert response.status_code == 302
    assert sign_in(app, username, GOOD)[1].status_code == 302


def test_an_admin_reset_refuses_the_accounts_own_username(app, login):  # noqa: ANN001
    user_id, username = new_account(app)
    before = password_hash(app, user_id)
    response = login("admin").post(
        f"/resetpassword/form?pk={user_id}",
        data={"password": username, "conf_password": username},
    )
    assert response.status_code == 200
    assert in_default_locale(app, passwords.IS_USERNAME) in response.get_data(as_text=True)
    assert password_hash(app, user_id) == before


def test_an_admin_reset_with_a_good_password_works(app, login):  # noqa: ANN001
    user_id, username = new_account(app)
    response = login("admin").post(
        f"/resetpassword/form?pk={user_id}", data={"password": GOOD, "conf_password": GOOD}
    )
    assert response.status_code == 302
    assert sign_in(app, username, GOOD)[1].status_code == 302


def test_a_user_changing_their_own_password_meets_the_rule(app):  # noqa: ANN001
    user_id, username = new_account(app)
    client, _ = sign_in(app, username, PASSWORD)
    weak = client.post(
        "/resetmypassword/form",
        data={"current_password": PASSWORD, "password": "pendek1", "conf_password": "pendek1"},
    )
    assert weak.status_code == 200
    assert in_default_locale(app, passwords.TOO_SHORT, min=10) in weak.get_data(as_text=True)
    own_name = client.post(
        "/resetmypassword/form",
        data={"current_password": PASSWORD, "password": username, "conf_password": username},
    )
    assert in_default_locale(app, passwords.IS_USERNAME) in own_name.get_data(as_text=True)
    good = client.post(
        "/resetmypassword/form",
        data={"current_password": PASSWORD, "password": GOOD, "conf_password": GOOD},
    )
    assert good.status_code == 302
    assert sign_in(app, username, GOOD)[1].status_code == 302


def test_demo_accounts_made_by_code_keep_the_demo_password(app, cast):  # noqa: ANN001
    for username in (cast.admin, cast.staff):
        assert sign_in(app, username, "dumai2026")[1].status_code == 302


def test_the_password_form_states_the_rule(app, login):  # noqa: ANN001
    page = login("admin").get("/resetmypassword/form").get_data(as_text=True)
    assert in_default_locale(app, passwords.RULE) in page


# --- passwords never reach the audit trail -------------------------------------------------


def test_no_audit_row_holds_a_password_or_its_hash(app, login):  # noqa: ANN001
    user_id, username = new_account(app)
    with app.app_context():
        last = db.session.execute(select(db.func.max(AuditLog.id))).scalar_one()
    client, _ = sign_in(app, username, PASSWORD)
    assert (
        client.post(
            "/resetmypassword/form",
            data={"current_password": PASSWORD, "password": GOOD, "conf_password": GOOD},
        ).status_code
        == 302
    )
    second = "Rahasia2026Kedua"
    admin = login("admin")
    assert (
        admin.post(
            f"/resetpassword/form?pk={user_id}",
            data={"password": second, "conf_password": second},
        ).status_code
        == 302
    )
    secrets = {PASSWORD, GOOD, second, password_hash(app, user_id)}
    with app.app_context():
        rows = db.session.execute(select(AuditLog).where(AuditLog.id > last)).scalars().all()
        written = [json.dumps(row.changes) for row in rows if row.table_name == "ab_user"]
        everything = " ".join(
            f"{row.changes} {row.username} {row.table_name} {row.row_id}" for row in rows
        )
    assert len(written) >= 2  # both changes are on record …
    assert all('"password": ["***", "***"]' in text for text in written if "password" in text)
    for secret in secrets:
        assert secret not in everything  # … without the password or its hash


# --- the login attempt limit ---------------------------------------------------------------


@pytest.fixture(scope="module")
def limited_app(database_url):  # noqa: ANN001, ANN201
    """The session's database behind an app with the limiter on, as in production."""
    return make_app(
        database_url,
        RATELIMIT_ENABLED=True,
        AUTH_RATE_LIMITED=True,
        AUTH_RATE_LIMIT="3 per minute",
    )


def from_address(app, address: str):  # noqa: ANN001, ANN201
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_login_page_answers_429_after_the_limit(limited_app):  # noqa: ANN001
    client = from_address(limited_app, "10.1.0.1")
    answers = [
        client.post("/login/", data={"username": "admin", "password": "salah"}).status_code
        for _ in range(3)
    ]
    assert answers == [302, 302, 302]  # wrong password: back to the form
    refused = client.post("/login/", data={"username": "admin", "password": PASSWORD})
    assert refused.status_code == 429
    assert in_default_locale(limited_app, "Too many attempts") in refused.get_data(as_text=True)
    other = from_address(limited_app, "10.1.0.2")  # the limit is per client address
    assert (
        other.post("/login/", data={"username": "admin", "password": PASSWORD}).status_code == 302
    )


def test_the_api_login_answers_429_after_the_limit(limited_app):  # noqa: ANN001
    client = from_address(limited_app, "10.2.0.1")
    body = {"username": "admin", "password": "salah", "provider": "db"}
    answers = [client.post("/api/v1/security/login", json=body).status_code for _ in range(3)]
    assert answers == [401, 401, 401]
    refused = client.post("/api/v1/security/login", json={**body, "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.get_json() == {
        "message": in_default_locale(
            limited_app, "Too many attempts. Wait a minute, then try again."
        )
    }


# --- the session cookie --------------------------------------------------------------------


def session_cookie(response) -> str:  # noqa: ANN001
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_the_session_cookie_is_httponly_samesite_lax_and_not_secure_over_http(app):  # noqa: ANN001
    _, response = sign_in(app, "admin", PASSWORD)
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert "Expires=" in cookie  # a permanent session: the browser forgets it when idle


def test_the_session_cookie_is_secure_when_configured(app, monkeypatch):  # noqa: ANN001
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    _, response = sign_in(app, "admin", PASSWORD)
    assert re.search(r";\s*Secure\b", session_cookie(response))


def test_the_session_ends_after_the_idle_timeout_and_not_while_in_use(app, monkeypatch):  # noqa: ANN001
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", timedelta(minutes=60))
    clock = SimpleNamespace(now=2_000_000_000)  # the time session cookies are signed and read by
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda _: clock.now)
    client, _ = sign_in(app, "admin", PASSWORD)
    for _ in range(3):  # 3 × 50 minutes in use: longer than the timeout, never idle that long
        clock.now += 50 * 60
        assert client.get("/").status_code == 200
    clock.now += 61 * 60
    response = client.get("/")
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]
