"""The one SecurityManager subclass of SIKAP Dumai."""

from __future__ import annotations

from flask_appbuilder.security.manager import BaseSecurityManager
from flask_appbuilder.security.sqla.manager import SecurityManager
from sqlalchemy import inspect

from app.security import views


class SikapSecurityManager(SecurityManager):
    # FAB's account and security pages, with Indonesian yes/no, role labels and dates.
    userdbmodelview = views.UserDBModelView
    groupmodelview = views.UserGroupModelView
    rolemodelview = views.RoleModelView
    permissionviewmodelview = views.PermissionViewModelView
    userstatschartview = views.UserStatsChartView

    def create_db(self) -> None:
        """Create the built-in roles once the schema exists.

        Tables come from Alembic (FAB_CREATE_DB is off so FAB never create_all()s behind
        the migrations); roles are rows FAB still needs, made here from FAB_ROLES.
        """
        engine = self.session.get_bind(mapper=None, clause=None)
        if "ab_role" in inspect(engine).get_table_names():
            BaseSecurityManager.create_db(self)
