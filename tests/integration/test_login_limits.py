"""Login attempts (ASVS V2.2, V7): a lock-out per account at both doors that a new
X-Forwarded-For does not get round, the client address believed from that header only behind
TRUSTED_PROXIES, and a record of every sign-in, failure, lock-out, sign-out and password
change that admin BKPSDM alone reads."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.sesi import CatatanMasuk
from app.security import login as login_module
from tests.conftest import PASSWORD, make_app

GOOD = "Kinerja2026Dumai"
_accounts = itertools.count(1)


@pytest.fixture(scope="module")
def guarded_app(app, database_url):  # noqa: ANN001, ANN201
    """The session's database behind an app that locks an account after 3 failures."""
    return make_app(database_url, LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15)


def new_account(app) -> str:  # noqa: ANN001
    username = f"percobaan{next(_accounts)}x2026"
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user(
            username, "Coba", "Masuk", f"{username}@contoh.id", [sm.find_role("pegawai")], PASSWORD
        )
        db.session.commit()
    return username


def in_default_locale(app, msgid: str, **params: object) -> str:  # noqa: ANN001
    with app.test_request_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return gettext(msgid, **params)


def page_login(app, username: str, password: str, forwarded: str | None = None):  # noqa: ANN001, ANN201
    client = app.test_client()
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = client.post(
        "/login/",
        data={"username": username, "password": password},
        headers=headers,
        follow_redirects=True,
    )
    return client, response


def api_login(app, username: str, password: str, forwarded: str | None = None):  # noqa: ANN001, ANN201
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    body = {"username": username, "password": password, "provider": "db"}
    return app.test_client().post("/api/v1/security/login", json=body, headers=headers)


def signed_in(client) -> bool:  # noqa: ANN001
    return client.get("/kinerja-saya/").status_code == 200


def events_of(app, username: str) -> list[tuple[str, str, str | None]]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.execute(
            select(CatatanMasuk.peristiwa, CatatanMasuk.kanal, CatatanMasuk.ip)
            .where(CatatanMasuk.username == username)
            .order_by(CatatanMasuk.id)
        )
        return [tuple(row) for row in rows]


# --- per-account lock-out ------------------------------------------------------------------


def test_the_login_page_locks_the_account_whatever_the_forwarded_address(guarded_app):  # noqa: ANN001
    username = new_account(guarded_app)
    for n in range(3):
        client, _ = page_login(guarded_app, username, "salah", forwarded=f"203.0.113.{n}")
        assert not signed_in(client)
    client, page = page_login(guarded_app, username, PASSWORD, forwarded="203.0.113.99")
    assert not signed_in(client)  # the right password, but the account is locked
    text = page.get_data(as_text=True)
    assert "Terlalu banyak percobaan masuk untuk akun ini. Coba lagi setelah pukul" in text
    assert " WIB." in text
    assert [e for e, _, _ in events_of(guarded_app, username)] == [
        "gagal",
        "gagal",
        "gagal",
        "terkunci",
        "terkunci",
    ]


def test_the_api_door_locks_the_account_too_and_says_until_when(guarded_app):  # noqa: ANN001
    username = new_account(guarded_app)
    answers = [
        api_login(guarded_app, username, "salah", forwarded=f"198.51.100.{n}").status_code
        for n in range(2)
    ]
    assert answers == [401, 401]
    locking = api_login(guarded_app, username, "salah", forwarded="198.51.100.7")
    assert locking.status_code == 429  # the last failure allowed says so at once
    refused = api_login(guarded_app, username, PASSWORD, forwarded="198.51.100.8")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 14 * 60
    message = refused.get_json()["message"]
    assert message.startswith("Terlalu banyak percobaan masuk untuk akun ini. Coba lagi setelah")
    assert message.endswith(" WIB.")


