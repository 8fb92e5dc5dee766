"""The rows a flush deletes. ``session.deleted`` names the rows given to ``session.delete``
(with what cascades from them) but not an orphan — a row taken off a ``delete-orphan``
collection, as removing an RHK from its SKP does — which the flush finds and deletes by
itself. The session hooks that follow deletions (the audit trail, the maintained counts)
read them here: without it, a removed RHK left no line in the audit trail."""

from __future__ import annotations

from typing import Any

from flask_appbuilder import Model
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

_FOUND = "deletions_found"


def _found(_mapper: Any, _connection: Any, target: Any) -> None:
    session = object_session(target)
    if session is not None:
        session.info.setdefault(_FOUND, []).append(target)


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_FOUND, None)


def deleted(session: Session) -> list[Any]:
    """Inside ``after_flush``: every row the flush deleted, orphans included, once each."""
    rows = {id(row): row for row in session.deleted}
    rows.update((id(row), row) for row in session.info.get(_FOUND, ()))
    return list(rows.values())


def install(session_class: Any) -> None:
    """Register once: every mapped class reports its deleted rows; the list is dropped
    after each flush (or rollback)."""
    if not event.contains(Model, "after_delete", _found):
        event.listen(Model, "after_delete", _found, propagate=True)
    for name in ("after_flush_postexec", "after_rollback", "after_soft_rollback"):
        if not event.contains(session_class, name, _forget):
            event.listen(session_class, name, _forget)
