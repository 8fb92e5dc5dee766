"""The writers' turn: what every writing transaction adds to rows that all writers share —
the audit trail's chain (each row hashes the one before), the counts kept for the city and
for every unit above a change — is written by one transaction at a time.

On PostgreSQL the turn is a transaction-level advisory lock, held until the transaction
ends; SQLite lets one writer in at a time anyway. A transaction takes it at its commit
(the session hooks keep what they would write until then: app.audit, app.services.hitungan),
so that it is held for the few statements of those writes and the commit, not for the rest
of the request: taken at the first flush, every write request waited for the one before to
finish all its work (under load, most of the write requests' time was spent waiting for it).
Once a transaction holds the turn, the hooks write at once."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.util import find_tables

_HELD = "writers_turn_held"
_LOCK = "SELECT pg_advisory_xact_lock(727274)"


def take(session: Session) -> None:
    """Wait for the turn and hold it until the transaction ends (once per transaction)."""
    if session.info.get(_HELD):
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_LOCK)
    session.info[_HELD] = True


def held(session: Session) -> bool:
    return bool(session.info.get(_HELD))


def reads_any(statement: Any, tables: Collection[Table]) -> bool:
    """Whether ``statement`` reads one of ``tables`` anywhere (joins and subqueries too)."""
    found = find_tables(statement, include_joins=True, include_crud=True)
    return any(table in tables for table in found)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_HELD, None)


def install(session_class: Any) -> None:
    """Register once: the turn ends with the transaction (commit or rollback)."""
    if not event.contains(session_class, "after_transaction_end", _ended):
        event.listen(session_class, "after_transaction_end", _ended)
