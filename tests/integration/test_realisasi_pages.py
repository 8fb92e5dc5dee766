"""Realisasi and bukti dukung through the pages, as owner, atasan, pimpinan OPD, colleague and
an atasan of another OPD: recording, capaian, uploads refused by size and by content, safe
names, scoped downloads, read-only after submit, and the hand-over of a periode."""

from __future__ import annotations

import html
import io
import os
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import (
    Chain,
    chain_with_submitted_skps,
    new_session,
    skp_with_rhk,
    viewer_of,
)
from tests.unit.test_uploads import EXE, PDF, png


@dataclass(frozen=True)
class ApprovedSkp:
    people: Chain
    skp_id: int
    indikator: tuple[int, int]  # kuantitas: 12 dokumen; waktu: 3 bulan
    periode: dict[str, int]  # jenis → periode id
    penilaian: dict[str, int]  # jenis → penilaian id


def approved_skp(app) -> ApprovedSkp:  # noqa: ANN001
    """A fresh chain whose staff SKP (two indikator) was approved through the services."""
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, rhk_id = skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk)
    staff, atasan = viewer_of(app, people.staff), viewer_of(app, people.atasan)
    with app.test_request_context():
        session = db.session
        skp_service.add_indikator(session, rhk_id, staff, "waktu", "Tepat waktu", "3", "bulan")
        skp_service.submit(session, skp_id, staff)
        skp_service.approve(session, skp_id, atasan)
        session.commit()
        indikator = session.execute(
            select(IndikatorKinerja.id)
            .join(RencanaHasilKerja)
            .where(RencanaHasilKerja.skp_id == skp_id)
            .order_by(IndikatorKinerja.id)
        ).scalars()
        rows = session.execute(
            select(Periode.jenis, Periode.id, Penilaian.id)
            .join(Penilaian, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp_id)
        ).all()
    return ApprovedSkp(
        people,
        skp_id,
        tuple(indikator),
        {jenis: periode for jenis, periode, _ in rows},
        {jenis: penilaian for jenis, _, penilaian in rows},
    )


def realisasi_of(app, indikator_id: int, periode_id: int):  # noqa: ANN001, ANN201
    from app.extensions import db
    from app.models.monitoring import Realisasi

    with app.app_context():
        db.session.expire_all()
        return db.session.execute(
            select(Realisasi).where(
                Realisasi.indikator_kinerja_id == indikator_id, Realisasi.periode_id == periode_id
            )
        ).scalar()


def bukti_of(app, realisasi_id: int) -> list:  # noqa: ANN001
    from app.extensions import db
    from app.models.monitoring import BuktiDukung

    with app.app_context():
        return list(
            db.session.execute(
                select(BuktiDukung)
                .where(BuktiDukung.realisasi_id == realisasi_id)
                .order_by(BuktiDukung.id)
            ).scalars()
        )


def penilaian_status(app, penilaian_id: int) -> str:  # noqa: ANN001
    from app.extensions import db
    from app.models.penilaian import Penilaian

    with app.app_context():
        db.session.expire_all()
        return db.session.get(Penilaian, penilaian_id).status


def flashes(client) -> list[tuple[str, str]]:  # noqa: ANN001
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


@pytest.fixture()
def skp(app) -> ApprovedSkp:  # noqa: ANN001
    return approved_skp(app)


@pytest.fixture()
def folder(app, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """Uploads of this test go to a folder of its own."""
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(path))
    return path


def page_url(skp: ApprovedSkp, jenis: str = "tw1") -> str:
    return f"/realisasi/{skp.skp_id}/{skp.periode[jenis]}"


def save(client, skp: ApprovedSkp, indikator_id: int, nilai: str, jenis: str = "tw1", **extra):  # noqa: ANN001, ANN201
    data = {"nilai": nilai, "catatan": "", "version_id": ""} | extra
    return client.post(f"{page_url(skp, jenis)}/indikator/{indikator_id}", data=data)


def field_error(page: str, field: str) -> str:
    """The refusal shown under a field of the page's refused form ("" when none)."""
    found = re.findall(rf'data-field-error="{field}">(.*?)</p>', page, re.S)
    return " ".join(found)


def typed_in(page: str, form_class: str, name: str) -> str | None:
    """The value of the box ``name`` in the refused form of that class (the one marked
    has-error), as the page shows it again."""
    form = re.search(rf'<form[^>]*class="{form_class} has-error"[^>]*>(.*?)</form>', page, re.S)
    if form is None:
        return None
    box = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', form.group(1))
    return html.unescape(box.group(1)) if box else None


