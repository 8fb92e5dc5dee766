"""Sessions that end (OWASP ASVS V3): a browser session or a token is good only while the
account's session version is the one it was issued under, and a browser session only while
it is neither idle nor old.

- Every account has a version (``sesi_pengguna.versi``, 0 until first raised). A browser
  session stores it at sign-in, beside when it began and when it was last used; every JWT,
  access and refresh alike, carries it as the ``sesi`` claim. Each request compares it with
  the account's current one: the cookie in ``SikapSecurityManager.load_user``, the bearer in
  the token blocklist check of flask_jwt_extended.
- The version is raised, ending every session and token of the account at once, on sign-out,
  on a new password (own or reset by an admin), on deactivation and on a change of roles or
  groups — by whatever path the change is written: :func:`install` watches the ORM session.
  A group's roles are the roles of its members too: a change of them (FAB's groups page), or
  the group's removal, ends every member's sessions, and joining or leaving a group, from
  either side, ends the joiner's or leaver's. A change of a role's permissions needs nothing:
  no permission is kept in a session or token; the roles and their permissions are read
  again on each request (SikapSecurityManager.load_user, FAB's has_access).
  A user who changes their own password keeps the browser session they did it from
  (:func:`stamp`); every other one ends.
- A browser session ends after ``SESSION_IDLE_MINUTES`` without a request and
  ``SESSION_MAX_HOURS`` after sign-in, judged here from the times stored in the signed
  session, not by the cookie's expiry, which a client may ignore.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, request, session
from flask_appbuilder.security.sqla.models import Group, User, assoc_user_group
from flask_jwt_extended import decode_token
from flask_login import user_logged_in
from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.models.sesi import SesiPengguna

VERSION_KEY = "_sikap_versi"
STARTED_KEY = "_sikap_mulai"
SEEN_KEY = "_sikap_terakhir"
CLAIM = "sesi"
# The account attributes whose change ends the account's sessions.
WATCHED = ("password", "active", "roles", "groups")
_PENDING = "_sikap_sesi_berakhir"


def now() -> float:
    """Seconds since the epoch (tests move this clock)."""
    return time.time()


def version_of(db_session: Session, user_id: int) -> int:
    found = db_session.execute(
        select(SesiPengguna.versi).where(SesiPengguna.user_id == user_id)
    ).scalar()
    return found or 0


def version_column() -> Any:
    """The current version beside a user row (outer-joined: 0 when none was ever raised)."""
    return func.coalesce(SesiPengguna.versi, 0)


def raise_version(connection: Connection, user_id: int) -> None:
    """End every session and token of ``user_id``: one atomic upsert."""
    table = SesiPengguna.__table__
    dialects = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
    if connection.dialect.name in dialects:
        insert = dialects[connection.dialect.name](table).values(user_id=user_id, versi=1)
        connection.execute(
            insert.on_conflict_do_update(
                index_elements=[table.c.user_id], set_={"versi": table.c.versi + 1}
            )
        )
        return
    changed = connection.execute(
        update(table).where(table.c.user_id == user_id).values(versi=table.c.versi + 1)
    )
    if not changed.rowcount:
        connection.execute(table.insert().values(user_id=user_id, versi=1))


# --- the browser session --------------------------------------------------------------------


def stamp(version: int) -> None:
    """Mark this browser session as issued under ``version``, starting now."""
    moment = int(now())
    session[VERSION_KEY] = version
    session[STARTED_KEY] = moment
    session[SEEN_KEY] = moment


def restamp(version: int) -> None:
    """Keep this browser session across a raise it caused itself (its own password change)."""
    session[VERSION_KEY] = version


def forget() -> None:
    for key in (VERSION_KEY, STARTED_KEY, SEEN_KEY):
        session.pop(key, None)


def session_is_current(version: int) -> bool:
    """Whether the signed-in browser session may go on: same version, not idle, not old.
    A session that may goes on from now (its idle time starts again)."""
    stored = session.get(VERSION_KEY)
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY)
    if stored != version or not isinstance(started, int) or not isinstance(seen, int):
        return False
    moment = now()
    config = current_app.config
    if moment - seen > config["SESSION_IDLE_MINUTES"] * 60:
        return False
    if moment - started > config["SESSION_MAX_HOURS"] * 3600:
        return False
    session[SEEN_KEY] = int(moment)
    return True


# --- tokens ---------------------------------------------------------------------------------


def claims(version: int) -> dict[str, int]:
    return {CLAIM: version}


def token_is_current(payload: dict[str, Any], version: int | None) -> bool:
    """``version``: the account's current version, None when the account is gone or off."""
    return version is not None and payload.get(CLAIM) == version


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    return header[7:].strip() or None


