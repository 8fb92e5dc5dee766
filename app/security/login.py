"""Signing in (OWASP ASVS V2.2, V7): a limit per client and a lock-out per account at both
doors, and a record of every sign-in, failure, lock-out, sign-out and password change.

- Per client: FAB limits POSTs to its login page (AUTH_RATE_LIMITED, AUTH_RATE_LIMIT) but not
  ``POST /api/v1/security/login``, where passwords could be guessed just as well: the same
  limit is put on that endpoint here (only there: token refresh stays unlimited). The client
  is the socket's address, or X-Forwarded-For's only behind TRUSTED_PROXIES (app/__init__.py),
  so a client cannot buy fresh attempts with a new header.
- Per account: after LOGIN_MAX_FAILURES failed attempts at one account within
  LOGIN_LOCKOUT_MINUTES (since its last sign-in or password change), the account is locked
  until the oldest of those failures is LOGIN_LOCKOUT_MINUTES old, from every address and at
  both doors; the answer says until when. Attempts while locked are not even checked. The
  typed name is resolved to the account as FAB's sign-in does (the username, else the email),
  so typing the email does not buy a second set of guesses; a name of no account is counted
  as typed. A wrong current password on the own-password form
  (app/security/passwords.py) counts as a failure of the account too. The count is read from
  ``catatan_masuk``, in the database every worker shares; only failures count, so the many
  sign-ins of a busy account never lock it.
- The login page names the demo password while the database holds the demo data
  (CONTRACT.md), and only then: a production database never shows it.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from flask_appbuilder.security.views import AuthDBView
from flask_babel import format_datetime, gettext, lazy_gettext
from sqlalchemy import and_, func, insert, select, update

from app.domain.enums import N_
from app.extensions import cache, db
from app.models.sesi import (
    API,
    GAGAL,
    GANTI_SANDI,
    HALAMAN,
    MASUK,
    RESET_SANDI,
    SANDI_SALAH,
    TERKUNCI,
    CatatanMasuk,
)

API_LOGIN_ENDPOINT = "SecurityApi.login"
DEMO_CHECK_SECONDS = 60
LOCKED = N_("Too many sign-in attempts for this account. Try again after %(time)s.")
# FAB's refusal of a wrong name or password at the page; its API door said "Not authorized".
INVALID_LOGIN = N_("Invalid login. Please try again.")
_LOCKED_UNTIL = "_sikap_terkunci_sampai"
# What counts towards a lock-out, and what starts the count again (the account's owner proved
# the password, or an admin set a new one).
FAILURES = (GAGAL, SANDI_SALAH)
RESTARTS = (MASUK, GANTI_SANDI, RESET_SANDI)


def utcnow() -> dt.datetime:
    """Naive UTC, as the records store it (tests move this clock)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def account_key(username: str | None) -> str:
    """One account however its name is typed (FAB finds usernames case-insensitively)."""
    return (username or "").strip().casefold()[:256]


def client_address() -> str | None:
    """The client's address: the socket's, or X-Forwarded-For's behind TRUSTED_PROXIES (the
    ProxyFix of app/__init__.py has already put it here)."""
    return request.remote_addr if has_request_context() else None


def door() -> str:
    return API if has_request_context() and request.path.startswith("/api/") else HALAMAN


def record(
    peristiwa: str,
    username: str,
    user_id: int | None = None,
    oleh: str | None = None,
) -> int:
    """One line of ``catatan_masuk`` in the caller's transaction (a Core insert: an event of
    an account, not a change of data for the audit trail), and its id. Never the password."""
    inserted = db.session.execute(
        insert(CatatanMasuk).values(
            waktu=utcnow(),
            username=account_key(username),
            user_id=user_id,
            peristiwa=peristiwa,
            kanal=door(),
            ip=client_address(),
            oleh=oleh,
        )
    )
    return inserted.inserted_primary_key[0]


def _settle(attempt: int, peristiwa: str, user_id: int | None) -> None:
    """What an attempt recorded before its password was checked turned out to be."""
    db.session.execute(
        update(CatatanMasuk)
        .where(CatatanMasuk.id == attempt)
        .values(peristiwa=peristiwa, user_id=user_id)
    )


def account_id(sm: Any, typed: str | None) -> int | None:
    """The account FAB's sign-in (``auth_user_db``) would check ``typed`` against: the
    username (case-insensitively under AUTH_USERNAME_CI, FAB's default), else the email
    (exactly, as FAB looks it up); None when neither names exactly one account."""
    if not typed:
        return None
    model = sm.user_model
    if sm.auth_username_ci:
        by_username = func.lower(model.username) == func.lower(typed)
    else:
        by_username = model.username == typed
    for clause in (by_username, model.email == typed):
        found = db.session.execute(select(model.id).where(clause).limit(2)).scalars().all()
        if len(found) == 1:
            return found[0]
    return None


def _records_of(username: str, user_id: int | None) -> Any:
    """The records of one account, by whatever name it was typed; for a name of no account,
    the records of that name."""
    if user_id is not None:
        return CatatanMasuk.user_id == user_id
    return and_(CatatanMasuk.username == account_key(username), CatatanMasuk.user_id.is_(None))


