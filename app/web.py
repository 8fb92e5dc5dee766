"""Application-wide routes and error pages: /health and the mapping of domain errors; and
the templates compiled once for a server's workers."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, jsonify, redirect, request, send_from_directory
from flask_babel import gettext
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, TooManyRequests
from werkzeug.routing import IntegerConverter

from app.domain.enums import N_

TOO_LARGE = N_("The data sent is larger than the limit of %(mb)d MB.")
# A value the database cannot hold: an id past INTEGER (32 bits on PostgreSQL), a number past
# its NUMERIC, a text past its VARCHAR. SQLite's driver refuses it with OverflowError,
# PostgreSQL with a DataError: bad input, not a server error.
OUT_OF_RANGE = N_("A value in the request is larger than the system can store.")
MAX_ID = 2**31 - 1  # ids are INTEGER columns
NOT_A_PAGE = N_("The page number and page size in the address must be whole numbers.")
# FAB's list arguments (page_<View>, psize_<View>), which FAB reads with a bare int().
LIST_PAGING_ARG = re.compile(r"^(page|psize)_")


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in a route: a number past MAX_ID names no row, so it matches no route
    (404) instead of reaching the database."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - Werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def value_out_of_range(error: Exception) -> Any:
    """OverflowError or DataError outside FAB's @safe (pages, their query strings and forms):
    the transaction is rolled back and the request refused as bad input."""
    from app.extensions import db
    from app.i18n import error_page

    db.session.rollback()
    if request.path.startswith("/api/"):
        return jsonify(message=gettext(OUT_OF_RANGE)), 422
    return error_page(BadRequest(gettext(OUT_OF_RANGE)))


def refuse_paging_that_is_no_number() -> Any:
    """A list's page or page size that is no whole number is bad input (FAB would answer
    500), refused before any view reads it."""
    from app.i18n import ERRORS, render_error_page

    for name, value in request.args.items(multi=True):
        if LIST_PAGING_ARG.match(name) and not value.lstrip("-").isdigit():
            return render_error_page(ERRORS[400][0], NOT_A_PAGE), 400
    return None


def too_large_or_too_many(error: HTTPException) -> Any:
    """413 and 429 wherever they arise (often before the view runs: the CSRF check and the
    login limit read the request first). The API answers in JSON; a page post over the limit
    goes back to the page it came from with the reason, else the error page."""
    from app.api import guard
    from app.i18n import error_page

    if request.path.startswith(guard.API_PREFIX):
        return guard.api_error(error)
    back = request.referrer
    same_site = back and urlsplit(back).netloc == request.host
    if isinstance(error, RequestEntityTooLarge) and request.method == "POST" and same_site:
        flash(gettext(TOO_LARGE, mb=current_app.config["MAX_UPLOAD_MB"]), "danger")
        return redirect(back, 303)
    return error_page(error)


def compile_templates(app: Flask) -> int:
    """Compile every page template now; returns how many. gunicorn's master calls it before it
    forks (gunicorn.conf.py): each worker, and each worker started in place of one that died,
    then renders its first pages from the copies it inherits instead of compiling them there
    (30-100 ms of a core each, measured on Kepatuhan, Monitoring SKP and the dashboard; under
    load the first minute of every worker paid it while requests queued)."""
    names = app.jinja_env.list_templates(extensions=("html",))
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def register(app: Flask) -> None:
    app.register_error_handler(OverflowError, value_out_of_range)
    app.register_error_handler(DataError, value_out_of_range)
    app.register_error_handler(RequestEntityTooLarge, too_large_or_too_many)
    app.register_error_handler(TooManyRequests, too_large_or_too_many)
    app.before_request(refuse_paging_that_is_no_number)

    @app.get("/health")
    def health():  # noqa: ANN202
        from app import database_ok

        ok = database_ok()
        body = {"status": "ok" if ok else "error", "database": "ok" if ok else "error"}
        return jsonify(body), 200 if ok else 503

    # Browsers ask every page for /favicon.ico: answer with the app's icon, not a 404.
    @app.get("/favicon.ico")
    def favicon():  # noqa: ANN202
        return send_from_directory(
            os.path.join(app.static_folder or "", "sikap"),
            "favicon.svg",
            mimetype="image/svg+xml",
            max_age=86400,
        )
