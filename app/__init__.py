"""The application factory: Flask, SQLAlchemy, AppBuilder, Babel, the audit hook, views,
APIs and CLI commands, registered in one visible place."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from flask_appbuilder import AppBuilder
from flask_sqlalchemy.session import Session as FlaskSqlaSession
from sqlalchemy import inspect, text
from werkzeug.middleware.proxy_fix import ProxyFix

from app import audit, deletions, web
from app.extensions import cache, db

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=_instance_dir())
    app.url_map.converters["int"] = web.RowIdConverter  # before any route is added
    app.config.from_object("config")
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set (see README: Settings).")
    if not app.config.get("AUDIT_KEY"):
        raise RuntimeError(
            "AUDIT_KEY must be set: the key of the audit trail's hash chain, kept outside the "
            "database (see README: Settings)."
        )
    os.makedirs(app.instance_path, exist_ok=True)
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Behind that many proxies (nginx: 1) the client is in X-Forwarded-For; with none the
        # header is anybody's to write, and the socket's address is the client's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from app.security.roles import ROLES

    app.config["FAB_ROLES"] = ROLES
    appbuilder = AppBuilder(update_perms=True)
    with app.app_context():
        db.init_app(app)
        from app.services import planner_stats

        for engine in db.engines.values():
            planner_stats.planned_for_the_app(engine)  # before its first connection
        if app.testing or os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            _install_migrations(app)
        cache.init_app(app)
        deletions.install(FlaskSqlaSession)  # orphans too, for the hooks below
        audit.install(FlaskSqlaSession)
        from app.security import sesi

        sesi.install(FlaskSqlaSession)  # a new password, role or deactivation ends sessions
        from app.services import tahun

        tahun.install(FlaskSqlaSession)  # a closed year is read-only, whoever writes
        from app.services import hitungan

        hitungan.install(FlaskSqlaSession)  # the maintained counts follow every change
        if not _schema_ready():
            # Before the first `db upgrade` there are no permission tables to sync.
            app.config["FAB_UPDATE_PERMS"] = False
        from app.security import csrf

        csrf.install(app)  # before AppBuilder makes the API blueprints it exempts
        appbuilder.init_app(app, db.session)

        from app import cli, formatting, i18n, refusals
        from app.api import guard, register_apis
        from app.security import demo_key, headers, login, passwords
        from app.views import register_views

        register_views(appbuilder)
        register_apis(appbuilder)
        guard.register(app)
        headers.register(app)
        csrf.register(app)
        login.register(app)
        sesi.register(app)
        passwords.register(app)
        web.register(app)
        refusals.register(app)
        formatting.register(app)
        i18n.register(app)
        cli.register(app)
        demo_key.register(app)
        demo_key.check_start(app)  # the public demo keys: demo data on localhost only
    return app


def _install_migrations(app: Flask) -> None:
    """Alembic, for `flask db …` and the tests: a served app never migrates, and importing
    Alembic is ~0.1 s of every worker's start."""
    from flask_migrate import Migrate

    Migrate(render_as_batch=True, compare_type=True).init_app(app, db, directory=MIGRATIONS_DIR)


def _instance_dir() -> str:
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "instance")


def _schema_ready() -> bool:
    try:
        return "ab_permission" in inspect(db.engine).get_table_names()
    except Exception:  # noqa: BLE001 - an unreachable DB is reported by /health, not here
        return False


def database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - /health reports any DB failure the same way
        db.session.rollback()
        return False
