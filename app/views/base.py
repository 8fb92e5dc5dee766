"""What every SIKAP model view shares: the scoped datamodel, paging, the history link."""

from __future__ import annotations

from typing import Any

from flask_appbuilder import ModelView
from flask_babel import gettext, lazy_gettext
from wtforms import SelectField
from wtforms.validators import DataRequired, Optional

from app.domain.enums import label
from app.security.datamodel import ScopedInterface


def choices(values: dict[str, str]) -> list[tuple[str, Any]]:
    return [(key, lazy_gettext(text)) for key, text in values.items()]


def select_field(title: str, values: dict[str, str], required: bool = True) -> SelectField:
    """A translated <select> for a string column holding an enumeration value."""
    options = choices(values)
    if not required:
        options = [("", "—")] + options
    return SelectField(
        lazy_gettext(title),
        choices=options,
        validators=[DataRequired()] if required else [Optional()],
    )


def enum_formatter(values: dict[str, str]):  # noqa: ANN201 - a FAB formatter callable
    return lambda value: gettext(label(values, value)) if value else ""


class SikapModelView(ModelView):
    """A FAB ModelView whose every query passes through the row-level scope."""

    page_size = 25
    show_template = "sikap/show.html"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.extra_args = {"audit_table": self.datamodel.obj.__tablename__}


def interface(model: type) -> ScopedInterface:
    return ScopedInterface(model)
