"""The one SecurityManager subclass of SIKAP Dumai."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context
from flask_appbuilder.security.manager import BaseSecurityManager
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_babel import gettext
from flask_jwt_extended import JWTManager
from flask_login import current_user
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from app.domain.enums import N_
from app.models.sesi import GANTI_SANDI, KELUAR, RESET_SANDI, SesiPengguna
from app.security import login, passwords, roles, scope, sesi, views
from app.security.datamodel import ListInterface
from app.security.login import SikapAuthDBView

SESSION_ENDED = N_("The session has ended. Sign in again.")
# Flask-JWT-Extended's own answers ({"msg": "Missing Authorization Header"}, …) in the API's
# form and language (CONTRACT.md: errors {"message": …}).
TOKEN_MISSING = N_("Sign in first to use this API.")
TOKEN_INVALID = N_("The token is not valid. Sign in again to get a new one.")


class SikapSecurityManager(SecurityManager):
    # FAB's account and security pages, with Indonesian yes/no, role labels and dates.
    userdbmodelview = views.UserDBModelView
    groupmodelview = views.UserGroupModelView
    rolemodelview = views.RoleModelView
    permissionviewmodelview = views.PermissionViewModelView
    # FAB's chart of login counts per user draws every account (5 MB at 100,000 pegawai);
    # the login records page answers the same question a page at a time.
    userstatschartview = None
    # The password forms state the rule they check (app/security/passwords.py).
    resetmypasswordview = passwords.ResetMyPasswordView
    resetpasswordview = passwords.ResetPasswordView
    authdbview = SikapAuthDBView
    userinfoeditview = views.UserInfoEditView

    def __init__(self, appbuilder: Any) -> None:
        super().__init__(appbuilder)
        # The user list shows roles and groups: loaded with the page, not row by row.
        self.userdbmodelview.datamodel = ListInterface(self.user_model, eager=["roles", "groups"])
        self._builtin_answers: dict[tuple[str, str, str], bool] = {}

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

    # --- signing in and sessions that end (app/security/login.py, sesi.py) -----------------

    def auth_user_db(self, username: str, password: str) -> Any:
        return login.authenticate(self, username, password, super().auth_user_db)

    def _user_and_version(self, pk: Any) -> tuple[Any, int | None]:
        """The active user ``pk`` with roles and groups (as get_user_by_id) and the account's
        session version, in the statements get_user_by_id costs; (None, None) if none."""
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None, None
        user, group = self.user_model, self.group_model
        row = self.session.execute(
            select(user, sesi.version_column())
            .outerjoin(SesiPengguna, SesiPengguna.user_id == user.id)
            .where(user.id == pk)
            .options(
                selectinload(user.roles),
                selectinload(user.groups).selectinload(group.roles),
            )
        ).first()
        if row is None or not row[0].is_active:
            return None, None
        return row[0], row[1]

    def load_user(self, pk: Any) -> Any:
        """The browser session's user, while the session is current (sesi.session_is_current);
        else the session is forgotten and the request is anonymous."""
        user, version = self._user_and_version(pk)
        if user is not None and sesi.session_is_current(version):
            return user
        sesi.forget()
        return None

    def load_user_jwt(self, _jwt_header: Any, jwt_data: dict) -> Any:
        # The token's version was checked with the blocklist, which loaded the user.
        user = g.pop("_sikap_token_user", None)
        if user is None or str(user.id) != str(jwt_data["sub"]):
            user, _ = self._user_and_version(jwt_data["sub"])
        if user is not None:
            g.user = user
        return user

    def token_version(self, user_id: Any) -> int | None:
        user, version = self._user_and_version(user_id)
        g._sikap_token_user = user
        return version

    def _token_revoked(self, _jwt_header: Any, jwt_data: dict) -> bool:
        return not sesi.token_is_current(jwt_data, self.token_version(jwt_data["sub"]))

    def _token_claims(self, identity: Any) -> dict[str, int]:
        return sesi.claims(sesi.version_of(self.session, int(identity)))

    def create_jwt_manager(self, app: Any) -> JWTManager:
        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.additional_claims_loader(self._token_claims)
        jwt_manager.token_in_blocklist_loader(self._token_revoked)
        ended = lambda *_: ({"message": gettext(SESSION_ENDED)}, 401)  # noqa: E731
        jwt_manager.revoked_token_loader(ended)
        jwt_manager.expired_token_loader(ended)
        jwt_manager.unauthorized_loader(lambda _: ({"message": gettext(TOKEN_MISSING)}, 401))
        jwt_manager.invalid_token_loader(lambda _: ({"message": gettext(TOKEN_INVALID)}, 422))
        return jwt_manager

    def on_user_logout(self, user: Any) -> None:
        """Signing out ends every session and token of the account, not only this one."""
        sesi.raise_version(self.session.connection(), user.id)
        login.record(KELUAR, user.username, user.id)
        self.session.commit()

    def reset_password(self, userid: Any, password: str) -> None:
        """A new password (the raise of the session version is sesi.install's): recorded as
        the user's own change or as an admin's reset."""
        super().reset_password(userid, password)
        user = self.get_user_by_id(userid)
        actor = current_user if has_request_context() and current_user.is_authenticated else None
        if actor is not None and actor.id == user.id:
            login.record(GANTI_SANDI, user.username, user.id)
        else:
            by = actor.username if actor is not None else None
            login.record(RESET_SANDI, user.username, user.id, oleh=by)
        self.session.commit()

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

    def _has_access_builtin_roles(self, role: Any, permission_name: str, view_name: str) -> bool:
        """FAB matches the role's patterns (app.security.roles) anew for every question, a
        few dozen per page; the roles are code, so each answer holds for the process."""
        key = (role.name, permission_name, view_name)
        answers = self._builtin_answers
        if key not in answers:
            answers[key] = super()._has_access_builtin_roles(role, permission_name, view_name)
        return answers[key]

    def is_item_public(self, permission_name: str, view_name: str) -> bool:
        """FAB's answer from the public role's permissions, read once per request: every REST
        call asks twice (FAB's ``protect``, then its access check), and each asking read the
        role and its permissions anew (four statements per call)."""
        if not has_request_context():
            return super().is_item_public(permission_name, view_name)
        if "_sikap_public" not in g:
            g._sikap_public = {
                (p.permission.name, p.view_menu.name) for p in self.get_public_permissions()
            }
        return (permission_name, view_name) in g._sikap_public

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