def upload(client, realisasi_id: int, content: bytes, name: str):  # noqa: ANN001, ANN201
    return client.post(
        f"/realisasi/isian/{realisasi_id}/berkas",
        data={"berkas": (io.BytesIO(content), name), "keterangan": "Bukti"},
        content_type="multipart/form-data",
    )


def recorded(app, login, skp: ApprovedSkp, nilai: str = "6") -> int:  # noqa: ANN001
    """The staff's realisasi of the first indikator in tw1; returns its id."""
    save(login(skp.people.staff), skp, skp.indikator[0], nilai)
    found = realisasi_of(app, skp.indikator[0], skp.periode["tw1"])
    assert found is not None
    return found.id


# --- recording --------------------------------------------------------------------------


def test_skp_page_links_the_realisasi_of_each_periode(login, skp):
    html = login(skp.people.staff).get(f"/skp/{skp.skp_id}").get_data(as_text=True)
    for jenis in ("tw1", "tw2", "tw3", "tw4", "tahunan"):
        assert f'href="{page_url(skp, jenis)}"' in html


def test_owner_records_realisasi_and_sees_its_capaian(app, login, skp):
    staff = login(skp.people.staff)
    page = staff.get(page_url(skp))
    assert page.status_code == 200
    assert 'id="btn-ajukan-realisasi"' in page.get_data(as_text=True)

    response = save(staff, skp, skp.indikator[0], "6", catatan="Enam dokumen selesai")
    assert response.status_code == 302
    saved = realisasi_of(app, skp.indikator[0], skp.periode["tw1"])
    assert (saved.nilai, saved.catatan) == (Decimal("6.00"), "Enam dokumen selesai")
    save(staff, skp, skp.indikator[1], "2")  # waktu: 2 months against 3 → 150 %

    html = staff.get(page_url(skp)).get_data(as_text=True)
    assert "50 %" in html and "150 %" in html
    assert "Enam dokumen selesai" in html


def test_owner_changes_a_realisasi_and_a_stale_form_is_refused(app, login, skp):
    staff = login(skp.people.staff)
    save(staff, skp, skp.indikator[0], "6")
    first = realisasi_of(app, skp.indikator[0], skp.periode["tw1"])
    save(staff, skp, skp.indikator[0], "12,5", version_id=str(first.version_id))
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]).nilai == Decimal("12.50")

    save(staff, skp, skp.indikator[0], "1", version_id=str(first.version_id))  # an old tab
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]).nilai == Decimal("12.50")
    assert flashes(staff)[-1][0] == "danger"


@pytest.mark.parametrize("nilai", ["", "-1", "banyak", "1e13"])
def test_a_realisasi_must_be_a_number_of_zero_or_more(app, login, skp, nilai):
    staff = login(skp.people.staff)
    assert save(staff, skp, skp.indikator[0], nilai).status_code == 302
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]) is None
    assert flashes(staff)[-1][0] == "danger"


def test_a_catatan_over_5000_characters_is_refused(app, login, skp):
    save(login(skp.people.staff), skp, skp.indikator[0], "6", catatan="x" * 5001)
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]) is None


def test_atasan_and_pimpinan_read_but_cannot_write(app, login, skp, folder):
    from app.extensions import db
    from app.models.master import Pegawai, UnitKerja

    realisasi_id = recorded(app, login, skp)
    with app.app_context():
        pimpinan = db.session.execute(
            select(Pegawai.nip)
            .join(UnitKerja, UnitKerja.kepala_id == Pegawai.id)
            .where(UnitKerja.kode == "BAPPEDA")
        ).scalar_one()
    for reader in (login(skp.people.atasan), login(pimpinan)):
        html = reader.get(page_url(skp)).get_data(as_text=True)
        assert 'id="realisasi-read-only"' in html
        assert 'id="btn-ajukan-realisasi"' not in html
    atasan = login(skp.people.atasan)
    assert save(atasan, skp, skp.indikator[0], "99").status_code == 403
    assert save(atasan, skp, skp.indikator[1], "1").status_code == 403
    assert upload(atasan, realisasi_id, PDF, "laporan.pdf").status_code == 403
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]).nilai == Decimal("6.00")
    assert realisasi_of(app, skp.indikator[1], skp.periode["tw1"]) is None
    assert bukti_of(app, realisasi_id) == []


