"""The password rule of SIKAP accounts (README, Security; OWASP ASVS V2.1): at least 10
characters, letters and digits, not a common password, and not containing the account's
username (the NIP of a pegawai) or its owner's name.

The common passwords are the 19,640 of ``app/data/common_passwords.txt``: the list Django
ships for its CommonPasswordValidator (django/contrib/auth/common-passwords.txt.gz, Django
5.2, BSD licence), Royce Williams' 20,000 most common passwords of public breach corpora,
lower-cased and de-duplicated. A password is refused if it is on the list, whatever its case.

Changing one's own password asks for the current one (``ResetMyPasswordForm``); an admin
resetting someone's password is not asked for theirs, but the rule holds all the same.

FAB calls ``check_password`` (FAB_PASSWORD_COMPLEXITY_VALIDATOR, switched on by
FAB_PASSWORD_COMPLEXITY_ENABLED) wherever a password is typed into a form: an admin adding an
account or resetting someone's password, a user changing their own. Accounts made by code do
not pass through those forms: the demo accounts keep ``dumai2026``, and the accounts the
"create login account" action makes get a random 12-character password that meets the rule.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, flash, g, has_request_context, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.security import forms as fab_forms
from flask_appbuilder.security import views as fab_views
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from app.domain.enums import N_
from app.extensions import db
from app.models.sesi import SANDI_SALAH, TERKUNCI
from app.security import login, sesi

MIN_LENGTH = 10
# A name part shorter than this is too common a string to forbid inside a password.
MIN_NAME_PART = 4
COMMON_PASSWORDS = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "data", "common_passwords.txt"
)
RULE = N_(
    "At least 10 characters, with letters and digits; not a common password, and not "
    "containing your username, NIP or name."
)
TOO_SHORT = N_("The password must be at least %(min)d characters long.")
LETTERS_AND_DIGITS = N_("The password must contain both letters and digits.")
COMMON = N_("This password is too common: it is on the list of passwords tried first by attackers.")
IS_USERNAME = N_("The password must not contain the username or NIP.")
HAS_NAME = N_("The password must not contain the account owner's name.")
WRONG_CURRENT = N_("The current password is wrong.")
LOCKED_AT_PASSWORD_FORM = N_(
    "The current password was typed wrong too many times: the account is locked and you have "
    "been signed out. Sign in again after %(time)s."
)


@dataclass(frozen=True)
class Account:
    """What a password must not contain: the username, the NIP, the owner's names."""

    username: str | None = None
    nip: str | None = None
    names: tuple[str, ...] = ()


