"""The public demo keys serve demo data on this computer only (app/security/demo_key.py):
the app refuses to start with them on a database of real data or on a public address, and
refuses requests from other machines; `make run`'s default (demo data, 127.0.0.1) works."""

from __future__ import annotations

import os
from collections.abc import Iterator

import click
import pytest
from sqlalchemy import create_engine, select, text

import config
from app.security import demo_key
from tests.conftest import DEMO_PEGAWAI, _postgres_database, make_app
from tests.factories import person

DEMO_KEYS = {"SECRET_KEY": config.DEMO_SECRET_KEY, "AUDIT_KEY": config.DEMO_AUDIT_KEY}


def load_demo(url: str) -> None:
    """Migrate ``url`` and load demo data as `make run` does (`flask demo-data`)."""
    from flask_migrate import upgrade

    from app import audit, demo
    from app.extensions import db

    loader = make_app(url)
    with loader.app_context():
        upgrade()
        with audit.attributed_to("cli:demo-data"):
            demo.load_demo_data(db.session, DEMO_PEGAWAI, performance=False)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    """A database of demo data only, shared by the tests that do not change it (the suite's
    own database gets accounts and pegawai from other tests)."""
    if os.environ.get("SIKAP_TEST_BACKEND") == "postgresql":
        databases = _postgres_database()
        url = next(databases)
    else:
        databases = iter(())
        url = "sqlite:///" + str(tmp_path_factory.mktemp("demo") / "demo.db")
    load_demo(url)
    yield url
    for _ in databases:
        pass


@pytest.fixture()
def own_demo_database(empty_database_url) -> str:  # noqa: ANN001
    """A database of demo data only, for a test that adds to it."""
    load_demo(empty_database_url)
    return empty_database_url


def test_make_runs_default_starts_with_the_demo_keys(demo_database):  # noqa: ANN001
    demo = make_app(demo_database, **DEMO_KEYS)
    response = demo.test_client().get("/health")
    assert response.status_code == 200


def test_an_account_added_after_the_demo_load_refuses_the_demo_keys(own_demo_database):  # noqa: ANN001
    app = make_app(own_demo_database)
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("pegawai")
        assert sm.add_user("orang.nyata", "Orang", "Nyata", "nyata@dumaikota.go.id", role, "x")
    with pytest.raises(RuntimeError, match="not demo data"):
        make_app(own_demo_database, **DEMO_KEYS)


def test_a_pegawai_imported_after_the_demo_load_refuses_the_demo_keys(own_demo_database):  # noqa: ANN001
    app = make_app(own_demo_database)
    with app.app_context():
        from app.extensions import db
        from app.models.master import UnitKerja

        unit = db.session.execute(select(UnitKerja.id).limit(1)).scalar_one()
        person(db.session, "Pegawai Nyata", unit, account=False)
        db.session.commit()
    with pytest.raises(RuntimeError, match="not demo data"):
        make_app(own_demo_database, **DEMO_KEYS)


