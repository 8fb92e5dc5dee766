"""FAB's account and security pages, shown in the user's language: Ya/Tidak, role labels,
WIB times, a label for every column.

FAB prints booleans, role names and raw datetimes as Python does, and leaves some columns
without a label; these subclasses add formatters and labels (SikapSecurityManager), and the
action routes of app.views.base.CheckedActions (FAB's answer an unknown action with a 500).
They keep FAB's class names: permissions and endpoints are named after the class.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_appbuilder.security import forms as fab_forms
from flask_appbuilder.security import views as fab
from flask_babel import gettext, lazy_gettext
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.formatting import waktu
from app.views.base import CheckedActions, or_dash, yes_no
from app.views.pickers import PickerSource, user_label


def role_label(role: Any) -> str:
    """A role as people call it: role names are msgids (app/security/roles.py)."""
    return gettext(role.name)


def role_labels(roles: Any) -> str:
    return ", ".join(role_label(role) for role in roles or []) or "—"


def names(items: Any) -> str:
    return ", ".join(str(item) for item in items or []) or "—"


class RoleLabels:
    """Role pickers (add, edit, search) list roles by label, not by name."""

    def _init_forms(self) -> None:
        super()._init_forms()  # type: ignore[misc]
        for name in ("add_form", "edit_form", "search_form"):
            form = getattr(self, name, None)
            if hasattr(form, "roles"):
                form.roles.kwargs["get_label"] = role_label


# An account's name is the pegawai's name, kept whole in the first name: many Indonesians have
# a single name and no family name, so the last name may stay empty (FAB requires one).
OPTIONAL_LAST_NAME = [Optional(), Length(max=64)]


class UserInfoEdit(fab_forms.UserInfoEdit):
    last_name = StringField(
        lazy_gettext("Last Name"), validators=OPTIONAL_LAST_NAME, widget=BS3TextFieldWidget()
    )


class UserInfoEditView(fab.UserInfoEditView):
    form = UserInfoEdit


class UserDBModelView(CheckedActions, PickerSource, RoleLabels, fab.UserDBModelView):
    validators_columns = {"last_name": OPTIONAL_LAST_NAME}
    # The source of the pegawai form's account picker (app/views/master.py).
    picker_columns = ("username", "first_name", "last_name")
    picker_order = ("username",)
    picker_label = staticmethod(user_label)
    formatters_columns = {
        "active": yes_no,
        "roles": role_labels,
        "groups": names,
        "last_login": waktu,
        "created_on": waktu,
        "changed_on": waktu,
        "created_by": or_dash,
        "changed_by": or_dash,
        "login_count": or_dash,
        "fail_login_count": or_dash,
    }


class UserGroupModelView(CheckedActions, RoleLabels, fab.UserGroupModelView):
    # FAB lists every user account in the group's form, page and filter: 100,000 of them in
    # a province. Members are given their groups on the user form instead.
    show_columns = ["name", "label", "description", "roles"]
    add_columns = edit_columns = ["name", "label", "description", "roles"]
    search_columns = ["name", "label", "description", "roles"]
    label_columns = {
        "name": lazy_gettext("Name"),
        "label": lazy_gettext("Label"),
        "description": lazy_gettext("Description"),
        "users": lazy_gettext("Users"),
        "roles": lazy_gettext("Roles"),
    }
    formatters_columns = {"roles": role_labels, "users": names}


class RoleModelView(CheckedActions, RoleLabels, fab.RoleModelView):
    # Not by user: FAB's filter would list every user account (see UserGroupModelView).
    search_columns = ["name", "permissions", "groups"]
    label_columns = {
        **fab.RoleModelView.label_columns,
        "user": lazy_gettext("Users"),
        "groups": lazy_gettext("Groups"),
    }


class PermissionViewModelView(CheckedActions, fab.PermissionViewModelView):
    label_columns = {**fab.PermissionViewModelView.label_columns, "role": lazy_gettext("Role")}


# FAB's labels of the user columns, kept out of FAB's reach: its chart view rewrites the
# label dict it is given, in English for the series, and shares it between app instances.
USER_LABELS = {
    "first_name": lazy_gettext("First Name"),
    "last_name": lazy_gettext("Last Name"),
    "username": lazy_gettext("User Name"),
    "email": lazy_gettext("Email"),
    "active": lazy_gettext("Is Active?"),
    "roles": lazy_gettext("Role"),
    "groups": lazy_gettext("Groups"),
    "created_by": lazy_gettext("Created by"),
    "changed_by": lazy_gettext("Changed by"),
    "created_on": lazy_gettext("Created on"),
    "changed_on": lazy_gettext("Changed on"),
    "last_login": lazy_gettext("Last login"),
    "login_count": lazy_gettext("Login count"),
    "fail_login_count": lazy_gettext("Failed login count"),
}
