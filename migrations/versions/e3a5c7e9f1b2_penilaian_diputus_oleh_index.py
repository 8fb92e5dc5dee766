"""Index penilaian.diputus_oleh_id: the scope of an atasan pejabat penilai starts from the
few evaluations objected to or decided, instead of every evaluation their staff rated

Revision ID: e3a5c7e9f1b2
Revises: d2f4a6c8e0b1
Create Date: 2026-12-07 04:20:00

"""

from alembic import op

revision = "e3a5c7e9f1b2"
down_revision = "d2f4a6c8e0b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_penilaian_diputus_oleh_id", "penilaian", ["diputus_oleh_id"])


def downgrade():
    op.drop_index("ix_penilaian_diputus_oleh_id", table_name="penilaian")
