"""The SKP as a document: an A4 print view and the same document as .xlsx."""

from __future__ import annotations

import io
from typing import Any

from flask import send_file
from flask_appbuilder import BaseView, expose, has_access

from app.domain import enums, skp_form, workflow
from app.domain.berakhlak import BERAKHLAK
from app.extensions import db
from app.reports.skp_document import write_skp
from app.security import scope
from app.services import pihak
from app.services import skp as skp_service


def _visible_skp(skp_id: int) -> Any:
    return skp_service.get_visible(db.session, skp_id, scope.viewer())


def skp_context(skp: Any) -> dict[str, Any]:
    """What sikap/skp_cetak.html prints of an SKP: the print view and its PDF alike."""
    return {
        "skp": skp,
        "header": pihak.header_of(skp),
        "berakhlak": BERAKHLAK,
        "ekspektasi": {p.nilai: p.ekspektasi_khusus for p in skp.perilaku_kerja},
        "states": workflow.SKP_STATES,
        "hasil_kerja": skp_form.hasil_kerja(skp.model, skp.rencana_hasil_kerja),
        "jenis_rhk": enums.JENIS_RHK,
        "aspek_labels": enums.ASPEK,
        "perspektif_labels": enums.PERSPEKTIF,
        "manual_labels": enums.MANUAL_INDIKATOR,
        "manual_pilihan": skp_form.MANUAL_PILIHAN,
    }


class SkpDocumentView(BaseView):
    route_base = "/skp/dokumen"

    @expose("/<int:skp_id>/cetak")
    @has_access
    def cetak(self, skp_id: int) -> Any:
        return self.render_template("sikap/skp_cetak.html", **skp_context(_visible_skp(skp_id)))

    @expose("/<int:skp_id>/skp.xlsx")
    @has_access
    def xlsx(self, skp_id: int) -> Any:
        skp = _visible_skp(skp_id)
        buffer = io.BytesIO()
        write_skp(buffer, skp, pihak.header_of(skp), BERAKHLAK)
        buffer.seek(0)
        return send_file(
            buffer,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            as_attachment=True,
            download_name=f"SKP_{skp.periode.tahun}_{skp.pegawai.nip}_v{skp.versi}.xlsx",
        )
