"""The kurva distribusi page of an OPD and periode: the predikat kinerja organisasi (recorded
here by admin BKPSDM with the number of its penetapan, shown as given to the pimpinan OPD),
the distribution of the pegawai's predikat against its rule, the justification of a breach and
its history, and a what-if computed in the browser (app/static/sikap/kurva.js) or by the
server (POST /kurva/simulasi). Thin: every rule is in app.services.kurva."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import format_decimal, get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.domain import scoring
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.extensions import db
from app.formatting import local_today
from app.i18n import translated
from app.reports import charts
from app.security import scope
from app.services import kurva
from app.services.errors import MAX_CATATAN, NotFound
from app.views.dashboard import PREDIKAT_COLOURS
from app.views.pages import attempt, flash_form_errors


class KurvaForm(FlaskForm):
    """Which OPD and periode a write is for (checked again by the service)."""

    unit_kerja_id = HiddenField()
    periode_id = HiddenField()


class PredikatOrganisasiForm(KurvaForm):
    """Admin BKPSDM records the penetapan; the service judges every value (and the writer)."""

    predikat = SelectField(
        _("Organisation performance rating"),
        choices=[(key, _(label)) for key, label in scoring.PREDIKAT_ORGANISASI.items()],
        validate_choice=False,
    )
    nomor_penetapan = StringField(_("Decree number"))
    # When the shown rating was set ("" = not yet): a change in between is refused.
    ditetapkan = HiddenField()


class JustifikasiForm(KurvaForm):
    alasan = TextAreaField(_("Justification"), validators=[DataRequired(), Length(max=MAX_CATATAN)])


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def persen(value: float) -> str:
    return f"{format_decimal(value, format='#,##0.0')} %"


def _client_data() -> dict[str, Any]:
    """What kurva.js needs, in the reader's language: the rules as data, the labels."""
    return {
        "locale": str(get_locale() or "id"),
        "rules": {
            organisasi: [dict(rule, message=gettext(rule["message"])) for rule in rules]
            for organisasi, rules in kurva.rules_data().items()
        },
        "texts": {"met": gettext("Met"), "breached": gettext("Breached")},
    }


def _distribusi_json(result: kurva.Distribusi) -> dict[str, Any]:
    return {
        "predikat_organisasi": result.predikat_organisasi,
        "total": result.total,
        "belum_dinilai": result.belum_dinilai,
        "counts": result.counts,
        "aturan": [
            {
                "key": line.key,
                "message": gettext(line.message),
                "count": line.count,
                "total": line.total,
                "breached": line.breached,
            }
            for line in result.aturan
        ],
        "breaches": [line.key for line in result.breaches],
    }


def distribution_chart(dist: kurva.Distribusi) -> Markup:
    """The share of each predikat among the rated, a bar each in its colour."""
    labels = [gettext(label) for label in scoring.PREDIKAT.values()]
    return charts.bar_chart(
        "grafik-distribusi",
        gettext("Distribution of ratings"),
        labels,
        [
            charts.Series(
                labels[row],
                [dist.persen(key) if column == row else 0 for column in range(len(labels))],
                PREDIKAT_COLOURS[key],
            )
            for row, key in enumerate(scoring.PREDIKAT)
        ],
        maximum=100,
        stacked=True,
        value_text=persen,
    )


def bound_text(rule: scoring.KurvaRule) -> str:
    if rule.at_most is not None:
        return gettext("at most %(share)s", share=persen(rule.at_most))
    if rule.at_least is not None:
        return gettext("at least %(share)s", share=persen(rule.at_least))
    count = rule.at_least_count or 0
    return ngettext("at least %(num)d employee", "at least %(num)d employees", count)


def rule_bound(line: kurva.Aturan) -> float:
    """Where the rule's bound lies on a 0–100 % bar: a bound on a number of employees is
    that number's share of the rated."""
    rule = line.rule
    if rule.at_most is not None:
        return rule.at_most
    if rule.at_least is not None:
        return rule.at_least
    return 100 * (rule.at_least_count or 0) / line.total if line.total else 0.0


def rule_chart(dist: kurva.Distribusi) -> Markup:
    """Each line of the curve rule: the share that holds it against its bound."""
    return charts.bound_chart(
        "grafik-aturan-kurva",
        gettext("Curve rule"),
        [
            charts.Bound(
                label=gettext(line.message),
                share=line.persen,
                share_text=persen(line.persen),
                bound=rule_bound(line),
                bound_text=bound_text(line.rule),
                met=not line.breached,
            )
            for line in dist.aturan
        ],
    )


