"""What every SIKAP REST resource shares: the scoped datamodel and Indonesian errors."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from flask import Response, request
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.api.convert import Model2SchemaConverter
from flask_babel import gettext
from flask_babel.speaklater import LazyString
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import refusals
from app.api.guard import BAD_RISON
from app.api.messages import translated_messages
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.extensions import db
from app.services import atas_nama, master
from app.web import MAX_ID, OUT_OF_RANGE


class ForeignKeySchemaConverter(Model2SchemaConverter):
    """FAB declares a typed field for each ``*_id`` column of add/edit_columns, but
    marshmallow-sqlalchemy (>= 1.1) drops declared foreign-key fields unless the schema says
    ``include_fk``: ``atasan_id`` then becomes an untyped field that refuses null, and a PUT of
    any row with an empty optional reference answers 422."""

    def _meta_schema_factory(
        self, columns: Any, model: Any, class_mixin: Any, **kwargs: Any
    ) -> Any:
        schema = super()._meta_schema_factory(columns, model, class_mixin, **kwargs)

        class Meta(schema.Meta):
            include_fk = True

        return type(schema.__name__, (schema,), {"Meta": Meta})


# FAB's own English 400 messages, and what the user reads instead.
_FAB_400 = {
    "Request is not JSON": N_("Send the data as JSON (Content-Type: application/json)."),
    "Not a valid rison/json argument": BAD_RISON,
    "Not a valid rison argument": BAD_RISON,
}
_FAB_400_SCHEMA = "Not a valid rison schema "
_BAD_Q = N_("The q parameter does not have the expected form: %(detail)s")
_NOT_UNDERSTOOD = N_("The request could not be understood.")


def fab_400_message(message: Any) -> Any:
    """FAB's 400 message in the user's language; a schema error keeps jsonschema's detail."""
    if not isinstance(message, str):
        return message  # a dict of field errors (FAB's marshmallow messages)
    if message in _FAB_400:
        return gettext(_FAB_400[message])
    if message.startswith(_FAB_400_SCHEMA):
        return gettext(_BAD_Q, detail=message.removeprefix(_FAB_400_SCHEMA))
    if message.startswith("400 Bad Request"):
        # A BadRequest raised inside a resource, turned into a 400 by FAB's @safe.
        return gettext(_NOT_UNDERSTOOD)
    return message


def is_row_id(pk: Any) -> bool:
    """Whether ``pk`` (from a URL) could name a row at all."""
    try:
        return 0 < int(pk) <= MAX_ID
    except (TypeError, ValueError):
        return False


# FAB's own msgid (translated in the catalogue), for a row that breaks a unique constraint.
DUPLICATE = "Integrity error, probably unique constraint"


class DatabaseRefusals:
    """A refusal raised anywhere in a resource answers through app.refusals; a request that
    holds a value the database cannot store (app.web.OUT_OF_RANGE) answers 422, one that
    duplicates a unique row 409, both with the reason, not FAB's 500: FAB's @safe calls
    ``response_500`` while the error is being handled, so the error is still at hand there."""

    def response_500(self, message: Any = None) -> Response:
        error = sys.exc_info()[1]
        refusal = refusals.as_refusal(error) if error is not None else None
        if refusal is not None:
            return refusals.api_response(refusal)
        if isinstance(error, (OverflowError, DataError, IntegrityError)):
            db.session.rollback()
            if isinstance(error, IntegrityError):
                return self.response(409, message=gettext(DUPLICATE))  # type: ignore[attr-defined]
            return self.response(422, message=gettext(OUT_OF_RANGE))  # type: ignore[attr-defined]
        return super().response_500(message=message)  # type: ignore[misc]