@pytest.mark.parametrize("who", ["colleague", "outsider_atasan"])
def test_someone_out_of_scope_gets_404_for_the_page_and_every_write(app, login, cast, skp, who):
    realisasi_id = recorded(app, login, skp)
    username = skp.people.colleague if who == "colleague" else cast.outsider_atasan
    client = login(username)
    assert client.get(page_url(skp)).status_code == 404
    assert save(client, skp, skp.indikator[0], "1").status_code == 404
    assert upload(client, realisasi_id, PDF, "laporan.pdf").status_code == 404
    response = client.post(f"/realisasi/isian/{realisasi_id}/tautan", data={"url": "https://a.id"})
    assert response.status_code == 404
    assert client.post(f"{page_url(skp)}/ajukan", data={}).status_code == 404
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]).nilai == Decimal("6.00")


def test_a_periode_the_skp_is_not_evaluated_in_is_404(app, login, skp):
    from app.extensions import db
    from app.models.master import Periode

    with app.app_context():
        last_year = db.session.execute(
            select(Periode.id).where(Periode.id.not_in(list(skp.periode.values())))
        ).scalar()
    staff = login(skp.people.staff)
    assert staff.get(f"/realisasi/{skp.skp_id}/{last_year}").status_code == 404
    save(staff, skp, skp.indikator[0], "1", jenis="tw1")
    response = staff.post(
        f"/realisasi/{skp.skp_id}/{last_year}/indikator/{skp.indikator[0]}", data={"nilai": "1"}
    )
    assert response.status_code == 302 and flashes(staff)[-1][0] == "danger"
    assert realisasi_of(app, skp.indikator[0], last_year) is None


def test_a_draft_skp_takes_no_realisasi(app):
    from app.domain.errors import TransitionRefused
    from app.extensions import db
    from app.models.master import Periode
    from app.models.skp import IndikatorKinerja
    from app.services import realisasi as realisasi_service
    from app.services.errors import NotFound

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, rhk_id = skp_with_rhk(app, people.staff, "Draf", intervensi_id=atasan_rhk)
    staff = viewer_of(app, people.staff)
    with app.test_request_context():
        session = db.session
        tw1 = session.execute(select(Periode.id).where(Periode.jenis == "tw1")).scalar()
        indikator_id = session.execute(
            select(IndikatorKinerja.id).where(IndikatorKinerja.rencana_hasil_kerja_id == rhk_id)
        ).scalar_one()
        with pytest.raises(NotFound):
            realisasi_service.page(session, skp_id, tw1, staff)
        with pytest.raises(TransitionRefused):
            realisasi_service.create(session, staff, indikator_id, tw1, "1")
        session.rollback()


# --- evidence ---------------------------------------------------------------------------


def test_owner_uploads_a_pdf_and_a_png_and_those_in_scope_download_them(
    app, login, cast, skp, folder
):
    realisasi_id = recorded(app, login, skp)
    staff = login(skp.people.staff)
    assert upload(staff, realisasi_id, PDF, "Laporan TW I.pdf").status_code == 302
    assert upload(staff, realisasi_id, png(), "foto.png").status_code == 302
    pdf, image = bukti_of(app, realisasi_id)
    assert (pdf.jenis, pdf.nama_file, pdf.mime, pdf.ukuran) == (
        "file",
        "Laporan TW I.pdf",
        "application/pdf",
        len(PDF),
    )
    assert image.mime == "image/png"
    assert sorted(os.listdir(folder)) == sorted([pdf.path, image.path])
    assert (folder / pdf.path).read_bytes() == PDF
    assert "Laporan TW I.pdf" in staff.get(page_url(skp)).get_data(as_text=True)

    for username in (skp.people.staff, skp.people.atasan, cast.admin):
        response = login(username).get(f"/realisasi/bukti/{pdf.id}/unduh")
        assert response.status_code == 200
        assert response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "Laporan TW I.pdf" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == "application/pdf"


@pytest.mark.parametrize("who", ["colleague", "outsider_atasan"])
def test_download_out_of_scope_is_404(app, login, cast, skp, folder, who):
    realisasi_id = recorded(app, login, skp)
    upload(login(skp.people.staff), realisasi_id, PDF, "rahasia.pdf")
    (bukti,) = bukti_of(app, realisasi_id)
    username = skp.people.colleague if who == "colleague" else cast.outsider_atasan
    response = login(username).get(f"/realisasi/bukti/{bukti.id}/unduh")
    assert response.status_code == 404
    assert PDF not in response.data


