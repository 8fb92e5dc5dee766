"""The record of sign-ins, failures, lock-outs, sign-outs and password changes
(app/security/login.py), read-only for admin BKPSDM."""

from __future__ import annotations

from flask_appbuilder import ModelView
from flask_babel import gettext
from flask_babel import lazy_gettext as _

from app.formatting import waktu
from app.models.sesi import API, HALAMAN, PERISTIWA, CatatanMasuk
from app.security.datamodel import ScopedInterface
from app.views.base import CheckedActions

KANAL = {HALAMAN: _("Login page"), API: _("REST API")}


class CatatanMasukView(CheckedActions, ModelView):
    datamodel = ScopedInterface(CatatanMasuk)
    base_permissions = ["can_list", "can_show"]
    list_title = _("Login Records")
    show_title = _("Login Record")
    list_columns = ["waktu", "username", "peristiwa", "kanal", "ip", "oleh"]
    show_columns = list_columns + ["user_id"]
    search_columns = ["username", "peristiwa", "kanal", "ip", "waktu"]
    order_columns = ["waktu", "username", "peristiwa"]
    base_order = ("id", "desc")
    page_size = 50
    label_columns = {
        "waktu": _("Time (WIB)"),
        "username": _("User"),
        "user_id": _("Account ID"),
        "peristiwa": _("Event"),
        "kanal": _("Through"),
        "ip": _("IP address"),
        "oleh": _("By"),
    }
    formatters_columns = {
        "waktu": waktu,
        "peristiwa": lambda peristiwa: gettext(PERISTIWA.get(peristiwa, peristiwa)),
        "kanal": lambda kanal: KANAL.get(kanal, kanal),
        "ip": lambda ip: ip or "—",
        "oleh": lambda oleh: oleh or "—",
    }
