"""The public demo keys serve demo data on this computer only (app/security/demo_key.py):
the app refuses to start with them on a database of real data or on a public address, and
refuses requests from other machines; `make run`'s default (demo data, 127.0.0.1) works."""

from __future__ import annotations

import click
import pytest
from sqlalchemy import create_engine, text

import config
from app.security import demo_key
from tests.conftest import make_app

DEMO_KEYS = {"SECRET_KEY": config.DEMO_SECRET_KEY, "AUDIT_KEY": config.DEMO_AUDIT_KEY}


def test_make_runs_default_starts_with_the_demo_keys(app, database_url):  # noqa: ANN001
    demo = make_app(database_url, **DEMO_KEYS)  # the suite's database holds demo data
    response = demo.test_client().get("/health")
    assert response.status_code == 200


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
def test_flask_run_on_a_public_address_is_refused_with_a_demo_key(database_url, host):  # noqa: ANN001
    command = click.Command("run", params=[click.Option(["--host"])])
    with click.Context(command, info_name="run") as context:
        context.params["host"] = host
        with pytest.raises(RuntimeError, match="would listen on"):
            make_app(database_url, **DEMO_KEYS)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_flask_run_on_localhost_starts_with_a_demo_key(database_url, host):  # noqa: ANN001
    command = click.Command("run", params=[click.Option(["--host"])])
    with click.Context(command, info_name="run") as context:
        context.params["host"] = host
        make_app(database_url, **DEMO_KEYS)


def test_gunicorns_bind_is_checked(app, database_url):  # noqa: ANN001
    demo = make_app(database_url, **DEMO_KEYS)
    demo_key.check_bind(demo, ["127.0.0.1"])
    with pytest.raises(RuntimeError, match="0.0.0.0"):
        demo_key.check_bind(demo, ["0.0.0.0"])
    demo_key.check_bind(app, ["0.0.0.0"])  # real keys may bind anywhere


def test_a_request_from_another_machine_is_refused_with_a_demo_key(app, database_url):  # noqa: ANN001
    demo = make_app(database_url, **DEMO_KEYS)
    remote = demo.test_client().get("/health", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert remote.status_code == 403
    assert "SECRET_KEY" in remote.get_data(as_text=True)
    local = demo.test_client().get("/health", environ_base={"REMOTE_ADDR": "::1"})
    assert local.status_code == 200
    real = app.test_client().get("/health", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert real.status_code == 200
