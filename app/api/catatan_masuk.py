"""The login records over REST: admin BKPSDM only, read-only (app/security/login.py)."""

from __future__ import annotations

from app.api.base import SikapModelApi
from app.domain.enums import N_
from app.models.sesi import CatatanMasuk
from app.security.datamodel import ScopedInterface


class CatatanMasukApi(SikapModelApi):
    noun = N_("Login Record")
    resource_name = "catatan_masuk"
    datamodel = ScopedInterface(CatatanMasuk)
    include_route_methods = {"get", "get_list", "info"}
    list_columns = show_columns = [
        "id",
        "waktu",
        "username",
        "user_id",
        "peristiwa",
        "kanal",
        "ip",
        "oleh",
    ]
    search_columns = ["username", "user_id", "peristiwa", "kanal", "ip", "waktu"]
    order_columns = ["id", "waktu", "username", "peristiwa"]
    base_order = ("id", "desc")
