"""Signing out over REST: what ``/logout/`` does for a browser, for a client of the API —
every session and token of the caller's account ends (app/security/sesi.py)."""

from __future__ import annotations

from flask import Response, current_app, g
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_babel import gettext

from app.domain.enums import N_

SIGNED_OUT = N_("Signed out: every session and token of this account has ended.")


class SesiApi(BaseApi):
    resource_name = "sesi"
    openapi_spec_tag = "Sesi"

    @expose("/keluar", methods=["POST"])
    @protect()
    @safe
    def keluar(self) -> Response:
        """Sign out everywhere.
        ---
        post:
          description: >-
            Ends every browser session, access token and refresh token of the signed-in
            account, this one included.
          responses:
            200:
              description: Signed out
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      message:
                        type: string
            401:
              $ref: '#/components/responses/401'
        """
        current_app.appbuilder.sm.on_user_logout(g.user)  # type: ignore[attr-defined]
        return self.response(200, message=gettext(SIGNED_OUT))
