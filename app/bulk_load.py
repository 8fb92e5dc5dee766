"""Loading many rows at once, for the demo data and the benchmarks' databases: straight
INSERTs (COPY on PostgreSQL) in the session's transaction, without ORM events."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import JSON, Sequence, Table, func, insert, select
from sqlalchemy.orm import Session


def _chunks(rows: list[dict], size: int = 2000) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def bulk_insert(session: Session, table: Table, rows: list[dict]) -> None:
    """Insert rows that all have the same keys, in the session's transaction, as fast as
    the database allows: COPY on PostgreSQL (psycopg would otherwise send one INSERT per
    row), batched INSERTs elsewhere. No ORM events: callers record the audit summary."""
    if not rows:
        return
    connection = session.connection()
    keys = list(rows[0])
    defaults = _scalar_defaults(table, keys)
    if connection.dialect.name != "postgresql" or defaults is None:
        for chunk in _chunks(rows):
            connection.execute(insert(table), chunk)
        return
    from psycopg import sql
    from psycopg.types.json import Json

    columns = keys + list(defaults)
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = [row[key] for key in keys] + list(defaults.values())
            copy.write_row(
                [
                    Json(value) if name in json_columns and value is not None else value
                    for name, value in zip(columns, values, strict=True)
                ]
            )


def _scalar_defaults(table: Table, keys: list[str]) -> dict[str, object] | None:
    """Python-side defaults of the columns missing from ``keys`` (COPY does not apply them);
    None when one of them must be computed by a function, so COPY cannot be used."""
    defaults: dict[str, object] = {}
    for column in table.columns:
        if column.name in keys or column.default is None or isinstance(column.default, Sequence):
            continue  # given, or left to the database (serial ids)
        if not column.default.is_scalar:
            return None
        defaults[column.name] = column.default.arg
    return defaults


def advance_id_sequences(session: Session, *tables: Table) -> None:
    """Move PostgreSQL's id sequences past rows inserted with explicit ids, so that the next
    ORM insert (which takes ``nextval``) does not collide with them. SQLite needs nothing."""
    if session.connection().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table.name, "id"),
                    select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery(),
                    False,
                )
            )
        )
