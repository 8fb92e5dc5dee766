"""Kinerja Saya: the signed-in pegawai's own performance on one page. Thin: the page's rows
come from app.services.kinerja_saya."""

from __future__ import annotations

from typing import Any

from flask_appbuilder import BaseView, expose, has_access

from app.domain import enums, scoring, workflow
from app.domain import pengembangan as rules
from app.extensions import db
from app.formatting import local_today
from app.security import scope
from app.services import kinerja_saya
from app.services import penilaian as penilaian_service


class KinerjaSayaView(BaseView):
    route_base = "/kinerja-saya"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        viewer = scope.viewer()
        return self.render_template(
            "sikap/kinerja_saya.html",
            page=kinerja_saya.untuk(db.session, viewer, local_today()),
            explain=penilaian_service.explain,
            skp_states=workflow.SKP_STATES,
            penilaian_states=workflow.PENILAIAN_STATES,
            ratings=scoring.RATINGS,
            predikat_labels=scoring.PREDIKAT,
            jenjang_labels=enums.JENJANG,
            jenis_rencana=rules.JENIS,
            status_rencana=rules.STATUS,
            hours=rules.hours,
        )
