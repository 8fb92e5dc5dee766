"""What every SIKAP model view shares: the scoped datamodel, paging, the history link."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import abort, request
from flask_appbuilder import ModelView, expose
from flask_babel import gettext, lazy_gettext
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired, Optional

from app.domain.enums import label
from app.domain.errors import DomainError
from app.extensions import db
from app.formatting import tanggal
from app.i18n import translated
from app.security.datamodel import ScopedInterface
from app.services import master
from app.views.pickers import PickerField


def choices(values: dict[str, str]) -> list[tuple[str, Any]]:
    return [(key, lazy_gettext(text)) for key, text in values.items()]


def select_field(
    title: str, values: dict[str, str], required: bool = True, extra_validators: Any = ()
) -> SelectField:
    """A translated <select> for a string column holding an enumeration value.

    FAB ignores ``validators_columns`` for extra fields: their validators go here."""
    options = choices(values)
    if not required:
        options = [("", "—")] + options
    return SelectField(
        lazy_gettext(title),
        choices=options,
        validators=[DataRequired() if required else Optional(), *extra_validators],
    )


def checkbox(title: str) -> BooleanField:
    """A yes/no field for a NOT NULL boolean column. FAB's own makes the box required, so
    a row could never be saved as "no" (a pegawai nonaktif, a periode closed)."""
    return BooleanField(lazy_gettext(title))


def yes_no(value: bool | None) -> str:
    return gettext("Yes") if value else gettext("No")


def or_dash(value: Any) -> str:
    return "—" if value is None else str(value)


def enum_formatter(values: dict[str, str]):  # noqa: ANN201 - a FAB formatter callable
    return lambda value: gettext(label(values, value)) if value else ""


# The most rows a list page shows (FAB reads any ``?psize_<View>=`` from the URL, -1 for the
# whole table); the REST API's cap is SikapModelApi.max_page_size, the same number.
MAX_PAGE_SIZE = 100


def capped_page_size(asked: int | None, default: int) -> int:
    """The page size a list shows when the URL asks for ``asked`` rows: the view's own when
    none or a non-positive number is asked, at most MAX_PAGE_SIZE."""
    if not asked or asked < 1:
        return min(default, MAX_PAGE_SIZE)
    return min(asked, MAX_PAGE_SIZE)


class CappedPageSize:
    """A ModelView's list, and its related lists on show/edit pages, at most MAX_PAGE_SIZE
    rows however large a ``psize_`` the URL asks for."""

    page_size: int

    def _get_list_widget(self, *, page_size: int | None = None, **kwargs: Any) -> Any:
        return super()._get_list_widget(  # type: ignore[misc]
            page_size=capped_page_size(page_size, self.page_size), **kwargs
        )


class CheckedActions(CappedPageSize):
    """The action routes of a ModelView, made safe (every ModelView of the app mixes this
    in, so it brings the page-size cap along). FAB's own look the action up before the
    permission (an unknown name is a 500, for anyone), skip base_filters and hand None to the
    action for a row they cannot see, and mutate on GET; here an unknown action or any row
    outside the scope answers 404, a missing permission 403, and only POST acts.

    FAB's ``download`` route (a file column's upload by name) is not offered: no view has a
    file column, and it would serve any file of UPLOAD_FOLDER, where bukti dukung live."""

    exclude_route_methods = {"download"}

    def _scoped_items(self, name: str, pks: list[str]) -> tuple[Any, list[Any]]:
        """The action and its rows (read through the datamodel, so through the scope), or
        abort."""
        action = self.actions.get(name)
        if action is None or not pks:
            abort(404)
        if not self.appbuilder.sm.has_access(
            self.get_action_permission_name(name), self.class_permission_name
        ):
            abort(403)
        items = [self.datamodel.get(self._deserialize_pk_if_composite(pk)) for pk in pks]
        if any(item is None for item in items):
            abort(404)
        return action, items

    @expose("/action/<string:name>/<pk>", methods=["POST"])
    def action(self, name: str, pk: str) -> Any:
        action, items = self._scoped_items(name, [pk])
        return action.func(items[0])

    @expose("/action_post", methods=["POST"])
    def action_post(self) -> Any:
        action, items = self._scoped_items(
            request.form.get("action", ""), request.form.getlist("rowid")
        )
        return action.func(items)


class PageRefusal(Exception):
    """A write refused on a FAB form page. FAB flashes ``str()`` of what a pre_add,
    pre_update or pre_delete hook raises, so it carries the message in the user's language."""


class SikapModelView(CheckedActions, ModelView):
    """A FAB ModelView whose every query passes through the row-level scope and whose every
    write is the model's use case in app.services.master (the REST API's too); FAB's own
    add/edit/delete then only commit."""

    page_size = 25
    show_template = "sikap/show.html"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.extra_args = {"audit_table": self.datamodel.obj.__tablename__}
        self.formatters_columns = {**self._default_formatters(), **self.formatters_columns}

    def pre_add(self, item: Any) -> None:
        self._write("add", item)

    def pre_update(self, item: Any) -> None:
        self._write("update", item)

    def pre_delete(self, item: Any) -> None:
        self._write("delete", item)

    def _write(self, action: str, item: Any) -> None:
        try:
            master.write(db.session, action, item)
        except DomainError as error:
            db.session.rollback()
            raise PageRefusal(translated(error)) from error

    def _default_formatters(self) -> dict[str, Any]:
        """Indonesian yes/no and dates, and a dash for empty relations, on every page."""
        formatters: dict[str, Any] = {}
        for column in {*self.list_columns, *self.show_columns}:
            if self.datamodel.is_boolean(column):
                formatters[column] = yes_no
            elif self.datamodel.is_date(column):
                formatters[column] = tanggal
            elif self.datamodel.is_relation(column):
                formatters[column] = or_dash
        return formatters

    def _get_list_widget(self, *, order_column: str = "", **kwargs: Any) -> Any:
        # FAB orders by any column named in the URL; one it does not offer (or a relation it
        # cannot sort) falls back to the view's own order instead of a 500.
        if order_column not in self.order_columns:
            order_column, kwargs["order_direction"] = "", ""
        return super()._get_list_widget(order_column=order_column, **kwargs)

    def _get_search_widget(self, form: Any = None, **kwargs: Any) -> Any:
        # An active filter on a picker names a row the (empty) picker must offer to show it.
        if form is not None:
            for flt, values in zip(self._filters.filters, self._filters.values, strict=True):
                field = getattr(form, flt.column_name, None)
                if isinstance(field, PickerField):
                    for value in values if isinstance(values, list) else [values]:
                        field.filter_by(value)
        return super()._get_search_widget(form=form, **kwargs)


def interface(
    model: type, eager: Sequence[str] = (), related_order: Mapping[str, str] | None = None
) -> ScopedInterface:
    """The scoped datamodel of a view; ``eager``: the relations its list shows (loaded with
    the page), ``related_order``: how a sort on a relation column orders (ListInterface)."""
    return ScopedInterface(model, eager=eager, related_order=related_order)
