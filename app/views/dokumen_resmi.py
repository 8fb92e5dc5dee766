"""Official documents as PDF with a QR code, and the public page that code leads to.

The PDFs are read in scope like their print views (out of scope → 404). The verification page
is open without login — whoever holds the paper may check it — so it shows only the facts
listed in CONTRACT.md, looks the document up by an unguessable token, and is rate-limited per
client so tokens cannot be tried in bulk."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, render_template, url_for
from flask_appbuilder import AppBuilder, BaseView, expose, has_access

from app.domain import dokumen as rules
from app.domain import scoring, workflow
from app.domain.enums import N_
from app.extensions import db
from app.models.dokumen import DokumenTerbit
from app.reports.dokumen_pdf import qr_data_uri, render_pdf
from app.reports.evaluasi_kinerja import evaluasi_context
from app.security import scope
from app.services import dokumen as dokumen_service
from app.services import kurva
from app.services import penilaian as penilaian_service
from app.services import skp as skp_service
from app.views.skp_document import skp_context

# Enough for people checking the papers on their desk; far too few to try tokens.
VERIFIKASI_RATE_LIMIT = "30 per minute"
VERIFIKASI_ENDPOINT = "VerifikasiView.halaman"


def _verification(issued: DokumenTerbit) -> dict[str, str]:
    url = url_for(VERIFIKASI_ENDPOINT, token=issued.token, _external=True)
    return {"verifikasi_url": url, "verifikasi_qr": qr_data_uri(url)}


def _pdf(body: bytes, name: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    # Names, NIP and ratings: kept out of shared caches, as the uploaded files are.
    response.headers["Cache-Control"] = "private, no-store"
    return response


STATUS_LABELS = {
    rules.SKP: workflow.SKP_STATES,
    rules.EVALUASI: workflow.PENILAIAN_STATES,
    # A pola distribusi's "status": the predikat organisasi it was checked against.
    rules.POLA_DISTRIBUSI: scoring.PREDIKAT_ORGANISASI,
}
NO_PREDIKAT_ORGANISASI = N_("Organisational rating not set")


def _status_label(found: dokumen_service.Verifikasi) -> str:
    if not found.status:
        return NO_PREDIKAT_ORGANISASI
    return STATUS_LABELS[found.jenis].get(found.status, found.status)


class DokumenResmiView(BaseView):
    route_base = "/"

    @expose("/skp/<int:skp_id>/dokumen.pdf")
    @has_access
    def skp_pdf(self, skp_id: int) -> Any:
        skp = skp_service.get_visible(db.session, skp_id, scope.viewer())
        issued = dokumen_service.issue_skp(db.session, skp)
        db.session.commit()
        html = render_template(
            "sikap/skp_cetak.html", **skp_context(skp), pdf=True, **_verification(issued)
        )
        return _pdf(render_pdf(html), f"SKP_{skp.periode.tahun}_{skp.pegawai.nip}_v{skp.versi}.pdf")

    @expose("/penilaian/<int:penilaian_id>/dokumen.pdf")
    @has_access
    def penilaian_pdf(self, penilaian_id: int) -> Any:
        penilaian = penilaian_service.get_visible(db.session, penilaian_id, scope.viewer())
        issued = dokumen_service.issue_penilaian(db.session, penilaian)
        db.session.commit()
        html = render_template(
            "sikap/evaluasi_kinerja_cetak.html",
            **evaluasi_context(db.session, penilaian),
            **_verification(issued),
        )
        pegawai = penilaian.skp.pegawai
        name = f"Evaluasi_{penilaian.periode.tahun}_{penilaian.periode.jenis}_{pegawai.nip}.pdf"
        return _pdf(render_pdf(html), name)

    @expose("/kurva/<int:unit_kerja_id>/<int:periode_id>/pola_distribusi.pdf")
    @has_access
    def pola_distribusi_pdf(self, unit_kerja_id: int, periode_id: int) -> Any:
        """An OPD's pola distribusi: for its pimpinan and admin BKPSDM (kurva.opd_for)."""
        # The printed document lists every member.
        found = kurva.kalibrasi(db.session, scope.viewer(), unit_kerja_id, periode_id, nomor=None)
        issued = dokumen_service.issue_pola_distribusi(db.session, found)
        db.session.commit()
        html = render_template(
            "sikap/pola_distribusi_cetak.html",
            found=found,
            predikat_labels=scoring.PREDIKAT,
            organisasi_labels=scoring.PREDIKAT_ORGANISASI,
            **_verification(issued),
        )
        name = f"Pola_Distribusi_{found.opd.id}_{found.periode.tahun}_{found.periode.jenis}.pdf"
        return _pdf(render_pdf(html), name)


class VerifikasiView(BaseView):
    route_base = "/verifikasi"

    @expose("/<string:token>")
    def halaman(self, token: str) -> Any:
        found = dokumen_service.verify(db.session, token)
        if found is None:
            abort(404)
        return self.render_template(
            "sikap/verifikasi.html",
            dokumen=found,
            jenis=rules.JENIS[found.jenis],
            status=_status_label(found),
        )


def limit_verification(app: Flask, appbuilder: AppBuilder) -> None:
    """The limiter checks a decorated view when the decorated function runs: it must replace
    the registered one (as app.security.login does for the API login)."""
    app.view_functions[VERIFIKASI_ENDPOINT] = appbuilder.sm.limiter.limit(VERIFIKASI_RATE_LIMIT)(
        app.view_functions[VERIFIKASI_ENDPOINT]
    )
