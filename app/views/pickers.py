"""Search-as-you-type pickers for related rows (atasan, unit kerja, jabatan, user account…).

A ``<select>`` of a whole table grows with the province (100,000 pegawai): the page carries
only the chosen row, and select2 (bundled with FAB, started by static/sikap/pickers.js) asks
the view that lists those rows for 20 matches at a time as the user types. FAB's own
Select2AJAXWidget loads its endpoint's whole answer once, into an ``<input>`` the bundled
select2 4 no longer drives; hence this widget and a paged, scoped endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import jsonify, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access_api, permission_name
from flask_babel import gettext
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import html_params

from app.extensions import db
from app.security import scope
from app.services import lookup


class PickerWidget:
    """The chosen row as the only option (plus those active list filters name)."""

    def __call__(self, field: PickerField, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        name = kwargs.pop("name_", field.name)  # FAB's search templates rename the field
        classes = " ".join(filter(None, ("form-control sikap-picker", kwargs.pop("class", ""))))
        params = html_params(
            name=name,
            **{
                "class": classes,
                "data-source": url_for(field.source),
                "data-placeholder": gettext("Select an option"),
            },
            **kwargs,
        )
        options = [Markup('<option value=""></option>')]
        for row in field.offered():
            selected = " selected" if row is field.data else ""
            label = escape(field.label_of(row))
            options.append(Markup(f'<option value="{row.id}"{selected}>{label}</option>'))
        return Markup(f"<select {params}>{''.join(options)}</select>")


class PickerField(Field):
    """A related row picked by id; ``data`` is the row, looked up inside the viewer's scope
    (an id outside it is no valid choice)."""

    widget = PickerWidget()

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        model: type,
        source: str,
        label_of: Callable[[Any], str] = str,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.model = model
        self.source = source  # the endpoint answering the search, e.g. "PegawaiView.pilih"
        self.label_of = label_of
        self.filtered: list[Any] = []
        self._unknown = False

    def process_data(self, value: Any) -> None:
        self.data = value

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = valuelist[0].strip() if valuelist else ""
        self.data = lookup.get(db.session, self.model, scope.viewer(), raw) if raw else None
        self._unknown = bool(raw) and self.data is None

    def pre_validate(self, form: Any) -> None:
        if self._unknown:
            raise StopValidation(self.gettext("Not a valid choice."))

    def _value(self) -> str:
        return str(self.data.id) if self.data is not None else ""

    def filter_by(self, row_id: Any) -> None:
        """Offer a row an active list filter names, so that the filter shows its label."""
        row = lookup.get(db.session, self.model, scope.viewer(), row_id)
        if row is not None:
            self.filtered.append(row)

    def offered(self) -> list[Any]:
        rows = [self.data] if self.data is not None else []
        return rows + [row for row in self.filtered if row is not self.data]


class PickerSource:
    """A view whose rows other forms pick: ``GET <route_base>/pilih?q=…&page=…`` answers in
    select2's JSON, one page of matches inside the viewer's scope. It needs the view's list
    permission, and shows no more than the list does."""

    picker_columns: Sequence[str] = ("nama",)  # what the typed text is looked for in
    picker_order: Sequence[str] = ("nama",)

    @staticmethod
    def picker_label(row: Any) -> str:
        return str(row)

    @expose("/pilih")
    @has_access_api
    @permission_name("list")
    def pilih(self) -> Any:
        found = lookup.search(
            db.session,
            self.datamodel.obj,  # type: ignore[attr-defined]
            scope.viewer(),
            request.args.get("q", ""),
            request.args.get("page", 1, type=int),
            self.picker_columns,
            self.picker_order,
        )
        return select2_answer([(row.id, self.picker_label(row)) for row in found.rows], found.more)


def select2_answer(choices: Sequence[tuple[Any, str]], more: bool) -> Any:
    """A page of (id, label) as select2 reads it (static/sikap/pickers.js)."""
    return jsonify(
        results=[{"id": row_id, "text": label} for row_id, label in choices],
        pagination={"more": more},
    )


def unit_label(unit: Any) -> str:
    """A unit by its path: a province has many a "Subbagian Umum"."""
    return unit.nama_lengkap or unit.nama


def user_label(user: Any) -> str:
    return f"{user.username} — {user.first_name} {user.last_name}".strip()


def picker(
    label: Any,
    model: type,
    source: str,
    validators: Sequence[Any] = (),
    label_of: Callable[[Any], str] = str,
) -> PickerField:
    """A picker for a form's extra fields (FAB ignores ``validators_columns`` for them)."""
    return PickerField(label, list(validators), model=model, source=source, label_of=label_of)
