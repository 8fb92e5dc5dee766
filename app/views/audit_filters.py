"""The audit trail's filters as BKPSDM staff ask: a person by name or NIP, a table and an
action by their Indonesian words, and a WIB calendar date — each a FAB filter on the stored
column (the raw code, UTC), so the list stays one query whatever is chosen."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from flask_babel import get_timezone, gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import false, or_, select
from sqlalchemy.orm import Query
from wtforms import SelectField, StringField
from wtforms.fields import DateField
from wtforms.validators import Optional

from app.models.audit import AuditLog
from app.models.master import Pegawai
from app.security.datamodel import ScopedInterface
from app.views.audit_labels import ACTIONS, TABLES


class FilterPelaku(BaseFilter):
    """The account, or the name or NIP of the pegawai behind it, contains the text."""

    name = _("Name or NIP contains")

    def apply(self, query: Query, value: Any) -> Query:
        text = str(value or "").strip()
        if not text:
            return query
        pegawai = select(Pegawai.user_id).where(
            Pegawai.user_id.is_not(None),
            or_(
                Pegawai.nama.icontains(text, autoescape=True),
                Pegawai.nip.contains(text, autoescape=True),
            ),
        )
        return query.filter(
            or_(
                AuditLog.username.icontains(text, autoescape=True),
                AuditLog.user_id.in_(pegawai.scalar_subquery()),
            )
        )


class FilterKode(BaseFilter):
    """The stored code chosen by its words in a list (a table, an action)."""

    name = _("Is")

    def apply(self, query: Query, value: Any) -> Query:
        if not value:
            return query
        return query.filter(getattr(self.model, self.column_name) == str(value))


def _utc_start_of(value: Any) -> dt.datetime | None:
    """Midnight of a WIB calendar date ("2026-12-05") as the stored naive UTC time."""
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None
    local = dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(str(get_timezone())))
    return local.astimezone(dt.UTC).replace(tzinfo=None)


class FilterSejakTanggal(BaseFilter):
    """Entries made on or after a WIB calendar date."""

    name = _("From date (WIB)")

    def apply(self, query: Query, value: Any) -> Query:
        if not value:
            return query
        start = _utc_start_of(value)
        # A date that cannot be read matches nothing: a list that ignored it would pass for
        # the answer to the question asked.
        return query.filter(false() if start is None else AuditLog.created_at >= start)


class FilterSampaiTanggal(BaseFilter):
    """Entries made on or before a WIB calendar date (the whole of that day)."""

    name = _("Until date (WIB)")

    def apply(self, query: Query, value: Any) -> Query:
        if not value:
            return query
        start = _utc_start_of(value)
        if start is None:
            return query.filter(false())
        return query.filter(AuditLog.created_at < start + dt.timedelta(days=1))


FILTERS: dict[str, list[type[BaseFilter]]] = {
    "username": [FilterPelaku],
    "table_name": [FilterKode],
    "action": [FilterKode],
    "created_at": [FilterSejakTanggal, FilterSampaiTanggal],
}


class AuditFilterConverter(SQLAFilterConverter):
    """FAB offers a column's filters by its type (text: starts with, contains …); these
    columns offer the audit trail's own instead."""

    def convert(self, col_name: str) -> list[BaseFilter] | None:
        if col_name in FILTERS:
            return [flt(col_name, self.datamodel) for flt in FILTERS[col_name]]
        return super().convert(col_name)


class AuditInterface(ScopedInterface):
    filter_converter_class = AuditFilterConverter


def _table_choices() -> list[tuple[str, str]]:
    return sorted(((code, gettext(label)) for code, label in TABLES.items()), key=lambda c: c[1])


def _action_choices() -> list[tuple[str, str]]:
    return [(code, gettext(label)) for code, label in ACTIONS.items()]


def search_fields(labels: dict[str, Any]) -> dict[str, Any]:
    """The fields of the filter form: a table and an action chosen from their words (sorted
    in the reader's language), a calendar date for the time."""
    box = {"class": "form-control"}
    return {
        "username": StringField(labels["username"], render_kw=box),
        "table_name": SelectField(labels["table_name"], choices=_table_choices, render_kw=box),
        "action": SelectField(labels["action"], choices=_action_choices, render_kw=box),
        "created_at": DateField(labels["created_at"], validators=[Optional()], render_kw=box),
    }
