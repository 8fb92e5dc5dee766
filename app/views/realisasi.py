"""The realisasi page of one SKP and one evaluation periode: realisasi per indikator with its
capaian, bukti dukung (files and links), and the hand-over of the periode to the pejabat
penilai. Thin: every rule is in app.services.realisasi."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from app import refusals, uploads
from app.domain import capaian, enums, workflow
from app.domain.enums import JENIS_PERIODE
from app.domain.errors import DomainError
from app.extensions import db
from app.i18n import translated
from app.security import scope
from app.services import realisasi as realisasi_service
from app.views.pages import Refused, attempt, fill_in, flash_form_errors
from app.views.skp_forms import ActionForm, VersionedForm

ASPEK = {key: _(text) for key, text in enums.ASPEK.items()}


class RealisasiForm(VersionedForm):
    nilai = StringField(_("Realisation"), validators=[Length(max=40)])
    catatan = TextAreaField(_("Note"), validators=[Optional(), Length(max=5000)])


class BerkasForm(FlaskForm):
    berkas = FileField(_("File"))
    keterangan = StringField(_("Description"), validators=[Optional(), Length(max=500)])


class TautanForm(FlaskForm):
    url = StringField(_("Link"), validators=[Length(max=2000)])
    keterangan = StringField(_("Description"), validators=[Optional(), Length(max=500)])


def isian(value: Decimal) -> str:
    """A number as typed back into a form: no grouping, a decimal comma ("12,5")."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def ukuran(size: int | None) -> str:
    """A file size as people read it: "77 B", "12,5 KB", "3,4 MB"."""
    size = size or 0
    if size < 1024:
        return f"{size} B"
    unit, divisor = ("KB", 1024) if size < uploads.MB else ("MB", uploads.MB)
    return f"{format_decimal(round(size / divisor, 1))} {unit}"


def _page_url(skp_id: int, periode_id: int, anchor: str = "") -> str:
    url = url_for("RealisasiView.halaman", skp_id=skp_id, periode_id=periode_id)
    return f"{url}#{anchor}" if anchor else url


def _back_to(realisasi: Any) -> str:
    skp = realisasi_service.skp_of(realisasi)
    return _page_url(skp.id, realisasi.periode_id, f"indikator-{realisasi.indikator_kinerja_id}")


def _page_of(realisasi: Any) -> tuple[int, int]:
    """(SKP id, periode id) of the realisasi page that shows ``realisasi``."""
    return realisasi_service.skp_of(realisasi).id, realisasi.periode_id


def _visible_realisasi(realisasi_id: int) -> Any:
    return realisasi_service.get_realisasi(db.session, realisasi_id, scope.viewer())


def _typed(form: Any) -> dict[int, realisasi_service.Isian]:
    """The boxes of the realisasi page by indikator: ``nilai-<id>``, ``catatan-<id>`` and
    ``version_id-<id>`` (the version of the realisasi the page showed)."""
    typed = {}
    for key in form:
        name, _, number = key.partition("-")
        if name != "nilai" or not number.isdigit():
            continue
        indikator_id = int(number)
        version = form.get(f"version_id-{number}", "")
        typed[indikator_id] = realisasi_service.Isian(
            indikator_id,
            form.get(key, ""),
            form.get(f"catatan-{number}", ""),
            int(version) if version.isdigit() else None,
        )
    return typed


def _refusal_text(refusal: DomainError) -> str:
    reason = getattr(refusal, "reason", None)
    if reason is None:
        return translated(refusal)
    return gettext(
        "Indicator '%(indikator)s': %(reason)s",
        indikator=refusal.params["indikator"],
        reason=translated(reason),
    )


