"""CSRF protection of every state-changing request (POST, PUT, PATCH, DELETE).

- Pages: Flask-WTF's CSRFProtect checks every form post before the view runs: FAB's own
  forms, its bulk-action and delete forms (which carry ``csrf_token()`` only when this
  extension is installed), and each workflow page of app/views alike. A refused post answers
  400 with a page saying what to do. With the extension installed, FAB also refuses deletes
  and other changes by GET (``is_get_mutation_allowed``).
- REST API: FAB exempts its API blueprints (they are meant for Bearer tokens, which a
  foreign site cannot send). But the API also accepts the browser's session cookie
  (``allow_browser_login``), which a foreign page's form would carry along; so a call that
  changes something, is signed in by the session cookie and has no *valid* Bearer token must
  send the token in an ``X-CSRFToken`` header (from ``csrf_token()`` on any page), else 400.
  Any ``Authorization: Bearer x`` does not do: FAB would act as the cookie's user then.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, session
from flask_babel import gettext
from flask_wtf.csrf import CSRFError, CSRFProtect

from app import uploads
from app.domain.enums import N_
from app.i18n import render_error_page
from app.security import sesi

csrf = CSRFProtect()

API_PREFIX = "/api/"
TITLE = N_("Invalid request")
EXPLANATION = N_(
    "The form has expired or did not come from this application. Reload the page and try again."
)
API_MESSAGE = N_(
    "A change signed in by the browser session needs the CSRF token in the X-CSRFToken "
    "header; other clients sign in with a Bearer token."
)


def check_request() -> None:
    """Pages: the check CSRFProtect would make (exempt views and blueprints skipped). API:
    only a change signed in by the browser session, not by a Bearer token."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if not request.path.startswith(API_PREFIX):
        csrf.protect(apply_exemptions=True)
        return
    if "_user_id" not in session:  # Flask-Login's mark of a signed-in browser session
        return
    sm = current_app.appbuilder.sm  # type: ignore[attr-defined]
    if not sesi.valid_bearer(sm.token_version):
        csrf.protect()


def refused(error: CSRFError) -> Any:
    if request.path.startswith(API_PREFIX):
        return {"message": gettext(API_MESSAGE)}, 400
    return render_error_page(TITLE, EXPLANATION), 400


def room_for_uploads() -> None:
    """The CSRF check reads a posted form before the view runs, under MAX_CONTENT_LENGTH: a
    multipart post gets the upload limit plus room for its framing, as the upload pages allow."""
    if request.mimetype == "multipart/form-data":
        request.max_content_length = uploads.request_limit()


def install(app: Flask) -> None:
    """Before AppBuilder is initialised: FAB exempts an API blueprint only if the extension
    is there when the blueprint is made."""
    csrf.init_app(app)
    # CSRFProtect's own hook would run before FAB's, which signs the user in (g.user): a
    # refusal could not draw the page then. The same check runs in check_request instead.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False


def register(app: Flask) -> None:
    """After AppBuilder is initialised, so that these hooks run after its own."""
    app.before_request(room_for_uploads)
    app.before_request(check_request)
    app.register_error_handler(CSRFError, refused)
