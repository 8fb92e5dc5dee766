"""SKP pages: the pegawai's drafting page, the SKP document with its workflow buttons, and
the atasan's approval inbox. Thin: every rule is in app.services.skp."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext

from app import uploads
from app.domain import enums, scoring, skp_form, workflow
from app.domain.berakhlak import BERAKHLAK
from app.extensions import db
from app.models.master import Pegawai
from app.models.skp import Skp
from app.security import scope
from app.services import atas_nama, pihak
from app.services import mutasi as mutasi_service
from app.services import penilaian as penilaian_service
from app.services import skp as skp_service
from app.services import tahun as tahun_service
from app.views import skp_forms as forms
from app.views.pages import Refused, attempt, fill_in, flash_form_errors


def _dokumen() -> atas_nama.Dokumen | None:
    """The signed document posted with an act on a non-ASN official's behalf, if any."""
    upload = request.files.get("dokumen")
    return atas_nama.Dokumen(upload.stream, upload.filename) if upload else None


class SkpView(BaseView):
    """The pegawai's own SKP ("SKP Saya") and the SKP document page."""

    route_base = "/skp"
    default_view = "saya"

    @expose("/")
    @has_access
    def saya(self) -> Any:
        viewer = scope.viewer()
        periode = skp_service.active_year(db.session)
        mine = skp_service.own_skps(db.session, viewer)
        current = next((s for s in mine if periode and s.periode_id == periode.id), None)
        me = db.session.get(Pegawai, viewer.pegawai_id) if viewer.pegawai_id else None
        atasan_skp_missing = None
        if me is not None and periode is not None and me.penilai_id:
            atasan_skp = skp_service.latest_skp(db.session, me.penilai_id, periode.id)
            if atasan_skp is None or atasan_skp.status not in ("diajukan", "disetujui"):
                atasan_skp_missing = me.pejabat_penilai or me.atasan
        return self.render_template(
            "sikap/skp_saya.html",
            periode=periode,
            current=current,
            mine=mine,
            me=me,
            atasan_skp_missing=atasan_skp_missing,
            can_carry_forward=bool(
                me and periode and skp_service.previous_year_skp_of(db.session, me.id, periode)
            ),
            form=forms.CreateSkpForm(),
            states=workflow.SKP_STATES,
        )

    @expose("/buat", methods=["POST"])
    @has_access
    def buat(self) -> Any:
        form = forms.CreateSkpForm()
        periode = skp_service.active_year(db.session)
        if periode is None:
            flash(gettext("No annual period is active; ask BKPSDM."), "danger")
            return redirect(url_for("SkpView.saya"))
        if not form.validate():
            flash_form_errors(form)
            return redirect(url_for("SkpView.saya"))
        created: list[Skp] = []

        def create() -> None:
            created.append(
                skp_service.create_skp(
                    db.session,
                    scope.viewer(),
                    periode.id,
                    form.pendekatan.data,
                    form.carry_forward.data,
                )
            )

        response = attempt(create, gettext("SKP created."), url_for("SkpView.saya"))
        if created and created[0].id:
            return redirect(url_for("SkpView.detail", skp_id=created[0].id))
        return response

    @expose("/<int:skp_id>")
    @has_access
    def detail(self, skp_id: int) -> Any:
        return self._document(skp_id)

    def _document(self, skp_id: int, refused: Refused | None = None) -> Any:
        """The SKP page; after a refused form, that form again with what was typed, its
        refusal on the field it names (or above it), and the page answering the refusal's
        status."""
        viewer = scope.viewer()
        skp = skp_service.document(db.session, skp_id, viewer)
        relation = skp_service.relations(skp, viewer)
        # A closed year is read-only (app.services.tahun): no form its hook would refuse.
        ditutup = tahun_service.is_closed(db.session, skp.periode.tahun)
        is_owner = workflow.OWNER in relation and not ditutup
        editable = is_owner and workflow.skp_is_editable(skp.status)
        options = skp_service.intervensi_options(db.session, skp) if editable else []
        rhk_form = forms.RhkForm(formdata=None)
        rhk_form.intervensi_id.choices = forms.intervensi_choices(options)
        rhk_forms, indikator_forms, new_indikator_forms = {}, {}, {}
        if editable:
            for rhk in skp.rencana_hasil_kerja:
                rhk_forms[rhk.id] = forms.rhk_form_of(rhk, options)
                new_indikator_forms[rhk.id] = forms.IndikatorForm(formdata=None)
                for indikator in rhk.indikator:
                    indikator_forms[indikator.id] = forms.indikator_form_of(indikator)
        lampiran_form = forms.LampiranForm(formdata=None, obj=skp)
        slots = {
            "rhk": rhk_forms,
            "indikator": indikator_forms,
            "indikator_baru": new_indikator_forms,
        }
        ekspektasi = {p.nilai: p.ekspektasi_khusus for p in skp.perilaku_kerja}
        ekspektasi_form = forms.EkspektasiForm(
            formdata=None,
            data={f"ekspektasi_{n}": text for n, text in ekspektasi.items()}
            | {"version_id": skp.version_id},
        )
        return_form = forms.ReturnForm(formdata=None, data={"version_id": skp.version_id})
        if refused is not None:
            kind, key = refused.slot
            if kind == "ekspektasi":
                ekspektasi_form = refused.form
            elif kind == "kembalikan":
                return_form = refused.form
            elif kind == "rhk_baru":
                rhk_form = refused.form
                rhk_form.intervensi_id.choices = forms.intervensi_choices(options)
            elif kind == "lampiran":
                lampiran_form = refused.form
            else:
                if kind == "rhk":
                    current = next(r for r in skp.rencana_hasil_kerja if r.id == key)
                    refused.form.intervensi_id.choices = forms.intervensi_choices(
                        options, current.intervensi
                    )
                slots[kind][key] = refused.form
        body = self.render_template(
            "sikap/skp_detail.html",
            skp=skp,
            header=pihak.header_of(skp),
            is_owner=is_owner,
            is_penilai=workflow.PENILAI in relation and not ditutup,
            tahun_ditutup=skp.periode.tahun if ditutup else None,
            on_behalf=skp_service.on_behalf_of(skp, viewer),
            editable=editable,
            pengembalian=skp_service.pengembalian(skp),
            atasan_skp=skp_service.atasan_skp(db.session, skp),
            newest=skp_service.latest_skp(db.session, skp.pegawai_id, skp.periode_id),
            berakhlak=BERAKHLAK,
            ekspektasi=ekspektasi,
            states=workflow.SKP_STATES,
            actions=workflow.SKP_ACTIONS,
            lampiran_form=lampiran_form,
            rhk_form=rhk_form,
            rhk_forms=rhk_forms,
            indikator_forms=indikator_forms,
            new_indikator_forms=new_indikator_forms,
            refused=refused,
            hasil_kerja=skp_form.hasil_kerja(skp.model, skp.rencana_hasil_kerja),
            jenis_rhk=enums.JENIS_RHK,
            aspek_labels=enums.ASPEK,
            perspektif_labels=enums.PERSPEKTIF,
            manual_labels=enums.MANUAL_INDIKATOR,
            manual_pilihan=skp_form.MANUAL_PILIHAN,
            manual_wajib=skp_form.MANUAL_WAJIB,
            action_form=forms.ActionForm(data={"version_id": skp.version_id}),
            return_form=return_form,
            ekspektasi_form=ekspektasi_form,
            evaluations=penilaian_service.of_skp(db.session, skp.id),
            mutasi=mutasi_service.of_skp(db.session, skp),
            penilaian_states=workflow.PENILAIAN_STATES,
            predikat_labels=scoring.PREDIKAT,
        )
        return (body, refused.status) if refused else body

    def _fill_in(
        self,
        skp_id: int,
        slot: tuple[str, int | None],
        form: Any,
        change: Callable[[], Any],
        success: str,
        back: str,
    ) -> Any:
        return fill_in(
            form, slot, change, success, back, lambda refused: self._document(skp_id, refused)
        )

    @expose("/<int:skp_id>/lampiran", methods=["POST"])
    @has_access
    def lampiran(self, skp_id: int) -> Any:
        form = forms.LampiranForm()
        return self._fill_in(
            skp_id,
            ("lampiran", None),
            form,
            lambda: skp_service.update_lampiran(
                db.session, skp_id, scope.viewer(), form.data, form.expected_version
            ),
            gettext("Changes saved."),
            url_for("SkpView.detail", skp_id=skp_id),
        )

    @expose("/<int:skp_id>/rhk", methods=["POST"])
    @has_access
    def tambah_rhk(self, skp_id: int) -> Any:
        form = forms.RhkForm()
        return self._fill_in(
            skp_id,
            ("rhk_baru", None),
            form,
            lambda: skp_service.add_rhk(
                db.session,
                skp_id,
                scope.viewer(),
                form.jenis.data,
                form.uraian.data,
                form.intervensi_id.data,
                form.penugasan_dari.data,
                form.perspektif.data,
            ),
            gettext("Work result plan added."),
            url_for("SkpView.detail", skp_id=skp_id) + "#hasil-kerja",
        )

    @expose("/rhk/<int:rhk_id>/ubah", methods=["POST"])
    @has_access
    def ubah_rhk(self, rhk_id: int) -> Any:
        form = forms.RhkForm()
        skp_id = skp_service.skp_id_of_rhk(db.session, rhk_id)
        if skp_id is None:
            abort(404)
        fields = ("jenis", "uraian", "intervensi_id", "penugasan_dari", "perspektif")
        return self._fill_in(
            skp_id,
            ("rhk", rhk_id),
            form,
            lambda: skp_service.update_rhk(
                db.session, rhk_id, scope.viewer(), {name: form.data[name] for name in fields}
            ),
            gettext("Changes saved."),
            url_for("SkpView.detail", skp_id=skp_id) + f"#rhk-{rhk_id}",
        )

    @expose("/rhk/<int:rhk_id>/hapus", methods=["POST"])
    @has_access
    def hapus_rhk(self, rhk_id: int) -> Any:
        form = forms.ActionForm()
        skp_id = skp_service.skp_id_of_rhk(db.session, rhk_id)
        if skp_id is None or not form.validate():
            abort(404 if skp_id is None else 400)
        return attempt(
            lambda: skp_service.delete_rhk(db.session, rhk_id, scope.viewer()),
            gettext("Work result plan deleted."),
            url_for("SkpView.detail", skp_id=skp_id) + "#hasil-kerja",
        )

    @expose("/rhk/<int:rhk_id>/indikator", methods=["POST"])
    @has_access
    def tambah_indikator(self, rhk_id: int) -> Any:
        form = forms.IndikatorForm()
        skp_id = skp_service.skp_id_of_rhk(db.session, rhk_id)
        if skp_id is None:
            abort(404)
        return self._fill_in(
            skp_id,
            ("indikator_baru", rhk_id),
            form,
            lambda: skp_service.add_indikator(
                db.session,
                rhk_id,
                scope.viewer(),
                form.aspek.data,
                form.uraian.data,
                form.target.data,
                form.satuan.data,
                form.target_uraian.data,
                form.manual_indikator.data,
            ),
            gettext("Indicator added."),
            url_for("SkpView.detail", skp_id=skp_id) + f"#rhk-{rhk_id}",
        )

    @expose("/indikator/<int:indikator_id>/ubah", methods=["POST"])
    @has_access
    def ubah_indikator(self, indikator_id: int) -> Any:
        form = forms.IndikatorForm()
        skp_id = skp_service.skp_id_of_indikator(db.session, indikator_id)
        if skp_id is None:
            abort(404)
        fields = ("aspek", "uraian", "target", "target_uraian", "satuan", "manual_indikator")
        return self._fill_in(
            skp_id,
            ("indikator", indikator_id),
            form,
            lambda: skp_service.update_indikator(
                db.session,
                indikator_id,
                scope.viewer(),
                {name: form.data[name] for name in fields},
            ),
            gettext("Changes saved."),
            url_for("SkpView.detail", skp_id=skp_id) + f"#indikator-{indikator_id}",
        )

    @expose("/indikator/<int:indikator_id>/hapus", methods=["POST"])
    @has_access
    def hapus_indikator(self, indikator_id: int) -> Any:
        form = forms.ActionForm()
        skp_id = skp_service.skp_id_of_indikator(db.session, indikator_id)
        if skp_id is None or not form.validate():
            abort(404 if skp_id is None else 400)
        return attempt(
            lambda: skp_service.delete_indikator(db.session, indikator_id, scope.viewer()),
            gettext("Indicator deleted."),
            url_for("SkpView.detail", skp_id=skp_id) + "#hasil-kerja",
        )

    def _workflow(self, skp_id: int, change: Callable[[Any], Any], success: str) -> Any:
        form = forms.ActionForm()
        if not form.validate():
            abort(400)
        return attempt(lambda: change(form), success, url_for("SkpView.detail", skp_id=skp_id))

    @expose("/<int:skp_id>/ajukan", methods=["POST"])
    @has_access
    def ajukan(self, skp_id: int) -> Any:
        return self._workflow(
            skp_id,
            lambda f: skp_service.submit(db.session, skp_id, scope.viewer(), f.expected_version),
            gettext("SKP submitted to your appraising official."),
        )

    @expose("/<int:skp_id>/setujui", methods=["POST"])
    @has_access
    def setujui(self, skp_id: int) -> Any:
        return self._workflow(
            skp_id,
            lambda f: skp_service.approve(
                db.session, skp_id, scope.viewer(), None, f.expected_version, _dokumen()
            ),
            gettext("SKP approved."),
        )

    @expose("/<int:skp_id>/kembalikan", methods=["POST"])
    @has_access
    def kembalikan(self, skp_id: int) -> Any:
        form = forms.ReturnForm()
        return self._fill_in(
            skp_id,
            ("kembalikan", None),
            form,
            lambda: skp_service.return_(
                db.session,
                skp_id,
                scope.viewer(),
                form.catatan.data,
                form.expected_version,
                _dokumen(),
            ),
            gettext("SKP returned to the employee."),
            url_for("SkpView.detail", skp_id=skp_id),
        )

    @expose("/riwayat/<int:riwayat_id>/dokumen")
    @has_access
    def dokumen(self, riwayat_id: int) -> Any:
        """The signed document of an act on a non-ASN official's behalf (in scope only)."""
        riwayat = skp_service.riwayat_with_document(db.session, riwayat_id, scope.viewer())
        path = uploads.path_of(riwayat.dokumen)
        return uploads.send(path, uploads.MIME.get(uploads.sniff(path) or ""), riwayat.dokumen_nama)

    @expose("/<int:skp_id>/ekspektasi", methods=["POST"])
    @has_access
    def ekspektasi(self, skp_id: int) -> Any:
        form = forms.EkspektasiForm()
        values = {n: form.data.get(f"ekspektasi_{n}") for n in range(1, 8)}
        return self._fill_in(
            skp_id,
            ("ekspektasi", None),
            form,
            lambda: skp_service.set_ekspektasi(
                db.session, skp_id, scope.viewer(), values, form.expected_version
            ),
            gettext("Expectations saved."),
            url_for("SkpView.detail", skp_id=skp_id) + "#perilaku-kerja",
        )

    @expose("/<int:skp_id>/revisi", methods=["POST"])
    @has_access
    def revisi(self, skp_id: int) -> Any:
        if not forms.ActionForm().validate():
            abort(400)
        revised: list[Skp] = []
        response = attempt(
            lambda: revised.append(skp_service.revise(db.session, skp_id, scope.viewer())),
            gettext("A new version of the SKP was created for revision."),
            url_for("SkpView.detail", skp_id=skp_id),
        )
        if revised:
            return redirect(url_for("SkpView.detail", skp_id=revised[0].id))
        return response


