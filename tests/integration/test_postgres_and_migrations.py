"""The schema comes from Alembic alone, on SQLite and PostgreSQL alike: migrating an empty
database gives exactly the models' tables, migrating again changes nothing, and the steps of
`make run` (db upgrade, demo-data --if-empty) leave an existing database's data alone."""

from __future__ import annotations

import logging

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select

from app.extensions import db
from app.models.master import Pegawai, UnitKerja
from tests.conftest import make_app


@pytest.fixture()
def foreign_keys_restored(app):  # noqa: ANN001, ANN201
    """For a test that migrates the suite's own database: migrations/env.py turns SQLite's
    foreign keys off on the connection it migrates with, and that connection goes back to the
    pool; a new pool gives the tests that follow foreign keys again (app/extensions.py)."""
    yield
    with app.app_context():
        db.engine.dispose()


def pending_schema_changes() -> list:
    """What `flask db migrate` would generate now: empty when migrations match the models."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Model.metadata)


def revision_of_database() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(app) -> str:  # noqa: ANN001
    config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def row_counts() -> dict[str, int]:
    tables = ("pegawai", "unit_kerja", "ab_user", "ab_user_role", "audit_log")
    return {
        name: db.session.execute(
            select(func.count()).select_from(Model.metadata.tables[name])
        ).scalar_one()
        for name in tables
    }


def test_upgrading_an_empty_database_creates_exactly_the_models_tables(empty_database_url):
    fresh = make_app(empty_database_url)
    with fresh.app_context():
        upgrade()
        assert revision_of_database() == head_revision(fresh)
        assert pending_schema_changes() == []
        db.engine.dispose()


def test_upgrading_an_empty_database_twice_is_harmless(empty_database_url):
    fresh = make_app(empty_database_url)
    with fresh.app_context():
        upgrade()
        upgrade()
        assert revision_of_database() == head_revision(fresh)
        assert pending_schema_changes() == []
        db.engine.dispose()


def test_unit_head_references_pegawai_on_every_backend(app):
    # unit_kerja.kepala_id ↔ pegawai.unit_kerja_id is a cycle: PostgreSQL only gets the
    # kepala_id key because the migration adds it once both tables exist.
    with app.app_context():
        keys = inspect(db.engine).get_foreign_keys("unit_kerja")
    assert any(
        key["constrained_columns"] == ["kepala_id"] and key["referred_table"] == "pegawai"
        for key in keys
    )


@pytest.mark.usefixtures("foreign_keys_restored")
def test_upgrading_a_database_with_data_keeps_the_data(app):
    with app.app_context():
        before = row_counts()
        upgrade()
        assert revision_of_database() == head_revision(app)
        assert row_counts() == before
        assert before["pegawai"] > 0


def test_demo_data_if_empty_leaves_an_existing_database_alone(app):
    with app.app_context():
        before = row_counts()
    result = app.test_cli_runner().invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "already has data" in result.output
    with app.app_context():
        assert row_counts() == before


def test_demo_data_refuses_a_database_that_is_not_empty(app):
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "--reset" in result.output


def test_rows_added_after_demo_data_get_fresh_ids(db_session):
    # Demo data inserts pegawai and accounts with explicit ids; PostgreSQL's sequences must
    # have been moved past them, or these inserts collide with an existing primary key.
    unit = db_session.execute(select(UnitKerja).order_by(UnitKerja.id)).scalars().first()
    highest_pegawai = db_session.execute(select(func.max(Pegawai.id))).scalar_one()
    highest_user = db_session.execute(select(func.max(User.id))).scalar_one()
    user = User(
        first_name="Pegawai",
        last_name="Baru",
        username="pegawai.baru",
        email="pegawai.baru@example.org",
        active=True,
    )
    # Born 1960: demo NIPs start at 1965, so this one is free.
    pegawai = Pegawai(
        nip="196001011985031001", nama="Pegawai Baru", unit_kerja_id=unit.id, user=user
    )
    db_session.add(pegawai)
    db_session.flush()
    assert user.id > highest_user
    assert pegawai.id > highest_pegawai


@pytest.mark.usefixtures("foreign_keys_restored")
def test_migrating_inside_the_app_leaves_its_loggers_enabled(app):
    # alembic.ini's logging set-up must not silence FAB's loggers, where API errors go.
    with app.app_context():
        upgrade()
    assert not logging.getLogger("flask_appbuilder.api").disabled


def test_demo_data_with_skps_and_evaluations_loads_into_an_empty_database(empty_database_url):
    # The bulk path (COPY on PostgreSQL) must fill every column and move every sequence.
    from app import audit, demo
    from app.models.skp import Skp

    fresh = make_app(empty_database_url)
    with fresh.app_context():
        upgrade()
    loaded = make_app(empty_database_url)
    with loaded.app_context():
        with audit.attributed_to("tests:demo-data"):
            demo.load_demo_data(db.session, 40)
        db.session.commit()
        assert db.session.execute(select(func.count(Skp.id))).scalar_one() > 0
        assert audit.verify_chain(db.session) is None
        highest = db.session.execute(select(func.max(Skp.id))).scalar_one()
        skp = db.session.get(Skp, highest)
        copy = Skp(pegawai_id=skp.pegawai_id, periode_id=skp.periode_id, versi=skp.versi + 1)
        db.session.add(copy)
        db.session.flush()
        assert copy.id > highest
        db.session.rollback()
        db.engine.dispose()


def test_demo_data_reset_removes_every_row_the_demo_people_own(empty_database_url):
    # `demo-data --reset` on a database with SKPs, evaluations, a Plh and a mutasi: the
    # people go with everything they own, and the demo loads again.
    from app import audit, demo
    from app.models.penugasan import Penugasan
    from app.models.skp import Skp

    fresh = make_app(empty_database_url)
    with fresh.app_context():
        upgrade()
    loaded = make_app(empty_database_url)
    with loaded.app_context():
        with audit.attributed_to("tests:demo-data"):
            demo.load_demo_data(db.session, 60)
        db.session.commit()
        result = loaded.test_cli_runner().invoke(args=["demo-data", "--reset", "--pegawai", "40"])
        assert result.exit_code == 0, result.output
        assert db.session.execute(select(func.count(Pegawai.id))).scalar_one() == 40
        assert db.session.execute(select(func.count(Skp.id))).scalar_one() > 0
        assert db.session.execute(select(func.count(Penugasan.id))).scalar_one() <= 1
        assert audit.verify_chain(db.session) is None
        db.engine.dispose()


def test_the_placeholder_last_name_of_older_accounts_is_emptied(empty_database_url):
    """Accounts made before e8f0a2b4c6d8 carry last name "-"; a typed one stays."""
    from sqlalchemy import text

    fresh = make_app(empty_database_url)
    with fresh.app_context():
        upgrade(revision="d7e9f1a3b5c6")
        with db.engine.begin() as connection:
            connection.execute(
                User.__table__.insert(),
                [
                    {
                        "first_name": "Nama",
                        "last_name": last,
                        "username": user,
                        "email": f"{user}@contoh.id",
                        "active": True,
                    }
                    for user, last in (("lama", "-"), ("diketik", "Santoso"))
                ],
            )
        upgrade()
        with db.engine.connect() as connection:
            found = dict(connection.execute(text("SELECT username, last_name FROM ab_user")).all())
        assert found == {"lama": "", "diketik": "Santoso"}
        db.engine.dispose()
