"""Application-wide routes and error pages: /health and the mapping of domain errors."""

from __future__ import annotations

from flask import Flask, jsonify
from flask_babel import gettext

from app.domain.errors import DomainError


def translated(error: DomainError) -> str:
    """The error in the user's language; string parameters that are labels (msgids) are
    translated too, other values (names, numbers) pass through unchanged."""
    params = {
        key: gettext(value) if isinstance(value, str) else value
        for key, value in error.params.items()
    }
    return gettext(error.message, **params)


def register(app: Flask) -> None:
    @app.get("/health")
    def health():  # noqa: ANN202
        from app import database_ok

        ok = database_ok()
        body = {"status": "ok" if ok else "error", "database": "ok" if ok else "error"}
        return jsonify(body), 200 if ok else 503
