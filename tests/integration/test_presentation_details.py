"""Small things a user notices (issue 14, "what was found"): no 404 for the favicon, the SKP
workbook's "No." heading, targets written as the reader writes numbers, workbook times as the
pages write them, and no "create login account" offer to someone who has one."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from sqlalchemy import select

from tests.factories import chain_with_submitted_skps, skp_with_rhk, viewer_of


def test_the_favicon_is_served(app):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_the_skp_workbook_heads_its_rows_no_and_writes_decimals_the_indonesian_way(app, login):
    from app.extensions import db
    from app.models.skp import IndikatorKinerja

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, rhk_id = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk)
    with app.app_context():
        indikator = db.session.execute(
            select(IndikatorKinerja).where(IndikatorKinerja.rencana_hasil_kerja_id == rhk_id)
        ).scalar_one()
        indikator.target = Decimal("85.5")
        db.session.commit()
    client = login(people.staff)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/skp/dokumen/{skp_id}/skp.xlsx").data))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "No." in cells and "Tidak" not in cells
    assert any("85,5 dokumen" in c for c in cells)
    page = client.get(f"/skp/{skp_id}").get_data(as_text=True)
    assert "85,5 dokumen" in page and "85.5 dokumen" not in page


def test_workbook_times_read_like_the_pages():
    from app.reports.workbook import date_format

    assert date_format(with_time=True).endswith('d mmmm yyyy hh"."mm')


def test_no_account_offer_to_someone_who_has_one(app, login, cast):
    from app.extensions import db
    from app.models.master import Pegawai

    with app.app_context():
        staff_id = viewer_of(app, cast.staff).pegawai_id
        without = db.session.execute(
            select(Pegawai.id).where(Pegawai.user_id.is_(None), Pegawai.aktif.is_(True))
        ).scalar()
    client = login(cast.admin)
    has_account = client.get(f"/pegawaiview/show/{staff_id}").get_data(as_text=True)
    assert "create_account" not in has_account
    if without is not None:
        offer = client.get(f"/pegawaiview/show/{without}").get_data(as_text=True)
        assert "create_account" in offer
