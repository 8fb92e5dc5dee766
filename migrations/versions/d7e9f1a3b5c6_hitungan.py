"""Maintained counts per unit and periode (Kepatuhan, Monitoring SKP, dashboard)

Revision ID: d7e9f1a3b5c6
Revises: c4d2e6f8a0b3
Create Date: 2026-12-06 00:40:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import orm

revision = "d7e9f1a3b5c6"
down_revision = "c4d2e6f8a0b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hitungan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_kerja_id", sa.Integer(), nullable=False),
        sa.Column("periode_id", sa.Integer(), nullable=True),
        sa.Column("ukuran", sa.String(length=40), nullable=False),
        sa.Column("jumlah", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_kerja_id"], ["unit_kerja.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["periode_id"], ["periode.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_hitungan_periode_ukuran",
        "hitungan",
        ["periode_id", "ukuran", "unit_kerja_id", "jumlah"],
    )
    op.create_index("ix_hitungan_unit", "hitungan", ["unit_kerja_id"])
    # Filled from the data already there by the one definition of the counts (the same full
    # recount as `flask recount`), so that no page reads an empty table after the upgrade.
    from app.services import hitungan

    hitungan.rebuild(orm.Session(bind=op.get_bind()), branches=False)


def downgrade():
    op.drop_index("ix_hitungan_unit", table_name="hitungan")
    op.drop_index("ix_hitungan_periode_ukuran", table_name="hitungan")
    op.drop_table("hitungan")
