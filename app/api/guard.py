"""What a REST request must be before any resource reads it (CONTRACT.md): a body of at most
``MAX_JSON_MB`` (an upload: at most the upload limit) that parses when it says it is JSON,
and a Rison ``q`` that parses.

FAB's ``@safe`` turns anything raised while a resource reads its request into a bare 500
("Fatal error"): an oversized body would raise RequestEntityTooLarge inside it. So the body
is read here, once and bounded, before the resource runs (Werkzeug keeps it for
``request.json``), and a refusal answers ``{"message": …}`` in the user's language.
"""

from __future__ import annotations

import json
import urllib.parse

import prison
from flask import Flask, Response, current_app, jsonify, request
from flask_babel import gettext
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, TooManyRequests

from app import uploads
from app.domain.enums import N_
from app.i18n import translated

API_PREFIX = "/api/"
MB = 1024 * 1024

BODY_TOO_LARGE = N_("The request body is larger than the limit of %(mb)d MB.")
NOT_JSON = N_("The request body is not valid JSON.")
NOT_AN_OBJECT = N_("The request body must be a JSON object.")
BAD_RISON = N_("The q parameter is not valid Rison or JSON.")
TOO_MANY = N_("Too many attempts. Wait a minute, then try again.")


def refusal(status: int, message: str, **extra: object) -> Response:
    response = jsonify(message=message, **extra)
    response.status_code = status
    return response


def json_limit() -> int:
    """The largest non-upload body the API reads (setting MAX_JSON_MB, 1 by default)."""
    return int(current_app.config.get("MAX_JSON_MB", 1)) * MB


def _rison_parses(value: str) -> bool:
    """The same reading as FAB's ``@rison``: Rison, else (if allowed) JSON."""
    try:
        prison.loads(value)
        return True
    # prison raises more than its ParserException on bad input ("1-2": ValueError, "(a:":
    # TypeError, "!": IndexError); each is a q that does not parse.
    except (prison.decoder.ParserException, ValueError, TypeError, IndexError, KeyError):
        if not current_app.config.get("FAB_API_ALLOW_JSON_QS", True):
            return False
    try:
        json.loads(urllib.parse.parse_qs(f"q={value}")["q"][0])
        return True
    except (ValueError, KeyError):
        return False


def check_api_request() -> Response | None:
    if not request.path.startswith(API_PREFIX):
        return None
    upload = request.mimetype == "multipart/form-data"
    limit = uploads.request_limit() if upload else json_limit()
    if (request.content_length or 0) > limit:
        return _too_large(upload, limit)
    if upload:
        # The upload resource reads its own body under this bound (a chunked body has no
        # Content-Length to check here).
        request.max_content_length = limit
    else:
        # A chunked body is cut at the bound, not refused: read one byte more than the
        # limit to tell "exactly the limit" from "more".
        request.max_content_length = limit + 1
        try:
            body = request.get_data(cache=True)
        except RequestEntityTooLarge:
            return _too_large(upload, limit)
        if len(body) > limit:
            return _too_large(upload, limit)
        # An empty body with a JSON content type is allowed: actions such as
        # POST /api/v1/skp/<id>/submit take no body, and some clients send the header anyway.
        if request.is_json and body.strip():
            try:
                parsed = request.get_json()
            except BadRequest:
                return refusal(400, gettext(NOT_JSON))
            # Every resource and action reads named fields: a list, a number or null is no
            # request at all (FAB's PUT would fail on it with a 500).
            if not isinstance(parsed, dict):
                return refusal(400, gettext(NOT_AN_OBJECT))
    query = request.args.get("q")
    if query and not _rison_parses(query):
        return refusal(400, gettext(BAD_RISON))
    return None


def _too_large(upload: bool, limit: int) -> Response:
    if upload:
        return refusal(413, translated(uploads.too_large()), field="berkas")
    return refusal(413, gettext(BODY_TOO_LARGE, mb=limit // MB))


def api_error(error: HTTPException) -> Response:
    """413 and 429 raised outside a resource (the login limit, a body read by a before_request
    hook) answer the API in JSON like the rest of it (pages: app.web)."""
    if isinstance(error, TooManyRequests):
        return refusal(429, gettext(TOO_MANY))
    upload = request.mimetype == "multipart/form-data"
    return _too_large(upload, uploads.request_limit() if upload else json_limit())


def register(app: Flask) -> None:
    app.before_request(check_api_request)
