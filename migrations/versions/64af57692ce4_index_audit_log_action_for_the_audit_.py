"""Index audit_log.action: the audit trail list sorts and filters by it

Revision ID: 64af57692ce4
Revises: 5b1c0e7d2a91
Create Date: 2026-11-30 11:52:51.618756

"""

from alembic import op

revision = "64af57692ce4"
down_revision = "5b1c0e7d2a91"
branch_labels = None
depends_on = None


def upgrade():
    # A page of the audit list sorted by action reads 50 entries of this index instead of
    # sorting the whole, ever-growing trail. The other sort columns of the large lists are
    # indexed already (pegawai: nip, nama, the related rows' nama; audit_log: created_at,
    # username, table_name).
    op.create_index("ix_audit_log_action", "audit_log", ["action"], unique=False)


def downgrade():
    op.drop_index("ix_audit_log_action", table_name="audit_log")
