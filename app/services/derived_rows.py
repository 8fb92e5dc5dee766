"""Writing derived tables (the maintained counts, open items and JP per year): replace a set
of rows in the caller's transaction, through the session's connection, so the audit hook —
which follows ORM objects — never records them (they are derived, not acts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

# Rows per INSERT: well under SQLite's and psycopg's limits on bound parameters.
BATCH = 2000


def add(session: Session, model: type, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``model``'s table, BATCH at a time."""
    connection = session.connection()
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(model), rows[start : start + BATCH])


def replace(session: Session, model: type, rows: Sequence[dict[str, Any]], *where: Any) -> None:
    """Delete ``model``'s rows matching ``where`` (none: all of them) and insert ``rows``."""
    session.connection().execute(delete(model).where(*where))
    add(session, model, rows)
