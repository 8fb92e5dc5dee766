"""What the workflow pages share: running a use case and telling the user how it went."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from sqlalchemy.orm.exc import StaleDataError

from app import refusals
from app.domain.errors import DomainError
from app.extensions import db


def attempt(change: Callable[[], Any], success: str, back: str) -> Any:
    """Run a use case and commit; a refused rule becomes a flash on the page it came from,
    an out-of-scope row a 404 and a wrong actor a 403."""
    try:
        change()
        db.session.commit()
    except (DomainError, StaleDataError) as error:
        return refusals.page_response(refusals.as_refusal(error), back)
    flash(success, "success")
    return redirect(back)


def flash_form_errors(form: Any) -> None:
    for field, errors in form.errors.items():
        label = getattr(form, field).label.text if hasattr(form, field) else field
        for error in errors:
            flash(f"{label}: {error}", "danger")
