"""The dialog kinerja over REST (CONTRACT.md: /api/v1/umpan_balik/). Messages are read
through the row-level scope and written by app.services.umpan_balik; they are never changed
or deleted, so PUT and DELETE answer 405."""

from __future__ import annotations

from flask import Response, request
from flask_appbuilder.api import expose, protect, safe
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from app.api.base import ServiceWrites
from app.domain.enums import N_
from app.extensions import db
from app.models.monitoring import UmpanBalik
from app.security import scope
from app.security.datamodel import ScopedInterface
from app.services import umpan_balik as umpan_balik_service


class UmpanBalikPostSchema(Schema):
    """What a client sends. The author is the token's user: a ``penulis_id`` in the body is
    ignored like any other unknown key. The length of ``pesan`` is checked by the service,
    which answers in Indonesian."""

    class Meta:
        unknown = EXCLUDE

    skp_id = fields.Integer(required=True)
    indikator_kinerja_id = fields.Integer(allow_none=True, load_default=None)
    perilaku_nilai = fields.Integer(allow_none=True, load_default=None)
    periode_id = fields.Integer(allow_none=True, load_default=None)
    pesan = fields.String(required=True)


class UmpanBalikApi(ServiceWrites):
    noun = N_("Feedback")
    resource_name = "umpan_balik"
    datamodel = ScopedInterface(UmpanBalik)
    include_route_methods = {"get", "get_list", "info", "post"}
    list_columns = show_columns = [
        "id",
        "skp_id",
        "indikator_kinerja_id",
        "perilaku_nilai",
        "periode_id",
        "penulis_id",
        "pesan",
        "dibuat_pada",
    ]
    add_columns = ["skp_id", "indikator_kinerja_id", "perilaku_nilai", "periode_id", "pesan"]
    add_model_schema = UmpanBalikPostSchema()
    search_columns = [
        "skp_id",
        "indikator_kinerja_id",
        "perilaku_nilai",
        "periode_id",
        "penulis_id",
    ]
    order_columns = ["id", "dibuat_pada"]
    base_order = ("id", "asc")

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self) -> Response:
        """Write a message on an SKP's dialog (its owner or pejabat penilai)
        ---
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/{{self.__class__.__name__}}.post'
          responses:
            201:
              description: Message written
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        if not request.is_json:
            return self.response_400(message="Request is not JSON")
        try:
            data = self.add_model_schema.load(request.json)
        except ValidationError as error:
            return self.response_422(message=error.messages)
        return self._write(
            lambda: umpan_balik_service.post(
                db.session, data.pop("skp_id"), scope.viewer(), **data
            ),
            201,
        )
