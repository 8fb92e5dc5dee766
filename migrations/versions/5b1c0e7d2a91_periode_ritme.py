"""Periode.ritme: the rhythm (quarterly or monthly) of a year's periodic evaluations

Revision ID: 5b1c0e7d2a91
Revises: 4df728ddc1b8
Create Date: 2026-11-30 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5b1c0e7d2a91"
down_revision = "4df728ddc1b8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("periode") as batch_op:
        batch_op.add_column(sa.Column("ritme", sa.String(length=10), nullable=True))
    # Every year so far was evaluated per quarter (the only rhythm before this revision).
    op.execute("UPDATE periode SET ritme = 'triwulan' WHERE jenis = 'tahunan'")


def downgrade():
    with op.batch_alter_table("periode") as batch_op:
        batch_op.drop_column("ritme")
