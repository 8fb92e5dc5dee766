"""Checking the audit trail (`flask verify-audit`): the keyed hash chain of app/audit.py, held
against checkpoints kept outside the database.

The chain alone shows a row altered, inserted or removed in the middle by someone without
``AUDIT_KEY``. Rows with the old unkeyed SHA-256 (from before the key) are accepted only when
a keyed note vouches for them (app.audit.vouch_for_legacy: how many, and the last one's
hash); unvouched, the trail is reported not verifiable, since anyone can recompute such a
chain. A new install has none at all. The chain cannot show rows removed from the end. The
checkpoints can: the chain's head (last id, its
hash, the number of rows up to it, the first keyed row) written as one JSON line to
``AUDIT_CHECKPOINT_PATH`` every night (the job ``titik_periksa_audit``) and after each
successful ``verify-audit``. A later trail must still hold each checkpoint's row with the
same hash and the same number of rows up to it, and no unkeyed row at or after the first
keyed one. Each line carries an HMAC under AUDIT_KEY, so a forged checkpoint shows as well.
A restore appends a ``restore`` line: checkpoints before it belong to the database that the
restore replaced.

The file is append-only by intent: the operator keeps it out of the database's reach (another
disk or host, ``chattr +a``) and ships it off the machine (README: Security); each line is
also logged (logger ``sikap.audit``) for a syslog/journald that forwards elsewhere.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from dataclasses import asdict, dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import (
    KEYED,
    LEGACY_HEAD,
    LEGACY_ROWS,
    LEGACY_VOUCH_TABLE,
    audit_key,
    is_keyed,
    row_hash,
)
from app.models.audit import AuditLog

log = logging.getLogger("sikap.audit")

CHECKPOINT = "checkpoint"
RESTORE = "restore"
_BATCH = 5000


@dataclass(frozen=True)
class Checkpoint:
    kind: str  # CHECKPOINT, or RESTORE: the trail restarted from a backup
    time: str  # ISO 8601, UTC
    last_id: int | None  # the head row (None: an empty trail)
    count: int  # rows with an id up to last_id
    head: str  # the head row's hash
    keyed_since: int | None  # the first row chained with AUDIT_KEY, if any


@dataclass(frozen=True)
class Break:
    row_id: int | None  # the row where the trail breaks (None: rows missing at the end)
    reason: str  # English, for the command line
    verifiable: bool = True  # False: nothing keyed vouches for the unkeyed rows


@dataclass(frozen=True)
class Verdict:
    head: Checkpoint  # the trail as it is now (kind CHECKPOINT, time now)
    broken: Break | None
    unkeyed: int  # rows from before AUDIT_KEY (plain SHA-256)
    checked_against: int  # checkpoints the trail was held against


# --- the checkpoint file ----------------------------------------------------------------


def checkpoint_path() -> str:
    return current_app.config["AUDIT_CHECKPOINT_PATH"]


def _mac(key: bytes, fields: dict[str, Any]) -> str:
    body = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def append_checkpoint(checkpoint: Checkpoint, key: bytes, path: str) -> None:
    """Append one signed line; the file is made readable by its owner only."""
    fields = asdict(checkpoint)
    line = json.dumps({**fields, "mac": _mac(key, fields)}, sort_keys=True)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    log.info("audit %s %s", checkpoint.kind, line)


class ForgedCheckpoint(Exception):
    """A line of the checkpoint file that AUDIT_KEY did not sign."""


def read_checkpoints(key: bytes, path: str) -> list[Checkpoint]:
    """The checkpoints of the database in use: those since the last restore (that one
    included). ForgedCheckpoint for a line that is not signed with ``key``."""
    if not os.path.exists(path):
        return []
    found: list[Checkpoint] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                fields = json.loads(line)
                mac = fields.pop("mac")
                checkpoint = Checkpoint(**fields)
            except (ValueError, KeyError, TypeError) as error:
                raise ForgedCheckpoint(f"line {number} of {path} is unreadable") from error
            if not hmac.compare_digest(mac, _mac(key, fields)):
                raise ForgedCheckpoint(f"line {number} of {path} is not signed with AUDIT_KEY")
            if checkpoint.kind == RESTORE:
                found = []
            found.append(checkpoint)
    return found


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def current_head(session: Session, previous: Checkpoint | None = None) -> Checkpoint:
    """The trail's head now, without checking the chain (the nightly checkpoint)."""
    last = session.execute(
        select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)
    ).first()
    if last is None:
        return Checkpoint(CHECKPOINT, _now(), None, 0, "", None)
    count = session.execute(
        select(func.count()).select_from(AuditLog).where(AuditLog.id <= last.id)
    ).scalar_one()
    keyed_since = previous.keyed_since if previous is not None else None
    if keyed_since is None:
        keyed_since = session.execute(
            select(func.min(AuditLog.id)).where(AuditLog.hash.startswith(KEYED))
        ).scalar()
    return Checkpoint(CHECKPOINT, _now(), last.id, count, last.hash, keyed_since)


