"""Signing in: one limit on login attempts at both doors, and a browser session that ends
after ``PERMANENT_SESSION_LIFETIME`` (SESSION_TIMEOUT_MINUTES) without a request.

- FAB limits POSTs to its login page (AUTH_RATE_LIMITED, AUTH_RATE_LIMIT) but not
  ``POST /api/v1/security/login``, where passwords could be guessed just as well: the same
  limit is put on that endpoint here (only there: token refresh stays unlimited).
- Flask-Login's session is not "permanent" unless told so: its cookie then has no expiry and
  is signed again only when the session changes, so the timeout would count from sign-in,
  not from the last request. A permanent session is re-signed on every request
  (SESSION_REFRESH_EACH_REQUEST), which makes the lifetime an idle timeout.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, session
from flask_login import user_logged_in

API_LOGIN_ENDPOINT = "SecurityApi.login"


def _keep_session_until_idle(sender: Any, user: Any, **extra: Any) -> None:
    session.permanent = True


def register(app: Flask) -> None:
    sm = app.appbuilder.sm  # type: ignore[attr-defined]
    if sm.is_auth_limited and API_LOGIN_ENDPOINT in app.view_functions:
        # The limiter checks a decorated view when the decorated function runs: it must
        # replace the registered one.
        app.view_functions[API_LOGIN_ENDPOINT] = sm.limiter.limit(
            sm.auth_rate_limit, methods=["POST"]
        )(app.view_functions[API_LOGIN_ENDPOINT])
    user_logged_in.connect(_keep_session_until_idle, app)
