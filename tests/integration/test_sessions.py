"""Sessions that end (ASVS V3): sign-out, a new password, deactivation and a change of roles
end every browser session and token of the account; access tokens are short-lived and
refreshed; a browser session ends when idle or old, by the server's clock; and the API's CSRF
exemption needs a valid bearer token, not any Authorization header."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from flask_appbuilder.security.sqla.models import Group
from flask_jwt_extended import create_access_token, decode_token
from sqlalchemy import select

from app.extensions import db
from app.models.master import Jabatan
from app.models.sesi import CatatanMasuk
from app.security import sesi
from tests.conftest import PASSWORD

GOOD = "Kinerja2026Dumai"
_accounts = itertools.count(1)


def new_account(app, role: str = "pegawai") -> tuple[int, str]:  # noqa: ANN001
    username = f"sesi{next(_accounts)}x2026"
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(
            username, "Uji", "Sesi", f"{username}@contoh.id", [sm.find_role(role)], PASSWORD
        )
        db.session.commit()
        return user.id, username


def browser(app, username: str, password: str = PASSWORD):  # noqa: ANN001, ANN201
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": password})
    assert response.status_code == 302
    return client


def tokens(app, username: str, password: str = PASSWORD) -> dict:  # noqa: ANN001
    response = app.test_client().post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db", "refresh": True},
    )
    assert response.status_code == 200
    return response.get_json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def reaches(client) -> bool:  # noqa: ANN001
    """Whether the browser session still opens a signed-in page."""
    return client.get("/kinerja-saya/").status_code == 200


def api_reaches(app, token: str) -> int:  # noqa: ANN001
    return app.test_client().get("/api/v1/jabatan/", headers=bearer(token)).status_code


def replay(app, client):  # noqa: ANN001, ANN201
    """A new client holding a copy of ``client``'s session cookie as it is now."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


# --- what ends every session and token ---------------------------------------------------------


def test_sign_out_ends_the_old_cookie_every_other_session_and_tokens(app):  # noqa: ANN001
    _, username = new_account(app)
    first, second = browser(app, username), browser(app, username)
    token = tokens(app, username)["access_token"]
    saved = replay(app, first)
    assert reaches(saved) and api_reaches(app, token) == 200
    first.get("/logout/")
    assert not reaches(saved)  # the cookie from before sign-out
    assert not reaches(second)  # another browser of the same account
    refused = app.test_client().get("/api/v1/jabatan/", headers=bearer(token))
    assert refused.status_code == 401
    assert refused.get_json() == {"message": "Sesi telah berakhir. Silakan masuk kembali."}


def test_signing_out_over_rest_ends_every_session_and_token(app):  # noqa: ANN001
    _, username = new_account(app)
    client = browser(app, username)
    issued = tokens(app, username)
    response = app.test_client().post("/api/v1/sesi/keluar", headers=bearer(issued["access_token"]))
    assert response.status_code == 200
    assert not reaches(client)
    assert api_reaches(app, issued["access_token"]) == 401
    refresh = app.test_client().post(
        "/api/v1/security/refresh", headers=bearer(issued["refresh_token"])
    )
    assert refresh.status_code == 401
    with app.app_context():
        last = db.session.execute(
            select(CatatanMasuk.peristiwa, CatatanMasuk.kanal)
            .where(CatatanMasuk.username == username)
            .order_by(CatatanMasuk.id.desc())
        ).first()
    assert tuple(last) == ("keluar", "api")


def test_an_own_password_change_ends_the_other_sessions_and_tokens_but_not_this_one(app):  # noqa: ANN001
    _, username = new_account(app)
    changer, other = browser(app, username), browser(app, username)
    token = tokens(app, username)["access_token"]
    response = changer.post(
        "/resetmypassword/form",
        data={"current_password": PASSWORD, "password": GOOD, "conf_password": GOOD},
    )
    assert response.status_code == 302
    assert reaches(changer)
    assert not reaches(other)
    assert api_reaches(app, token) == 401
    assert reaches(browser(app, username, GOOD))


