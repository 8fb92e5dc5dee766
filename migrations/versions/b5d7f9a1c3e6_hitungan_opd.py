"""The maintained counts summed per OPD (hitungan_opd), what the city-wide pages read

A province's tree has thousands of units, and a city-wide page summed a few maintained rows
per unit at each request (app.services.hitungan_opd). Filled here from the per-unit rows of
a database in service.

Revision ID: b5d7f9a1c3e6
Revises: a3c5e7f9b1d4
Create Date: 2026-12-07 16:30:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "b5d7f9a1c3e6"
down_revision = "a3c5e7f9b1d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hitungan_opd",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("periode_id", sa.Integer(), nullable=True),
        sa.Column("ukuran", sa.String(length=40), nullable=False),
        sa.Column("jumlah", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["opd_id"], ["unit_kerja.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["periode_id"], ["periode.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_hitungan_opd_periode_ukuran",
        "hitungan_opd",
        ["periode_id", "ukuran", "opd_id", "jumlah"],
    )
    # Filled by the next revision, which keeps these sums per branch instead.
    from app.services import hitungan

    hitungan.rebuild(Session(bind=op.get_bind()), branches=False)


def downgrade():
    op.drop_index("ix_hitungan_opd_periode_ukuran", table_name="hitungan_opd")
    op.drop_table("hitungan_opd")
