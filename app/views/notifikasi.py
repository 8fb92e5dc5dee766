"""The signed-in pegawai's own notifications, and the unread badge of the navbar.

Personal, not org-chart data: rows are chosen by recipient (``penerima_id``), never through
app.security.scope, so an atasan does not read the notices of their staff."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.security import scope
from app.services import notifikasi as notifikasi_service
from app.views.pages import attempt


class NotifikasiForm(FlaskForm):
    """Mark as read / open: a button with its CSRF token."""


def safe_link(tautan: str | None) -> str | None:
    """Only a path inside the app is followed (no open redirect through a stored link)."""
    if tautan and tautan.startswith("/") and not tautan.startswith("//"):
        return tautan
    return None


def unread_badge() -> int | None:
    """The navbar's unread count for the signed-in user: one statement per request, cached
    on ``g``; None for an anonymous visitor.

    The badge is on every page, error pages included: a failing query must not take the page
    down with it, so it is logged and the badge left out.
    """
    if not getattr(current_user, "is_authenticated", False):
        return None
    if "_sikap_unread" not in g:
        try:
            g._sikap_unread = notifikasi_service.unread_count(db.session, current_user.id)
        except SQLAlchemyError:
            current_app.logger.exception("unread notification count failed")
            g._sikap_unread = None
    return g._sikap_unread


def _penerima() -> scope.Viewer:
    return scope.viewer()


def _check_form() -> None:
    if not NotifikasiForm().validate():
        abort(400)


class NotifikasiView(BaseView):
    route_base = "/notifikasi"
    default_view = "daftar"

    @expose("/")
    @has_access
    def daftar(self) -> Any:
        nomor = request.args.get("halaman", 1, type=int)
        return self.render_template(
            "sikap/notifikasi.html",
            page=notifikasi_service.own(db.session, _penerima(), nomor),
            pesan=notifikasi_service.teks,
            safe_link=safe_link,
            form=NotifikasiForm(),
        )

    @expose("/<int:notice_id>/baca", methods=["POST"])
    @has_access
    def baca(self, notice_id: int) -> Any:
        _check_form()
        return attempt(
            lambda: notifikasi_service.mark_read(db.session, _penerima(), notice_id),
            gettext("Notification marked as read."),
            url_for("NotifikasiView.daftar", halaman=request.args.get("halaman", type=int)),
        )

    @expose("/<int:notice_id>/buka", methods=["POST"])
    @has_access
    def buka(self, notice_id: int) -> Any:
        """Open what a notice points at, marking it read on the way."""
        _check_form()
        notice = notifikasi_service.mark_read(db.session, _penerima(), notice_id)
        link = safe_link(notice.tautan)
        db.session.commit()
        return redirect(link or url_for("NotifikasiView.daftar"))

    @expose("/baca-semua", methods=["POST"])
    @has_access
    def baca_semua(self) -> Any:
        _check_form()
        return attempt(
            lambda: notifikasi_service.mark_all_read(db.session, _penerima()),
            gettext("All notifications marked as read."),
            url_for("NotifikasiView.daftar"),
        )