def test_an_admin_reset_ends_the_accounts_sessions(app, login):  # noqa: ANN001
    user_id, username = new_account(app)
    client = browser(app, username)
    token = tokens(app, username)["access_token"]
    login("admin").post(
        f"/resetpassword/form?pk={user_id}", data={"password": GOOD, "conf_password": GOOD}
    )
    assert not reaches(client)
    assert api_reaches(app, token) == 401


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(app):  # noqa: ANN001
    user_id, username = new_account(app)
    client = browser(app, username)
    token = tokens(app, username)["access_token"]
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.get_user_by_id(user_id)
        user.active = False
        sm.update_user(user)
    assert not reaches(client)
    assert api_reaches(app, token) == 401
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.get_user_by_id(user_id)
        user.active = True
        sm.update_user(user)
    assert not reaches(client)
    assert api_reaches(app, token) == 401


def test_a_change_of_roles_ends_sessions(app, login):  # noqa: ANN001
    user_id, username = new_account(app)
    client = browser(app, username)
    token = tokens(app, username)["access_token"]
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.get_user_by_id(user_id)
        user.roles = [sm.find_role("pegawai"), sm.find_role("atasan")]
        sm.update_user(user)
    assert not reaches(client)
    assert api_reaches(app, token) == 401


_groups = itertools.count(1)


def new_group(app, *members: int) -> int:  # noqa: ANN001
    """A FAB group giving the role pegawai, with ``members``."""
    with app.app_context():
        sm = app.appbuilder.sm
        group = sm.add_group(f"sesi-grup-{next(_groups)}", "Grup Sesi", "Uji sesi", commit=False)
        group.roles = [sm.find_role("pegawai")]
        users = [sm.get_user_by_id(user_id) for user_id in members]
        for user in users:
            user.groups.append(group)
        db.session.commit()
        return group.id


def test_a_change_of_a_groups_roles_on_its_page_ends_its_members_sessions(app, login):  # noqa: ANN001
    member_id, member = new_account(app)
    _, outsider = new_account(app)
    group_id = new_group(app, member_id)
    client, other = browser(app, member), browser(app, outsider)
    token = tokens(app, member)["access_token"]
    with app.app_context():
        sm = app.appbuilder.sm
        wanted = [str(sm.find_role(name).id) for name in ("pegawai", "atasan")]
    form = {"name": f"sesi-grup-halaman-{group_id}", "label": "Grup", "roles": wanted}
    assert login("admin").post(f"/groups/edit/{group_id}", data=form).status_code == 302
    with app.app_context():
        assert {r.name for r in db.session.get(Group, group_id).roles} == {"pegawai", "atasan"}
    assert not reaches(client)
    assert api_reaches(app, token) == 401
    assert reaches(other)  # not a member: nothing of theirs changed


def test_joining_a_group_from_the_groups_side_ends_the_joiners_sessions(app):  # noqa: ANN001
    user_id, username = new_account(app)
    group_id = new_group(app)
    client = browser(app, username)
    with app.app_context():
        group = db.session.get(Group, group_id)
        group.users.append(app.appbuilder.sm.get_user_by_id(user_id))
        db.session.commit()
    assert not reaches(client)


def test_removing_a_group_ends_its_members_sessions(app):  # noqa: ANN001
    user_id, username = new_account(app)
    group_id = new_group(app, user_id)
    client = browser(app, username)
    with app.app_context():
        db.session.delete(db.session.get(Group, group_id))
        db.session.commit()
    assert not reaches(client)


def test_a_change_of_a_roles_permissions_acts_at_once_without_ending_sessions(app):  # noqa: ANN001
    """Nothing of a role is kept in a session or token: permissions are read per request."""
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.add_role(f"sesi-izin-{next(_groups)}")
        sm.add_permission_role(role, sm.find_permission_view_menu("can_get", "JabatanApi"))
        db.session.commit()
        role_id = role.id
    user_id, username = new_account(app)
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.get_user_by_id(user_id)
        user.roles = [db.session.get(sm.role_model, role_id)]
        db.session.commit()
    token = tokens(app, username)["access_token"]
    assert api_reaches(app, token) == 200
    with app.app_context():
        sm = app.appbuilder.sm
        role = db.session.get(sm.role_model, role_id)
        sm.del_permission_role(role, sm.find_permission_view_menu("can_get", "JabatanApi"))
        db.session.commit()
    assert api_reaches(app, token) == 403  # the same token: still current, no longer allowed


