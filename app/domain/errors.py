"""Domain exceptions. Each carries an English msgid (marked for extraction) and its
parameters; the web and API layers translate it, so the domain stays locale-free."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule was broken by the input (maps to 400/422)."""

    status = 422

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.field = field
        self.params = params


class InvalidNip(DomainError):
    pass


class OrgChartError(DomainError):
    pass


class TransitionRefused(DomainError):
    """The action is not allowed in the current state (maps to 409)."""

    status = 409


class NotYourRole(DomainError):
    """The actor has no relation that allows the action (maps to 403)."""

    status = 403


class NotFound(DomainError):
    """The row does not exist or lies outside the actor's scope (maps to 404)."""

    status = 404