def write_checkpoint(session: Session, today: dt.date) -> int:  # noqa: ARG001 - a job's signature
    """The nightly job: append the trail's head to the checkpoint file when it moved since
    the last checkpoint (1), else nothing (0)."""
    key, path = audit_key(), checkpoint_path()
    known = read_checkpoints(key, path)
    previous = known[-1] if known else None
    head = current_head(session, previous)
    if previous is not None and (previous.last_id, previous.head, previous.count) == (
        head.last_id,
        head.head,
        head.count,
    ):
        return 0
    append_checkpoint(head, key, path)
    return 1


def mark_restore(session: Session) -> Checkpoint:
    """After a restore: the checkpoints before belong to the replaced database; the trail
    restarts from the restored one's head."""
    head = current_head(session)
    marker = Checkpoint(RESTORE, head.time, head.last_id, head.count, head.head, head.keyed_since)
    append_checkpoint(marker, audit_key(), checkpoint_path())
    return marker


# --- verification -----------------------------------------------------------------------


def verify(session: Session, key: bytes, checkpoints: list[Checkpoint]) -> Verdict:
    """Walk the whole trail in id order: each hash must follow from the row before (keyed
    rows under ``key``; unkeyed ones only before the first keyed row), and each checkpoint's
    row must still be there with its hash and the same number of rows up to it."""
    by_id = {c.last_id: c for c in checkpoints if c.last_id is not None}
    keyed_since = min((c.keyed_since for c in checkpoints if c.keyed_since), default=None)
    previous_hash, previous_id = "", None
    count = unkeyed = 0
    first_keyed = first_unkeyed = None
    legacy_head, vouched = "", False
    reached: set[int] = set()
    columns = (
        AuditLog.id,
        AuditLog.created_at,
        AuditLog.user_id,
        AuditLog.username,
        AuditLog.ip,
        AuditLog.table_name,
        AuditLog.row_id,
        AuditLog.action,
        AuditLog.changes,
        AuditLog.hash,
    )
    rows = session.execute(
        select(*columns).order_by(AuditLog.id).execution_options(yield_per=_BATCH)
    )

    def verdict(broken: Break | None) -> Verdict:
        head = Checkpoint(
            CHECKPOINT, _now(), previous_id, count, previous_hash, first_keyed or keyed_since
        )
        return Verdict(head, broken, unkeyed, len(checkpoints))

    for row in rows:
        count += 1
        keyed = is_keyed(row.hash)
        if keyed:
            first_keyed = first_keyed or row.id
        elif first_keyed is not None or (keyed_since is not None and row.id >= keyed_since):
            return verdict(
                Break(
                    row.id,
                    "its hash is not keyed with AUDIT_KEY, yet rows before it were "
                    "(the chain was recomputed without the key)",
                )
            )
        else:
            unkeyed += 1
            first_unkeyed = first_unkeyed or row.id
            legacy_head = row.hash
        expected = row_hash(previous_hash, row._asdict(), key if keyed else None)
        if not hmac.compare_digest(row.hash, expected):
            reason = "its hash does not follow from the row before"
            if previous_id is not None and row.id != previous_id + 1:
                reason += f" (id {previous_id}; ids {previous_id + 1}–{row.id - 1} are missing)"
            if keyed and first_keyed == row.id:
                reason += ", or AUDIT_KEY is not the key the trail was written with"
            return verdict(Break(row.id, reason))
        if keyed and _is_vouch(row):
            claimed = (row.changes[LEGACY_ROWS][1], row.changes[LEGACY_HEAD][1])
            if claimed != (unkeyed, legacy_head):
                return verdict(
                    Break(
                        row.id,
                        f"it vouches for {claimed[0]} row(s) from before AUDIT_KEY, but the "
                        f"trail holds {unkeyed} (the rows before the key were changed)",
                    )
                )
            vouched = True
        checkpoint = by_id.get(row.id)
        if checkpoint is not None:
            reached.add(row.id)
        if checkpoint is not None and (checkpoint.head, checkpoint.count) != (row.hash, count):
            return verdict(
                Break(
                    row.id,
                    f"it differs from the checkpoint of {checkpoint.time} "
                    f"({checkpoint.count} rows up to it then, {count} now)",
                )
            )
        previous_hash, previous_id = row.hash, row.id
    if unkeyed and not vouched:
        return verdict(
            Break(
                first_unkeyed,
                f"{unkeyed} row(s) carry the unkeyed SHA-256 of before AUDIT_KEY and no keyed "
                "row vouches for them (a new install has none; an upgraded one got its "
                "vouching note from `flask db upgrade`): anyone can recompute such a chain",
                verifiable=False,
            )
        )
    missing = [c for c in checkpoints if c.last_id is not None and c.last_id not in reached]
    if missing:
        latest = max(missing, key=lambda c: c.last_id or 0)
        return verdict(
            Break(
                None,
                f"the checkpoint of {latest.time} recorded {latest.count} rows up to id "
                f"{latest.last_id}; that row is gone (rows were deleted from the end)",
            )
        )
    return verdict(None)


def _is_vouch(row: Any) -> bool:
    """The keyed note of app.audit.vouch_for_legacy."""
    changes = row.changes if isinstance(row.changes, dict) else {}
    return (
        row.table_name == LEGACY_VOUCH_TABLE and LEGACY_ROWS in changes and LEGACY_HEAD in changes
    )
