"""SQLite's planner statistics (app.services.planner_stats): an empty table, about which
ANALYZE writes nothing, is taken for a small one, so that a join starts from it rather than
from the large table it is joined to; its real figures replace that at the next refresh."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app.services import planner_stats

JOIN = "SELECT rencana.id FROM rencana JOIN pegawai ON rencana.pegawai_id = pegawai.id"


def _database() -> Session:
    session = Session(create_engine("sqlite://"))
    session.execute(text("CREATE TABLE pegawai (id INTEGER PRIMARY KEY, nama TEXT)"))
    session.execute(
        text("CREATE TABLE rencana (id INTEGER PRIMARY KEY, pegawai_id INTEGER, isi TEXT)")
    )
    session.execute(text("CREATE INDEX ix_rencana_pegawai_id ON rencana (pegawai_id)"))
    session.execute(
        text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
            "INSERT INTO pegawai (id, nama) SELECT i, 'P' || i FROM n"
        )
    )
    return session


def _first_table(session: Session) -> str:
    plan = session.execute(text(f"EXPLAIN QUERY PLAN {JOIN}")).all()
    return plan[0].detail


def _stat(session: Session, table: str) -> list[str]:
    query = text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t AND idx IS NULL")
    return list(session.execute(query, {"t": table}).scalars())


def test_an_empty_table_is_where_a_join_starts():
    session = _database()
    planner_stats.refresh(session)
    assert _stat(session, "rencana") == ["1"]
    assert _first_table(session).startswith("SCAN rencana")


def test_without_the_empty_tables_figures_the_join_reads_the_large_table_first():
    """What refresh corrects: ANALYZE alone leaves the empty table a stranger."""
    session = _database()
    session.execute(text("ANALYZE"))
    assert _stat(session, "rencana") == []
    assert _first_table(session).startswith("SCAN pegawai")


def test_a_table_that_filled_gets_its_real_figures_at_the_next_refresh():
    session = _database()
    planner_stats.refresh(session)
    session.execute(
        text("INSERT INTO rencana (pegawai_id, isi) SELECT id, nama FROM pegawai WHERE id <= 300")
    )
    planner_stats.refresh(session)
    assert _stat(session, "rencana") == []  # the table's figures are now its indexes'
    indexed = text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'rencana' AND idx IS NOT NULL")
    assert session.execute(indexed).scalar().startswith("300 ")