@functools.cache
def common_passwords() -> frozenset[str]:
    with open(COMMON_PASSWORDS, encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _name_parts(names: tuple[str, ...]) -> set[str]:
    parts = set()
    for name in names:
        words = re.findall(r"[^\W\d_]+", name.casefold())
        parts.update(word for word in words if len(word) >= MIN_NAME_PART)
        if len(words) > 1:
            parts.add("".join(words))
    return parts


def problems(password: str, account: Account | str | None) -> list[str]:
    """The rules ``password`` breaks (msgids), in the order the user should fix them.
    ``account``: whose password it is (a bare username is taken as the account)."""
    if not isinstance(account, Account):
        account = Account(username=account)
    found = []
    typed = password.strip().casefold()
    if len(password) < MIN_LENGTH:
        found.append(TOO_SHORT)
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        found.append(LETTERS_AND_DIGITS)
    if typed in common_passwords():
        found.append(COMMON)
    identifiers = [i.strip().casefold() for i in (account.username, account.nip) if i]
    if any(i and (i == typed or (len(i) >= MIN_NAME_PART and i in typed)) for i in identifiers):
        found.append(IS_USERNAME)
    if any(part in typed for part in _name_parts(account.names)):
        found.append(HAS_NAME)
    return found


def check_password(password: str) -> None:
    """FAB's complexity hook: refuse with the first broken rule, in the user's language."""
    for problem in problems(password or "", account_being_set()):
        raise PasswordComplexityValidationError(gettext(problem, min=MIN_LENGTH))


def account_of(user: Any) -> Account:
    """An existing account, with the NIP and name of the pegawai it belongs to."""
    from app.models.master import Pegawai

    found = db.session.execute(
        select(Pegawai.nip, Pegawai.nama).where(Pegawai.user_id == user.id)
    ).first()
    names = (user.first_name or "", user.last_name or "", found.nama if found else "")
    return Account(user.username, found.nip if found else None, names)


def account_being_set() -> Account | None:
    """Whose password the form being checked sets. FAB hands the hook only the password:
    the add-account form carries the username and names; FAB's reset page for another
    account names it by ``?pk=``; any other password form is the signed-in user's own."""
    if not has_request_context():
        return None
    form = request.form
    if form.get("username"):
        names = (form.get("first_name", ""), form.get("last_name", ""))
        return Account(form["username"], None, names)
    sm = current_app.appbuilder.sm  # type: ignore[attr-defined]
    reset_other = f"{sm.resetpasswordview.__name__}.this_form_post"
    if request.endpoint == reset_other and request.args.get("pk"):
        user = sm.get_user_by_id(request.args["pk"])
        return account_of(user) if user else None
    if current_user.is_authenticated:
        return account_of(current_user)
    return None


def new_password_field() -> Any:
    return PasswordField(
        lazy_gettext("Password"),
        description=lazy_gettext(RULE),
        validators=[DataRequired(), PasswordComplexityValidator()],
        widget=BS3PasswordFieldWidget(),
    )


def confirmation_field() -> Any:
    return PasswordField(
        lazy_gettext("Confirm Password"),
        description=lazy_gettext("Please rewrite the password to confirm"),
        validators=[EqualTo("password", message=lazy_gettext("Passwords must match"))],
        widget=BS3PasswordFieldWidget(),
    )


class ResetPasswordForm(fab_forms.ResetPasswordForm):
    """FAB's form, whose help text says the application does not check passwords: this one
    states the rule it checks."""

    password = new_password_field()


class ResetMyPasswordForm(ResetPasswordForm):
    """One's own new password: the current one first (ASVS 2.1.6), so that a session left
    open is not enough to take the account over."""

    current_password = PasswordField(
        lazy_gettext("Current password"),
        validators=[DataRequired()],
        widget=BS3PasswordFieldWidget(),
    )
    # Declared again after it, so that the form shows them in this order.
    password = new_password_field()
    conf_password = confirmation_field()

    # Set by the check below: a wrong current password counts towards the lock-out.
    current_password_wrong = False

    def validate_current_password(self, field: PasswordField) -> None:
        user = g.user if g.get("user") is not None else current_user
        if not check_password_hash(user.password or "", field.data or ""):
            self.current_password_wrong = True
            raise ValidationError(gettext(WRONG_CURRENT))


# FAB's class names: permissions and endpoints are named after the class.
class ResetMyPasswordView(fab_views.ResetMyPasswordView):
    form = ResetMyPasswordForm

    @expose("/form", methods=["POST"])
    @has_access
    def this_form_post(self) -> Any:
        """FAB's, with the current password guarded like a sign-in (app/security/login.py):
        each wrong one is a failure of the account, and the one that reaches
        LOGIN_MAX_FAILURES locks the account and ends this session (a session left open
        must not become an unlimited guessing door). While the account is locked the
        current password is not checked at all."""
        user = g.user
        until = login.locked_until(user.username, user.id)
        if until is not None:
            login.record(TERKUNCI, user.username, user.id)
            db.session.commit()
            flash(login.locked_message(until), "danger")
            return redirect(url_for(f"{type(self).__name__}.this_form_get"))
        self._init_vars()
        form = self.form.refresh()
        if form.validate_on_submit():
            return self.form_post(form) or redirect(self.get_redirect())
        if form.current_password_wrong:
            until = login.failed(SANDI_SALAH, user.username, user.id)
            db.session.commit()
            if until is not None:
                return self._lock_out(user, until)
        return self.render_template(
            self.form_template,
            title=self.form_title,
            widgets=self._get_edit_widget(form=form),
            appbuilder=self.appbuilder,
        )

    def _lock_out(self, user: Any, until: Any) -> Any:
        """Sign out, ending every session and token of the account, as a lock-out reached at
        the login page would leave it: nobody signed in, until ``until``."""
        sesi.raise_version(db.session.connection(), user.id)
        db.session.commit()
        logout_user()
        sesi.forget()
        flash(gettext(LOCKED_AT_PASSWORD_FORM, time=login.locked_time(until)), "danger")
        return redirect(self.appbuilder.get_url_for_login)

    def form_post(self, form: Any) -> None:
        super().form_post(form)
        # The new password ended every session of the account; this one, which knew the
        # current password, goes on.
        sesi.restamp(sesi.version_of(db.session, g.user.id))


class ResetPasswordView(fab_views.ResetPasswordView):
    form = ResetPasswordForm


def register(app: Flask) -> None:
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", check_password)
