"""Notices to an account outside the org chart (admin BKPSDM, who need not be a pegawai)

Revision ID: b2d4f6a8c0e1
Revises: f1b3d5e7a9c2
Create Date: 2026-12-07 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b2d4f6a8c0e1"
down_revision = "f1b3d5e7a9c2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifikasi") as batch:
        batch.add_column(sa.Column("penerima_user_id", sa.Integer(), nullable=True))
        batch.alter_column("penerima_id", existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key(
            "fk_notifikasi_penerima_user_id",
            "ab_user",
            ["penerima_user_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_check_constraint(
            "ck_notifikasi_satu_penerima",
            "(penerima_id IS NULL) <> (penerima_user_id IS NULL)",
        )
        batch.create_index(
            "ix_notifikasi_penerima_user_dibaca", ["penerima_user_id", "dibaca_pada"]
        )


def downgrade():
    op.execute("DELETE FROM notifikasi WHERE penerima_id IS NULL")
    with op.batch_alter_table("notifikasi") as batch:
        batch.drop_index("ix_notifikasi_penerima_user_dibaca")
        batch.drop_constraint("ck_notifikasi_satu_penerima", type_="check")
        batch.drop_constraint("fk_notifikasi_penerima_user_id", type_="foreignkey")
        batch.alter_column("penerima_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("penerima_user_id")
