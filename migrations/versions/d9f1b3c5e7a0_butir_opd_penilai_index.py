"""Index of who has most waiting in one OPD (ix_butir_kepatuhan_opd_penilai)

The Kepatuhan page of an OPD head counts the items waiting on each pejabat penilai of the
OPD; through the city-wide index it walked every OPD's items (kepatuhan.per_atasan).

Revision ID: d9f1b3c5e7a0
Revises: c7e9b1d3f5a8
Create Date: 2026-12-07 19:20:00

"""

from alembic import op

revision = "d9f1b3c5e7a0"
down_revision = "c7e9b1d3f5a8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_butir_kepatuhan_opd_penilai",
        "butir_kepatuhan",
        [
            "tahunan_id",
            "menunggu",
            "opd_id",
            "penilai_id",
            "penilai_nama",
            "periode_id",
            "kategori",
        ],
    )


def downgrade():
    op.drop_index("ix_butir_kepatuhan_opd_penilai", table_name="butir_kepatuhan")
