"""WTForms validators that put domain rules on the form field they concern, so a rejected
form keeps what the user typed and says, in Indonesian, what is wrong and where."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext
from wtforms import Form, ValidationError

from app.domain import nip as nip_rules
from app.domain import org
from app.domain.errors import DomainError
from app.extensions import db
from app.i18n import translated
from app.services import org as org_service


def _editing_pk() -> int | None:
    pk = (request.view_args or {}).get("pk")
    return int(pk) if pk is not None else None


def _field_data(form: Form, name: str) -> Any:
    field = getattr(form, name, None)
    return field.data if field is not None else None


def _related_id(value: Any) -> int | None:
    return getattr(value, "id", value) or None


def _raise(error: DomainError) -> None:
    raise ValidationError(translated(error)) from error


class ValidNip:
    """NIP structure (DOMAIN.md) for the chosen jenis ASN, and uniqueness."""

    def __call__(self, form: Form, field: Any) -> None:
        data = {"nip": field.data, "jenis_asn": _field_data(form, "jenis_asn") or "pns"}
        try:
            parsed = nip_rules.parse_nip(data["nip"] or "", data["jenis_asn"])
            field.data = parsed.value
            org_service.validate_pegawai(db.session, data, _editing_pk())
        except DomainError as error:
            _raise(error)


class MatchesNip:
    """Birth date or gender typed in must match what the NIP encodes."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __call__(self, form: Form, field: Any) -> None:
        try:
            parsed = nip_rules.parse_nip(
                _field_data(form, "nip") or "", _field_data(form, "jenis_asn") or "pns"
            )
        except DomainError:
            return  # the NIP field reports its own error
        values = {"tanggal_lahir": None, "jenis_kelamin": None, self.attribute: field.data}
        try:
            nip_rules.check_consistency(parsed, values["tanggal_lahir"], values["jenis_kelamin"])
        except DomainError as error:
            _raise(error)


class PlausibleTmt:
    """A TMT date in the window app.domain.tanggal allows (the service checks it again)."""

    def __call__(self, form: Form, field: Any) -> None:
        import datetime as dt

        from app.domain import tanggal

        try:
            tanggal.check_tmt(field.data, field.name, dt.date.today())
        except DomainError as error:
            _raise(error)


class NoSupervisionCycle:
    """The atasan is not the pegawai itself nor one of their subordinates down the chain."""

    def __call__(self, form: Form, field: Any) -> None:
        try:
            org.check_atasan(
                _editing_pk(), _related_id(field.data), org_service.atasan_lookup(db.session)
            )
        except DomainError as error:
            _raise(error)


class NotSelf:
    """The pejabat penilai override cannot point at the pegawai being edited."""

    def __call__(self, form: Form, field: Any) -> None:
        pk = _editing_pk()
        if pk is not None and _related_id(field.data) == pk:
            raise ValidationError(gettext("An employee cannot be their own appraising official."))


class ValidUnitParent:
    def __call__(self, form: Form, field: Any) -> None:
        try:
            org_service.check_unit_parent(db.session, _editing_pk(), _related_id(field.data))
        except DomainError as error:
            _raise(error)


class ValidPeriodeDates:
    """The periode's end is not before its start, its start lies in its year and its
    deadlines are plausible; each broken rule is shown under the date it names (put this
    validator on every date of the form)."""

    def __call__(self, form: Form, field: Any) -> None:
        from app.models.master import Periode
        from app.services import periode as periode_service

        candidate = Periode(
            tahun=_field_data(form, "tahun"),
            jenis=_field_data(form, "jenis"),
            tanggal_mulai=_field_data(form, "tanggal_mulai"),
            tanggal_selesai=_field_data(form, "tanggal_selesai"),
            batas_realisasi=_field_data(form, "batas_realisasi"),
            batas_penilaian=_field_data(form, "batas_penilaian"),
        )
        try:
            periode_service.check_periode(candidate)
            periode_service.check_place(db.session, candidate, _editing_pk())
        except DomainError as error:
            if (error.field or "tanggal_selesai") == field.name:
                _raise(error)


class ValidRitme:
    """The periode's type follows its year's evaluation rhythm, and a year's rhythm changes
    only while its periods hold nothing."""

    def __call__(self, form: Form, field: Any) -> None:
        from app.services import periode as periode_service

        try:
            periode_service.check_ritme(
                db.session,
                _field_data(form, "tahun"),
                _field_data(form, "jenis"),
                field.data or None,
                _editing_pk(),
            )
        except DomainError as error:
            _raise(error)
