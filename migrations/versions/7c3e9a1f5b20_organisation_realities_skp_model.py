"""Organisation realities: the JPT SKP model and kualitatif targets, a non-ASN pejabat
penilai and acts on their behalf, the penetapan of the predikat organisasi

Revision ID: 7c3e9a1f5b20
Revises: 64af57692ce4
Create Date: 2026-12-05 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7c3e9a1f5b20"
down_revision = "64af57692ce4"
branch_labels = None
depends_on = None

ON_BEHALF = ("atas_nama", "dokumen", "dokumen_nama")


def _on_behalf_columns() -> list[sa.Column]:
    return [
        sa.Column("atas_nama", sa.String(length=300), nullable=True),
        sa.Column("dokumen", sa.String(length=64), nullable=True),
        sa.Column("dokumen_nama", sa.String(length=255), nullable=True),
    ]


def upgrade():
    with op.batch_alter_table("skp") as batch_op:
        batch_op.add_column(
            sa.Column("model", sa.String(length=10), nullable=False, server_default="non_jpt")
        )
    with op.batch_alter_table("rencana_hasil_kerja") as batch_op:
        batch_op.add_column(sa.Column("perspektif", sa.String(length=20), nullable=True))
    with op.batch_alter_table("indikator_kinerja") as batch_op:
        batch_op.alter_column("target", existing_type=sa.Numeric(14, 2), nullable=True)
        batch_op.add_column(sa.Column("target_uraian", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("manual_indikator", sa.JSON(), nullable=True))
    with op.batch_alter_table("realisasi") as batch_op:
        batch_op.alter_column("nilai", existing_type=sa.Numeric(14, 2), nullable=True)
    with op.batch_alter_table("pegawai") as batch_op:
        batch_op.add_column(sa.Column("penilai_non_asn_nama", sa.String(length=200)))
        batch_op.add_column(sa.Column("penilai_non_asn_jabatan", sa.String(length=200)))
    for table in ("skp_riwayat", "penilaian_riwayat"):
        with op.batch_alter_table(table) as batch_op:
            for column in _on_behalf_columns():
                batch_op.add_column(column)
    with op.batch_alter_table("penilaian") as batch_op:
        batch_op.add_column(sa.Column("alasan_rating", sa.Text(), nullable=True))
    with op.batch_alter_table("predikat_organisasi") as batch_op:
        batch_op.add_column(sa.Column("nomor_penetapan", sa.String(length=100), nullable=True))
    # Every SKP so far of a pegawai in a JPT jabatan is a JPT SKP.
    op.execute(
        "UPDATE skp SET model = 'jpt' WHERE pegawai_id IN (SELECT pegawai.id FROM pegawai "
        "JOIN jabatan ON pegawai.jabatan_id = jabatan.id WHERE jabatan.jenis = 'jpt')"
    )


def downgrade():
    with op.batch_alter_table("predikat_organisasi") as batch_op:
        batch_op.drop_column("nomor_penetapan")
    with op.batch_alter_table("penilaian") as batch_op:
        batch_op.drop_column("alasan_rating")
    for table in ("skp_riwayat", "penilaian_riwayat"):
        with op.batch_alter_table(table) as batch_op:
            for name in ON_BEHALF:
                batch_op.drop_column(name)
    with op.batch_alter_table("pegawai") as batch_op:
        batch_op.drop_column("penilai_non_asn_jabatan")
        batch_op.drop_column("penilai_non_asn_nama")
    op.execute("UPDATE realisasi SET nilai = 0 WHERE nilai IS NULL")
    with op.batch_alter_table("realisasi") as batch_op:
        batch_op.alter_column("nilai", existing_type=sa.Numeric(14, 2), nullable=False)
    op.execute("UPDATE indikator_kinerja SET target = 1 WHERE target IS NULL")
    with op.batch_alter_table("indikator_kinerja") as batch_op:
        batch_op.drop_column("manual_indikator")
        batch_op.drop_column("target_uraian")
        batch_op.alter_column("target", existing_type=sa.Numeric(14, 2), nullable=False)
    with op.batch_alter_table("rencana_hasil_kerja") as batch_op:
        batch_op.drop_column("perspektif")
    with op.batch_alter_table("skp") as batch_op:
        batch_op.drop_column("model")