def test_guesses_racing_on_two_workers_do_not_both_slip_under_the_limit(guarded_app):  # noqa: ANN001
    """One failure left and two guesses at once: the second, arriving while the first's
    password is being checked, finds the first already counted and is refused unchecked
    (both once read the count before either was recorded, and both were checked)."""
    username = new_account(guarded_app)
    for _ in range(2):
        assert api_login(guarded_app, username, "salah").status_code == 401
    checked: list[str] = []

    def racing_check(name: str, password: str) -> None:
        checked.append(password)
        if len(checked) == 1:  # another worker's guess comes in meanwhile
            assert login_module.authenticate(sm, name, "tebakan-kedua", racing_check) is None
        return None

    with guarded_app.test_request_context("/api/v1/security/login", method="POST"):
        sm = guarded_app.appbuilder.sm
        assert login_module.authenticate(sm, username, "tebakan-pertama", racing_check) is None
    assert checked == ["tebakan-pertama"]
    assert [e for e, _, _ in events_of(guarded_app, username)] == [
        "gagal",
        "gagal",
        "gagal",
        "terkunci",
        "terkunci",
    ]


def test_a_failed_sign_in_at_the_api_door_is_refused_in_indonesian(guarded_app):  # noqa: ANN001
    """FAB's bare 401 said "Not authorized" in English; the page's refusal is Indonesian."""
    username = new_account(guarded_app)
    refused = api_login(guarded_app, username, "salah")
    assert refused.status_code == 401
    expected = in_default_locale(guarded_app, login_module.INVALID_LOGIN)
    assert refused.get_json() == {"message": expected}
    assert expected == "Nama pengguna atau kata sandi salah. Silakan coba lagi."
    unknown = api_login(guarded_app, "tidak-ada-akun-ini", "salah")
    assert unknown.status_code == 401
    assert unknown.get_json() == {"message": expected}
    assert api_login(guarded_app, username, PASSWORD).status_code == 200


def test_failures_on_one_door_lock_the_other(guarded_app):  # noqa: ANN001
    username = new_account(guarded_app)
    for _ in range(3):
        page_login(guarded_app, username, "salah")
    assert api_login(guarded_app, username, PASSWORD).status_code == 429
    assert ("terkunci", "api", "127.0.0.1") in events_of(guarded_app, username)


def test_the_lock_out_ends_after_the_window(guarded_app, monkeypatch):  # noqa: ANN001
    username = new_account(guarded_app)
    for _ in range(3):
        api_login(guarded_app, username, "salah")
    assert api_login(guarded_app, username, PASSWORD).status_code == 429
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=16)
    monkeypatch.setattr(login_module, "utcnow", lambda: later)
    assert api_login(guarded_app, username, PASSWORD).status_code == 200


def test_a_sign_in_starts_the_count_again(guarded_app):  # noqa: ANN001
    username = new_account(guarded_app)
    for _ in range(2):
        api_login(guarded_app, username, "salah")
    assert api_login(guarded_app, username, PASSWORD).status_code == 200
    for _ in range(2):
        api_login(guarded_app, username, "salah")
    assert api_login(guarded_app, username, PASSWORD).status_code == 200


def test_a_lock_out_is_per_account(guarded_app):  # noqa: ANN001
    locked, other = new_account(guarded_app), new_account(guarded_app)
    for _ in range(3):
        api_login(guarded_app, locked, "salah")
    assert api_login(guarded_app, other, PASSWORD).status_code == 200


def user_id_of(app, username: str) -> int:  # noqa: ANN001
    with app.app_context():
        return app.appbuilder.sm.find_user(username=username).id


def events_of_account(app, user_id: int) -> list[tuple[str, str]]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.execute(
            select(CatatanMasuk.peristiwa, CatatanMasuk.username)
            .where(CatatanMasuk.user_id == user_id)
            .order_by(CatatanMasuk.id)
        )
        return [tuple(row) for row in rows]


