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


def test_printed_skp_and_evaluation_write_typed_decimals_with_a_comma(app, login):
    """A target and a realisasi typed "85,5" or "85.5" read "85,5" on the SKP's print page,
    its PDF and the evaluation's PDF, as everywhere else in Indonesian (issue 14, item 9)."""
    import re

    from pypdf import PdfReader

    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian
    from app.models.skp import IndikatorKinerja
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, rhk_id = skp_with_rhk(app, people.staff, "Data tertata", intervensi_id=atasan_rhk)
    staff = login(people.staff)
    for typed, satuan in (("85,5", "persen"), ("85.5", "skor")):
        added = staff.post(
            f"/skp/rhk/{rhk_id}/indikator",
            data={"aspek": "kualitas", "uraian": satuan, "target": typed, "satuan": satuan},
        )
        assert added.status_code == 302, added.get_data(as_text=True)[:500]
    with app.test_request_context():
        session = db.session
        skp_service.submit(session, skp_id, viewer_of(app, people.staff))
        skp_service.approve(session, skp_id, viewer_of(app, people.atasan))
        session.commit()
        indikator = dict(
            session.execute(
                select(IndikatorKinerja.satuan, IndikatorKinerja.id).where(
                    IndikatorKinerja.rencana_hasil_kerja_id == rhk_id
                )
            ).all()
        )
        periode_id, penilaian_id = session.execute(
            select(Periode.id, Penilaian.id)
            .join(Penilaian, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp_id, Periode.jenis == "tw1")
        ).one()
    typed = {"dokumen": "10", "persen": "85.5", "skor": "85,5"}
    saved = staff.post(
        f"/realisasi/{skp_id}/{periode_id}",
        data={f"nilai-{indikator[satuan]}": nilai for satuan, nilai in typed.items()},
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]

    def pdf_text(url: str) -> str:
        response = staff.get(url)
        assert response.status_code == 200, url
        pages = PdfReader(io.BytesIO(response.data)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())

    printed = " ".join(
        re.sub(
            r"<[^>]+>", " ", staff.get(f"/skp/dokumen/{skp_id}/cetak").get_data(as_text=True)
        ).split()
    )
    skp_pdf = pdf_text(f"/skp/{skp_id}/dokumen.pdf")
    evaluation = pdf_text(f"/penilaian/{penilaian_id}/dokumen.pdf")
    for text in (printed, skp_pdf, evaluation):
        assert "85,5 persen" in text and "85,5 skor" in text
        assert "85.5" not in text
    # The evaluation prints each target and its realisasi: both read with a comma.
    assert evaluation.count("85,5 persen") == 2 and evaluation.count("85,5 skor") == 2
