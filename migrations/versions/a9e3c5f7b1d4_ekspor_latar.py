"""Reports written in the background: the export jobs and their files' expiry

Revision ID: a9e3c5f7b1d4
Revises: e7c1a9d3b5f2
Create Date: 2026-12-05 21:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a9e3c5f7b1d4"
down_revision = "e7c1a9d3b5f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ekspor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("jenis", sa.String(length=30), nullable=False),
        sa.Column("ext", sa.String(length=10), nullable=False),
        sa.Column("parameter", sa.JSON(), nullable=False),
        sa.Column("bahasa", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("baris_total", sa.Integer(), nullable=False),
        sa.Column("baris_ditulis", sa.Integer(), nullable=False),
        sa.Column("nama_berkas", sa.String(length=200), nullable=True),
        sa.Column("galat", sa.Text(), nullable=True),
        sa.Column("dibuat_pada", sa.DateTime(), nullable=False),
        sa.Column("selesai_pada", sa.DateTime(), nullable=True),
        sa.Column("kedaluwarsa_pada", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index("ix_ekspor_user_id", "ekspor", ["user_id"])
    op.create_index("ix_ekspor_status_kedaluwarsa", "ekspor", ["status", "kedaluwarsa_pada"])


def downgrade():
    op.drop_index("ix_ekspor_status_kedaluwarsa", table_name="ekspor")
    op.drop_index("ix_ekspor_user_id", table_name="ekspor")
    op.drop_table("ekspor")