def test_an_unrelated_change_of_the_account_ends_nothing(app):  # noqa: ANN001
    user_id, username = new_account(app)
    client = browser(app, username)
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.get_user_by_id(user_id)
        user.first_name = "Baru"
        user.roles = list(user.roles)  # the same roles, assigned again
        sm.update_user(user)
    assert reaches(client)


# --- tokens --------------------------------------------------------------------------------------


def test_access_tokens_live_fifteen_minutes(app):  # noqa: ANN001
    _, username = new_account(app)
    with app.test_request_context():
        claims = decode_token(tokens(app, username)["access_token"])
    assert claims["exp"] - claims["iat"] == 15 * 60


def test_an_expired_access_token_is_refused_and_the_refresh_token_gets_a_new_one(app):  # noqa: ANN001
    user_id, username = new_account(app)
    issued = tokens(app, username)
    with app.test_request_context():
        expired = create_access_token(str(user_id), expires_delta=dt.timedelta(seconds=-1))
    assert api_reaches(app, expired) == 401
    refreshed = app.test_client().post(
        "/api/v1/security/refresh", headers=bearer(issued["refresh_token"])
    )
    assert refreshed.status_code == 200
    assert api_reaches(app, refreshed.get_json()["access_token"]) == 200


def test_a_refresh_token_ends_with_the_sessions(app):  # noqa: ANN001
    _, username = new_account(app)
    issued = tokens(app, username)
    browser(app, username).get("/logout/")
    refused = app.test_client().post(
        "/api/v1/security/refresh", headers=bearer(issued["refresh_token"])
    )
    assert refused.status_code == 401


# --- idle and absolute lifetimes, by the server's clock -----------------------------------------


@pytest.fixture()
def clock(monkeypatch):  # noqa: ANN001, ANN201
    class Clock:
        now = 2_000_000_000.0

        def advance(self, minutes: float) -> None:
            self.now += minutes * 60

    moved = Clock()
    monkeypatch.setattr(sesi, "now", lambda: moved.now)
    return moved


def test_a_session_idle_longer_than_the_setting_ends(app, clock):  # noqa: ANN001
    _, username = new_account(app)
    client = browser(app, username)
    clock.advance(app.config["SESSION_IDLE_MINUTES"] + 1)
    assert not reaches(client)


def test_a_session_in_use_goes_on_until_its_maximum_age(app, clock):  # noqa: ANN001
    _, username = new_account(app)
    client = browser(app, username)
    step = app.config["SESSION_IDLE_MINUTES"] - 5
    used = 0.0
    while used + step < app.config["SESSION_MAX_HOURS"] * 60:
        clock.advance(step)
        used += step
        assert reaches(client), f"ended after {used} minutes in use"
    clock.advance(step)
    assert not reaches(client)


# --- CSRF and the bearer token -------------------------------------------------------------------


def test_a_cookie_with_a_bogus_bearer_header_is_csrf_checked(app, login, monkeypatch):  # noqa: ANN001
    client = login("admin")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    body = {"nama": "Lewat Bearer Palsu", "jenis": "pelaksana"}
    refused = client.post("/api/v1/jabatan/", json=body, headers=bearer("x"))
    assert refused.status_code == 400
    with app.app_context():
        assert (
            db.session.execute(select(Jabatan).where(Jabatan.nama == body["nama"])).first() is None
        )


def test_a_cookie_with_a_valid_bearer_token_needs_no_csrf_token(app, login, monkeypatch):  # noqa: ANN001
    client = login("admin")
    token = tokens(app, "admin")["access_token"]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    body = {"nama": "Lewat Bearer Sah", "jenis": "pelaksana"}
    assert client.post("/api/v1/jabatan/", json=body, headers=bearer(token)).status_code == 201
