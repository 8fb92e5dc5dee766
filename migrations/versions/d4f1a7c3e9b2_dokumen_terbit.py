"""Official documents issued as PDF, with the token their QR code carries

Revision ID: d4f1a7c3e9b2
Revises: b8e2c4d6f0a1
Create Date: 2026-12-05 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4f1a7c3e9b2"
down_revision = "b8e2c4d6f0a1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dokumen_terbit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("jenis", sa.String(length=20), nullable=False),
        sa.Column("objek_id", sa.Integer(), nullable=False),
        sa.Column("pegawai_id", sa.Integer(), nullable=True),
        sa.Column("unit_kerja_id", sa.Integer(), nullable=True),
        sa.Column("periode_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sidik", sa.String(length=40), nullable=False),
        sa.Column("diterbitkan_pada", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["pegawai_id"], ["pegawai.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_kerja_id"], ["unit_kerja.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["periode_id"], ["periode.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index("ix_dokumen_terbit_pegawai_id", "dokumen_terbit", ["pegawai_id"])
    op.create_index("ix_dokumen_terbit_objek", "dokumen_terbit", ["jenis", "objek_id", "sidik"])


def downgrade():
    op.drop_index("ix_dokumen_terbit_objek", table_name="dokumen_terbit")
    op.drop_index("ix_dokumen_terbit_pegawai_id", table_name="dokumen_terbit")
    op.drop_table("dokumen_terbit")
