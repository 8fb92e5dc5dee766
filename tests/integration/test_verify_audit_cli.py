"""`flask verify-audit` finds a row altered, inserted or deleted behind the application's
back, straight in the database (issue 7: tamper-evident audit)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import make_app


@pytest.fixture()
def audited(empty_database_url):  # noqa: ANN001, ANN201
    """A database of its own (the tampering must not reach other tests) with the audit rows
    of `flask seed`; yields (app, engine, ids of the audit rows in order)."""
    from flask_migrate import upgrade

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed"]).exit_code == 0
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        ids = list(connection.execute(text("SELECT id FROM audit_log ORDER BY id")).scalars())
    assert len(ids) > 10
    yield app, engine, ids
    engine.dispose()
    with app.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()


def verify(app):  # noqa: ANN001, ANN201
    return app.test_cli_runner().invoke(args=["verify-audit"])


def test_an_untouched_trail_verifies(audited):  # noqa: ANN001
    app, _, _ = audited
    result = verify(app)
    assert result.exit_code == 0 and "intact" in result.output


def test_an_altered_row_is_reported(audited):  # noqa: ANN001
    app, engine, ids = audited
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_log SET username = 'orang-lain' WHERE id = :id"), {"id": ids[5]}
        )
    result = verify(app)
    assert result.exit_code == 1
    assert f"row id {ids[5]}" in result.output


def test_a_deleted_row_is_reported_at_its_successor(audited):  # noqa: ANN001
    app, engine, ids = audited
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[3]})
    result = verify(app)
    assert result.exit_code == 1
    assert f"row id {ids[4]}" in result.output


def test_an_inserted_row_is_reported(audited):  # noqa: ANN001
    app, engine, ids = audited
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_log (id, created_at, username, table_name, row_id, action, "
                "changes, hash) SELECT :id, created_at, 'penyusup', table_name, row_id, action, "
                "changes, hash FROM audit_log WHERE id = :last"
            ),
            {"id": ids[-1] + 1, "last": ids[-1]},
        )
    result = verify(app)
    assert result.exit_code == 1
    assert f"row id {ids[-1] + 1}" in result.output
