"""Evaluation pages: the list of what waits for the viewer, and one penilaian with its
realisasi, the rating form, the predikat matrix and the answer/objection/decision forms."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext

from app import uploads
from app.domain import capaian, enums, scoring, workflow
from app.domain.berakhlak import BERAKHLAK
from app.extensions import db
from app.security import scope
from app.services import angka_kredit as angka_kredit_service
from app.services import atas_nama, kurva, pihak
from app.services import mutasi as mutasi_service
from app.services import penilaian as penilaian_service
from app.services import tahun as tahun_service
from app.views import skp_forms as forms
from app.views.pages import Refused, attempt, fill_in

RATING_ORDER = ("di_atas", "sesuai", "di_bawah")
MATRIX_COLUMNS = ("di_bawah", "sesuai", "di_atas")


def _dokumen() -> atas_nama.Dokumen | None:
    """The signed document posted with a rating on a non-ASN official's behalf, if any."""
    upload = request.files.get("dokumen")
    return atas_nama.Dokumen(upload.stream, upload.filename) if upload else None


class PenilaianView(BaseView):
    route_base = "/penilaian"
    default_view = "daftar"

    @expose("/")
    @has_access
    def daftar(self) -> Any:
        viewer = scope.viewer()
        return self.render_template(
            "sikap/penilaian_daftar.html",
            to_rate=penilaian_service.to_rate(
                db.session, viewer, request.args.get("page", 1, type=int)
            ),
            objections=penilaian_service.objections_to_decide(db.session, viewer),
            mine=penilaian_service.of_pegawai(db.session, viewer.pegawai_id),
            states=workflow.PENILAIAN_STATES,
            predikat_labels=scoring.PREDIKAT,
        )

    @expose("/<int:penilaian_id>")
    @has_access
    def detail(self, penilaian_id: int) -> Any:
        return self._detail(penilaian_id)

    def _detail(self, penilaian_id: int, refused: Refused | None = None) -> Any:
        """The evaluation page; after a refused rating, objection or decision, that form again
        with what was typed and the refusal on its field (or above it)."""
        viewer = scope.viewer()
        item = penilaian_service.document(db.session, penilaian_id, viewer)
        relation = penilaian_service.relations(db.session, item, viewer)
        # A closed year is read-only (app.services.tahun): nobody acts on it, so the page
        # offers no form its hook would refuse.
        ditutup = tahun_service.is_closed(db.session, item.periode.tahun)
        acts = set() if ditutup else relation
        feedback = {p.nilai: p.umpan_balik for p in item.perilaku}
        version = {"version_id": item.version_id}
        rating_data = {
            "rating_hasil_kerja": item.rating_hasil_kerja,
            "rating_perilaku_kerja": item.rating_perilaku_kerja,
            "umpan_balik": item.umpan_balik,
            "alasan_rating": item.alasan_rating,
            **{f"umpan_balik_{n}": text for n, text in feedback.items()},
            **version,
        }
        kept = {refused.slot[0]: refused.form} if refused else {}
        # Whoever sets the predikat sees the kurva of the pegawai's OPD as it stands.
        sets_predikat = acts & {workflow.PENILAI, workflow.ATASAN_PENILAI}
        kurva_sejauh = (
            kurva.sejauh_ini(db.session, viewer, item.skp.pegawai.unit_kerja, item.periode)
            if sets_predikat
            else None
        )
        body = self.render_template(
            "sikap/penilaian_detail.html",
            item=item,
            skp=item.skp,
            header=pihak.header_of(item.skp),
            rows=penilaian_service.realisasi_rows(db.session, item),
            periods=penilaian_service.periods_beside(db.session, item),
            # After a transfer the annual rating weighs the earlier SKP's evaluations too.
            mutasi=mutasi_service.of_skp(db.session, item.skp),
            explanation=penilaian_service.explain(item),
            # A jabatan fungsional's settled annual predikat earns angka kredit.
            angka_kredit=angka_kredit_service.of_penilaian(db.session, item),
            jenjang_labels=enums.JENJANG,
            # An OPD head's rating hasil kerja follows their OPD's predikat organisasi.
            dasar=kurva.dasar_rating(db.session, item.skp.pegawai_id, item.periode_id),
            organisasi_labels=scoring.PREDIKAT_ORGANISASI,
            kurva_sejauh=kurva_sejauh,
            may_open_kurva=kurva_sejauh is not None
            and (viewer.is_admin or kurva_sejauh.opd.path in viewer.opd_paths),
            rule_label=capaian.RULE_LABEL,
            deadline=penilaian_service.objection_deadline(item),
            tahun_ditutup=item.periode.tahun if ditutup else None,
            may_rate=workflow.PENILAI in acts and item.status in ("diajukan", "dinilai"),
            on_behalf=penilaian_service.rated_on_behalf(item, viewer),
            may_answer=workflow.OWNER in acts and item.status == "dinilai",
            may_submit=workflow.OWNER in acts and item.status == "belum_dinilai",
            may_decide=workflow.ATASAN_PENILAI in acts and item.status == "keberatan",
            rating_form=kept.get("nilai") or forms.RatingForm(formdata=None, data=rating_data),
            objection_form=kept.get("keberatan")
            or forms.ObjectionForm(formdata=None, data=version),
            decision_form=kept.get("putuskan")
            or forms.DecisionForm(formdata=None, data=rating_data),
            refused=refused,
            action_form=forms.ActionForm(data=version),
            berakhlak=BERAKHLAK,
            feedback=feedback,
            ratings=scoring.RATINGS,
            predikat_labels=scoring.PREDIKAT,
            matrix=scoring.PREDIKAT_MATRIX,
            rating_rows=RATING_ORDER,
            rating_columns=MATRIX_COLUMNS,
            states=workflow.PENILAIAN_STATES,
            actions=workflow.PENILAIAN_ACTIONS,
        )
        return (body, refused.status) if refused else body

    def _fill_in(self, penilaian_id: int, slot: str, form: Any, change: Any, success: str) -> Any:
        return fill_in(
            form,
            (slot, penilaian_id),
            change,
            success,
            self._back(penilaian_id),
            lambda refused: self._detail(penilaian_id, refused),
        )

    @expose("/riwayat/<int:riwayat_id>/dokumen")
    @has_access
    def dokumen(self, riwayat_id: int) -> Any:
        """The signed document of a rating given on a non-ASN official's behalf."""
        riwayat = penilaian_service.riwayat_with_document(db.session, riwayat_id, scope.viewer())
        path = uploads.path_of(riwayat.dokumen)
        return uploads.send(path, uploads.MIME.get(uploads.sniff(path) or ""), riwayat.dokumen_nama)

    def _back(self, penilaian_id: int) -> str:
        return url_for("PenilaianView.detail", penilaian_id=penilaian_id)

    @expose("/<int:penilaian_id>/ajukan", methods=["POST"])
    @has_access
    def ajukan(self, penilaian_id: int) -> Any:
        form = forms.ActionForm()
        if not form.validate():
            abort(400)
        return attempt(
            lambda: penilaian_service.submit(
                db.session, penilaian_id, scope.viewer(), form.expected_version
            ),
            gettext("Realisations submitted for evaluation."),
            self._back(penilaian_id),
        )

    @expose("/<int:penilaian_id>/nilai", methods=["POST"])
    @has_access
    def nilai(self, penilaian_id: int) -> Any:
        form = forms.RatingForm()
        perilaku = {n: form.data.get(f"umpan_balik_{n}") for n in range(1, 8)}
        return self._fill_in(
            penilaian_id,
            "nilai",
            form,
            lambda: penilaian_service.rate(
                db.session,
                penilaian_id,
                scope.viewer(),
                form.rating_hasil_kerja.data,
                form.rating_perilaku_kerja.data,
                form.umpan_balik.data,
                perilaku,
                form.expected_version,
                alasan_rating=form.alasan_rating.data,
                dokumen=_dokumen(),
            ),
            gettext("Rating saved."),
        )

    @expose("/<int:penilaian_id>/terima", methods=["POST"])
    @has_access
    def terima(self, penilaian_id: int) -> Any:
        form = forms.ActionForm()
        if not form.validate():
            abort(400)
        return attempt(
            lambda: penilaian_service.accept(
                db.session, penilaian_id, scope.viewer(), form.expected_version
            ),
            gettext("You accepted the evaluation."),
            self._back(penilaian_id),
        )

    @expose("/<int:penilaian_id>/keberatan", methods=["POST"])
    @has_access
    def keberatan(self, penilaian_id: int) -> Any:
        form = forms.ObjectionForm()
        return self._fill_in(
            penilaian_id,
            "keberatan",
            form,
            lambda: penilaian_service.object_(
                db.session, penilaian_id, scope.viewer(), form.alasan.data, form.expected_version
            ),
            gettext("Your objection was filed."),
        )

    @expose("/<int:penilaian_id>/putuskan", methods=["POST"])
    @has_access
    def putuskan(self, penilaian_id: int) -> Any:
        form = forms.DecisionForm()
        return self._fill_in(
            penilaian_id,
            "putuskan",
            form,
            lambda: penilaian_service.decide(
                db.session,
                penilaian_id,
                scope.viewer(),
                form.rating_hasil_kerja.data,
                form.rating_perilaku_kerja.data,
                form.catatan.data,
                form.expected_version,
            ),
            gettext("The objection was decided; the result is final."),
        )