@pytest.mark.parametrize(
    ("size", "where"),
    [(1024 * 1024 + 1, "store"), (2 * 1024 * 1024, "request")],
    ids=["just-over-the-file-limit", "over-the-request-limit"],
)
def test_a_file_over_the_limit_is_refused_with_a_message(
    app, login, skp, folder, monkeypatch, size, where
):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    realisasi_id = recorded(app, login, skp)
    staff = login(skp.people.staff)
    response = upload(staff, realisasi_id, PDF + b"0" * (size - len(PDF)), "besar.pdf")
    # The page again, the reason under the file field.
    assert response.status_code == 413
    assert "1 MB" in field_error(response.get_data(as_text=True), "berkas")
    assert bukti_of(app, realisasi_id) == []
    assert not folder.exists() or os.listdir(folder) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [(png(), "laporan.pdf"), (EXE, "laporan.pdf"), (EXE, "setup.exe"), (PDF, "laporan.html")],
    ids=["png-named-pdf", "exe-named-pdf", "exe", "html-extension"],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    app, login, skp, folder, content, name
):
    realisasi_id = recorded(app, login, skp)
    staff = login(skp.people.staff)
    response = upload(staff, realisasi_id, content, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "berkas")
    # The description typed with the file is still in its box.
    assert typed_in(page, "realisasi-unggah", "keterangan") == "Bukti"
    assert bukti_of(app, realisasi_id) == []
    assert os.listdir(folder) == []


def test_a_path_traversal_name_is_kept_for_display_only(app, login, skp, folder, tmp_path):
    realisasi_id = recorded(app, login, skp)
    staff = login(skp.people.staff)
    upload(staff, realisasi_id, PDF, "../../etc/passwd.pdf")
    (bukti,) = bukti_of(app, realisasi_id)
    assert bukti.nama_file == "passwd.pdf"
    assert len(bukti.path) == 32 and set(bukti.path) <= set("0123456789abcdef")
    assert os.listdir(folder) == [bukti.path]
    assert sorted(os.listdir(tmp_path)) == ["uploads"]  # nothing written beside the folder
    response = staff.get(f"/realisasi/bukti/{bukti.id}/unduh")
    assert response.headers["Content-Disposition"] == "attachment; filename=passwd.pdf"


def test_links_must_be_http_or_https(app, login, skp):
    realisasi_id = recorded(app, login, skp)
    staff = login(skp.people.staff)
    for refused in ("javascript:alert(1)", "ftp://arsip.dumaikota.go.id/a", "https://", "x" * 10):
        staff.post(f"/realisasi/isian/{realisasi_id}/tautan", data={"url": refused})
    too_long = "https://dumaikota.go.id/" + "a" * 2000
    staff.post(f"/realisasi/isian/{realisasi_id}/tautan", data={"url": too_long})
    assert bukti_of(app, realisasi_id) == []

    good = "https://drive.dumaikota.go.id/laporan?tw=1"
    staff.post(f"/realisasi/isian/{realisasi_id}/tautan", data={"url": good, "keterangan": "Map"})
    (link,) = bukti_of(app, realisasi_id)
    assert (link.jenis, link.url, link.keterangan, link.path) == ("url", good, "Map", None)
    assert f'href="{good.replace("&", "&amp;")}"' in staff.get(page_url(skp)).get_data(as_text=True)


