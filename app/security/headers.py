"""Security headers on every response: no MIME sniffing, no framing, no referrer to other
sites, and a Content-Security-Policy that lets a page load only the app's own assets.

The policy, and why it is shaped so:
- Scripts: ``'self'`` plus a nonce made fresh for each request. FAB 5's templates and ours
  mark every inline ``<script>`` with ``baselib.get_nonce()``, which calls the
  ``csp_nonce()`` template global defined here; no template uses inline event handlers
  (``onclick=``) or ``javascript:`` links, and jQuery, select2, the date picker and
  Swagger UI run without ``eval``. So no ``'unsafe-inline'``/``'unsafe-eval'`` for scripts.
- Styles: ``'self' 'unsafe-inline'``. FAB's and our templates put ``style=""`` attributes
  on many elements (widths of progress bars, colours of legend swatches drawn from data),
  and select2 and the date picker write inline styles from script; attributes cannot carry
  a nonce, and hashing every computed style is not workable. Injected CSS cannot run code.
- Images and fonts: ``'self'`` and ``data:`` (Font Awesome and the select2/datepicker
  sprites come from the app's static folder; some widgets inline small icons as data URIs).
- Nothing from another origin: the intranet is offline. FAB's "user statistics" chart page
  loads Google Charts from gstatic.com and stays empty; no SIKAP page depends on it.

Every answer but the static assets is ``Cache-Control: no-store``: pages, API answers, reports
and downloads carry personal records, and a browser or proxy must not keep a copy for the
next user of a shared computer ("no-cache" would still store it). The login page is no
exception: it holds a CSRF token. Static files (CSS, scripts, icons) are the same for
everybody and keep their cache lifetimes.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

POLICY = (
    "default-src 'self'",
    "script-src 'self'{nonce}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


NO_STORE = "no-store"
# Endpoints that serve the same files to everybody: the app's and FAB's static folders, the icon.
STATIC_ENDPOINTS = {"static", "appbuilder.static", "favicon"}


def csp_nonce() -> str:
    """This request's script nonce (made on first use, the same for the whole page)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy() -> str:
    nonce = g.get("csp_nonce")
    return "; ".join(POLICY).format(nonce=f" 'nonce-{nonce}'" if nonce else "")


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    if request.endpoint not in STATIC_ENDPOINTS and NO_STORE not in response.headers.get(
        "Cache-Control", ""
    ):
        response.headers["Cache-Control"] = NO_STORE
    return response


def register(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_security_headers)
