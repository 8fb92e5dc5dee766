"""Signing in: one limit on login attempts at both doors, and a browser session that ends
after ``PERMANENT_SESSION_LIFETIME`` (SESSION_TIMEOUT_MINUTES) without a request.

- FAB limits POSTs to its login page (AUTH_RATE_LIMITED, AUTH_RATE_LIMIT) but not
  ``POST /api/v1/security/login``, where passwords could be guessed just as well: the same
  limit is put on that endpoint here (only there: token refresh stays unlimited).
- The login page names the demo password while the database holds the demo data
  (CONTRACT.md), and only then: a production database never shows it.
- Flask-Login's session is not "permanent" unless told so: its cookie then has no expiry and
  is signed again only when the session changes, so the timeout would count from sign-in,
  not from the last request. A permanent session is re-signed on every request
  (SESSION_REFRESH_EACH_REQUEST), which makes the lifetime an idle timeout.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, session
from flask_appbuilder.security.views import AuthDBView
from flask_login import user_logged_in

from app.extensions import cache, db

API_LOGIN_ENDPOINT = "SecurityApi.login"
DEMO_CHECK_SECONDS = 60


class SikapAuthDBView(AuthDBView):
    login_template = "sikap/login_db.html"


@cache.memoize(timeout=DEMO_CHECK_SECONDS)
def demo_password() -> str | None:
    """The demo accounts' password while demo data are loaded; else None. Asked once a
    minute at most: the login page is the one page anybody may open."""
    from app import demo

    return demo.DEMO_PASSWORD if demo.demo_data_loaded(db.session) else None


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
    app.jinja_env.globals["demo_password"] = demo_password
