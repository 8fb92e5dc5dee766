"""What a worker does when it starts: with FAB_UPDATE_PERMS off (a deployment) it only checks
that the built-in roles exist, instead of looking up every permission of every role; on a
database that lacks them it still creates them; it loads WeasyPrint at its first PDF only;
gunicorn's master compiles the page templates before it forks the workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.security.roles import ROLES
from tests.conftest import make_app, statements


def role_names(application) -> set[str]:  # noqa: ANN001
    from app.extensions import db

    with application.app_context():
        model = application.appbuilder.sm.role_model
        return set(db.session.execute(select(model.name)).scalars())


def test_a_deployed_worker_starts_without_syncing_permissions(app, database_url):
    assert set(ROLES) <= role_names(app)
    with statements() as synced:
        make_app(database_url, FAB_UPDATE_PERMS=True)
    with statements() as deployed:
        make_app(database_url, FAB_UPDATE_PERMS=False)
    assert len(deployed) < 10 < len(synced), (len(deployed), len(synced))


def test_roles_are_created_on_a_database_without_them(empty_database_url):
    from flask_migrate import upgrade

    first = make_app(empty_database_url, FAB_UPDATE_PERMS=False)
    with first.app_context():
        upgrade()
    assert not set(ROLES) & role_names(first)
    started = make_app(empty_database_url, FAB_UPDATE_PERMS=False)
    assert set(ROLES) <= role_names(started)


def test_starting_the_app_leaves_weasyprint_for_the_first_pdf(database_url):
    """WeasyPrint cost a cold start 0.3 s (benchmarks: cold start); the PDFs themselves are
    tested with the official documents."""
    root = Path(__file__).resolve().parents[2]
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="test-secret",
        AUDIT_KEY="test-audit-key",
        FAB_UPDATE_PERMS="0",
    )
    probe = "import sys, run; print(run.app.name, 'weasyprint' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"


def test_the_page_templates_are_compiled_before_the_workers_fork(app, database_url, monkeypatch):
    """gunicorn's master compiles every page template (gunicorn.conf.py, on_starting): after
    that, signing in and the admin's morning pages render without reading a template."""
    from app.web import compile_templates
    from tests.conftest import PASSWORD

    fresh = make_app(database_url, FAB_UPDATE_PERMS=False)
    compiled = compile_templates(fresh)
    assert compiled == len(fresh.jinja_env.list_templates(extensions=("html",))) > 50

    def unread(*_args: object) -> None:
        raise AssertionError("a template was read after the master compiled them")

    monkeypatch.setattr(fresh.jinja_env.loader, "get_source", unread)
    client = fresh.test_client()
    assert client.get("/login/").status_code == 200
    signed = client.post("/login/", data={"username": "admin", "password": PASSWORD})
    assert signed.status_code == 302
    for page in ("/", "/kepatuhan/", "/skp/monitoring/", "/pegawaiview/list/"):
        assert client.get(page).status_code == 200, page
