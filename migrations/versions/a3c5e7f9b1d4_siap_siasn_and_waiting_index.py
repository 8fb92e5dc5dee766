"""The SIASN-ready pegawai as a maintained count, and an index of what still waits in a year

Tutup Tahun counted, at each request, every active pegawai and whether their annual result
was settled (a read of the whole pegawai table), and found the objections and deemed
acceptances of the year by walking every unit's pegawai. The first is now a maintained
measure (app.services.hitungan: ``siap_siasn``), counted here for a database in service;
the second is read from penilaian (status, periode_id, dinilai_pada, skp_id) alone, an
index that replaces the one of status alone (its leading column).

Revision ID: a3c5e7f9b1d4
Revises: f4b6d8e0a2c3
Create Date: 2026-12-07 16:00:00

"""

from alembic import op
from sqlalchemy import delete
from sqlalchemy.orm import Session

revision = "a3c5e7f9b1d4"
down_revision = "f4b6d8e0a2c3"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_penilaian_status", table_name="penilaian")
    op.create_index(
        "ix_penilaian_status_periode",
        "penilaian",
        ["status", "periode_id", "dinilai_pada", "skp_id"],
    )
    from app.services import hitungan

    hitungan.rebuild(Session(bind=op.get_bind()), branches=False)


def downgrade():
    from app.models.hitungan import Hitungan

    op.get_bind().execute(delete(Hitungan).where(Hitungan.ukuran == "siap_siasn"))
    op.drop_index("ix_penilaian_status_periode", table_name="penilaian")
    op.create_index("ix_penilaian_status", "penilaian", ["status"])
