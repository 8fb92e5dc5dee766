"""Errors every use case may raise besides the domain's own, and the text limit they share."""

from __future__ import annotations

from app.domain.enums import N_
from app.domain.errors import DomainError

MAX_CATATAN = 5000  # catatan, alasan, pesan, umpan balik (CONTRACT.md: ≤ 5,000 characters)


class NotFound(DomainError):
    """The row does not exist or lies outside the actor's scope (→ 404)."""

    status = 404


class StaleData(DomainError):
    """Someone else changed the row since it was read (→ 409)."""

    status = 409


def stale() -> StaleData:
    return StaleData(N_("The data was changed by another user; reload the page."))
