"""Indexes of what a commit and a sign-in ask: the open items waiting on a pejabat penilai
(ix_butir_kepatuhan_menunggu_penilai) and the account's lowered name (ix_ab_user_username_lower)

Every change recounts what waits on the penilai it touches (app.services.butir.recount_penilai)
under the writers' turn; no index started with the penilai, and PostgreSQL read the whole table
of open items (30–80 ms at 100,000 pegawai, while every other writer waited). Sign-in finds the
account by its name case-insensitively (FAB's AUTH_USERNAME_CI): PostgreSQL read every account
(40–80 ms, twice per sign-in).

Revision ID: f3c5e7a9b1d4
Revises: e1a3c5e7b9d2
Create Date: 2026-12-07 22:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f3c5e7a9b1d4"
down_revision = "e1a3c5e7b9d2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_butir_kepatuhan_menunggu_penilai", "butir_kepatuhan", ["penilai_id", "menunggu"]
    )
    op.create_index("ix_ab_user_username_lower", "ab_user", [sa.text("lower(username)")])


def downgrade():
    op.drop_index("ix_ab_user_username_lower", table_name="ab_user")
    op.drop_index("ix_butir_kepatuhan_menunggu_penilai", table_name="butir_kepatuhan")
