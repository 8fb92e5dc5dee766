"""Per-period deadlines, the reminders sent about them, and the closing of a year

Revision ID: e7c1a9d3b5f2
Revises: d4f1a7c3e9b2
Create Date: 2026-12-05 21:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e7c1a9d3b5f2"
down_revision = "d4f1a7c3e9b2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("periode") as batch:
        batch.add_column(sa.Column("batas_realisasi", sa.Date(), nullable=True))
        batch.add_column(sa.Column("batas_penilaian", sa.Date(), nullable=True))
    op.create_table(
        "pengingat_tenggat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("periode_id", sa.Integer(), nullable=False),
        sa.Column("tenggat", sa.String(length=20), nullable=False),
        sa.Column("tahap", sa.String(length=10), nullable=False),
        sa.Column("penerima_id", sa.Integer(), nullable=False),
        sa.Column("jumlah", sa.Integer(), nullable=False),
        sa.Column("dikirim_pada", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["periode_id"], ["periode.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["penerima_id"], ["pegawai.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "periode_id", "tenggat", "tahap", "penerima_id", name="uq_pengingat_tenggat_sekali"
        ),
    )
    op.create_table(
        "tutup_tahun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tahun", sa.Integer(), nullable=False),
        sa.Column("aksi", sa.String(length=10), nullable=False),
        sa.Column("alasan", sa.Text(), nullable=True),
        sa.Column("sisa", sa.JSON(), nullable=False),
        sa.Column("oleh_id", sa.Integer(), nullable=True),
        sa.Column("waktu", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["oleh_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_tutup_tahun_tahun", "tutup_tahun", ["tahun", "id"])


def downgrade():
    op.drop_index("ix_tutup_tahun_tahun", table_name="tutup_tahun")
    op.drop_table("tutup_tahun")
    op.drop_table("pengingat_tenggat")
    with op.batch_alter_table("periode") as batch:
        batch.drop_column("batas_penilaian")
        batch.drop_column("batas_realisasi")