def test_a_refused_link_is_shown_again_as_typed_with_the_reason_on_its_field(app, login, skp):
    realisasi_id = recorded(app, login, skp)
    staff = login(skp.people.staff)
    typed = {"url": "ftp://arsip.dumaikota.go.id/a&b", "keterangan": "Map arsip triwulan"}
    response = staff.post(f"/realisasi/isian/{realisasi_id}/tautan", data=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert typed_in(page, "realisasi-tautan", "url") == typed["url"]
    assert typed_in(page, "realisasi-tautan", "keterangan") == typed["keterangan"]
    assert "http://" in field_error(page, "url")
    # Only the refused form holds it: the other rows' link forms are empty.
    assert page.count(typed["keterangan"]) == 1
    assert bukti_of(app, realisasi_id) == []


def test_deleting_evidence_removes_its_file_only_after_the_commit(app, login, skp, folder):
    realisasi_id = recorded(app, login, skp)
    staff = login(skp.people.staff)
    upload(staff, realisasi_id, PDF, "laporan.pdf")
    (bukti,) = bukti_of(app, realisasi_id)
    assert login(skp.people.atasan).post(f"/realisasi/bukti/{bukti.id}/hapus").status_code == 403
    assert os.listdir(folder) == [bukti.path]

    assert staff.post(f"/realisasi/bukti/{bukti.id}/hapus", data={}).status_code == 302
    assert bukti_of(app, realisasi_id) == []
    assert os.listdir(folder) == []


def test_a_file_of_a_transaction_that_rolls_back_leaves_the_disk(app, skp, folder):
    from app.extensions import db
    from app.models.monitoring import BuktiDukung
    from app.services import realisasi as realisasi_service

    staff = viewer_of(app, skp.people.staff)
    with app.test_request_context():
        realisasi = realisasi_service.create(
            db.session, staff, skp.indikator[0], skp.periode["tw1"], "6"
        )
        db.session.commit()
        bukti = realisasi_service.add_file(
            db.session, staff, realisasi.id, io.BytesIO(PDF), "laporan.pdf"
        )
        assert os.listdir(folder) == [bukti.path]
        db.session.rollback()
        assert os.listdir(folder) == []

        kept = realisasi_service.add_file(
            db.session, staff, realisasi.id, io.BytesIO(PDF), "laporan.pdf"
        )
        db.session.commit()
        db.session.delete(db.session.get(BuktiDukung, kept.id))
        db.session.flush()
        db.session.rollback()  # the deletion did not happen: the file stays
        assert os.listdir(folder) == [kept.path]


# --- handing the periode over -----------------------------------------------------------


def test_submit_is_refused_until_every_indikator_has_a_realisasi(app, login, skp):
    staff = login(skp.people.staff)
    save(staff, skp, skp.indikator[0], "6")
    response = staff.post(f"{page_url(skp)}/ajukan", data={})
    assert response.status_code == 302
    category, message = flashes(staff)[-1]
    assert category == "danger" and "Tepat waktu" in message
    assert penilaian_status(app, skp.penilaian["tw1"]) == "belum_dinilai"
    assert 'id="realisasi-missing"' in staff.get(page_url(skp)).get_data(as_text=True)

    save(staff, skp, skp.indikator[1], "3")
    staff.post(f"{page_url(skp)}/ajukan", data={})
    assert penilaian_status(app, skp.penilaian["tw1"]) == "diajukan"
    assert penilaian_status(app, skp.penilaian["tw2"]) == "belum_dinilai"  # periods apart


def test_nothing_changes_after_the_periode_is_submitted(app, login, skp, folder):
    staff = login(skp.people.staff)
    realisasi_id = recorded(app, login, skp)
    upload(staff, realisasi_id, PDF, "laporan.pdf")
    (bukti,) = bukti_of(app, realisasi_id)
    save(staff, skp, skp.indikator[1], "3")
    staff.post(f"{page_url(skp)}/ajukan", data={})
    assert penilaian_status(app, skp.penilaian["tw1"]) == "diajukan"

    html = staff.get(page_url(skp)).get_data(as_text=True)
    assert 'id="realisasi-read-only"' in html and 'name="nilai"' not in html
    save(staff, skp, skp.indikator[0], "99")
    upload(staff, realisasi_id, PDF, "lagi.pdf")
    linked = staff.post(
        f"/realisasi/isian/{realisasi_id}/tautan", data={"url": "https://dumaikota.go.id"}
    )
    # The reason above the page: its evidence forms are gone.
    assert linked.status_code == 409 and 'id="form-refused"' in linked.get_data(as_text=True)
    staff.post(f"/realisasi/bukti/{bukti.id}/hapus", data={})
    assert flashes(staff)[-1][0] == "danger"
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]).nilai == Decimal("6.00")
    assert [b.id for b in bukti_of(app, realisasi_id)] == [bukti.id]
    assert os.listdir(folder) == [bukti.path]
    # the next periode is still open
    assert save(staff, skp, skp.indikator[0], "7", jenis="tw2").status_code == 302
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw2"]).nilai == Decimal("7.00")


def test_an_edit_racing_the_submit_of_its_periode_loses(app, skp):
    from sqlalchemy.orm.exc import StaleDataError

    from app.extensions import db
    from app.models.penilaian import Penilaian
    from app.services import penilaian as penilaian_service
    from app.services import realisasi as realisasi_service

    staff = viewer_of(app, skp.people.staff)
    with app.test_request_context():
        for indikator_id in skp.indikator:
            realisasi_service.create(db.session, staff, indikator_id, skp.periode["tw1"], "3")
        db.session.commit()
    first = realisasi_of(app, skp.indikator[0], skp.periode["tw1"])
    with app.test_request_context(), new_session() as editing, new_session() as submitting:
        seen = editing.get(Penilaian, skp.penilaian["tw1"])  # the edit was loaded before …
        assert seen.status == "belum_dinilai"
        penilaian_service.submit(submitting, skp.penilaian["tw1"], staff)
        submitting.commit()  # … the periode was submitted in another tab
        with pytest.raises(StaleDataError):
            realisasi_service.update(editing, staff, first.id, "99")
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]).nilai == Decimal("3.00")
