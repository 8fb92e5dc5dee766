"""What a worker does when it starts: with FAB_UPDATE_PERMS off (a deployment) it only checks
that the built-in roles exist, instead of looking up every permission of every role; on a
database that lacks them it still creates them."""

from __future__ import annotations

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
