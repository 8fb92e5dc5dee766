"""The audit trail as BKPSDM staff read it: tables and fields by their labels, stored codes by
their wording (states, actions, predikat …), times in WIB, empty as "—", yes/no as words, and a
notice by its text in the reader's language — with the raw JSON kept behind a toggle."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from flask import current_app
from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from app.domain import enums, scoring, workflow
from app.domain.enums import N_
from app.domain.periode import RITME
from app.formatting import tanggal, waktu
from app.services import tahun

TABLES = {
    "unit_kerja": N_("Work unit"),
    "jabatan": N_("Position"),
    "pangkat": N_("Rank"),
    "periode": N_("Period"),
    "pegawai": N_("Employee"),
    "ab_user": N_("User account"),
    "ab_user_role": N_("Account role"),
    "skp": N_("SKP"),
    "rencana_hasil_kerja": N_("Work result plan"),
    "indikator_kinerja": N_("Performance indicator"),
    "perilaku_kerja": N_("Work behaviour expectation"),
    "skp_riwayat": N_("SKP history"),
    "realisasi": N_("Realisation"),
    "bukti_dukung": N_("Supporting evidence"),
    "umpan_balik": N_("Feedback"),
    "notifikasi": N_("Notification"),
    "penilaian": N_("Evaluation"),
    "penilaian_perilaku": N_("Work behaviour rating"),
    "penilaian_riwayat": N_("Evaluation history"),
    "predikat_organisasi": N_("Organisation rating"),
    "kurva_justifikasi": N_("Distribution justification"),
    "rencana_pengembangan": N_("Development plan"),
    "pelatihan": N_("Training record"),
    "penugasan": N_("Acting official (Plt/Plh)"),
    "riwayat_jabatan": N_("Position history"),
    "dokumen_terbit": N_("Issued document"),
    "tutup_tahun": N_("Year closing"),
    "pengingat_tenggat": N_("Deadline reminder"),
    "backup": N_("Backup made"),
    "restore": N_("Restored from a backup"),
    # Notes of the trail about itself and the demo loader (app.audit, app.demo).
    "audit_log": N_("Audit trail note"),
    "demo_data": N_("Demo data"),
}

# What an entry did to its row, as the trail stores it (app.audit).
ACTIONS = {"insert": N_("Added"), "update": N_("Changed"), "delete": N_("Deleted")}

# Fields no page labels (history rows, FAB's accounts, bookkeeping); the rest take the label
# their page gives them (label_columns of the registered views).
_FIELDS = {
    "aksi": N_("Action"),
    "dari": N_("State before"),
    "ke": N_("State after"),
    "catatan": N_("Note"),
    "waktu": N_("Time"),
    "oleh_id": N_("By"),
    "status": N_("Status"),
    "first_name": N_("First Name"),
    "last_name": N_("Last Name"),
    "username": N_("User Name"),
    "email": N_("Email"),
    "active": N_("Is Active?"),
    "role_id": N_("Role"),
    "user_id": N_("User"),
    "created_by_fk": N_("Created by"),
    "changed_by_fk": N_("Changed by"),
    "created_on": N_("Created on"),
    "changed_on": N_("Changed on"),
    "last_login": N_("Last login"),
    "login_count": N_("Login count"),
    "fail_login_count": N_("Failed login count"),
    "parent_id": N_("Parent unit"),
    "path": N_("Place in the unit tree"),
    "pesan": N_("Message"),
    "parameter": N_("Parameters"),
    "tautan": N_("Link"),
    "dibuat_pada": N_("Created on"),
    "dibaca_pada": N_("Read on"),
    "rows": N_("Rows"),
    "arsip": N_("Archive"),
    "basis_data": N_("Database"),
    "revisi": N_("Schema revision"),
    "jumlah_berkas": N_("Uploaded files"),
    "legacy_rows": N_("Rows from before the audit key"),
    "legacy_head": N_("Hash of the last of them"),
    "accounts": N_("Accounts"),
}

# Stored codes and their wording, by field name; a table may word a field its own way.
_CODES: dict[str, dict[str, str]] = {
    "predikat": scoring.PREDIKAT,
    "rating_hasil_kerja": scoring.RATINGS,
    "rating_perilaku_kerja": scoring.RATINGS,
    "jenis_asn": enums.JENIS_ASN,
    "jenis_kelamin": enums.JENIS_KELAMIN,
    "jenis_jabatan": enums.JENIS_JABATAN,
    "jenjang": enums.JENJANG,
    "pendekatan": enums.PENDEKATAN,
    "model": enums.MODEL_SKP,
    "aspek": enums.ASPEK,
    "perspektif": enums.PERSPEKTIF,
    "ritme": RITME,
}
_TABLE_CODES: dict[tuple[str, str], dict[str, str]] = {
    ("skp", "status"): workflow.SKP_STATES,
    ("skp_riwayat", "dari"): workflow.SKP_STATES,
    ("skp_riwayat", "ke"): workflow.SKP_STATES,
    ("skp_riwayat", "aksi"): workflow.SKP_ACTIONS,
    ("penilaian", "status"): workflow.PENILAIAN_STATES,
    ("penilaian_riwayat", "dari"): workflow.PENILAIAN_STATES,
    ("penilaian_riwayat", "ke"): workflow.PENILAIAN_STATES,
    ("penilaian_riwayat", "aksi"): workflow.PENILAIAN_ACTIONS,
    ("periode", "jenis"): enums.JENIS_PERIODE,
    ("rencana_hasil_kerja", "jenis"): enums.JENIS_RHK,
    ("unit_kerja", "jenis"): enums.JENIS_UNIT,
    ("jabatan", "jenis"): enums.JENIS_JABATAN,
    ("penugasan", "jenis"): enums.JENIS_PENUGASAN,
    ("predikat_organisasi", "predikat"): scoring.PREDIKAT_ORGANISASI,
    ("tutup_tahun", "aksi"): tahun.AKSI,
}

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Fields shown in the row; the rest wait behind the toggle with the raw JSON.
SHOWN = 4


def table_label(table: str) -> str:
    return gettext(TABLES[table]) if table in TABLES else table


def action_label(action: str) -> str:
    return gettext(ACTIONS[action]) if action in ACTIONS else action


def _page_labels() -> dict[tuple[str, str], str]:
    """(table, field) → the label its page shows, from the registered views (once)."""
    found = current_app.extensions.get("sikap_audit_labels")
    if found is None:
        found = {}
        for view in current_app.appbuilder.baseviews:
            datamodel = getattr(view, "datamodel", None)
            table = getattr(getattr(datamodel, "obj", None), "__tablename__", None)
            if table is None:
                continue
            for field, label in (getattr(view, "label_columns", None) or {}).items():
                # Only a label someone wrote (lazy_gettext): FAB fills the others with the
                # column's name prettified in English ("Parent", "Path"), which must not win
                # over our own wording of the field.
                if isinstance(label, LazyString):
                    found.setdefault((table, field), label)
        current_app.extensions["sikap_audit_labels"] = found
    return found


def field_label(table: str, field: str) -> str:
    label = _page_labels().get((table, field))
    if label is not None:
        return str(label)
    if field in _FIELDS:
        return gettext(_FIELDS[field])
    return field.replace("_", " ").capitalize()


def value_text(table: str, field: str, value: Any) -> str:
    """One stored value as the reader reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, str):
        codes = _TABLE_CODES.get((table, field)) or _CODES.get(field)
        if codes and value in codes:
            return gettext(codes[value])
        if _DATETIME.match(value):
            return waktu(dt.datetime.fromisoformat(value))
        if _DATE.match(value):
            return tanggal(dt.date.fromisoformat(value))
        return value
    if isinstance(value, (dict, list)):
        return gettext("(see the raw data)")  # nested records: the toggle shows them whole
    return str(value)


