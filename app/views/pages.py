"""What the workflow pages share: running a use case and telling the user how it went."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect
from sqlalchemy.orm.exc import StaleDataError

from app import refusals
from app.domain.errors import DomainError
from app.extensions import db
from app.i18n import translated


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


def fill_in(
    form: Any,
    slot: tuple[str, int | None],
    change: Callable[[], Any],
    success: str,
    back: str,
    show: Callable[[Refused], Any],
) -> Any:
    """Run the change a form asks for and commit, then go ``back``; a form refused, by its
    own checks or by the service, is shown again (``show``) with what was typed. 404 and 403
    stay error pages."""
    if not form.validate():
        return show(Refused(slot, form))
    try:
        change()
        db.session.commit()
    except (DomainError, StaleDataError) as error:
        refusal = refusals.settle(refusals.as_refusal(error))
        return show(Refused.of(slot, form, refusal))
    flash(success, "success")
    return redirect(back)


def flash_form_errors(form: Any) -> None:
    for field, errors in form.errors.items():
        label = getattr(form, field).label.text if hasattr(form, field) else field
        for error in errors:
            flash(f"{label}: {error}", "danger")


@dataclass
class Refused:
    """A form of a workflow page the server refused, to be shown again as typed: which form
    (``slot``: the SKP's add-RHK form, one RHK's edit form, a penilaian's rating form, …), the
    refusal on the field it names or, with none, above the form (``message``), and the
    answer's status."""

    slot: tuple[str, int | None]
    form: Any
    message: str | None = None
    status: int = 422

    @classmethod
    def of(cls, slot: tuple[str, int | None], form: Any, refusal: DomainError) -> Refused:
        text = translated(refusal)
        field = field_of(form, refusal.field)
        if field is not None:
            field.errors = [*field.errors, text]
        return cls(slot, form, None if field is not None else text, refusal.status)


def field_of(form: Any, name: str | None) -> Any:
    """A form's field by the name a refusal gives it (``manual_indikator.definisi`` is a
    field of the FormField ``manual_indikator``)."""
    field = form
    for part in (name or "").split(".") if name else []:
        field = getattr(field, part, None)
        if field is None:
            return None
    return None if field is form else field