def test_the_email_and_the_username_share_one_accounts_count(guarded_app):  # noqa: ANN001
    """FAB signs in by username or email: typing the other buys no fresh guesses."""
    username = new_account(guarded_app)
    email = f"{username}@contoh.id"
    assert [api_login(guarded_app, username, "salah").status_code for _ in range(2)] == [401, 401]
    assert api_login(guarded_app, email, "salah").status_code == 429
    assert api_login(guarded_app, email, PASSWORD).status_code == 429
    client, _ = page_login(guarded_app, username.upper(), PASSWORD)
    assert not signed_in(client)
    assert events_of_account(guarded_app, user_id_of(guarded_app, username)) == [
        ("gagal", username),
        ("gagal", username),
        ("gagal", email),
        ("terkunci", email),
        ("terkunci", email),
        ("terkunci", username),
    ]


def test_failures_by_email_at_the_page_lock_the_username_at_the_api(guarded_app):  # noqa: ANN001
    username = new_account(guarded_app)
    for _ in range(3):
        page_login(guarded_app, f"{username}@contoh.id", "salah")
    assert api_login(guarded_app, username, PASSWORD).status_code == 429


# --- the current password on the own-password form ---------------------------------------------


def change_own(client, current: str):  # noqa: ANN001, ANN201
    data = {"current_password": current, "password": GOOD, "conf_password": GOOD}
    return client.post("/resetmypassword/form", data=data)


def test_wrong_current_passwords_lock_the_account_and_end_the_session(guarded_app):  # noqa: ANN001
    username = new_account(guarded_app)
    client, _ = page_login(guarded_app, username, PASSWORD)
    token = api_login(guarded_app, username, PASSWORD).get_json()["access_token"]
    for _ in range(2):
        assert change_own(client, "tebakan").status_code == 200  # the form again, with its error
        assert signed_in(client)
    locking = change_own(client, "tebakan")
    assert locking.status_code == 302 and "/login/" in locking.headers["Location"]
    text = client.get(locking.headers["Location"]).get_data(as_text=True)
    assert "Kata sandi saat ini salah dimasukkan terlalu banyak kali" in text
    assert not signed_in(client)
    bearer = {"Authorization": f"Bearer {token}"}
    assert guarded_app.test_client().get("/api/v1/pegawai/", headers=bearer).status_code == 401
    assert api_login(guarded_app, username, PASSWORD).status_code == 429
    assert [e for e, _, _ in events_of(guarded_app, username)] == [
        "masuk",
        "masuk",
        "sandi_salah",
        "sandi_salah",
        "sandi_salah",
        "terkunci",
        "terkunci",
    ]


def test_sign_in_failures_and_wrong_current_passwords_share_the_limit(guarded_app):  # noqa: ANN001
    username = new_account(guarded_app)
    client, _ = page_login(guarded_app, username, PASSWORD)
    for _ in range(2):
        api_login(guarded_app, username, "salah")
    assert change_own(client, "tebakan").status_code == 302
    assert not signed_in(client)


def test_a_locked_accounts_form_checks_no_current_password(guarded_app):  # noqa: ANN001
    username = new_account(guarded_app)
    client, _ = page_login(guarded_app, username, PASSWORD)
    with guarded_app.app_context():
        before = guarded_app.appbuilder.sm.find_user(username=username).password
    for _ in range(3):
        api_login(guarded_app, username, "salah")
    refused = change_own(client, PASSWORD)  # the right one: not even checked
    assert refused.status_code == 302
    text = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Terlalu banyak percobaan masuk untuk akun ini" in text
    with guarded_app.app_context():
        assert guarded_app.appbuilder.sm.find_user(username=username).password == before


# --- the client address ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited_app(app, database_url):  # noqa: ANN001, ANN201
    return make_app(
        database_url, RATELIMIT_ENABLED=True, AUTH_RATE_LIMITED=True, AUTH_RATE_LIMIT="3 per minute"
    )


@pytest.fixture(scope="module")
def proxied_app(app, database_url):  # noqa: ANN001, ANN201
    return make_app(
        database_url,
        RATELIMIT_ENABLED=True,
        AUTH_RATE_LIMITED=True,
        AUTH_RATE_LIMIT="3 per minute",
        TRUSTED_PROXIES=1,
    )


