"""WTForms of the SKP pages. FlaskForm carries the CSRF token of every form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.domain import enums

PENDEKATAN_CHOICES = [(key, _(text)) for key, text in enums.PENDEKATAN.items()]
JENIS_RHK_CHOICES = [(key, _(text)) for key, text in enums.JENIS_RHK.items()]
ASPEK_CHOICES = [(key, _(text)) for key, text in enums.ASPEK.items()]
PERSPEKTIF_CHOICES = [("", "—")] + [(key, _(text)) for key, text in enums.PERSPEKTIF.items()]


class VersionedForm(FlaskForm):
    """Every state-changing form carries the version it was rendered from."""

    version_id = HiddenField()

    @property
    def expected_version(self) -> int | None:
        try:
            return int(self.version_id.data)
        except (TypeError, ValueError):
            return None


class CreateSkpForm(FlaskForm):
    pendekatan = SelectField(_("Approach"), choices=PENDEKATAN_CHOICES)
    carry_forward = BooleanField(_("Start from last year's SKP"))


class LampiranForm(VersionedForm):
    pendekatan = SelectField(_("Approach"), choices=PENDEKATAN_CHOICES)
    dukungan_sumber_daya = TextAreaField(
        _("Resource support"), validators=[Optional(), Length(max=5000)]
    )
    skema_pertanggungjawaban = TextAreaField(
        _("Accountability scheme"), validators=[Optional(), Length(max=5000)]
    )
    konsekuensi = TextAreaField(_("Consequences"), validators=[Optional(), Length(max=5000)])


class RhkForm(FlaskForm):
    # The service says what a bad choice is, in the same words to the page and the API.
    jenis = SelectField(_("Type"), choices=JENIS_RHK_CHOICES, validate_choice=False)
    uraian = TextAreaField(_("Work result plan"), validators=[DataRequired(), Length(max=5000)])
    intervensi_id = SelectField(
        _("Supervisor's work result intervened"), choices=[], validate_choice=False
    )
    penugasan_dari = StringField(_("Assignment from"), validators=[Optional(), Length(max=200)])
    # JPT SKP only (app.domain.skp_form): the service says when it is needed or refused.
    perspektif = SelectField(_("Perspective"), choices=PERSPEKTIF_CHOICES, validate_choice=False)


def rhk_form_of(rhk: Any, options: list[Any]) -> RhkForm:
    """The edit form of an RHK: the add form, filled from the row; its intervened RHK stays
    a choice even when no longer offered (e.g. the atasan's SKP was returned since)."""
    form = RhkForm(
        formdata=None,
        data={
            "jenis": rhk.jenis,
            "uraian": rhk.uraian,
            "intervensi_id": str(rhk.intervensi_id or ""),
            "penugasan_dari": rhk.penugasan_dari or "",
            "perspektif": rhk.perspektif or "",
        },
    )
    form.intervensi_id.choices = intervensi_choices(options, rhk.intervensi)
    return form


def intervensi_choices(options: list[Any], current: Any = None) -> list[tuple[str, str]]:
    listed = list(options) + ([current] if current is not None and current not in options else [])
    return [("", "—")] + [(str(r.id), r.uraian) for r in listed]


class ManualIndikatorForm(Form):
    """The manual indikator of a JPT SKP's indikator; its inputs are named as the API's
    object and the service's refusals name them: ``manual_indikator.definisi`` …
    (IndikatorForm's FormField, separator "."). The service judges every value."""

    definisi = TextAreaField()
    tujuan = TextAreaField()
    formula = TextAreaField()
    jenis = SelectField(choices=[], validate_choice=False)
    unit_penanggung_jawab = StringField()
    unit_penyedia_data = StringField()
    sumber_data = StringField()
    periode_pelaporan = SelectField(choices=[], validate_choice=False)


class IndikatorForm(FlaskForm):
    aspek = SelectField(_("Aspect"), choices=ASPEK_CHOICES, validate_choice=False)
    uraian = StringField(_("Indicator"), validators=[DataRequired(), Length(max=5000)])
    # A kuantitatif SKP needs a number (and its unit), a kualitatif one the target in words:
    # the service decides, by the SKP's approach.
    target = StringField(_("Target"))
    target_uraian = TextAreaField(_("Target in words"))
    satuan = StringField(_("Unit"))
    manual_indikator = FormField(ManualIndikatorForm, separator=".")


def indikator_form_of(indikator: Any) -> IndikatorForm:
    """The edit form of an indikator: the add form, filled from the row."""
    target = "" if indikator.target is None else format(indikator.target.normalize(), "f")
    return IndikatorForm(
        formdata=None,
        data={
            "aspek": indikator.aspek,
            "uraian": indikator.uraian,
            "target": target.replace(".", ","),
            "target_uraian": indikator.target_uraian or "",
            "satuan": indikator.satuan or "",
            "manual_indikator": dict(indikator.manual_indikator or {}),
        },
    )


class ActionForm(VersionedForm):
    """Submit, approve, delete, revise: a button with its CSRF token and version."""


class ReturnForm(VersionedForm):
    catatan = TextAreaField(_("Note"), validators=[DataRequired(), Length(max=5000)])


class EkspektasiForm(VersionedForm):
    """Seven ekspektasi khusus fields, one per BerAKHLAK value (ekspektasi_1 … _7)."""

    ekspektasi_1 = TextAreaField(validators=[Optional(), Length(max=5000)])
    ekspektasi_2 = TextAreaField(validators=[Optional(), Length(max=5000)])
    ekspektasi_3 = TextAreaField(validators=[Optional(), Length(max=5000)])
    ekspektasi_4 = TextAreaField(validators=[Optional(), Length(max=5000)])
    ekspektasi_5 = TextAreaField(validators=[Optional(), Length(max=5000)])
    ekspektasi_6 = TextAreaField(validators=[Optional(), Length(max=5000)])
    ekspektasi_7 = TextAreaField(validators=[Optional(), Length(max=5000)])


RATING_CHOICES = [
    ("di_atas", _("Above expectations")),
    ("sesuai", _("Meets expectations")),
    ("di_bawah", _("Below expectations")),
]


class RatingForm(VersionedForm):
    """The pejabat penilai's rating; the predikat is never a field (it is computed)."""

    rating_hasil_kerja = RadioField(
        _("Work result rating"), choices=RATING_CHOICES, validators=[DataRequired()]
    )
    rating_perilaku_kerja = RadioField(
        _("Work behaviour rating"), choices=RATING_CHOICES, validators=[DataRequired()]
    )
    umpan_balik = TextAreaField(_("Feedback"), validators=[Optional(), Length(max=5000)])
    # Needed when an OPD head's rating hasil kerja departs from the predikat organisasi.
    alasan_rating = TextAreaField(
        _("Reason for departing from the organisation performance rating"),
        validators=[Optional(), Length(max=5000)],
    )
    umpan_balik_1 = TextAreaField(validators=[Optional(), Length(max=5000)])
    umpan_balik_2 = TextAreaField(validators=[Optional(), Length(max=5000)])
    umpan_balik_3 = TextAreaField(validators=[Optional(), Length(max=5000)])
    umpan_balik_4 = TextAreaField(validators=[Optional(), Length(max=5000)])
    umpan_balik_5 = TextAreaField(validators=[Optional(), Length(max=5000)])
    umpan_balik_6 = TextAreaField(validators=[Optional(), Length(max=5000)])
    umpan_balik_7 = TextAreaField(validators=[Optional(), Length(max=5000)])


class ObjectionForm(VersionedForm):
    alasan = TextAreaField(_("Reason for objection"), validators=[DataRequired(), Length(max=5000)])


class DecisionForm(VersionedForm):
    rating_hasil_kerja = RadioField(
        _("Work result rating"), choices=RATING_CHOICES, validators=[DataRequired()]
    )
    rating_perilaku_kerja = RadioField(
        _("Work behaviour rating"), choices=RATING_CHOICES, validators=[DataRequired()]
    )
    catatan = TextAreaField(_("Decision note"), validators=[DataRequired(), Length(max=5000)])