def valid_bearer(version_for: Any) -> bool:
    """Whether this request carries a valid, current access token: signed by us, not expired,
    of an active account at its current version (``version_for(user_id)``)."""
    token = bearer_token()
    if token is None:
        return False
    try:
        payload = decode_token(token)
    except Exception:  # noqa: BLE001 - any undecodable token is simply not a valid one
        return False
    if payload.get("type") != "access":
        return False
    return token_is_current(payload, version_for(payload.get("sub")))


# --- watching account changes ---------------------------------------------------------------


def _changed(obj: Any, name: str) -> bool:
    history = inspect(obj).attrs[name].history
    if name in ("roles", "groups"):
        return set(history.added) != set(history.deleted)
    return bool(history.added) and list(history.added) != list(history.deleted)


def _members(db_session: Session, group_id: int) -> set[int]:
    """The group's members as the database holds them before this flush."""
    with db_session.no_autoflush:
        found = db_session.execute(
            select(assoc_user_group.c.user_id).where(assoc_user_group.c.group_id == group_id)
        )
        return {user_id for user_id in found.scalars() if user_id is not None}


def _group_changes(db_session: Session, group: Group, deleted: bool) -> set[int]:
    """The accounts whose roles a change of ``group`` changes: every member when its roles
    change or it is removed; those who join or leave it."""
    if group.id is None:
        return set()
    history = inspect(group).attrs.users.history
    moved = {user.id for user in (*history.added, *history.deleted) if user.id is not None}
    if deleted or _changed(group, "roles"):
        return _members(db_session, group.id) | moved
    return moved


def _collect(db_session: Session, flush_context: Any, instances: Any) -> None:
    ending = db_session.info.setdefault(_PENDING, set())
    for obj in db_session.dirty:
        watched = isinstance(obj, User) and obj.id is not None
        if watched and any(_changed(obj, name) for name in WATCHED):
            ending.add(obj.id)
        elif isinstance(obj, Group):
            ending |= _group_changes(db_session, obj, deleted=False)
    for obj in db_session.deleted:
        if isinstance(obj, Group):
            ending |= _group_changes(db_session, obj, deleted=True)


def _end(db_session: Session, flush_context: Any) -> None:
    ending = db_session.info.pop(_PENDING, set())
    if not ending:
        return
    connection = db_session.connection()
    for user_id in sorted(ending):
        raise_version(connection, user_id)


def install(session_class: type) -> None:
    """End an account's sessions whenever its password, active flag, roles or groups change,
    or the roles of one of its groups, in the transaction that changes them."""
    if not event.contains(session_class, "before_flush", _collect):
        event.listen(session_class, "before_flush", _collect)
        event.listen(session_class, "after_flush", _end)


def _signed_in(sender: Any, user: Any, **extra: Any) -> None:
    # Flask-Login's session is not "permanent" unless told so: its cookie would then have no
    # expiry. A permanent one is signed again on every request, with PERMANENT_SESSION_LIFETIME
    # (SESSION_IDLE_MINUTES) from then: the browser, too, forgets an idle session.
    session.permanent = True
    from app.extensions import db

    stamp(version_of(db.session, user.id))


def register(app: Any) -> None:
    user_logged_in.connect(_signed_in, app)
