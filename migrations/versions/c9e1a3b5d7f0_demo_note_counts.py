"""Demo data: the loader's note counts the accounts and pegawai it left

The public demo keys start only on a database whose accounts and pegawai are all the demo
loader's (app.demo.demo_only), judged from the counts and highest ids in the loader's latest
note. A database loaded before the note carried them gets them here, as it stands at this
upgrade (a demo database: its latest note says loaded); any other gets nothing.

Revision ID: c9e1a3b5d7f0
Revises: b7d9f1a3c5e8
Create Date: 2026-12-08 11:00:00

"""

from alembic import op
from sqlalchemy import select
from sqlalchemy.orm import Session

revision = "c9e1a3b5d7f0"
down_revision = "b7d9f1a3c5e8"
branch_labels = None
depends_on = None


def upgrade():
    from app import audit, demo
    from app.models.audit import AuditLog

    session = Session(bind=op.get_bind())
    latest = session.execute(
        select(AuditLog.action, AuditLog.changes)
        .where(AuditLog.table_name == demo.DEMO_MARKER)
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest.action != "insert" or "accounts" in latest.changes:
        return
    with audit.attributed_to("db upgrade"):
        demo.note_demo_load(session, (latest.changes.get("rows") or [None, 0])[1])


def downgrade():
    # The note is a row of the append-only trail: it stays.
    pass
