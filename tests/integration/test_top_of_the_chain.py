"""The top of the chain (issue 12, item 3): a pegawai whose pejabat penilai is not an ASN
(the Sekda's: the Wali Kota) submits; admin BKPSDM approves and rates on the official's
behalf with the signed document; the act, the page and the print say "a.n. <official>"; an
objection goes to admin BKPSDM (Tim Penilai Kinerja); the SIASN file marks the penilai
NON ASN."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import pegawai_id
from tests.factories import fill_realisasi, new_chain

OFFICIAL = {"penilai_non_asn_nama": "H. Walikota Uji", "penilai_non_asn_jabatan": "Wali Kota Dumai"}
ATAS_NAMA = "Wali Kota Dumai (H. Walikota Uji)"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def signed(name: str = "persetujuan.pdf") -> tuple[io.BytesIO, str]:
    return io.BytesIO(PDF), name


@pytest.fixture()
def top(app, api):
    """A pegawai at the top of the chain: no atasan, the Wali Kota as non-ASN penilai;
    returns (nip, pegawai id, the admin's client and headers)."""
    people = new_chain(app)
    me = pegawai_id(app, people.staff)
    admin, headers = api("admin")
    response = admin.put(
        f"/api/v1/pegawai/{me}", json={"atasan_id": None, **OFFICIAL}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    return people.staff, me, admin, headers


def submitted_skp(api, nip: str) -> int:
    client, headers = api(nip)
    year = client.get(
        "/api/v1/periode/?q=(filters:!((col:aktif,opr:eq,value:!t),(col:jenis,opr:eq,value:tahunan)))",
        headers=headers,
    ).get_json()["ids"][0]
    skp = client.post("/api/v1/skp/", json={"periode_id": year}, headers=headers).get_json()["id"]
    rhk = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={
            "skp_id": skp,
            "jenis": "utama",
            "uraian": "Tata kelola",
            "penugasan_dari": "Wali Kota",
        },
        headers=headers,
    ).get_json()["id"]
    indikator = {
        "rencana_hasil_kerja_id": rhk,
        "aspek": "kuantitas",
        "uraian": "Dokumen",
        "target": 4,
        "satuan": "dokumen",
    }
    assert (
        client.post("/api/v1/indikator_kinerja/", json=indikator, headers=headers).status_code
        == 201
    )
    response = client.post(f"/api/v1/skp/{skp}/submit", headers=headers)
    assert response.status_code == 200, response.get_json()
    return skp


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"penilai_non_asn_nama": "H. Walikota Uji"}, "penilai_non_asn_jabatan"),
        ({**OFFICIAL, "atasan_id": "keep"}, "penilai_non_asn_nama"),
    ],
)
def test_a_non_asn_penilai_needs_name_and_position_and_no_penilai_in_the_app(app, api, body, field):
    people = new_chain(app)
    me = pegawai_id(app, people.staff)
    admin, headers = api("admin")
    if body.get("atasan_id") == "keep":
        body = {**body, "atasan_id": pegawai_id(app, people.atasan)}
    response = admin.put(f"/api/v1/pegawai/{me}", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["field"] == field


def test_admin_approves_on_behalf_of_the_official_with_the_signed_document(app, api, login, top):
    nip, _, admin, headers = top
    skp = submitted_skp(api, nip)

    inbox = login("admin").get("/skp/persetujuan/").get_data(as_text=True)
    assert f"/skp/{skp}" in inbox

    refused = admin.post(f"/api/v1/skp/{skp}/approve", json={}, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["field"] == "dokumen"

    approved = admin.post(
        f"/api/v1/skp/{skp}/approve",
        data={"catatan": "Sesuai", "dokumen": signed()},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json() == {"id": skp, "status": "disetujui", "atas_nama": ATAS_NAMA}

    page = login(nip).get(f"/skp/{skp}").get_data(as_text=True)
    assert f"a.n. {ATAS_NAMA}" in page
    assert "NON ASN" in page
    assert "persetujuan.pdf" in page
    printed = login(nip).get(f"/skp/dokumen/{skp}/cetak").get_data(as_text=True)
    assert "NON ASN" in printed and ATAS_NAMA in printed

    from app.extensions import db
    from app.models.skp import SkpRiwayat

    with app.app_context():
        riwayat = db.session.execute(
            select(SkpRiwayat).where(SkpRiwayat.skp_id == skp, SkpRiwayat.aksi == "approve")
        ).scalar_one()
        assert riwayat.atas_nama == ATAS_NAMA and riwayat.oleh_id is None
        step = riwayat.id
    download = login(nip).get(f"/skp/riwayat/{step}/dokumen")
    assert download.status_code == 200 and download.data == PDF
    assert login(new_chain(app).staff).get(f"/skp/riwayat/{step}/dokumen").status_code == 404


def test_nobody_else_may_approve_and_the_owner_cannot_approve_their_own(app, api, top):
    nip, _, _, _ = top
    skp = submitted_skp(api, nip)
    client, headers = api(nip)
    response = client.post(f"/api/v1/skp/{skp}/approve", json={}, headers=headers)
    assert response.status_code == 403


def test_admin_rates_on_behalf_and_an_objection_goes_to_the_tim_penilai(app, api, login, top):
    nip, me, admin, headers = top
    skp = submitted_skp(api, nip)
    response = admin.post(
        f"/api/v1/skp/{skp}/approve",
        data={"dokumen": signed()},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian

    with app.app_context():
        rows = dict(
            db.session.execute(
                select(Periode.jenis, Penilaian.id)
                .join(Periode, Penilaian.periode_id == Periode.id)
                .where(Penilaian.skp_id == skp)
            ).all()
        )
    tw1 = rows["tw1"]
    fill_realisasi(app, tw1)
    client, own = api(nip)
    assert client.post(f"/api/v1/penilaian/{tw1}/submit", headers=own).status_code == 200

    page = login("admin").get("/penilaian/").get_data(as_text=True)
    assert f"/penilaian/{tw1}" in page
    rating = {"rating_hasil_kerja": "di_bawah", "rating_perilaku_kerja": "sesuai"}
    refused = admin.post(f"/api/v1/penilaian/{tw1}/rate", json=rating, headers=headers)
    assert refused.status_code == 422 and refused.get_json()["field"] == "dokumen"
    rated = admin.post(
        f"/api/v1/penilaian/{tw1}/rate",
        data={**rating, "dokumen": signed("penilaian.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert rated.status_code == 200, rated.get_json()
    assert rated.get_json()["atas_nama"] == ATAS_NAMA
    detail = login(nip).get(f"/penilaian/{tw1}").get_data(as_text=True)
    assert f"a.n. {ATAS_NAMA}" in detail and "penilaian.pdf" in detail

    objection = {"alasan": "Target tercapai"}
    assert (
        client.post(f"/api/v1/penilaian/{tw1}/object", json=objection, headers=own).status_code
        == 200
    )
    to_decide = login("admin").get("/penilaian/").get_data(as_text=True)
    assert f"/penilaian/{tw1}" in to_decide
    decision = {
        "rating_hasil_kerja": "sesuai",
        "rating_perilaku_kerja": "sesuai",
        "catatan": "Bukti cukup",
    }
    decided = admin.post(f"/api/v1/penilaian/{tw1}/decide", json=decision, headers=headers)
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json() == {
        "id": tw1,
        "status": "final",
        "predikat": "baik",
        "atas_nama": "Tim Penilai Kinerja BKPSDM",
    }


def test_the_siasn_file_marks_the_non_asn_penilai(app, api, top):
    nip, _, admin, headers = top
    skp = submitted_skp(api, nip)
    admin.post(
        f"/api/v1/skp/{skp}/approve",
        data={"dokumen": signed()},
        headers=headers,
        content_type="multipart/form-data",
    )
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian

    with app.app_context():
        annual, year = db.session.execute(
            select(Penilaian.id, Periode.id)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp, Periode.jenis == "tahunan")
        ).one()
    fill_realisasi(app, annual)
    client, own = api(nip)
    assert client.post(f"/api/v1/penilaian/{annual}/submit", headers=own).status_code == 200
    rating = {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai"}
    admin.post(
        f"/api/v1/penilaian/{annual}/rate",
        data={**rating, "dokumen": signed()},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert client.post(f"/api/v1/penilaian/{annual}/accept", headers=own).status_code == 200

    report = admin.get(f"/api/v1/laporan/siasn.xlsx?periode_id={year}", headers=headers)
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(report.data)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = next(
        r for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("nipBaru")] == nip
    )
    record = dict(zip(header, row, strict=True))
    assert record["penilaiNama"] == "H. Walikota Uji"
    assert record["penilaiJabatan"] == "Wali Kota Dumai"
    assert not record["penilaiNipNrp"]
    assert "NON ASN" in [str(value) for value in row]