def test_without_a_trusted_proxy_a_new_forwarded_address_buys_no_attempts(limited_app):  # noqa: ANN001
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.3.0.1"
    body = {"username": new_account(limited_app), "password": "salah", "provider": "db"}
    answers = [
        client.post(
            "/api/v1/security/login", json=body, headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert answers == [401, 401, 401, 429]


def test_without_a_trusted_proxy_records_and_audit_keep_the_socket_address(limited_app):  # noqa: ANN001
    username = new_account(limited_app)
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.3.0.2"
    spoofed = {"X-Forwarded-For": "192.0.2.200"}
    client.post("/login/", data={"username": "admin", "password": PASSWORD}, headers=spoofed)
    with limited_app.app_context():
        user_id = limited_app.appbuilder.sm.find_user(username=username).id
    client.post(
        f"/resetpassword/form?pk={user_id}",
        data={"password": GOOD, "conf_password": GOOD},
        headers=spoofed,
    )
    assert events_of(limited_app, username) == [("reset_sandi", "halaman", "10.3.0.2")]
    with limited_app.app_context():
        ip = db.session.execute(
            select(AuditLog.ip)
            .where(AuditLog.table_name == "ab_user", AuditLog.row_id == str(user_id))
            .order_by(AuditLog.id.desc())
        ).first()[0]
    assert ip == "10.3.0.2"


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(proxied_app):  # noqa: ANN001
    client = proxied_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.4.0.1"  # the proxy
    body = {"username": new_account(proxied_app), "password": "salah", "provider": "db"}
    answers = [
        client.post(
            "/api/v1/security/login", json=body, headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(10, 14)
    ]
    assert answers == [401, 401, 401, 401]  # four clients, one attempt each
    username = new_account(proxied_app)
    client.post(
        "/login/",
        data={"username": username, "password": PASSWORD},
        headers={"X-Forwarded-For": "192.0.2.77"},
    )
    assert events_of(proxied_app, username) == [("masuk", "halaman", "192.0.2.77")]


# --- the record, for admin BKPSDM only ---------------------------------------------------------


def test_every_kind_of_event_is_recorded_and_shown_to_admin_only(app, login, api, cast):  # noqa: ANN001
    username = new_account(app)
    page_login(app, username, "salah")
    client, _ = page_login(app, username, PASSWORD)
    client.post(
        "/resetmypassword/form",
        data={"current_password": PASSWORD, "password": GOOD, "conf_password": GOOD},
    )
    client.get("/logout/")
    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username=username).id
    login("admin").post(
        f"/resetpassword/form?pk={user_id}",
        data={"password": "Rahasia2026Baru", "conf_password": "Rahasia2026Baru"},
    )
    assert [e for e, _, _ in events_of(app, username)] == [
        "gagal",
        "masuk",
        "ganti_sandi",
        "keluar",
        "reset_sandi",
    ]
    with app.app_context():
        (by,) = db.session.execute(
            select(CatatanMasuk.oleh).where(
                CatatanMasuk.username == username, CatatanMasuk.peristiwa == "reset_sandi"
            )
        ).one()
    assert by == "admin"

    page = login("admin").get(f"/catatanmasukview/list/?_flt_0_username={username}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for label in ("Signed in", "Failed sign-in", "Signed out", "Changed own password"):
        assert in_default_locale(app, label) in text
    assert GOOD not in text  # never a password

    admin, headers = api("admin")
    q = f"(filters:!((col:username,opr:eq,value:'{username}')))"
    listed = admin.get(f"/api/v1/catatan_masuk/?q={q}", headers=headers).get_json()
    assert listed["count"] == 5
    assert {"waktu", "ip", "peristiwa", "kanal"} <= set(listed["result"][0])

    staff, staff_headers = api(cast.staff)
    assert staff.get("/api/v1/catatan_masuk/", headers=staff_headers).status_code == 403
    assert login(cast.pimpinan).get("/catatanmasukview/list/").status_code == 403
