"""The audit hook: every flush that changes audited rows gives AuditLog rows, written in the
same transaction at its commit (app.writers_turn; a read of the trail within the transaction
writes them first). Views and services never write audit rows themselves (ARCHITECTURE.md
rule 5).

Each row's ``hash`` chains it to the row before: HMAC-SHA256 under the setting ``AUDIT_KEY``,
a key kept outside the database, so that whoever can edit the table cannot recompute the
chain after an edit. Such rows are stored as ``h1:`` and the base64url MAC. Rows written
before the key existed carry a plain SHA-256 (64 hex digits); anyone can recompute those, so
they verify only while a keyed row vouches for them (:func:`vouch_for_legacy`, written once by
the upgrade that brought the check); a plain row after a keyed one is a break
(app/audit_trail.py verifies, with checkpoints).
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import datetime as dt
import decimal
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

from flask import current_app, g, has_request_context, request
from sqlalchemy import event, func, insert, inspect, select
from sqlalchemy.orm import Session

from app import deletions, writers_turn
from app.models.audit import AuditLog

# Columns that never reach the audit trail: secrets, and login bookkeeping that is noise.
SECRET_COLUMNS = {"password"}
NOISE_COLUMNS = {"last_login", "login_count", "fail_login_count", "changed_on", "version_id"}
# FAB's own tables are permissions bookkeeping; user accounts are the one that matters.
AUDITED_FAB_TABLES = {"ab_user", "ab_user_role"}

_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_actor", default=None)


@contextlib.contextmanager
def attributed_to(actor: str) -> Iterator[None]:
    """Attribute writes made outside a web request (CLI, import) to a named command."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def _is_audited(table_name: str) -> bool:
    if table_name == AuditLog.__tablename__:
        return False
    return not table_name.startswith("ab_") or table_name in AUDITED_FAB_TABLES


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _column_changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in NOISE_COLUMNS:
            continue
        history = state.attrs[key].history
        if action == "insert":
            new = history.added[0] if history.added else getattr(obj, key, None)
            if new is not None:
                changes[key] = [None, new]
        elif action == "delete":
            old = (history.deleted or history.unchanged or [None])[0]
            if old is not None:
                changes[key] = [old, None]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[key] = [old, new]
    return {
        key: (["***", "***"] if key in SECRET_COLUMNS else [_plain(v) for v in pair])
        for key, pair in changes.items()
    }


def _who() -> tuple[int | None, str, str | None]:
    actor = _actor.get()
    if actor:
        return None, actor, None
    if has_request_context():
        user = getattr(g, "user", None)
        ip = request.remote_addr  # X-Forwarded-For only behind TRUSTED_PROXIES (ProxyFix)
        if user is not None and getattr(user, "is_authenticated", False):
            return user.id, user.username, ip
        return None, "anonymous", ip
    return None, "system", None


# The mark of a row chained with HMAC-SHA256 under AUDIT_KEY (a plain SHA-256 has none).
KEYED = "h1:"


def audit_key() -> bytes:
    """The key of the chain (setting AUDIT_KEY; create_app refuses to start without one)."""
    key = current_app.config.get("AUDIT_KEY")
    if not key:
        raise RuntimeError("AUDIT_KEY must be set (see README: Settings).")
    return str(key).encode()


def is_keyed(stored_hash: str) -> bool:
    return stored_hash.startswith(KEYED)


def row_hash(previous: str, row: dict[str, Any], key: bytes | None = None) -> str:
    """The chained hash of one audit row (content fields in a fixed order): keyed with
    ``key``, or the plain SHA-256 of the rows written before AUDIT_KEY (``key`` None)."""
    content = json.dumps(
        [
            previous,
            row["created_at"].isoformat(),
            row["user_id"],
            row["username"],
            row["ip"],
            row["table_name"],
            row["row_id"],
            row["action"],
            row["changes"],
        ],
        sort_keys=True,
        default=str,
    ).encode()
    if key is None:
        return hashlib.sha256(content).hexdigest()
    mac = hmac.new(key, content, hashlib.sha256).digest()
    return KEYED + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _primary_key(obj: Any) -> str:
    identity = inspect(obj).identity or inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in identity)


def _collect(session: Session) -> list[dict[str, Any]]:
    user_id, username, ip = _who()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = []
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", deletions.deleted(session)),
    ):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or not _is_audited(table):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _column_changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "created_at": now,
                    "user_id": user_id,
                    "username": username,
                    "ip": ip,
                    "table_name": table,
                    "row_id": _primary_key(obj),
                    "action": action,
                    "changes": changes,
                }
            )
    return rows


