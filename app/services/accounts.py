"""Login accounts of pegawai: username = NIP, roles from the org chart, active while the
pegawai is."""

from __future__ import annotations

import secrets
import string

from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.models.master import Pegawai
from app.security import roles
from app.services import org

EMAIL_DOMAIN = "sikap.dumaikota.go.id"
_ALPHABET = string.ascii_letters + string.digits


def temporary_password() -> str:
    """12 characters with upper, lower and digits: passes the password policy."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(12))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def create_accounts(session: Session, pegawai: list[Pegawai]) -> list[tuple[Pegawai, str]]:
    """Create an account for each pegawai that has none; return them with their password."""
    sm = current_app.appbuilder.sm
    role = sm.find_role(roles.PEGAWAI)
    created = []
    for person in pegawai:
        if person.user_id is not None:
            continue
        password = temporary_password()
        user = sm.add_user(
            username=person.nip,
            first_name=person.nama[:64],
            last_name="",  # the whole name is the first name (app/security/views.py)
            email=f"{person.nip}@{EMAIL_DOMAIN}",
            role=[role],
            password=password,
        )
        if not user:
            continue
        person.user_id = user.id
        created.append((person, password))
    session.flush()
    org.sync_roles(session, [person.id for person, _ in created])
    return created


def follow_aktif(pegawai: Pegawai) -> None:
    """A pegawai made inactive (retired, moved away, dismissed) can no longer sign in: the
    account is deactivated with them, which ends its sessions and tokens
    (app.security.sesi watches ``active``). Made active again, the account is reactivated
    too: "aktif" is the admin's one switch for "works here", at every door (page, API,
    import). Only a change of ``aktif`` acts, so an account switched off by hand on the
    accounts page stays off while the pegawai's other fields are edited."""
    if not inspect(pegawai).attrs.aktif.history.has_changes():
        return
    user = pegawai.user  # the form's choice if the page changed it, else the linked one
    if user is not None and user.active != bool(pegawai.aktif):
        user.active = bool(pegawai.aktif)
