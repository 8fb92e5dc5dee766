"""The password rule of SIKAP accounts (README, Security): at least 10 characters, letters and
digits, and not the username.

FAB calls ``check_password`` (FAB_PASSWORD_COMPLEXITY_VALIDATOR, switched on by
FAB_PASSWORD_COMPLEXITY_ENABLED) wherever a password is typed into a form: an admin adding an
account or resetting someone's password, a user changing their own. Accounts made by code do
not pass through those forms: the demo accounts keep ``dumai2026``, and the accounts the
"create login account" action makes get a random 12-character password that meets the rule.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.security import forms as fab_forms
from flask_appbuilder.security import views as fab_views
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import DataRequired

from app.domain.enums import N_

MIN_LENGTH = 10
RULE = N_("At least 10 characters, with letters and digits, and not the username.")
TOO_SHORT = N_("The password must be at least %(min)d characters long.")
LETTERS_AND_DIGITS = N_("The password must contain both letters and digits.")
IS_USERNAME = N_("The password must not be the username.")


def problems(password: str, username: str | None) -> list[str]:
    """The rules ``password`` breaks (msgids), in the order the user should fix them."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(TOO_SHORT)
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        found.append(LETTERS_AND_DIGITS)
    if username and password.strip().casefold() == username.strip().casefold():
        found.append(IS_USERNAME)
    return found


def check_password(password: str) -> None:
    """FAB's complexity hook: refuse with the first broken rule, in the user's language."""
    for problem in problems(password or "", username_being_set()):
        raise PasswordComplexityValidationError(gettext(problem, min=MIN_LENGTH))


def username_being_set() -> str | None:
    """Whose password the form being checked sets. FAB hands the hook only the password:
    the add-account form carries the username; FAB's reset page for another account names it
    by ``?pk=``; any other password form is the signed-in user's own."""
    if not has_request_context():
        return None
    if request.form.get("username"):
        return request.form["username"]
    sm = current_app.appbuilder.sm  # type: ignore[attr-defined]
    reset_other = f"{sm.resetpasswordview.__name__}.this_form_post"
    if request.endpoint == reset_other and request.args.get("pk"):
        user = sm.get_user_by_id(request.args["pk"])
        return user.username if user else None
    if current_user.is_authenticated:
        return current_user.username
    return None


class ResetPasswordForm(fab_forms.ResetPasswordForm):
    """FAB's form, whose help text says the application does not check passwords: this one
    states the rule it checks."""

    password = PasswordField(
        lazy_gettext("Password"),
        description=lazy_gettext(RULE),
        validators=[DataRequired(), PasswordComplexityValidator()],
        widget=BS3PasswordFieldWidget(),
    )


# FAB's class names: permissions and endpoints are named after the class.
class ResetMyPasswordView(fab_views.ResetMyPasswordView):
    form = ResetPasswordForm


class ResetPasswordView(fab_views.ResetPasswordView):
    form = ResetPasswordForm


def register(app: Flask) -> None:
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", check_password)
