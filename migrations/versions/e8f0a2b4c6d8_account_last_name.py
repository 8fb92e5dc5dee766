"""Accounts: the placeholder last name "-" given to every account made for a pegawai becomes
empty (the pegawai's whole name is the first name); other last names are left as typed

Revision ID: e8f0a2b4c6d8
Revises: d7e9f1a3b5c6
Create Date: 2026-12-06 01:15:00

"""

from alembic import op

revision = "e8f0a2b4c6d8"
down_revision = "d7e9f1a3b5c6"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE ab_user SET last_name = '' WHERE last_name = '-'")


def downgrade():
    op.execute("UPDATE ab_user SET last_name = '-' WHERE last_name = ''")
