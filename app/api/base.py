"""What every SIKAP REST resource shares: the scoped datamodel and Indonesian errors."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.api.convert import Model2SchemaConverter

from app.domain.errors import DomainError
from app.extensions import db
from app.web import translated


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


class SikapModelApi(ModelRestApi):
    """A FAB ModelRestApi whose reads pass through the row-level scope and whose writes
    answer domain-rule violations with their status and an Indonesian message."""

    allow_browser_login = True
    model2schemaconverter = ForeignKeySchemaConverter
    page_size = 25
    max_page_size = 100

    def _domain_response(self, error: DomainError) -> Response:
        db.session.rollback()
        return self.response(error.status, message=translated(error), field=error.field)

    def post_headless(self) -> Response:
        try:
            return super().post_headless()
        except DomainError as error:
            return self._domain_response(error)

    def put_headless(self, pk: Any) -> Response:
        try:
            return super().put_headless(pk)
        except DomainError as error:
            return self._domain_response(error)

    def delete_headless(self, pk: Any) -> Response:
        try:
            return super().delete_headless(pk)
        except DomainError as error:
            return self._domain_response(error)