# Asked at every commit that writes the trail: built once.
_LAST_HASH = select(AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)
# The rows of the transaction's flushes, chained and written at its commit.
_KEPT = "audit_rows_kept"


def _after_flush(session: Session, _flush_context: Any) -> None:
    """Each flush's changes are read while its history is there; they join the chain at
    the commit (one chain for the whole database: app.writers_turn), or at once when the
    transaction already holds the writers' turn."""
    rows = _collect(session)
    if not rows:
        return
    if writers_turn.held(session):
        _append(session, rows)
    else:
        session.info.setdefault(_KEPT, []).extend(rows)


def _before_commit(session: Session) -> None:
    session.flush()  # the last changes, before their rows are written
    if _KEPT in session.info:
        _append(session, [])


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_KEPT, None)


_TRAIL = frozenset({AuditLog.__table__})


def _before_reading(state: Any) -> None:
    """do_orm_execute: a transaction that reads the trail reads its own rows in it too."""
    if _KEPT in state.session.info and writers_turn.reads_any(state.statement, _TRAIL):
        _append(state.session, [])


def _append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Chain ``rows`` after the rows kept from the transaction's flushes, and write them."""
    rows = [*session.info.pop(_KEPT, ()), *rows]
    key = audit_key()
    writers_turn.take(session)
    connection = session.connection()
    previous = connection.execute(_LAST_HASH).scalar() or ""
    for row in rows:
        row["hash"] = previous = row_hash(previous, row, key)
    connection.execute(insert(AuditLog.__table__), rows)


def record_event(
    session: Session,
    table_name: str,
    changes: dict[str, list[Any]],
    row_id: str = "*",
    action: str = "insert",
) -> None:
    """One row for something done outside the ORM's view: a bulk load (demo data, imports),
    a backup, a restore. ``table_name`` names what it was; the caller commits."""
    user_id, username, ip = _who()
    row = {
        "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "user_id": user_id,
        "username": username,
        "ip": ip,
        "table_name": table_name,
        "row_id": row_id[:64],
        "action": action,
        "changes": {field: [_plain(old), _plain(new)] for field, (old, new) in changes.items()},
    }
    _append(session, [row])


def record_bulk(session: Session, table_name: str, count: int, action: str = "insert") -> None:
    """One summary row for a bulk load that bypassed the ORM (demo data, imports)."""
    rows = [None, count] if action == "insert" else [count, None]
    record_event(session, table_name, {"rows": rows}, action=action)


# The note that vouches, under AUDIT_KEY, for the rows written before the key: how many and
# the hash of the last (the hook never audits audit_log itself, so only this note names it).
LEGACY_VOUCH_TABLE = "audit_log"
LEGACY_ROWS = "legacy_rows"
LEGACY_HEAD = "legacy_head"


def vouch_for_legacy(session: Session) -> int:
    """Append a keyed note of how many rows carry the plain SHA-256 of before AUDIT_KEY and
    the hash of the last of them; return that count (0: nothing to vouch for, no note).

    Called once, by the migration that brought the check (an install upgraded from before
    AUDIT_KEY trusts its trail as it stands then), never by the running application: a note
    written whenever plain rows turn up would vouch for a trail recomputed without the key."""
    unkeyed = ~AuditLog.hash.startswith(KEYED)
    count = session.execute(select(func.count()).where(unkeyed)).scalar_one()
    if not count:
        return 0
    head = session.execute(
        select(AuditLog.hash).where(unkeyed).order_by(AuditLog.id.desc()).limit(1)
    ).scalar_one()
    record_event(
        session, LEGACY_VOUCH_TABLE, {LEGACY_ROWS: [None, count], LEGACY_HEAD: [None, head]}
    )
    return count


def install(session_class: Any) -> None:
    """Register the hooks on a Session class (or sessionmaker) once."""
    writers_turn.install(session_class)
    for name, listener in (
        ("after_flush", _after_flush),
        ("before_commit", _before_commit),
        ("after_transaction_end", _forget),
        ("do_orm_execute", _before_reading),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


def verify_chain(session: Session) -> int | None:
    """The id of the first audit row whose hash does not follow from its predecessor (the
    chain alone; ``flask verify-audit`` also holds it against the checkpoints)."""
    from app import audit_trail

    found = audit_trail.verify(session, audit_key(), checkpoints=[])
    return found.broken.row_id if found.broken else None
