"""The query planner's statistics. PostgreSQL keeps them by itself (autovacuum); SQLite has
none until ``ANALYZE`` runs, and without them it guesses every table's size and index
selectivity: at 100,000 pegawai a list of the head of a large OPD then reads the OPD's whole
staff to show one page (issue 16's figures, README "Performance"). The nightly jobs and a
bulk load refresh them; ``ANALYZE`` of 100,000 pegawai takes about a second."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.orm import Session


def refresh(session: Session, today: dt.date | None = None) -> int:
    """Gather SQLite's planner statistics (``today`` unused: a job's signature). Returns 1
    when they were gathered, 0 on a database that keeps its own."""
    if session.get_bind().dialect.name != "sqlite":
        return 0
    session.execute(text("ANALYZE"))
    return 1