def test_a_demo_account_removed_and_another_added_still_refuses(own_demo_database):  # noqa: ANN001
    engine = create_engine(own_demo_database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE pegawai SET user_id = NULL WHERE user_id = 2"))
        connection.execute(text("DELETE FROM ab_user_role WHERE user_id = 2"))
        connection.execute(text("DELETE FROM ab_user WHERE id = 2"))
        connection.execute(
            text(
                "INSERT INTO ab_user (first_name, last_name, username, email, active) "
                "VALUES ('Orang', 'Nyata', 'orang.nyata', 'nyata@dumaikota.go.id', true)"
            )
        )
    engine.dispose()
    with pytest.raises(RuntimeError, match="not demo data"):
        make_app(own_demo_database, **DEMO_KEYS)


def test_an_empty_database_starts_with_the_demo_keys(empty_database_url):  # noqa: ANN001
    make_app(empty_database_url, **DEMO_KEYS)


@pytest.fixture()
def real_data(empty_database_url):  # noqa: ANN001, ANN201
    """A migrated database with an account made as production makes it, no demo data."""
    from flask_migrate import upgrade

    from app.extensions import db

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        sm = app.appbuilder.sm
        admin = sm.add_user(
            "kepala.bkpsdm",
            "Kepala",
            "BKPSDM",
            "kepala@dumaikota.go.id",
            sm.find_role("admin_bkpsdm"),
            password="rahasia12345",
        )
        assert admin
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return empty_database_url


@pytest.mark.parametrize("key", ["SECRET_KEY", "AUDIT_KEY"])
def test_a_demo_key_is_refused_on_a_database_of_real_data(real_data, key):  # noqa: ANN001
    with pytest.raises(RuntimeError, match=f"{key} is the public demo key"):
        make_app(real_data, **{key: DEMO_KEYS[key]})


def test_real_keys_start_on_a_database_of_real_data(real_data):  # noqa: ANN001
    make_app(real_data)


def test_demo_data_removed_by_reset_counts_as_real(real_data):  # noqa: ANN001
    engine = create_engine(real_data)
    with engine.begin() as connection:
        for action in ("insert", "delete"):
            connection.execute(
                text(
                    "INSERT INTO audit_log (created_at, username, table_name, row_id, action, "
                    "changes, hash) VALUES (CURRENT_TIMESTAMP, 'cli:demo-data', 'demo_data', "
                    "'*', :action, '{}', '')"
                ),
                {"action": action},
            )
    engine.dispose()
    with pytest.raises(RuntimeError, match="not demo data"):
        make_app(real_data, **DEMO_KEYS)


@pytest.mark.parametrize("host", ["0.0.0.0", "10.20.30.40", "sikap.dumaikota.go.id"])
def test_flask_run_on_a_public_address_is_refused_with_a_demo_key(demo_database, host):  # noqa: ANN001
    command = click.Command("run", params=[click.Option(["--host"])])
    with click.Context(command, info_name="run") as context:
        context.params["host"] = host
        with pytest.raises(RuntimeError, match="would listen on"):
            make_app(demo_database, **DEMO_KEYS)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_flask_run_on_localhost_starts_with_a_demo_key(demo_database, host):  # noqa: ANN001
    command = click.Command("run", params=[click.Option(["--host"])])
    with click.Context(command, info_name="run") as context:
        context.params["host"] = host
        make_app(demo_database, **DEMO_KEYS)


def test_gunicorns_bind_is_checked(app, demo_database):  # noqa: ANN001
    demo = make_app(demo_database, **DEMO_KEYS)
    demo_key.check_bind(demo, ["127.0.0.1"])
    with pytest.raises(RuntimeError, match="0.0.0.0"):
        demo_key.check_bind(demo, ["0.0.0.0"])
    demo_key.check_bind(app, ["0.0.0.0"])  # real keys may bind anywhere


def test_a_request_from_another_machine_is_refused_with_a_demo_key(app, demo_database):  # noqa: ANN001
    demo = make_app(demo_database, **DEMO_KEYS)
    remote = demo.test_client().get("/health", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert remote.status_code == 403
    assert "SECRET_KEY" in remote.get_data(as_text=True)
    local = demo.test_client().get("/health", environ_base={"REMOTE_ADDR": "::1"})
    assert local.status_code == 200
    real = app.test_client().get("/health", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert real.status_code == 200


def test_a_demo_database_loaded_before_the_counts_were_noted_gets_them_at_upgrade(
    own_demo_database,
):  # noqa: ANN001
    from flask_migrate import downgrade, upgrade

    from app import audit, demo
    from app.extensions import db

    app = make_app(own_demo_database)
    with app.app_context():
        downgrade(revision="b7d9f1a3c5e8")
        with audit.attributed_to("cli:demo-data"):
            audit.record_bulk(db.session, demo.DEMO_MARKER, DEMO_PEGAWAI)  # the old note
        db.session.commit()
    with pytest.raises(RuntimeError, match="not demo data"):
        make_app(own_demo_database, **DEMO_KEYS)
    with app.app_context():
        upgrade()
    make_app(own_demo_database, **DEMO_KEYS)
