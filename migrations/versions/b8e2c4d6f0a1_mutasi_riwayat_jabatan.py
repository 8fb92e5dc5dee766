"""Mutasi: the riwayat jabatan of each pegawai, and the days of the year an SKP covers

Revision ID: b8e2c4d6f0a1
Revises: a3d5f7b9c1e2
Create Date: 2026-12-05 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b8e2c4d6f0a1"
down_revision = "a3d5f7b9c1e2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "riwayat_jabatan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pegawai_id", sa.Integer(), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=False),
        sa.Column("nomor_sk", sa.String(length=100), nullable=True),
        sa.Column("unit_kerja_lama_id", sa.Integer(), nullable=True),
        sa.Column("jabatan_lama_id", sa.Integer(), nullable=True),
        sa.Column("atasan_lama_id", sa.Integer(), nullable=True),
        sa.Column("unit_kerja_id", sa.Integer(), nullable=True),
        sa.Column("jabatan_id", sa.Integer(), nullable=True),
        sa.Column("atasan_id", sa.Integer(), nullable=True),
        sa.Column("skp_lama_id", sa.Integer(), nullable=True),
        sa.Column("skp_baru_id", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("dicatat_oleh_id", sa.Integer(), nullable=True),
        sa.Column("dicatat_pada", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["pegawai_id"], ["pegawai.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_kerja_lama_id"], ["unit_kerja.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["jabatan_lama_id"], ["jabatan.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["atasan_lama_id"], ["pegawai.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["unit_kerja_id"], ["unit_kerja.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["jabatan_id"], ["jabatan.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["atasan_id"], ["pegawai.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["skp_lama_id"], ["skp.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["skp_baru_id"], ["skp.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["dicatat_oleh_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_riwayat_jabatan_pegawai_tanggal", "riwayat_jabatan", ["pegawai_id", "tanggal"]
    )
    with op.batch_alter_table("skp") as batch_op:
        batch_op.add_column(sa.Column("berlaku_mulai", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("berlaku_sampai", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("skp") as batch_op:
        batch_op.drop_column("berlaku_sampai")
        batch_op.drop_column("berlaku_mulai")
    op.drop_index("ix_riwayat_jabatan_pegawai_tanggal", table_name="riwayat_jabatan")
    op.drop_table("riwayat_jabatan")
