"""Maintained counts of each unit's rows (an OPD head's lists) and of the Kurva's members

The table is as it was; it gains measures (app.services.jumlah_baris: ``baris:<table>``;
app.services.hitungan: ``kurva:<predikat>``), counted here for a database in service, whose
lists and Kurva would otherwise read nothing for them until ``flask recount``.

Revision ID: d2f4a6c8e0b1
Revises: c9e1a3b5d7f0
Create Date: 2026-12-06 23:30:00

"""

from alembic import op
from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

revision = "d2f4a6c8e0b1"
down_revision = "c9e1a3b5d7f0"
branch_labels = None
depends_on = None


def upgrade():
    from app.services import hitungan

    hitungan.rebuild(Session(bind=op.get_bind()), branches=False)


def downgrade():
    from app.models.hitungan import Hitungan

    added = or_(Hitungan.ukuran.startswith("baris:"), Hitungan.ukuran.startswith("kurva"))
    op.get_bind().execute(delete(Hitungan).where(added))
