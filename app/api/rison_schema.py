"""The check of a REST read's ``q`` against FAB's JSON schemas, with each schema's validator
built once.

FAB's ``@rison(schema)`` (the list, item and ``_info`` reads of every resource) calls
``jsonschema.validate``, which first validates the schema itself against its metaschema, at
every request and whether or not the request has a ``q``: 17 ms of each REST read on a 2-core
machine, more than most reads spend in the database. FAB's schemas are module constants, so
the check of each schema and its validator are kept for the process; the instance is
validated as ``jsonschema.validate`` does it, and a bad ``q`` raises the same error.
"""

from __future__ import annotations

import threading
from typing import Any

import flask_appbuilder.api
import jsonschema


class _SchemaChecksOnce:
    """What FAB's API module uses of ``jsonschema``: ``validate`` and ``ValidationError``."""

    ValidationError = jsonschema.ValidationError

    def __init__(self) -> None:
        self._validators: dict[int, tuple[dict[str, Any], Any]] = {}
        self._lock = threading.Lock()

    def _validator(self, schema: dict[str, Any]) -> Any:
        found = self._validators.get(id(schema))
        if found is None or found[0] is not schema:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            found = (schema, cls(schema))  # the schema is kept, so its id is not reused
            with self._lock:
                self._validators[id(schema)] = found
        return found[1]

    def validate(self, instance: Any, schema: dict[str, Any]) -> None:
        error = jsonschema.exceptions.best_match(self._validator(schema).iter_errors(instance))
        if error is not None:
            raise error


def install() -> None:
    """Give FAB's API module the checks above in place of the ``jsonschema`` it imported."""
    if not isinstance(flask_appbuilder.api.jsonschema, _SchemaChecksOnce):
        flask_appbuilder.api.jsonschema = _SchemaChecksOnce()
