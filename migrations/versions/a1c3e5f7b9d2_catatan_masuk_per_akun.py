"""Login records counted per account: index (user_id, waktu) in place of (user_id)

The lock-out now counts an account's recent failures by the account, whatever name (username
or email) was typed: the look-up goes by user_id and time.

Revision ID: a1c3e5f7b9d2
Revises: b2d4f6a8c0e1
Create Date: 2026-12-08 09:00:00

"""

from alembic import op

revision = "a1c3e5f7b9d2"
down_revision = "b2d4f6a8c0e1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_catatan_masuk_user_id_waktu", "catatan_masuk", ["user_id", "waktu"])
    op.drop_index("ix_catatan_masuk_user_id", table_name="catatan_masuk")


def downgrade():
    op.create_index("ix_catatan_masuk_user_id", "catatan_masuk", ["user_id"])
    op.drop_index("ix_catatan_masuk_user_id_waktu", table_name="catatan_masuk")
