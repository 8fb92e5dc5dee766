"""Where the reports read from: the primary database, or a read replica when
REPORTS_DATABASE_URL names one, so that a province's whole-city exports (seconds of scanning
each) do not compete with the forms for the primary. Reports only read; a replica a few
seconds behind shows what the primary showed a few seconds ago."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.extensions import db
from app.services import planner_stats

_ENGINE = "sikap_reports_engine"


def replica_engine() -> Engine | None:
    """The replica's engine, made once per app; None without REPORTS_DATABASE_URL."""
    url = current_app.config.get("REPORTS_DATABASE_URL")
    if not url:
        return None
    engine = current_app.extensions.get(_ENGINE)
    if engine is None:
        engine = create_engine(url, **current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        planner_stats.planned_for_the_app(engine)
        current_app.extensions[_ENGINE] = engine
    return engine


@contextmanager
def report_session() -> Iterator[Session]:
    """A session for one report: the request's own, or one on the replica, closed after."""
    engine = replica_engine()
    if engine is None:
        yield db.session
        return
    with Session(engine) as session:
        yield session
