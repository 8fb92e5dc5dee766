"""Audit trail: a keyed note vouching for the rows written before AUDIT_KEY

Rows with the old unkeyed SHA-256 verify only while a keyed row vouches for them (how many,
the last one's hash): anyone can recompute such a chain. An install upgraded from before
AUDIT_KEY trusts its trail as it stands at this upgrade; a new install has no such rows and
gets no note (app.audit.vouch_for_legacy).

Revision ID: b7d9f1a3c5e8
Revises: a1c3e5f7b9d2
Create Date: 2026-12-08 10:00:00

"""

from alembic import op
from sqlalchemy.orm import Session

revision = "b7d9f1a3c5e8"
down_revision = "a1c3e5f7b9d2"
branch_labels = None
depends_on = None


def upgrade():
    from app import audit

    session = Session(bind=op.get_bind())
    with audit.attributed_to("db upgrade"):
        audit.vouch_for_legacy(session)


def downgrade():
    # The note is a row of the append-only trail: it stays.
    pass
