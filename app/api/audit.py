"""The audit trail over REST: admin BKPSDM only, read-only (PUT/DELETE answer 405)."""

from __future__ import annotations

from app.api.base import SikapModelApi
from app.domain.enums import N_
from app.models.audit import AuditLog
from app.security.datamodel import ScopedInterface


class AuditLogApi(SikapModelApi):
    noun = N_("Audit Entry")
    resource_name = "audit_log"
    datamodel = ScopedInterface(AuditLog)
    include_route_methods = {"get", "get_list", "info"}
    list_columns = show_columns = [
        "id",
        "created_at",
        "user_id",
        "username",
        "ip",
        "table_name",
        "row_id",
        "action",
        "changes",
        "hash",
    ]
    search_columns = ["username", "table_name", "row_id", "action", "created_at"]
    order_columns = ["id", "created_at", "username", "table_name"]
    base_order = ("id", "desc")
