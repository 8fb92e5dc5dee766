"""The audit trail, read-only for admin BKPSDM: no edit or delete path exists."""

from __future__ import annotations

from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _

from app.formatting import waktu
from app.models.audit import AuditLog
from app.views.audit_filters import AuditInterface, search_fields
from app.views.audit_labels import action_label, actor_text, render_changes, table_label
from app.views.base import CheckedActions


class AuditLogView(CheckedActions, ModelView):
    datamodel = AuditInterface(AuditLog)
    base_permissions = ["can_list", "can_show"]
    list_title = _("Audit Trail")
    show_title = _("Audit Entry")
    list_columns = ["created_at", "pelaku", "table_name", "row_id", "action", "isi"]
    show_columns = [*list_columns, "ip", "hash"]
    search_columns = ["username", "table_name", "row_id", "action", "created_at"]
    order_columns = ["created_at", "username", "table_name", "action"]
    base_order = ("id", "desc")
    page_size = 50
    label_columns = {
        "created_at": _("Time (WIB)"),
        "username": _("User"),
        "pelaku": _("User"),
        "isi": _("Changes"),
        "ip": _("IP address"),
        "table_name": _("Table"),
        "row_id": _("Row ID"),
        "action": _("Action"),
        "changes": _("Changes"),
        "hash": _("Hash"),
    }
    # Filters by a person's name or NIP, a table and an action by their words, a WIB date
    # (app.views.audit_filters), not FAB's text filters on the stored codes.
    search_form_extra_fields = search_fields(label_columns)
    formatters_columns = {
        "created_at": waktu,
        "isi": render_changes,
        "action": action_label,
        "ip": lambda ip: ip or "—",
        "pelaku": actor_text,
        "table_name": table_label,
    }
