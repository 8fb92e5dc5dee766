"""Panduan: a short guide per role, in the reader's language: what each status means,
kuantitatif vs kualitatif, how a predikat is reached, what to do when one disagrees.

The states, the matrix and the keberatan window are read from the rules themselves
(app.domain.workflow, app.domain.scoring, the KEBERATAN_HARI setting), so the guide cannot
describe a cycle the app does not run; only the explanations are written here."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_appbuilder import BaseView, expose, has_access

from app.domain import scoring, workflow
from app.domain.enums import N_
from app.security import roles
from app.services import penilaian as penilaian_service

# What each state asks of whom; a test checks that every state has one.
SKP_STATE_HELP = {
    "draft": N_("You are writing it: only you change it. Submit it when every RHK is linked."),
    "diajukan": N_(
        "Sent to your pejabat penilai, who approves it or returns it; it cannot change "
        "while it waits."
    ),
    "disetujui": N_(
        "Agreed: your evaluations are measured against it. It changes only through a revision."
    ),
    "dikembalikan": N_(
        "Returned with a note, shown at the top of the SKP: correct what it asks and submit again."
    ),
    workflow.SKP_CLOSED: N_(
        "You moved to another post before it was approved: the SKP of the new post takes its place."
    ),
}

PENILAIAN_STATE_HELP = {
    "belum_dinilai": N_(
        "Fill in the realisasi of each indikator, attach the bukti dukung, then submit."
    ),
    "diajukan": N_("Waiting for your pejabat penilai to rate it."),
    "dinilai": N_(
        "Rated: read the ratings and the feedback, then accept it or object within %(days)d days."
    ),
    "diterima": N_("Accepted, by you or by the system after %(days)d days without an answer."),
    "keberatan": N_(
        "You objected: the atasan of your pejabat penilai (or BKPSDM's Tim Penilai Kinerja "
        "where there is none) decides."
    ),
    "final": N_(
        "Decided after an objection; final under PP 30/2019. It goes into the reports and "
        "the SIASN export."
    ),
}


def sections_for(role_names: set[str]) -> list[str]:
    """The guide's parts the reader needs: every ASN's, then those of their roles; admin
    BKPSDM, who answers everyone's questions, reads them all."""
    if roles.ADMIN in role_names:
        return ["pegawai", "atasan", "pimpinan", "admin"]
    parts = ["pegawai"]
    if roles.ATASAN in role_names or roles.PIMPINAN_OPD in role_names:
        parts.append("atasan")
    if roles.PIMPINAN_OPD in role_names:
        parts.append("pimpinan")
    return parts


class PanduanView(BaseView):
    route_base = "/panduan"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        return self.render_template(
            "sikap/panduan.html",
            sections=sections_for({role.name for role in g.user.roles}),
            skp_states=[(label, SKP_STATE_HELP[key]) for key, label in workflow.SKP_STATES.items()],
            penilaian_states=[
                (label, PENILAIAN_STATE_HELP[key])
                for key, label in workflow.PENILAIAN_STATES.items()
            ],
            days=penilaian_service.objection_days(),
            ratings=scoring.RATINGS,
            predikat_labels=scoring.PREDIKAT,
            matrix=scoring.PREDIKAT_MATRIX,
        )
