"""The one SecurityManager subclass of SIKAP Dumai."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context
from flask_appbuilder.security.manager import BaseSecurityManager
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_login import current_user
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from app.security import passwords, roles, scope, views
from app.security.datamodel import ListInterface
from app.security.login import SikapAuthDBView


class SikapSecurityManager(SecurityManager):
    # FAB's account and security pages, with Indonesian yes/no, role labels and dates.
    userdbmodelview = views.UserDBModelView
    groupmodelview = views.UserGroupModelView
    rolemodelview = views.RoleModelView
    permissionviewmodelview = views.PermissionViewModelView
    userstatschartview = views.UserStatsChartView
    # The password forms state the rule they check (app/security/passwords.py).
    resetmypasswordview = passwords.ResetMyPasswordView
    resetpasswordview = passwords.ResetPasswordView
    authdbview = SikapAuthDBView

    def __init__(self, appbuilder: Any) -> None:
        super().__init__(appbuilder)
        # The user list shows roles and groups: loaded with the page, not row by row.
        self.userdbmodelview.datamodel = ListInterface(self.user_model, eager=["roles", "groups"])

    def create_db(self) -> None:
        """Create the built-in roles once the schema exists.

        Tables come from Alembic (FAB_CREATE_DB is off so FAB never create_all()s behind
        the migrations); roles are rows FAB still needs, made here from FAB_ROLES.
        """
        engine = self.session.get_bind(mapper=None, clause=None)
        if "ab_role" not in inspect(engine).get_table_names():
            return
        if not current_app.config.get("FAB_UPDATE_PERMS", True) and self._roles_exist():
            # Deployed (permissions synced by `flask fab create-permissions`): FAB would look
            # up every permission of every built-in role, ~0.2 s of each worker's start.
            return
        BaseSecurityManager.create_db(self)

    def _roles_exist(self) -> bool:
        wanted = {*self.builtin_roles, self.auth_role_admin, self.auth_role_public}
        found = self.session.execute(
            select(self.role_model.name).where(self.role_model.name.in_(wanted))
        ).scalars()
        return set(found) == wanted

    def get_user_by_id(self, pk: Any) -> Any:
        """The user with their roles and their groups' roles, loaded with the user: every
        request signs the user in and then asks what those roles allow. selectinload, not a
        join: SQLite plans the nested outer join by materializing every account's roles
        (40 ms per request on 100,000 accounts; benchmarks/results-sqlite.md)."""
        user, group = self.user_model, self.group_model
        return self.session.get(
            user,
            pk,
            options=[
                selectinload(user.roles),
                selectinload(user.groups).selectinload(group.roles),
            ],
        )

    def get_user_roles(self, user: Any) -> list[Any]:
        """The account's roles, and while a Plt/Plh assignment runs the roles of the covered
        post: an acting official approves and rates (atasan), and heads an OPD when the
        post does (pimpinan_opd). Computed per request, so they end with the assignment."""
        found = super().get_user_roles(user)
        if not user.is_authenticated or not has_request_context():
            return found
        viewer = scope.current_viewer(self.session)
        if viewer.user_id != user.id or not viewer.acting:
            return found
        if "_sikap_acting_roles" not in g:
            wanted = {roles.ATASAN} | ({roles.PIMPINAN_OPD} if viewer.opd_paths else set())
            wanted -= {role.name for role in found}
            g._sikap_acting_roles = [
                role for name in sorted(wanted) if (role := self.find_role(name)) is not None
            ]
        return found + g._sikap_acting_roles

    def has_access(self, permission_name: str, view_name: str) -> bool:
        """FAB's answer, remembered until the end of the request: the menu alone asks once
        per item, and a page asks again for each of its buttons."""
        if not has_request_context() or g.get("_api_key_user"):
            return super().has_access(permission_name, view_name)
        # Flask-Login's user of this request, read without the current_user proxy (the
        # navbar asks ~35 times per page).
        user = g.get("_login_user") or current_user._get_current_object()
        if not user.is_authenticated:
            return super().has_access(permission_name, view_name)
        key = (user.get_id(), permission_name, view_name)
        answers = g.setdefault("_sikap_access", {})
        if key not in answers:
            answers[key] = super().has_access(permission_name, view_name)
        return answers[key]