class SikapModelApi(DatabaseRefusals, ModelRestApi):
    """A FAB ModelRestApi whose reads pass through the row-level scope and whose writes
    answer domain-rule violations with their status and an Indonesian message; an id in the
    URL that cannot name a row answers 404."""

    allow_browser_login = True
    model2schemaconverter = ForeignKeySchemaConverter
    page_size = 25
    max_page_size = 100
    # What the resource holds (a msgid), for the titles FAB puts in its answers, which it
    # would word "List Penilaian" and "Show Penilaian" in English whatever the reader's
    # language.
    noun: str

    def _init_titles(self) -> None:
        def titled(msgid: str) -> LazyString:
            return LazyString(lambda: gettext(msgid, noun=gettext(self.noun)))

        self.list_title = titled(N_("%(noun)s list"))
        self.show_title = titled(N_("%(noun)s details"))
        self.add_title = titled(N_("Add %(noun)s"))
        self.edit_title = titled(N_("Edit %(noun)s"))
        self.title = self.list_title

    def _get_field_info(
        self,
        field: Any,
        filter_rel_field: dict[str, Any],
        page: int | None = None,
        page_size: int | None = None,
    ) -> dict[str, Any]:
        info = super()._get_field_info(field, filter_rel_field, page=page, page_size=page_size)
        # FAB translates a missing description as gettext(""), which is the catalogue header.
        if not self.description_columns.get(field.name):
            info["description"] = ""
        return info

    def response_400(self, message: Any = None) -> Response:
        return super().response_400(message=fab_400_message(message))

    # Every write of a FAB-served row is the model's use case in app.services.master (the
    # pages' too); FAB's datamodel then only commits, once.
    def pre_add(self, item: Any) -> None:
        master.write(db.session, "add", item)

    def pre_update(self, item: Any) -> None:
        master.write(db.session, "update", item)

    def pre_delete(self, item: Any) -> None:
        master.write(db.session, "delete", item)

    def response_422(self, message: Any = None) -> Response:
        return super().response_422(message=translated_messages(message))

    def post_headless(self) -> Response:
        try:
            return super().post_headless()
        except DomainError as error:
            return refusals.api_response(error)

    def get_headless(self, pk: Any, **kwargs: Any) -> Response:
        if not is_row_id(pk):
            return self.response_404()
        return super().get_headless(pk, **kwargs)

    def put_headless(self, pk: Any) -> Response:
        if not is_row_id(pk):
            return self.response_404()
        try:
            return super().put_headless(pk)
        except DomainError as error:
            return refusals.api_response(error)

    def delete_headless(self, pk: Any) -> Response:
        if not is_row_id(pk):
            return self.response_404()
        try:
            return super().delete_headless(pk)
        except DomainError as error:
            return refusals.api_response(error)


class BodyRefused(Exception):
    """A body that does not fit the resource's schema: marshmallow's messages by field."""

    def __init__(self, messages: dict[str, Any]) -> None:
        super().__init__(messages)
        self.messages = messages


class ServiceWrites(SikapModelApi):
    """A resource whose writes are use cases of app.services, the same functions its pages
    call; reads stay FAB's, through the scoped datamodel. A refusal answers through
    app.refusals; a body naming a field the resource does not take answers 422 by field."""

    def _json(self) -> dict[str, Any]:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise DomainError(N_("Send a JSON object."))
        return body

    def _validated(self, schema: Any) -> dict[str, Any]:
        """The JSON body, once it names no field the schema does not take. Its values are
        the use case's to judge, so that the page and the API refuse them in the same
        words, on the same field."""
        body = self._json()
        unknown = sorted(set(body) - set(schema.load_fields))
        if unknown:
            raise BodyRefused({name: ["Unknown field."] for name in unknown})
        return body

    def _action_body(self) -> dict[str, Any]:
        """The fields of a workflow action: a JSON object (or none), or multipart/form-data
        when a signed document goes with it (``dokumen``)."""
        if request.mimetype == "multipart/form-data":
            body: dict[str, Any] = request.form.to_dict()
            if body.get("version_id", "").isdigit():
                body["version_id"] = int(body["version_id"])
            return body
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}

    def _dokumen(self) -> atas_nama.Dokumen | None:
        """The signed document sent with an act on a non-ASN official's behalf, if any."""
        upload = request.files.get("dokumen") if request.mimetype == "multipart/form-data" else None
        return atas_nama.Dokumen(upload.stream, upload.filename) if upload else None

    # The use cases of a resource: create() from the body, update(pk) and remove(pk) of a
    # row; a resource offers those its include_route_methods name.
    create: Callable[[], Any]
    update: Callable[[int], Any]
    remove: Callable[[int], None]

    def post_headless(self) -> Response:
        return self._write(self.create, 201)

    def put_headless(self, pk: Any) -> Response:
        if not is_row_id(pk):
            return self.response_404()
        return self._write(lambda: self.update(int(pk)), 200)

    def delete_headless(self, pk: Any) -> Response:
        if not is_row_id(pk):
            return self.response_404()
        return self._write(lambda: self.remove(int(pk)), 200)

    def _write(
        self,
        change: Callable[[], Any],
        status: int,
        answer: Callable[[Any], dict[str, Any]] | None = None,
    ) -> Response:
        """Run a use case and commit once; answer the row (``answer``: the fields to answer
        with instead, e.g. a workflow action's new state)."""
        try:
            item = change()
            db.session.commit()
        except BodyRefused as refused:
            db.session.rollback()
            return self.response_422(message=refused.messages)
        except (DomainError, StaleDataError) as error:
            return refusals.api_response(refusals.as_refusal(error))
        if item is None:
            return self.response(status, message="OK")
        if answer is not None:
            return self.response(status, **answer(item))
        return self.response(status, id=item.id, result=self.show_model_schema.dump(item))