class PersetujuanSkpView(BaseView):
    """The atasan's inbox: subordinates' SKPs by status, with bulk approval."""

    route_base = "/skp/persetujuan"
    default_view = "inbox"

    @expose("/")
    @has_access
    def inbox(self) -> Any:
        viewer = scope.viewer()
        status = request.args.get("status") or "diajukan"
        if status not in workflow.SKP_STATES:
            status = "diajukan"
        return self.render_template(
            "sikap/skp_persetujuan.html",
            page=skp_service.inbox(
                db.session, viewer, status, request.args.get("page", 1, type=int)
            ),
            counts=skp_service.inbox_counts(db.session, viewer),
            status=status,
            states=workflow.SKP_STATES,
            form=forms.ActionForm(),
        )

    @expose("/setujui", methods=["POST"])
    @has_access
    def setujui(self) -> Any:
        if not forms.ActionForm().validate():
            abort(400)
        try:
            ids = [int(value) for value in request.form.getlist("skp_id")]
        except ValueError:
            abort(400)
        if not ids:
            flash(gettext("Select at least one SKP."), "warning")
            return redirect(url_for("PersetujuanSkpView.inbox"))
        return attempt(
            lambda: skp_service.bulk_approve(db.session, ids, scope.viewer()),
            gettext("%(count)d SKP approved.", count=len(ids)),
            url_for("PersetujuanSkpView.inbox"),
        )
