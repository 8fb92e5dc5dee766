"""Errors every use case may raise besides the domain's own, and the text limit they share."""

from __future__ import annotations

from app.domain.enums import N_
from app.domain.errors import DomainError, NotFound

__all__ = ["NotFound", "StaleData", "checked_id", "checked_text", "stale"]

MAX_CATATAN = 5000  # catatan, alasan, pesan, umpan balik (CONTRACT.md: ≤ 5,000 characters)


class StaleData(DomainError):
    """Someone else changed the row since it was read (→ 409)."""

    status = 409


def stale() -> StaleData:
    return StaleData(N_("The data was changed by another user; reload the page."))


def checked_text(
    value: str | None, field: str, required: bool = False, maximum: int = MAX_CATATAN
) -> str | None:
    """Free text as stored: stripped, None when empty; refused when not text (a JSON body may
    hold a list or a number), when required and empty, or when longer than ``maximum``."""
    if value is not None and not isinstance(value, str):
        raise DomainError(N_("This field must be text."), field=field)
    text = (value or "").strip()
    if required and not text:
        raise DomainError(N_("This field is required."), field=field)
    if len(text) > maximum:
        raise DomainError(
            N_("The note may be at most %(max)d characters."), field=field, max=maximum
        )
    return text or None


def checked_id(value: object, field: str) -> int | None:
    """An id as given by a form or a JSON body ("12", 12; empty: None); anything that is not
    a whole number is refused on its field."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise DomainError(N_("This field must be a whole number."), field=field)
    try:
        return int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise DomainError(N_("This field must be a whole number."), field=field) from None