class RealisasiView(BaseView):
    """Realisasi and bukti dukung of an approved SKP, one evaluation periode at a time."""

    route_base = "/realisasi"
    default_view = "halaman"
    # Saving every indikator at once is saving realisasi: the same permission as one.
    method_permission_name = {"simpan_semua": "simpan"}

    @expose("/<int:skp_id>/<int:periode_id>")
    @has_access
    def halaman(self, skp_id: int, periode_id: int) -> Any:
        return self._render(skp_id, periode_id)

    def _render(
        self,
        skp_id: int,
        periode_id: int,
        typed: dict[int, realisasi_service.Isian] | None = None,
        refusal: DomainError | None = None,
        bukti: Refused | None = None,
    ) -> Any:
        """The page; after a refused save, with every box as typed and the refusal on the
        indikator it names; after a refused file or link (``bukti``), with its form as typed
        and the refusal on its field."""
        data = realisasi_service.page(db.session, skp_id, periode_id, scope.viewer())
        body = self.render_template(
            "sikap/realisasi.html",
            page=data,
            periode=data.penilaian.periode,
            tahun_ditutup=data.skp.periode.tahun if data.ditutup else None,
            aspek=ASPEK,
            jenis_periode=JENIS_PERIODE,
            states=workflow.PENILAIAN_STATES,
            rule_label=capaian.RULE_LABEL,
            angka=format_decimal,
            isian=isian,
            ukuran=ukuran,
            typed=typed or {},
            refusal=refusal,
            refused_indikator=getattr(refusal, "indikator_id", None),
            refusal_text=_refusal_text(refusal) if refusal else None,
            # Forms for their CSRF token only: never bound to the request, whose body may be
            # one too large to read (a refused upload shows this page).
            simpan_form=FlaskForm(formdata=None),
            action_form=ActionForm(formdata=None, data={"version_id": data.penilaian.version_id}),
            berkas_form=BerkasForm(formdata=None),
            tautan_form=TautanForm(formdata=None),
            bukti_refused=bukti,
            max_bytes=uploads.max_bytes(),
            max_mb=uploads.max_bytes() // uploads.MB,
            accept=uploads.ACCEPT,
        )
        if bukti is not None:
            return body, bukti.status
        return (body, refusal.status) if refusal else body

    @expose("/<int:skp_id>/<int:periode_id>", methods=["POST"])
    @has_access
    def simpan_semua(self, skp_id: int, periode_id: int) -> Any:
        """Every changed indikator of the page in one transaction ("Simpan semua"): a refusal
        saves none of them and shows the page again with everything as typed."""
        if not FlaskForm().validate():
            abort(400)
        typed = _typed(request.form)
        try:
            realisasi_service.record_changes(
                db.session, scope.viewer(), skp_id, periode_id, list(typed.values())
            )
            db.session.commit()
        except (DomainError, StaleDataError) as error:
            refusal = refusals.settle(refusals.as_refusal(error))
            return self._render(skp_id, periode_id, typed, refusal)
        flash(gettext("Realisations saved."), "success")
        return redirect(_page_url(skp_id, periode_id))

    @expose("/<int:skp_id>/<int:periode_id>/indikator/<int:indikator_id>", methods=["POST"])
    @has_access
    def simpan(self, skp_id: int, periode_id: int, indikator_id: int) -> Any:
        form = RealisasiForm()
        back = _page_url(skp_id, periode_id, f"indikator-{indikator_id}")
        if not form.validate():
            flash_form_errors(form)
            return redirect(back)
        return attempt(
            lambda: realisasi_service.record(
                db.session,
                scope.viewer(),
                indikator_id,
                periode_id,
                form.nilai.data,
                form.catatan.data,
                form.expected_version,
            ),
            gettext("Realisation saved."),
            back,
        )

    @expose("/isian/<int:realisasi_id>/berkas", methods=["POST"])
    @has_access
    def unggah(self, realisasi_id: int) -> Any:
        """Attach a file; a refused one shows the page again with the description as typed
        (a browser never sends a file back) and the reason under the file field."""
        realisasi = _visible_realisasi(realisasi_id)
        back, (skp_id, periode_id) = _back_to(realisasi), _page_of(realisasi)
        slot = ("berkas", realisasi_id)

        def show(refused: Refused) -> Any:
            return self._render(skp_id, periode_id, bukti=refused)

        def too_large() -> Any:
            # The body was not read: there is nothing typed to show again.
            return show(Refused.of(slot, BerkasForm(formdata=None), uploads.too_large()))

        # Read no more than one file of the allowed size (and its form fields) from the body.
        request.max_content_length = uploads.request_limit()
        if (request.content_length or 0) > uploads.request_limit():
            return too_large()
        try:
            form = BerkasForm()
        except RequestEntityTooLarge:
            return too_large()

        def add() -> Any:
            upload = form.berkas.data
            return realisasi_service.add_file(
                db.session,
                scope.viewer(),
                realisasi_id,
                getattr(upload, "stream", None),
                getattr(upload, "filename", None),
                form.keterangan.data,
            )

        return fill_in(form, slot, add, gettext("File uploaded."), back, show)

    @expose("/isian/<int:realisasi_id>/tautan", methods=["POST"])
    @has_access
    def tautan(self, realisasi_id: int) -> Any:
        """Attach a link; a refused one shows the page again with the address and the
        description as typed and the reason under its field."""
        realisasi = _visible_realisasi(realisasi_id)
        back, (skp_id, periode_id) = _back_to(realisasi), _page_of(realisasi)
        form = TautanForm()
        return fill_in(
            form,
            ("tautan", realisasi_id),
            lambda: realisasi_service.add_link(
                db.session, scope.viewer(), realisasi_id, form.url.data, form.keterangan.data
            ),
            gettext("Link added."),
            back,
            lambda refused: self._render(skp_id, periode_id, bukti=refused),
        )

    @expose("/bukti/<int:bukti_id>/hapus", methods=["POST"])
    @has_access
    def hapus_bukti(self, bukti_id: int) -> Any:
        bukti = realisasi_service.get_bukti(db.session, bukti_id, scope.viewer())
        back = _back_to(bukti.realisasi)
        if not ActionForm().validate():
            abort(400)
        return attempt(
            lambda: realisasi_service.delete_bukti(db.session, scope.viewer(), bukti_id),
            gettext("Evidence deleted."),
            back,
        )

    @expose("/bukti/<int:bukti_id>/unduh")
    @has_access
    def unduh(self, bukti_id: int) -> Any:
        bukti, path = realisasi_service.file_for_download(db.session, bukti_id, scope.viewer())
        return uploads.send(path, bukti.mime, bukti.nama_file)

    @expose("/<int:skp_id>/<int:periode_id>/ajukan", methods=["POST"])
    @has_access
    def ajukan(self, skp_id: int, periode_id: int) -> Any:
        form = ActionForm()
        if not form.validate():
            abort(400)
        return attempt(
            lambda: realisasi_service.submit(
                db.session, scope.viewer(), skp_id, periode_id, form.expected_version
            ),
            gettext("Realisations submitted to your appraising official."),
            _page_url(skp_id, periode_id),
        )
