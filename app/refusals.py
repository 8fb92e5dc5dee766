"""The one mapping from a refused use case to an answer (ARCHITECTURE.md rule 3).

A service refuses by raising a DomainError (or SQLAlchemy's StaleDataError when a versioned
row changed under it); pages and the REST API answer it here, the same way:

* not found or outside the viewer's scope → 404, never the row's content;
* a wrong actor → 403;
* a transition the state forbids, data changed by someone else, a duplicate → 409;
* bad input → 422 (the API; a page shows it on the page it came from).

The API answers ``{"message": <in the user's language>, "field": <the field or null>}``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, flash, jsonify, redirect, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug import exceptions as werkzeug_errors
from werkzeug.wrappers import Response

from app.domain.errors import DomainError, NotYourRole
from app.extensions import db
from app.i18n import error_page, translated
from app.services.errors import NotFound, stale

API_PREFIX = "/api/"


def as_refusal(error: BaseException) -> DomainError | None:
    """The domain error a raised exception stands for; None when it is not a refusal."""
    if isinstance(error, DomainError):
        return error
    if isinstance(error, StaleDataError):
        return stale()
    return None


def api_response(error: DomainError) -> Response:
    """The JSON answer of a refusal; the transaction is rolled back first."""
    db.session.rollback()
    response = jsonify(message=translated(error), field=error.field)
    response.status_code = error.status
    return response


def page_response(error: DomainError, back: str) -> Any:
    """A page's answer: 404 and 403 as error pages, any other refusal as a message on the
    page the user came from (``back``)."""
    db.session.rollback()
    if isinstance(error, NotFound):
        abort(404)
    if isinstance(error, NotYourRole):
        abort(403, translated(error))
    flash(translated(error), "danger")
    return redirect(back)


def settle(error: DomainError) -> DomainError:
    """A refused form that is shown again with what was typed: the transaction is rolled
    back, 404 and 403 become error pages, any other refusal is returned for the page."""
    db.session.rollback()
    if isinstance(error, NotFound):
        abort(404)
    if isinstance(error, NotYourRole):
        abort(403, translated(error))
    return error


def show_on_form(error: DomainError, form: Any) -> None:
    """A refused form page: 404 and 403 as error pages; any other refusal goes on the field
    it names (the form is shown again with what was typed), or above the form."""
    settle(error)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, translated(error)]
    else:
        flash(translated(error), "danger")


def _unhandled_refusal(error: Exception) -> Any:
    """A refusal that no page caught on its way out (a read by id outside the scope, a
    wrong actor): the API answers in JSON; a page with its error page, or — a refused form —
    the page it came from with the reason."""
    refusal = as_refusal(error)
    if request.path.startswith(API_PREFIX):
        return api_response(refusal)
    db.session.rollback()
    back = request.referrer if request.method == "POST" else None
    if isinstance(refusal, NotFound):
        return error_page(werkzeug_errors.NotFound())
    if isinstance(refusal, NotYourRole):
        return error_page(werkzeug_errors.Forbidden(translated(refusal)))
    if back is None:
        return error_page(werkzeug_errors.BadRequest(translated(refusal)))
    flash(translated(refusal), "danger")
    return redirect(back)


def register(app: Flask) -> None:
    app.register_error_handler(DomainError, _unhandled_refusal)
    app.register_error_handler(StaleDataError, _unhandled_refusal)
