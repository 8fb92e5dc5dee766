"""How the app's PostgreSQL connections plan (app.services.planner_stats.planned_for_the_app):
without JIT and with an index look-up priced close to a sequential read."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.extensions import db


def test_the_app_connections_plan_without_jit_and_with_cheap_index_reads(app):  # noqa: ANN001
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's planner settings")
        assert db.session.execute(text("SHOW jit")).scalar() == "off"
        assert float(db.session.execute(text("SHOW random_page_cost")).scalar()) == 1.1
