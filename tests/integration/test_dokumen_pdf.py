"""Official PDFs with a QR code and the public verification page they lead to (CONTRACT.md,
"Documents"); run on PostgreSQL too."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.conftest import make_app
from tests.factories import (
    Opd,
    approved_evaluations,
    chain_with_submitted_skps,
    new_opd,
    skp_with_rhk,
    viewer_of,
)

TOKEN = re.compile(r"/verifikasi/([A-Za-z0-9_-]{20,})")


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def pdf_images(body: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(body)).pages)


def token_in(body: bytes) -> str:
    found = TOKEN.search(pdf_text(body))
    assert found, "no verification link printed"
    return found.group(1)


def pegawai_of(app, nip: str):  # noqa: ANN001, ANN201
    from app.extensions import db
    from app.models.master import Pegawai

    with app.app_context():
        pegawai = db.session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar_one()
        return pegawai.nama_lengkap, pegawai.nip


def issued_count(app) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.dokumen import DokumenTerbit

    with app.app_context():
        return db.session.execute(select(func.count(DokumenTerbit.id))).scalar_one()


@pytest.fixture()
def submitted_skp(app):  # noqa: ANN001, ANN201
    """A fresh chain whose staff has submitted an SKP with one RHK."""
    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(
        app, people.staff, "Arsip dinas tertata rapi", intervensi_id=atasan_rhk, submit=True
    )
    return people, skp_id


def test_skp_pdf_prints_the_skp_with_a_qr_code_and_the_verification_link(app, login, submitted_skp):
    people, skp_id = submitted_skp
    response = login(people.staff).get(f"/skp/{skp_id}/dokumen.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    nama, nip = pegawai_of(app, people.staff)
    assert nama in text and nip in text
    assert "Arsip dinas tertata rapi" in " ".join(text.split())  # a table cell may wrap
    assert f"/verifikasi/{token_in(response.data)}" in text
    assert pdf_images(response.data) >= 1  # the QR code


def test_the_pejabat_penilai_gets_the_same_document_with_the_same_token(app, login, submitted_skp):
    people, skp_id = submitted_skp
    own = login(people.staff).get(f"/skp/{skp_id}/dokumen.pdf")
    before = issued_count(app)
    atasan = login(people.atasan).get(f"/skp/{skp_id}/dokumen.pdf")
    assert atasan.status_code == 200
    assert token_in(atasan.data) == token_in(own.data)
    assert issued_count(app) == before  # the same state printed again is the same issue


def test_skp_pdf_out_of_scope_answers_404_and_issues_nothing(app, login, cast, submitted_skp):
    people, skp_id = submitted_skp
    before = issued_count(app)
    assert login(cast.outsider_atasan).get(f"/skp/{skp_id}/dokumen.pdf").status_code == 404
    assert login(people.colleague).get(f"/skp/{skp_id}/dokumen.pdf").status_code == 404
    assert issued_count(app) == before


def test_skp_pdf_needs_a_login(app, submitted_skp):
    _, skp_id = submitted_skp
    response = app.test_client().get(f"/skp/{skp_id}/dokumen.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_verification_page_shows_only_the_listed_facts_to_anyone(app, login, submitted_skp):
    people, skp_id = submitted_skp
    token = token_in(login(people.staff).get(f"/skp/{skp_id}/dokumen.pdf").data)
    response = app.test_client().get(f"/verifikasi/{token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    nama, nip = pegawai_of(app, people.staff)
    assert nama in page
    assert nip not in page  # masked …
    assert f"{nip[:4]}{'*' * 11}{nip[-3:]}" in page  # … to its first and last digits
    assert 'data-terkini="1"' in page
    assert "Arsip dinas tertata rapi" not in page  # no RHK
    assert "Jumlah" not in page  # no indikator or target


def test_verification_page_says_when_the_skp_changed_since(app, login, submitted_skp):
    from app.extensions import db
    from app.services import skp as skp_service

    people, skp_id = submitted_skp
    token = token_in(login(people.staff).get(f"/skp/{skp_id}/dokumen.pdf").data)
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
    page = app.test_client().get(f"/verifikasi/{token}").get_data(as_text=True)
    assert 'data-terkini="0"' in page
    fresh = token_in(login(people.staff).get(f"/skp/{skp_id}/dokumen.pdf").data)
    assert fresh != token
    assert 'data-terkini="1"' in app.test_client().get(f"/verifikasi/{fresh}").get_data(
        as_text=True
    )


def test_an_unknown_token_answers_404(app):
    assert app.test_client().get("/verifikasi/tidak-pernah-diterbitkan-abcdef").status_code == 404


def test_tokens_are_not_row_ids(app, login, submitted_skp):
    people, skp_id = submitted_skp
    token = token_in(login(people.staff).get(f"/skp/{skp_id}/dokumen.pdf").data)
    assert len(token) >= 32 and str(skp_id) != token


# --- the Dokumen Evaluasi Kinerja of a penilaian -----------------------------------------------


@pytest.fixture()
def evaluations(app):  # noqa: ANN001, ANN201
    return approved_evaluations(app)


def test_penilaian_pdf_prints_the_evaluation_with_a_qr_code(app, login, evaluations):
    people, ids = evaluations
    response = login(people.staff).get(f"/penilaian/{ids['tahunan']}/dokumen.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    nama, nip = pegawai_of(app, people.staff)
    assert nama in text and nip in text
    assert "Arsip tertata" in text
    assert pdf_images(response.data) >= 1
    page = app.test_client().get(f"/verifikasi/{token_in(response.data)}").get_data(as_text=True)
    assert nama in page and nip not in page and "Arsip tertata" not in page
    assert 'data-terkini="1"' in page


def test_penilaian_pdf_of_a_periodic_evaluation(app, login, evaluations):
    people, ids = evaluations
    response = login(people.atasan).get(f"/penilaian/{ids['tw1']}/dokumen.pdf")
    assert response.status_code == 200
    assert "/verifikasi/" in pdf_text(response.data)


def test_penilaian_pdf_out_of_scope_answers_404(app, login, cast, evaluations):
    people, ids = evaluations
    for who in (cast.outsider_atasan, people.colleague):
        assert login(who).get(f"/penilaian/{ids['tahunan']}/dokumen.pdf").status_code == 404


# --- rate limit ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited_app(database_url):  # noqa: ANN001, ANN201
    return make_app(database_url, RATELIMIT_ENABLED=True)


def test_verification_page_is_rate_limited_per_client(limited_app):
    from app.views.dokumen_resmi import VERIFIKASI_RATE_LIMIT

    allowed = int(VERIFIKASI_RATE_LIMIT.split()[0])
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.9.0.1"
    answers = {client.get(f"/verifikasi/coba-{n}").status_code for n in range(allowed)}
    assert answers == {404}
    assert client.get("/verifikasi/coba-lagi").status_code == 429
    other = limited_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.9.0.2"
    assert other.get("/verifikasi/coba-lagi").status_code == 404


# --- the Pola Distribusi of an OPD and periode -------------------------------------------------


@pytest.fixture()
def opd(app):  # noqa: ANN001, ANN201
    return new_opd(app, staff=2, nama="Pola")


def pola_url(people: Opd) -> str:
    return f"/kurva/{people.id}/{people.tahunan}/pola_distribusi.pdf"


def test_pola_distribusi_pdf_lists_the_opd_with_a_qr_code(app, login, opd):
    response = login(opd.pimpinan).get(pola_url(opd))
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert all(nip in text for nip in opd.staff)
    assert pdf_images(response.data) >= 1
    page = app.test_client().get(f"/verifikasi/{token_in(response.data)}").get_data(as_text=True)
    assert "Dinas Uji Pola" in page and 'data-terkini="1"' in page
    assert not any(nip in page for nip in opd.staff)  # no member of the OPD


def test_pola_distribusi_is_stale_once_the_predikat_organisasi_is_set(app, login, opd):
    from app.extensions import db
    from app.security.scope import Viewer
    from app.services import kurva

    token = token_in(login(opd.pimpinan).get(pola_url(opd)).data)
    with app.test_request_context():
        admin = Viewer(user_id=None, is_admin=True)
        kurva.tetapkan(db.session, admin, opd.id, opd.tahunan, "baik", "800/PREDIKAT/UJI")
        db.session.commit()
    page = app.test_client().get(f"/verifikasi/{token}").get_data(as_text=True)
    assert 'data-terkini="0"' in page


def test_pola_distribusi_of_another_opd_answers_404_and_staff_403(app, login, cast, opd):
    assert login(cast.pimpinan).get(pola_url(opd)).status_code == 404
    assert login(opd.atasan).get(pola_url(opd)).status_code == 403


def test_the_skp_page_links_to_its_pdfs(app, login, evaluations):
    from app.extensions import db
    from app.models.penilaian import Penilaian

    people, ids = evaluations
    with app.app_context():
        skp_id = db.session.get(Penilaian, ids["tahunan"]).skp_id
    page = login(people.staff).get(f"/skp/{skp_id}").get_data(as_text=True)
    assert f"/skp/{skp_id}/dokumen.pdf" in page
    assert f"/penilaian/{ids['tahunan']}/dokumen.pdf" in page


def test_pdf_and_verification_page_carry_the_security_headers(app, login, submitted_skp):
    people, skp_id = submitted_skp
    pdf = login(people.staff).get(f"/skp/{skp_id}/dokumen.pdf")
    assert pdf.headers["Cache-Control"] == "private, no-store"
    page = app.test_client().get(f"/verifikasi/{token_in(pdf.data)}")
    policy = page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    # Every script of the page is the app's own or carries this request's nonce.
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    for tag in re.findall(r"<script[^>]*>", page.get_data(as_text=True)):
        assert "src=" in tag or f'nonce="{nonce}"' in tag


def test_the_penilaian_page_links_to_its_document(app, login, evaluations):
    people, ids = evaluations
    page = login(people.staff).get(f"/penilaian/{ids['tw1']}").get_data(as_text=True)
    assert f"/penilaian/{ids['tw1']}/dokumen.pdf" in page


# --- the issue time as the reader reads it -------------------------------------------------------


def test_verification_page_gives_the_issue_time_in_wib(app, login, submitted_skp):
    from app.extensions import db
    from app.formatting import waktu
    from app.models.dokumen import DokumenTerbit

    people, skp_id = submitted_skp
    token = token_in(login(people.staff).get(f"/skp/{skp_id}/dokumen.pdf").data)
    page = app.test_client().get(f"/verifikasi/{token}").get_data(as_text=True)
    with app.test_request_context():
        issued = db.session.execute(
            select(DokumenTerbit.diterbitkan_pada).where(DokumenTerbit.token == token)
        ).scalar_one()
        shown = waktu(issued)
    # The time every other page shows ("6 Desember 2026 23.38 WIB"), not the stored UTC one,
    # whose date is the day before for anything issued before 07.00 in Dumai.
    assert shown.endswith(" WIB") and shown in page
    assert "UTC" not in page