def _back(form: KurvaForm) -> str:
    return url_for(
        "KurvaView.index",
        unit_kerja_id=_int(form.unit_kerja_id.data),
        periode_id=_int(form.periode_id.data),
    )


class KurvaView(BaseView):
    """Kurva distribusi per OPD and periode, for the pimpinan OPD and admin BKPSDM."""

    route_base = "/kurva"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        viewer = scope.viewer()
        opds = kurva.opd_choices(db.session, viewer)
        periods = kurva.periode_choices(db.session)
        unit_id = request.args.get("unit_kerja_id", type=int) or kurva.default_opd_id(viewer)
        periode_id = request.args.get("periode_id", type=int)
        if periode_id is None:
            default = kurva.default_periode(periods, local_today())
            periode_id = default.id if default else None
        found = None
        if unit_id is not None and periode_id is not None:
            found = kurva.kalibrasi(
                db.session, viewer, unit_id, periode_id, request.args.get("page", 1, type=int)
            )
        context: dict[str, Any] = {
            "opds": opds,
            "periods": periods,
            "found": found,
        }
        if found is not None:
            ids = {"unit_kerja_id": found.opd.id, "periode_id": found.periode.id}
            context.update(
                # Only admin BKPSDM records it; the pimpinan OPD sees it as given.
                predikat_form=PredikatOrganisasiForm(
                    data={
                        **ids,
                        "predikat": found.predikat_organisasi,
                        "nomor_penetapan": (
                            found.penetapan.nomor_penetapan if found.penetapan else None
                        ),
                        "ditetapkan": kurva.penetapan_marker(found.penetapan),
                    }
                )
                if viewer.is_admin
                else None,
                justifikasi_form=JustifikasiForm(data=ids),
                rules=kurva.rules_data(),
                predikat_labels=scoring.PREDIKAT,
                organisasi_labels=scoring.PREDIKAT_ORGANISASI,
                persen=persen,
                client={
                    **_client_data(),
                    # Every member's predikat, counted: the what-if of a page of them
                    # changes these counts.
                    "counts": {key or "": n for key, n in found.predikat_anggota.items()},
                },
                distribution_chart=distribution_chart(found.distribusi),
                rule_chart=rule_chart(found.distribusi),
            )
        return self.render_template("sikap/kurva.html", **context)

    @expose("/tetapkan", methods=["POST"])
    @has_access
    def tetapkan(self) -> Any:
        form = PredikatOrganisasiForm()
        back = _back(form)
        if not form.validate():
            if "csrf_token" in form.errors:
                abort(400)
            flash_form_errors(form)
            return redirect(back)
        return attempt(
            lambda: kurva.tetapkan(
                db.session,
                scope.viewer(),
                _int(form.unit_kerja_id.data),
                _int(form.periode_id.data),
                form.predikat.data,
                form.nomor_penetapan.data,
                form.ditetapkan.data,
            ),
            gettext("The organisation performance rating was saved."),
            back,
        )

    @expose("/justifikasi", methods=["POST"])
    @has_access
    def justifikasi(self) -> Any:
        form = JustifikasiForm()
        back = _back(form)
        if not form.validate():
            if "csrf_token" in form.errors:
                abort(400)
            flash_form_errors(form)
            return redirect(back)
        return attempt(
            lambda: kurva.justifikasi(
                db.session,
                scope.viewer(),
                _int(form.unit_kerja_id.data),
                _int(form.periode_id.data),
                form.alasan.data,
            ),
            gettext("The justification was recorded."),
            back,
        )

    @expose("/simulasi", methods=["POST"])
    @has_access
    def simulasi(self) -> Any:
        """The what-if of the page, computed by the server from a JSON body
        {"unit_kerja_id", "periode_id", "predikat_organisasi", "perubahan": {pegawai id:
        predikat or null}}. Writes nothing, so it needs no CSRF token."""
        body = request.get_json(silent=True)
        perubahan = body.get("perubahan") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not isinstance(perubahan or {}, dict):
            return jsonify(message=gettext("Invalid request")), 400
        changes = {_int(key): value for key, value in (perubahan or {}).items()}
        try:
            if None in changes:
                raise NotFound(N_("Employee not found."))
            result = kurva.simulasi(
                db.session,
                scope.viewer(),
                _int(body.get("unit_kerja_id")),
                _int(body.get("periode_id")),
                body.get("predikat_organisasi") or None,
                changes,
            )
        except DomainError as error:
            return jsonify(message=translated(error), field=error.field), error.status
        return jsonify(_distribusi_json(result))
