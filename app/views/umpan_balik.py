"""The dialog kinerja page of an SKP: its threads grouped by topic, and the form with which
the pegawai and their pejabat penilai write. Thin: every rule is in app.services.umpan_balik."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.domain.enums import JENIS_PERIODE
from app.extensions import db
from app.security import scope
from app.services import umpan_balik as umpan_balik_service
from app.services.errors import MAX_CATATAN
from app.views.pages import Refused, fill_in


class UmpanBalikForm(FlaskForm):
    topik = SelectField(_("Topic"), choices=[], validate_choice=False)
    periode_id = SelectField(_("Evaluation period"), choices=[], validate_choice=False)
    pesan = TextAreaField(_("Message"), validators=[DataRequired(), Length(max=MAX_CATATAN)])


def _topic_label(topik: umpan_balik_service.Topik) -> str:
    if topik.jenis == "umum":
        return gettext(topik.judul)
    if topik.jenis == "indikator":
        return gettext("Indicator: %(uraian)s", uraian=topik.judul)
    return gettext("Core value: %(nilai)s", nilai=topik.judul)


class UmpanBalikView(BaseView):
    """Dialog kinerja: continuous feedback between a pegawai and their pejabat penilai."""

    route_base = "/umpan-balik"

    @expose("/<int:skp_id>")
    @has_access
    def dialog(self, skp_id: int) -> Any:
        return self._dialog(skp_id)

    def _dialog(self, skp_id: int, refused: Refused | None = None) -> Any:
        """The dialog; after a refused message, the form again with what was typed."""
        found = umpan_balik_service.dialog(db.session, skp_id, scope.viewer())
        form = (
            refused.form
            if refused
            else UmpanBalikForm(
                formdata=None, topik=request.args.get("topik", umpan_balik_service.UMUM)
            )
        )
        form.topik.choices = [(topik.key, _topic_label(topik)) for topik in found.topik]
        form.periode_id.choices = [("", "—")] + [
            (str(periode.id), gettext(JENIS_PERIODE[periode.jenis])) for periode in found.periode
        ]
        body = self.render_template(
            "sikap/umpan_balik.html",
            dialog=found,
            skp=found.skp,
            form=form,
            refused=refused,
            topic_label=_topic_label,
            periode_labels={p.id: gettext(JENIS_PERIODE[p.jenis]) for p in found.periode},
        )
        return (body, refused.status) if refused else body

    @expose("/<int:skp_id>/tulis", methods=["POST"])
    @has_access
    def tulis(self, skp_id: int) -> Any:
        form = UmpanBalikForm()
        topic = form.topik.data or umpan_balik_service.UMUM
        back = f"{url_for('UmpanBalikView.dialog', skp_id=skp_id)}#topik-{topic}"
        if not form.validate() and "csrf_token" in form.errors:
            abort(400)

        def write() -> None:
            indikator_id, perilaku = umpan_balik_service.parse_topic(topic)
            umpan_balik_service.post(
                db.session,
                skp_id,
                scope.viewer(),
                form.pesan.data,
                indikator_kinerja_id=indikator_id,
                perilaku_nilai=perilaku,
                periode_id=umpan_balik_service.parse_periode(form.periode_id.data),
            )

        return fill_in(
            form,
            ("tulis", skp_id),
            write,
            gettext("Message sent."),
            back,
            lambda refused: self._dialog(skp_id, refused),
        )