def locked_until(
    username: str, user_id: int | None, with_pending: bool = False
) -> dt.datetime | None:
    """Until when (UTC) the account ``user_id`` (or, None, the name ``username``) is locked
    out, or None; ``with_pending``: the newest failure recorded is the attempt being decided,
    which does not count against itself."""
    allowed = current_app.config["LOGIN_MAX_FAILURES"]
    if not allowed:
        return None
    limit = allowed + 1 if with_pending else allowed
    window = dt.timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
    whose = _records_of(username, user_id)
    moment = utcnow()
    last_restart = (
        select(func.max(CatatanMasuk.waktu))
        .where(whose, CatatanMasuk.peristiwa.in_(RESTARTS))
        .scalar_subquery()
    )
    failures = (
        db.session.execute(
            select(CatatanMasuk.waktu)
            .where(
                whose,
                CatatanMasuk.peristiwa.in_(FAILURES),
                CatatanMasuk.waktu > moment - window,
                CatatanMasuk.waktu > func.coalesce(last_restart, dt.datetime(1970, 1, 1)),
            )
            .order_by(CatatanMasuk.waktu.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
    if len(failures) < limit:
        return None
    until = failures[-1] + window
    return until if until > moment else None


def locked_time(until: dt.datetime) -> str:
    """ "pukul 14.37 WIB": a lock-out lasts LOGIN_LOCKOUT_MINUTES at most, so the time of day
    is enough."""
    return format_datetime(until.replace(tzinfo=dt.UTC), "HH.mm") + " WIB"


def locked_message(until: dt.datetime) -> str:
    """The refusal, "… Coba lagi setelah pukul 14.37 WIB."."""
    return gettext(LOCKED, time=locked_time(until))


def lockout_of_this_request() -> dt.datetime | None:
    return g.get(_LOCKED_UNTIL)


def authenticate(sm: Any, username: str, password: str, check: Any) -> Any:
    """Both doors' sign-in (``check``: FAB's own), with the lock-out and the record around it.

    The attempt is recorded as a failure, and committed, before its password is checked:
    attempts at the same account racing on other workers count it, so guesses sent in
    parallel cannot each slip under the limit. Then it becomes what it turned out to be."""
    user_id = account_id(sm, username)
    attempt = record(GAGAL, username, user_id)
    db.session.commit()
    until = locked_until(username, user_id, with_pending=True)
    if until is not None:
        _settle(attempt, TERKUNCI, user_id)
        db.session.commit()
        g.setdefault(_LOCKED_UNTIL, until)
        return None
    user = check(username, password)
    if user is not None:
        _settle(attempt, MASUK, user.id)
    else:
        until = locked_until(username, user_id)
        if until is not None:
            # This failure was the last one allowed: say so now, not at the next attempt.
            record(TERKUNCI, username, user_id)
            g.setdefault(_LOCKED_UNTIL, until)
    db.session.commit()
    return user


def failed(peristiwa: str, username: str, user_id: int | None) -> dt.datetime | None:
    """Record a failure of the account (a sign-in, or a current password on the password
    form); if it was the last one allowed, record the lock-out too and return its end."""
    record(peristiwa, username, user_id)
    db.session.flush()
    until = locked_until(username, user_id)
    if until is not None:
        record(TERKUNCI, username, user_id)
    return until


class SikapAuthDBView(AuthDBView):
    login_template = "sikap/login_db.html"

    @property
    def invalid_login_message(self) -> Any:  # type: ignore[override]
        until = lockout_of_this_request()
        if until is not None:
            return locked_message(until)
        return lazy_gettext(INVALID_LOGIN)


@cache.memoize(timeout=DEMO_CHECK_SECONDS)
def demo_password() -> str | None:
    """The demo accounts' password while demo data are loaded; else None. Asked once a
    minute at most: the login page is the one page anybody may open."""
    from app import demo

    return demo.DEMO_PASSWORD if demo.demo_data_loaded(db.session) else None


def _answer_lockout(view: Any) -> Any:
    """The API door answers a locked account 429 with the time, not FAB's bare 401, and a
    wrong name or password 401 in the page's words instead of FAB's English."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        response = view(*args, **kwargs)
        until = lockout_of_this_request()
        if until is None:
            if getattr(response, "status_code", None) == 401:
                return {"message": gettext(INVALID_LOGIN)}, 401
            return response
        seconds = max(1, int((until - utcnow()).total_seconds()))
        return {"message": locked_message(until)}, 429, {"Retry-After": str(seconds)}

    return wrapped


def register(app: Flask) -> None:
    sm = app.appbuilder.sm  # type: ignore[attr-defined]
    if API_LOGIN_ENDPOINT in app.view_functions:
        view = _answer_lockout(app.view_functions[API_LOGIN_ENDPOINT])
        if sm.is_auth_limited:
            # The limiter checks a decorated view when the decorated function runs: it must
            # replace the registered one.
            view = sm.limiter.limit(sm.auth_rate_limit, methods=["POST"])(view)
        app.view_functions[API_LOGIN_ENDPOINT] = view
    app.jinja_env.globals["demo_password"] = demo_password
