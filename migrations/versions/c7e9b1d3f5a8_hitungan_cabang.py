"""The maintained counts summed per branch (hitungan_cabang: every unit with all units under
it) instead of per OPD (hitungan_opd)

A page of one unit shows one line per sub-unit; the sums per OPD served only the city-wide
pages, and the head of an OPD of a thousand units still had its sub-units' subtrees summed
at each request (app.services.hitungan_cabang). Filled here from the per-unit rows of a
database in service.

Revision ID: c7e9b1d3f5a8
Revises: b5d7f9a1c3e6
Create Date: 2026-12-07 19:00:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "c7e9b1d3f5a8"
down_revision = "b5d7f9a1c3e6"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_hitungan_opd_periode_ukuran", table_name="hitungan_opd")
    op.drop_table("hitungan_opd")
    op.create_table(
        "hitungan_cabang",
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
        "ix_hitungan_cabang_unit_periode",
        "hitungan_cabang",
        ["unit_kerja_id", "periode_id", "ukuran", "jumlah"],
    )
    from app.services import hitungan

    hitungan.rebuild(Session(bind=op.get_bind()))


def downgrade():
    # The per-OPD sums come back empty: `flask recount` of the earlier version fills them.
    op.drop_index("ix_hitungan_cabang_unit_periode", table_name="hitungan_cabang")
    op.drop_table("hitungan_cabang")
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
