"""Index of a pejabat penilai's evaluations by status (ix_penilaian_penilai_status), in place
of the index of penilai alone

An atasan's scope holds the evaluations their staff rated that were objected to; found
through the status alone, PostgreSQL read every objection of the city (app.models.penilaian
.Penilaian.scope_also).

Revision ID: e1a3c5e7b9d2
Revises: d9f1b3c5e7a0
Create Date: 2026-12-07 19:45:00

"""

from alembic import op

revision = "e1a3c5e7b9d2"
down_revision = "d9f1b3c5e7a0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_penilaian_penilai_status", "penilaian", ["penilai_id", "status"])
    op.drop_index("ix_penilaian_penilai_id", table_name="penilaian")


def downgrade():
    op.create_index("ix_penilaian_penilai_id", "penilaian", ["penilai_id"])
    op.drop_index("ix_penilaian_penilai_status", table_name="penilaian")
