"""Open items of the cycle and JP per pegawai and year, kept as rows for Kepatuhan's list and
the JP tally

Revision ID: f1b3d5e7a9c2
Revises: e8f0a2b4c6d8
Create Date: 2026-12-06 03:40:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import orm

revision = "f1b3d5e7a9c2"
down_revision = "e8f0a2b4c6d8"
branch_labels = None
depends_on = None

_ORDER = [
    "tahunan_id",
    "tanpa_opd",
    "opd_nama",
    "opd_id",
    "tanpa_penilai",
    "penilai_nama",
    "penilai_id",
    "pegawai_nama",
    "pegawai_id",
    "urutan",
    "periode_selesai",
]


def upgrade():
    op.create_table(
        "butir_kepatuhan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tahunan_id", sa.Integer(), nullable=False),
        sa.Column("periode_id", sa.Integer(), nullable=True),
        sa.Column("pegawai_id", sa.Integer(), nullable=False),
        sa.Column("unit_kerja_id", sa.Integer(), nullable=False),
        sa.Column("kategori", sa.String(length=20), nullable=False),
        sa.Column("menunggu", sa.String(length=10), nullable=False),
        sa.Column("penilai_id", sa.Integer(), nullable=True),
        sa.Column("penerima_id", sa.Integer(), nullable=True),
        sa.Column("skp_id", sa.Integer(), nullable=True),
        sa.Column("penilaian_id", sa.Integer(), nullable=True),
        sa.Column("tanpa_opd", sa.Boolean(), nullable=False),
        sa.Column("opd_nama", sa.String(length=200), nullable=True),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("tanpa_penilai", sa.Boolean(), nullable=False),
        sa.Column("penilai_nama", sa.String(length=200), nullable=True),
        sa.Column("pegawai_nama", sa.String(length=200), nullable=False),
        sa.Column("urutan", sa.Integer(), nullable=False),
        sa.Column("periode_selesai", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["tahunan_id"], ["periode.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["periode_id"], ["periode.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pegawai_id"], ["pegawai.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["skp_id"], ["skp.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["penilaian_id"], ["penilaian.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_butir_kepatuhan_urutan", "butir_kepatuhan", _ORDER)
    op.create_index(
        "ix_butir_kepatuhan_penilai",
        "butir_kepatuhan",
        [
            "tahunan_id",
            "menunggu",
            "penilai_id",
            "penilai_nama",
            "periode_id",
            "kategori",
            "unit_kerja_id",
            "pegawai_id",
        ],
    )
    op.create_index("ix_butir_kepatuhan_penerima", "butir_kepatuhan", ["tahunan_id", "penerima_id"])
    op.create_index("ix_butir_kepatuhan_pegawai", "butir_kepatuhan", ["pegawai_id"])
    op.create_table(
        "jp_tahunan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tahun", sa.Integer(), nullable=False),
        sa.Column("pegawai_id", sa.Integer(), nullable=False),
        sa.Column("unit_kerja_id", sa.Integer(), nullable=False),
        sa.Column("jenis_asn", sa.String(length=20), nullable=False),
        sa.Column("pegawai_nama", sa.String(length=200), nullable=False),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["pegawai_id"], ["pegawai.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_jp_tahunan_urutan", "jp_tahunan", ["tahun", "jp", "pegawai_nama", "pegawai_id"]
    )
    op.create_index(
        "ix_jp_tahunan_unit",
        "jp_tahunan",
        ["tahun", "unit_kerja_id", "jenis_asn", "jp", "pegawai_id"],
    )
    op.create_index("ix_jp_tahunan_pegawai", "jp_tahunan", ["pegawai_id"])
    # Filled from the data already there by the one definition of each (the same look-up as
    # `flask recount`), so that no page reads an empty table after the upgrade.
    from app.services import butir, jp_tahunan

    session = orm.Session(bind=op.get_bind())
    butir.rebuild(session, per_penilai=False)
    jp_tahunan.rebuild(session)


def downgrade():
    op.drop_index("ix_jp_tahunan_pegawai", table_name="jp_tahunan")
    op.drop_index("ix_jp_tahunan_unit", table_name="jp_tahunan")
    op.drop_index("ix_jp_tahunan_urutan", table_name="jp_tahunan")
    op.drop_table("jp_tahunan")
    for index in ("pegawai", "penerima", "penilai", "urutan"):
        op.drop_index(f"ix_butir_kepatuhan_{index}", table_name="butir_kepatuhan")
    op.drop_table("butir_kepatuhan")
