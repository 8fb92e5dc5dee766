"""Changing a password (ASVS V2.1): one's own change asks for the current password; no form
takes a common password, the username or NIP, or the owner's name; an admin's reset needs no
current password but keeps the rest of the rule."""

from __future__ import annotations

import itertools
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.models.master import Pegawai
from app.security import passwords
from tests.conftest import PASSWORD

GOOD = "Kinerja2026Dumai"
_accounts = itertools.count(1)


def in_default_locale(app, msgid: str) -> str:  # noqa: ANN001
    with app.test_request_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return gettext(msgid)


def new_account(app) -> tuple[int, str]:  # noqa: ANN001
    username = f"gantisandi{next(_accounts)}x2026"
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(
            username,
            "Rahmawati",
            "Siregar",
            f"{username}@contoh.id",
            [sm.find_role("pegawai")],
            PASSWORD,
        )
        db.session.commit()
        return user.id, username


def password_hash(app, user_id: int) -> str:  # noqa: ANN001
    with app.app_context():
        return app.appbuilder.sm.get_user_by_id(user_id).password


def change_own(client, new: str, current: str | None = PASSWORD):  # noqa: ANN001, ANN201
    data = {"password": new, "conf_password": new}
    if current is not None:
        data["current_password"] = current
    return client.post("/resetmypassword/form", data=data)


def a_common_password_meeting_the_other_rules() -> str:
    return next(
        p
        for p in sorted(passwords.common_passwords())
        if len(p) >= passwords.MIN_LENGTH and re.search("[a-z]", p) and re.search("[0-9]", p)
    )


def test_the_shipped_list_holds_at_least_ten_thousand_common_passwords():
    common = passwords.common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty123", "iloveyou"} <= common


def test_an_own_change_without_the_current_password_is_refused(app, login):  # noqa: ANN001
    user_id, username = new_account(app)
    before = password_hash(app, user_id)
    client = login(username)
    missing = change_own(client, GOOD, current=None)
    assert missing.status_code == 200  # the form again, nothing changed
    wrong = change_own(client, GOOD, current="BukanSandi2026")
    assert wrong.status_code == 200
    assert in_default_locale(app, passwords.WRONG_CURRENT) in wrong.get_data(as_text=True)
    assert password_hash(app, user_id) == before
    assert change_own(client, GOOD).status_code == 302
    assert password_hash(app, user_id) != before


def test_the_form_asks_for_the_current_password_first(app, login):  # noqa: ANN001
    page = login(new_account(app)[1]).get("/resetmypassword/form").get_data(as_text=True)
    assert page.index('name="current_password"') < page.index('name="password"')


def test_a_common_password_is_refused_on_every_form(app, login):  # noqa: ANN001
    common = a_common_password_meeting_the_other_rules()
    user_id, username = new_account(app)
    message = in_default_locale(app, passwords.COMMON)
    own = change_own(login(username), common.upper())
    assert message in own.get_data(as_text=True)
    reset = login("admin").post(
        f"/resetpassword/form?pk={user_id}", data={"password": common, "conf_password": common}
    )
    assert reset.status_code == 200
    assert message in reset.get_data(as_text=True)


def test_the_nip_is_refused_even_inside_a_longer_password(app, login, cast):  # noqa: ANN001
    refused = change_own(login(cast.staff), f"Ab{cast.staff}")
    assert in_default_locale(app, passwords.IS_USERNAME) in refused.get_data(as_text=True)


def test_the_owners_name_and_its_parts_are_refused(app, login, cast):  # noqa: ANN001
    with app.app_context():
        nama = db.session.execute(select(Pegawai.nama).where(Pegawai.nip == cast.staff)).scalar()
    part = max(re.findall(r"[^\W\d_]+", nama), key=len)
    client = login(cast.staff)
    message = in_default_locale(app, passwords.HAS_NAME)
    assert message in change_own(client, f"{part.lower()}2026!x").get_data(as_text=True)
    whole = "".join(re.findall(r"[^\W\d_]+", nama)) + "2026"
    assert message in change_own(client, whole).get_data(as_text=True)


def test_an_admin_reset_needs_no_current_password_but_refuses_the_name(app, login):  # noqa: ANN001
    user_id, _ = new_account(app)
    admin = login("admin")
    named = admin.post(
        f"/resetpassword/form?pk={user_id}",
        data={"password": "Rahmawati2026", "conf_password": "Rahmawati2026"},
    )
    assert in_default_locale(app, passwords.HAS_NAME) in named.get_data(as_text=True)
    done = admin.post(
        f"/resetpassword/form?pk={user_id}", data={"password": GOOD, "conf_password": GOOD}
    )
    assert done.status_code == 302


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("Siregar2026abc", passwords.HAS_NAME),
        ("rahmawatisiregar1", passwords.HAS_NAME),
        ("x198501012010011001", passwords.IS_USERNAME),
        ("Kinerja2026Dumai", None),
        ("Ani2026Kinerja", None),  # a three-letter name part is too common a string to forbid
    ],
)
def test_the_rule_on_names_and_nip(password, broken):  # noqa: ANN001
    account = passwords.Account(
        "198501012010011001", "198501012010011001", ("Ani Rahmawati Siregar",)
    )
    found = passwords.problems(password, account)
    assert found == ([broken] if broken else [])
