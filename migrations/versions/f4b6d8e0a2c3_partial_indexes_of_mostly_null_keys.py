"""Index pegawai.pejabat_penilai_id and penilaian.diputus_oleh_id where set only: both are
NULL in most rows, and SQLite's statistics, which count the NULLs as one value, made a
look-up of one value look like a read of the whole table (every request of a pegawai asks
whether they are anyone's pejabat penilai)

Revision ID: f4b6d8e0a2c3
Revises: e3a5c7e9f1b2
Create Date: 2026-12-07 06:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f4b6d8e0a2c3"
down_revision = "e3a5c7e9f1b2"
branch_labels = None
depends_on = None

_INDEXES = (
    ("ix_pegawai_pejabat_penilai_id", "pegawai", "pejabat_penilai_id"),
    ("ix_penilaian_diputus_oleh_id", "penilaian", "diputus_oleh_id"),
)


def upgrade():
    for name, table, column in _INDEXES:
        where = sa.text(f"{column} IS NOT NULL")
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column], sqlite_where=where, postgresql_where=where)


def downgrade():
    for name, table, column in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column])
