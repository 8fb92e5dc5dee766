"""Plt/Plh: acting assignments, and the assignment an act of the workflow was done under

Revision ID: a3d5f7b9c1e2
Revises: 7c3e9a1f5b20
Create Date: 2026-12-05 15:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a3d5f7b9c1e2"
down_revision = "7c3e9a1f5b20"
branch_labels = None
depends_on = None

HISTORIES = ("skp_riwayat", "penilaian_riwayat")


def upgrade():
    op.create_table(
        "penugasan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pegawai_id", sa.Integer(), nullable=False),
        sa.Column("menggantikan_id", sa.Integer(), nullable=True),
        sa.Column("unit_kerja_id", sa.Integer(), nullable=True),
        sa.Column("jenis", sa.String(length=3), nullable=False),
        sa.Column("tanggal_mulai", sa.Date(), nullable=False),
        sa.Column("tanggal_selesai", sa.Date(), nullable=False),
        sa.Column("nomor_sk", sa.String(length=100), nullable=False),
        sa.Column("dicatat_pada", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "(menggantikan_id IS NULL) <> (unit_kerja_id IS NULL)", name="ck_penugasan_satu_pos"
        ),
        sa.CheckConstraint("tanggal_selesai >= tanggal_mulai", name="ck_penugasan_tanggal"),
        sa.ForeignKeyConstraint(["pegawai_id"], ["pegawai.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["menggantikan_id"], ["pegawai.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_kerja_id"], ["unit_kerja.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("pegawai_id", "menggantikan_id", "unit_kerja_id"):
        op.create_index(f"ix_penugasan_{column}", "penugasan", [column])
    for table in HISTORIES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("penugasan_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f"fk_{table}_penugasan_id", "penugasan", ["penugasan_id"], ["id"], ondelete="SET NULL"
            )


def downgrade():
    for table in HISTORIES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_penugasan_id", type_="foreignkey")
            batch_op.drop_column("penugasan_id")
    for column in ("pegawai_id", "menggantikan_id", "unit_kerja_id"):
        op.drop_index(f"ix_penugasan_{column}", table_name="penugasan")
    op.drop_table("penugasan")
