"""What the workflow pages share: running a use case and telling the user how it went."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect
from sqlalchemy.orm.exc import StaleDataError

from app.domain.errors import DomainError, NotYourRole
from app.extensions import db
from app.services.errors import NotFound, stale
from app.web import translated


def attempt(change: Callable[[], Any], success: str, back: str) -> Any:
    """Run a use case and commit; a refused rule becomes a flash on the page it came from,
    an out-of-scope row a 404 and a wrong actor a 403."""
    try:
        change()
        db.session.commit()
    except NotFound:
        db.session.rollback()
        abort(404)
    except NotYourRole as error:
        db.session.rollback()
        abort(403, translated(error))
    except DomainError as error:
        db.session.rollback()
        flash(translated(error), "danger")
    except StaleDataError:
        db.session.rollback()
        flash(translated(stale()), "danger")
    else:
        flash(success, "success")
    return redirect(back)


def flash_form_errors(form: Any) -> None:
    for field, errors in form.errors.items():
        label = getattr(form, field).label.text if hasattr(form, field) else field
        for error in errors:
            flash(f"{label}: {error}", "danger")
