"""The audit trail, read-only for admin BKPSDM: no edit or delete path exists."""

from __future__ import annotations

import json

from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

from app.formatting import waktu
from app.models.audit import AuditLog
from app.security.datamodel import ScopedInterface
from app.views.base import CheckedActions

ACTIONS = {"insert": _("Added"), "update": _("Changed"), "delete": _("Deleted")}
# Writes with no signed-in user are attributed to these pseudo-users (app.audit._who).
PSEUDO_USERS = {"system": _("system"), "anonymous": _("anonymous")}


def _json(value: object) -> Markup:
    return Markup(f"<code>{escape(json.dumps(value, ensure_ascii=False))}</code>")


def render_changes(changes: dict) -> Markup:
    rows = "".join(
        f"<li><code>{escape(field)}</code>: {_json(old)} → {_json(new)}</li>"
        for field, (old, new) in sorted((changes or {}).items())
    )
    return Markup(f"<ul class='list-unstyled'>{rows}</ul>")


class AuditLogView(CheckedActions, ModelView):
    datamodel = ScopedInterface(AuditLog)
    base_permissions = ["can_list", "can_show"]
    list_title = _("Audit Trail")
    show_title = _("Audit Entry")
    list_columns = ["created_at", "username", "ip", "table_name", "row_id", "action", "changes"]
    show_columns = list_columns + ["hash"]
    search_columns = ["username", "table_name", "row_id", "action", "created_at"]
    order_columns = ["created_at", "username", "table_name", "action"]
    base_order = ("id", "desc")
    page_size = 50
    label_columns = {
        "created_at": _("Time (WIB)"),
        "username": _("User"),
        "ip": _("IP address"),
        "table_name": _("Table"),
        "row_id": _("Row ID"),
        "action": _("Action"),
        "changes": _("Changes"),
        "hash": _("Hash"),
    }
    formatters_columns = {
        "created_at": waktu,
        "changes": render_changes,
        "action": lambda action: ACTIONS.get(action, action),
        "ip": lambda ip: ip or "—",
        "username": lambda name: PSEUDO_USERS.get(name, name),
    }