def _notice(changes: dict) -> str | None:
    """A notice by its text (stored as a msgid and its parameters)."""
    pesan = (changes.get("pesan") or [None, None])[1]
    if not pesan:
        return None
    params = (changes.get("parameter") or [None, None])[1] or {}
    try:
        return gettext(
            pesan, **{k: gettext(v) if isinstance(v, str) else v for k, v in params.items()}
        )
    except (KeyError, TypeError, ValueError):
        return pesan


def render_changes(entry: tuple[str, dict]) -> Markup:
    """A change in one compact cell: "Label: lama → baru" for the first fields, the rest and
    the raw JSON behind a toggle."""
    table, changes = entry
    changes = changes or {}
    items: list[str] = []
    notice = _notice(changes) if table == "notifikasi" else None
    if notice is not None:
        items.append(f"{escape(gettext('Message'))}: {escape(notice)}")
    for field, pair in sorted(changes.items()):
        if notice is not None and field in ("pesan", "parameter"):
            continue
        old, new = pair if isinstance(pair, (list, tuple)) and len(pair) == 2 else (None, pair)
        label = escape(field_label(table, field))
        old_text, new_text = value_text(table, field, old), value_text(table, field, new)
        if old is None:
            items.append(f"{label}: {escape(new_text)}")
        else:
            items.append(f"{label}: {escape(old_text)} → {escape(new_text)}")
    shown, rest = items[:SHOWN], items[SHOWN:]
    more = ""
    if rest:
        more = "".join(f"<li>{item}</li>" for item in rest)
        more = f"<ul class='list-unstyled'>{more}</ul>"
    raw = escape(json.dumps(changes, ensure_ascii=False, sort_keys=True))
    toggle = escape(
        gettext("%(count)d more, raw data", count=len(rest)) if rest else gettext("Raw data")
    )
    return Markup(
        f"<div class='audit-changes'>{'; '.join(shown) or '—'}<details>"
        f"<summary>{toggle}</summary>{more}<code class='small'>{raw}</code></details></div>"
    )


def actor_text(actor: tuple[str, str | None]) -> Markup:
    """Who did it: the pegawai's name with their NIP, a named system job, or the account."""
    username, nama = actor
    if nama:
        return Markup(f"{escape(nama)}<br><small class='text-muted'>{escape(username)}</small>")
    if username.startswith("jobs:"):
        job = username.split(":", 1)[1].replace("_", " ")
        return Markup(
            f"{escape(gettext('System'))} <small class='text-muted'>({escape(job)})</small>"
        )
    labels = {"system": N_("system"), "anonymous": N_("anonymous")}
    return Markup(escape(gettext(labels[username]) if username in labels else username))
