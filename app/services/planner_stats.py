"""The query planner's statistics. PostgreSQL keeps them by itself (autovacuum); SQLite has
none until ``ANALYZE`` runs, and without them it guesses every table's size and index
selectivity: at 100,000 pegawai a list of the head of a large OPD then reads the OPD's whole
staff to show one page (issue 16's figures, README "Performance"). The nightly jobs and a
bulk load refresh them; ``ANALYZE`` of 100,000 pegawai takes about a second."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

# ANALYZE writes nothing for an empty table, and SQLite then takes it for a million rows:
# admin BKPSDM's Rencana Pengembangan, joined to the pegawai for their unit, started from
# the 100,000 pegawai rather than from the (empty) plans. Such a table is said to hold one
# row until the next refresh gives it its real figures.
_EMPTY_TABLES_ARE_SMALL = text(
    "INSERT INTO sqlite_stat1 (tbl, idx, stat) "
    "SELECT name, NULL, '1' FROM sqlite_master "
    "WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
    "AND name NOT IN (SELECT tbl FROM sqlite_stat1)"
)


def refresh(session: Session, today: dt.date | None = None) -> int:
    """Gather SQLite's planner statistics (``today`` unused: a job's signature). Returns 1
    when they were gathered, 0 on a database that keeps its own."""
    if session.get_bind().dialect.name != "sqlite":
        return 0
    session.execute(text("ANALYZE"))
    session.execute(_EMPTY_TABLES_ARE_SMALL)
    # Statistics written by hand are read at the next schema load; this reloads them now.
    session.execute(text("ANALYZE sqlite_master"))
    return 1


def after_bulk_load(session: Session) -> None:
    """Statistics of rows just loaded in bulk, before the maintained counts are built from
    them in the same transaction. PostgreSQL's autovacuum sees them only after the commit;
    until then its planner took the tables for empty and joined them row by row (the open
    items of 100,000 demo pegawai ran for over 17 minutes). ANALYZE inside the transaction
    counts the transaction's own rows."""
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        refresh(session)
    else:
        session.execute(text("ANALYZE"))


# What the app's PostgreSQL connections plan with (planned_for_the_app).
_APP_SETTINGS = ("SET jit = off", "SET random_page_cost = 1.1")


def _app_settings(dbapi_connection: Any, _record: Any) -> None:
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        for setting in _APP_SETTINGS:
            cursor.execute(setting)
    dbapi_connection.autocommit = autocommit


def planned_for_the_app(engine: Engine) -> None:
    """How PostgreSQL plans the app's queries, a SET per new connection (which PgBouncer
    passes on):

    * no JIT: PostgreSQL compiles a query to machine code when its estimated cost passes
      ``jit_above_cost``: 100 ms and more of compiling for a page that runs in a few — an
      estimate that counts a per-row look-up over the whole table, as the row-by-row scope
      (app.services.jumlah_baris) does, passes it. A web application's queries are short.
    * ``random_page_cost`` 1.1, not 4: the default prices an index look-up as a seek on a
      spinning disk, and the planner then read whole tables to join a few thousand rows —
      the maintained counts of one unit after an SKP approval read every SKP three times
      (approval 362 → 231 ms at 100,000 pegawai). The working set of a city is in memory,
      and the servers it runs on have SSDs, for which PostgreSQL's manual advises a value
      close to ``seq_page_cost``."""
    if engine.dialect.name == "postgresql" and not event.contains(engine, "connect", _app_settings):
        event.listen(engine, "connect", _app_settings)
