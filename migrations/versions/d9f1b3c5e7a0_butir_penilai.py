"""What waits on each pejabat penilai, counted (butir_penilai)

Kepatuhan shows who has most waiting on them; counted from the open items at each request,
that read every item waiting on a penilai in the city (app.services.butir, "what waits on
each pejabat penilai"). Filled here from the open items of a database in service.

Revision ID: d9f1b3c5e7a0
Revises: c7e9b1d3f5a8
Create Date: 2026-12-07 19:20:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "d9f1b3c5e7a0"
down_revision = "c7e9b1d3f5a8"
branch_labels = None
depends_on = None

COLUMNS = ["penilai_nama", "periode_id", "kategori", "jumlah"]


def upgrade():
    op.create_table(
        "butir_penilai",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tahunan_id", sa.Integer(), nullable=False),
        sa.Column("periode_id", sa.Integer(), nullable=True),
        sa.Column("kategori", sa.String(length=20), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("penilai_id", sa.Integer(), nullable=False),
        sa.Column("penilai_nama", sa.String(length=200), nullable=True),
        sa.Column("jumlah", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tahunan_id"], ["periode.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["periode_id"], ["periode.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_butir_penilai_tahun", "butir_penilai", ["tahunan_id", "penilai_id", *COLUMNS]
    )
    op.create_index(
        "ix_butir_penilai_opd", "butir_penilai", ["tahunan_id", "opd_id", "penilai_id", *COLUMNS]
    )
    op.create_index("ix_butir_penilai_penilai", "butir_penilai", ["penilai_id"])
    from app.services import butir

    butir.rebuild_penilai(Session(bind=op.get_bind()))


def downgrade():
    op.drop_index("ix_butir_penilai_penilai", table_name="butir_penilai")
    op.drop_index("ix_butir_penilai_opd", table_name="butir_penilai")
    op.drop_index("ix_butir_penilai_tahun", table_name="butir_penilai")
    op.drop_table("butir_penilai")
