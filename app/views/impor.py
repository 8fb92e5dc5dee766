"""Impor Pegawai (admin BKPSDM): download the template, upload it filled in, with a
"check only" option; the result lists every problem by row and column. Thin: the rules are
in app.services.impor, the workbook in app.reports.template_pegawai."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from flask import current_app, g, request, send_file
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField

from app.domain.enums import N_
from app.domain.errors import DomainError
from app.extensions import db
from app.i18n import translated
from app.reports.template_pegawai import write_template
from app.security import scope
from app.services import impor
from app.services.errors import stale

# Room for the multipart framing and the form fields around a file of the full limit.
REQUEST_OVERHEAD = 64 * 1024
# A result page lists this many problems; the summary counts them all.
SHOWN_ERRORS = 500


class ImporForm(FlaskForm):
    berkas = FileField(_("Workbook (.xlsx)"), validators=[FileRequired()])
    periksa = BooleanField(_("Check only (save nothing)"))


def _limit() -> int:
    return int(current_app.config.get("MAX_UPLOAD_MB", 10)) * impor.MB


def _file_name(upload: Any) -> str:
    """The base name the browser gave, for the page and the audit trail."""
    name = (getattr(upload, "filename", None) or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable()).strip()[:80] or "berkas.xlsx"


def _actor(filename: str) -> str:
    """The import named in the audit trail, with the admin who ran it (AuditLog.username
    holds 120 characters)."""
    return f"import:{filename} ({g.user.username})"[:120]


class ImporPegawaiView(BaseView):
    route_base = "/pegawai/impor"
    default_view = "index"

    def _page(self, status: int = 200, **context: Any) -> Any:
        # formdata=None: a refused request's body is never read again.
        context.setdefault("form", ImporForm(formdata=None))
        result = context.get("result")
        if result is not None:
            context["problems"] = [
                (
                    error.row,
                    f"{error.column.letter} · {error.column.header}" if error.column else "",
                    translated(error.error),
                )
                for error in result.errors[:SHOWN_ERRORS]
            ]
        return (
            self.render_template(
                "sikap/impor_pegawai.html",
                limit_mb=_limit() // impor.MB,
                shown_errors=SHOWN_ERRORS,
                **context,
            ),
            status,
        )

    def _refused(self, message: str, status: int, **params: Any) -> Any:
        return self._page(status, problem=gettext(message, **params))

    @expose("/")
    @has_access
    def index(self) -> Any:
        return self._page()

    @expose("/templat.xlsx")
    @has_access
    def templat(self) -> Any:
        """The empty template, or (?isi=1) filled with every pegawai of today."""
        filled = request.args.get("isi") == "1"
        lists = impor.template_lists(db.session)
        rows = impor.current_rows(db.session) if filled else ()
        # A temporary file rather than memory; send_file closes (and so deletes) it.
        handle = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            write_template(handle, lists, rows)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return send_file(
            handle,
            mimetype=impor.XLSX_MIME,
            as_attachment=True,
            download_name="data_pegawai.xlsx" if filled else "templat_impor_pegawai.xlsx",
        )

    @expose("/", methods=["POST"])
    @has_access
    def unggah(self) -> Any:
        limit = _limit()
        too_large = N_("The file is larger than the limit of %(mb)d MB.")
        request.max_content_length = limit + REQUEST_OVERHEAD
        if (request.content_length or 0) > limit + REQUEST_OVERHEAD:
            return self._refused(too_large, 413, mb=limit // impor.MB)
        try:
            form = ImporForm()
            valid = form.validate_on_submit()
        except RequestEntityTooLarge:
            return self._refused(too_large, 413, mb=limit // impor.MB)
        if not valid:
            return self._page(400, form=form)
        upload = form.berkas.data
        stream = upload.stream
        stream.seek(0, os.SEEK_END)
        if stream.tell() > limit:
            return self._refused(too_large, 413, mb=limit // impor.MB)
        stream.seek(0)
        filename = _file_name(upload)
        try:
            result = impor.import_pegawai(
                db.session,
                stream,
                filename,
                actor=_actor(filename),
                dry_run=form.periksa.data,
                limit=limit,
                viewer=scope.viewer(),
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            return self._page(error.status, form=form, problem=translated(error))
        except (StaleDataError, IntegrityError):
            # Someone saved the same pegawai between the check and the write.
            db.session.rollback()
            return self._page(409, form=form, problem=translated(stale()))
        return self._page(422 if result.errors else 200, form=form, result=result)
