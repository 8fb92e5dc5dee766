"""E-mail copies of in-app notifications, optional (MAIL_ENABLED, off by default: many
intranets have no SMTP relay). Standard library smtplib, no extra dependency.

A notice is only mailed once its transaction has committed, so a refused or rolled-back
action never sends anything; and a mail failure is logged, never turned into an error of
the request that caused it (the notice is in the app either way).

The recipient's address is the e-mail of their account (``ab_user.email``); the text is the
notice in the default locale (BABEL_DEFAULT_LOCALE), as the recipient's own is not known.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app, has_app_context, has_request_context, request
from flask_appbuilder.security.sqla.models import User
from flask_babel import force_locale, gettext
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.models.master import Pegawai
from app.models.monitoring import Notifikasi

_QUEUED = "sikap_mail_queued"  # (notice, its text) written in this transaction (session.info)
_READY = "sikap_mail_ready"  # their mails, composed before the commit (no SQL after it)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def enabled() -> bool:
    return has_app_context() and bool(current_app.config.get("MAIL_ENABLED"))


def queue(session: Session, notice: Notifikasi, text: Callable[[Notifikasi], str]) -> None:
    """Mail ``notice`` after the session's transaction commits (when MAIL_ENABLED);
    ``text`` renders it in the active locale."""
    if enabled():
        session.info.setdefault(_QUEUED, []).append((notice, text))


def _link(tautan: str | None) -> str | None:
    if not tautan:
        return None
    base = current_app.config.get("MAIL_BASE_URL") or (
        request.url_root if has_request_context() else ""
    )
    return base.rstrip("/") + tautan if base else tautan


def compose(
    session: Session, notices: list[tuple[Notifikasi, Callable[[Notifikasi], str]]]
) -> list[Mail]:
    """The mails of the notices whose recipients have an address (a pegawai's: that of
    their account; an account's own)."""
    pegawai = {notice.penerima_id for notice, _ in notices if notice.penerima_id is not None}
    accounts = {n.penerima_user_id for n, _ in notices if n.penerima_user_id is not None}
    by_pegawai = dict(
        session.execute(
            select(Pegawai.id, User.email)
            .join(User, Pegawai.user_id == User.id)
            .where(Pegawai.id.in_(pegawai))
        ).all()
        if pegawai
        else []
    )
    by_account = dict(
        session.execute(select(User.id, User.email).where(User.id.in_(accounts))).all()
        if accounts
        else []
    )
    mails = []
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "id")):
        for notice, text in notices:
            address = (
                by_pegawai.get(notice.penerima_id)
                if notice.penerima_id is not None
                else by_account.get(notice.penerima_user_id)
            )
            if not address:
                continue
            link = _link(notice.tautan)
            body = f"{text(notice)}\n\n{link}\n" if link else f"{text(notice)}\n"
            mails.append(Mail(address, gettext("SIKAP Dumai notification"), body))
    return mails


def send(mails: list[Mail]) -> None:
    """Send over one SMTP connection; a failure is logged and swallowed on purpose (the
    notice is already in the app, and the action that caused it has committed)."""
    config = current_app.config
    try:
        with smtplib.SMTP(
            config.get("MAIL_SERVER", "localhost"),
            int(config.get("MAIL_PORT", 25)),
            timeout=float(config.get("MAIL_TIMEOUT", 10)),
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for mail in mails:
                message = EmailMessage()
                message["From"] = config.get("MAIL_DEFAULT_SENDER", "sikap@localhost")
                message["To"] = mail.to
                message["Subject"] = mail.subject
                message.set_content(mail.body)
                smtp.send_message(message)
    except (OSError, ValueError):  # smtplib.SMTPException and ssl errors are OSErrors
        current_app.logger.exception("notification e-mail not sent (%d queued)", len(mails))


@event.listens_for(Session, "before_commit")
def _compose_before_commit(session: Session) -> None:
    notices = session.info.pop(_QUEUED, None)
    if notices:
        session.info.setdefault(_READY, []).extend(compose(session, notices))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    mails = session.info.pop(_READY, None)
    if mails:
        send(mails)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: object) -> None:
    if getattr(previous_transaction, "nested", False):
        return  # a savepoint: the outer transaction may still commit its notices
    session.info.pop(_QUEUED, None)
    session.info.pop(_READY, None)
