"""Sessions that end: each account's session version, and the record of logins

Revision ID: c4d2e6f8a0b3
Revises: a9e3c5f7b1d4
Create Date: 2026-12-05 21:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c4d2e6f8a0b3"
down_revision = "a9e3c5f7b1d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sesi_pengguna",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("versi", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "catatan_masuk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("waktu", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=256), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("peristiwa", sa.String(length=20), nullable=False),
        sa.Column("kanal", sa.String(length=10), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("oleh", sa.String(length=256), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catatan_masuk_username_waktu", "catatan_masuk", ["username", "waktu"])
    op.create_index("ix_catatan_masuk_waktu", "catatan_masuk", ["waktu"])
    op.create_index("ix_catatan_masuk_user_id", "catatan_masuk", ["user_id"])
    op.create_index("ix_catatan_masuk_peristiwa", "catatan_masuk", ["peristiwa"])


def downgrade():
    op.drop_index("ix_catatan_masuk_peristiwa", table_name="catatan_masuk")
    op.drop_index("ix_catatan_masuk_user_id", table_name="catatan_masuk")
    op.drop_index("ix_catatan_masuk_waktu", table_name="catatan_masuk")
    op.drop_index("ix_catatan_masuk_username_waktu", table_name="catatan_masuk")
    op.drop_table("catatan_masuk")
    op.drop_table("sesi_pengguna")
