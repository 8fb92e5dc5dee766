"""The rating page holds the evidence the rating rests on (issue 14, item 5): each indikator's
target, realisasi, capaian and bukti dukung as working links, and the kurva distribusi of the
pegawai's OPD so far against its rule, in a constant number of statements."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.conftest import statements
from tests.factories import Chain, chain_with_submitted_skps, viewer_of
from tests.integration.test_kurva import _rated_opd, set_predikat, viewer_of_pimpinan
from tests.unit.test_uploads import PDF

# (aspek, uraian, target, satuan, realisasi): capaian 75 %, 150 % (lower is better), 80 %.
INDIKATOR = [
    ("kuantitas", "Dokumen tertata", "12", "dokumen", "9"),
    ("waktu", "Selesai tepat waktu", "3", "bulan", "2"),
    ("kualitas", "Mutu arsip", "100", "persen", "80"),
]
WORDS = "Laporan tersusun sesuai standar"
DONE_IN_WORDS = "Laporan triwulan I disahkan kepala bidang"
LINK = "https://drive.dumaikota.go.id/arsip-tw1"


@dataclass(frozen=True)
class Evaluation:
    people: Chain
    penilaian_id: int


def evaluation(app, indikator: int = 1, kualitatif: bool = False) -> Evaluation:  # noqa: ANN001
    """A fresh chain whose staff's SKP (``indikator`` of INDIKATOR, or one target in words)
    was approved; the tw1 realisasi recorded with a link per indikator and a PDF on the
    first, and submitted for evaluation — all through the services."""
    from app.models.master import Periode
    from app.models.penilaian import Penilaian
    from app.services import penilaian as penilaian_service
    from app.services import realisasi as realisasi_service
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    staff, atasan = viewer_of(app, people.staff), viewer_of(app, people.atasan)
    with app.test_request_context():
        session = db.session
        year = skp_service.active_year(session)
        pendekatan = "kualitatif" if kualitatif else "kuantitatif"
        skp = skp_service.create_skp(session, staff, year.id, pendekatan)
        rhk = skp_service.add_rhk(
            session, skp.id, staff, "utama", "Arsip tertata", atasan_rhk, None, None
        )
        if kualitatif:
            added = [
                skp_service.add_indikator(session, rhk.id, staff, "kualitas", "Mutu", "", "", WORDS)
            ]
        else:
            added = [
                skp_service.add_indikator(session, rhk.id, staff, aspek, uraian, target, satuan)
                for aspek, uraian, target, satuan, _ in INDIKATOR[:indikator]
            ]
        skp_service.submit(session, skp.id, staff)
        skp_service.approve(session, skp.id, atasan)
        penilaian = session.execute(
            select(Penilaian)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp.id, Periode.jenis == "tw1")
        ).scalar_one()
        for number, (item, row) in enumerate(zip(added, INDIKATOR, strict=False)):
            nilai, catatan = (None, DONE_IN_WORDS) if kualitatif else (row[4], None)
            realisasi = realisasi_service.record(
                session, staff, item.id, penilaian.periode_id, nilai, catatan
            )
            realisasi_service.add_link(session, staff, realisasi.id, LINK, "Folder bukti")
            if number == 0:
                realisasi_service.add_file(
                    session, staff, realisasi.id, io.BytesIO(PDF), "laporan tw1.pdf"
                )
        penilaian_service.submit(session, penilaian.id, staff)
        session.commit()
        return Evaluation(people, penilaian.id)


@pytest.fixture()
def folder(app, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """Uploads of this test go to a folder of its own."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path


def page(client, penilaian_id: int) -> str:  # noqa: ANN001
    response = client.get(f"/penilaian/{penilaian_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def cells(html: str, name: str) -> list[str]:
    """The text of every cell of class ``penilaian-<name>``, in row order."""
    found = re.findall(rf'<td class="penilaian-{name}"[^>]*>(.*?)</td>', html, flags=re.DOTALL)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]


def file_links(html: str) -> list[str]:
    return re.findall(r'href="(/realisasi/bukti/\d+/unduh)"', html)


# --- the evidence --------------------------------------------------------------------------


def test_penilai_sees_target_realisasi_capaian_and_the_evidence_of_each_indikator(
    app, login, folder
):
    found = evaluation(app, indikator=3)
    html = page(login(found.people.atasan), found.penilaian_id)
    assert cells(html, "target") == ["12 dokumen", "3 bulan", "100 persen"]
    assert cells(html, "realisasi-isi") == ["9 dokumen", "2 bulan", "80 persen"]
    assert cells(html, "capaian") == ["75 %", "150 %", "80 %"]
    assert html.count(f'href="{LINK}"') == 3
    assert len(file_links(html)) == 1 and "laporan tw1.pdf" in html


def test_the_penilai_opens_the_file_through_the_realisasi_download(app, login, folder):
    found = evaluation(app)
    atasan = login(found.people.atasan)
    (link,) = file_links(page(atasan, found.penilaian_id))
    response = atasan.get(link)
    assert response.status_code == 200 and response.data == PDF


def test_a_pegawai_outside_the_scope_still_cannot_open_the_evidence(app, login, folder):
    found = evaluation(app)
    (link,) = file_links(page(login(found.people.atasan), found.penilaian_id))
    colleague = login(found.people.colleague)
    assert colleague.get(link).status_code == 404
    assert colleague.get(f"/penilaian/{found.penilaian_id}").status_code == 404


def test_a_kualitatif_target_and_realisasi_read_in_words_without_capaian(app, login, folder):
    found = evaluation(app, kualitatif=True)
    html = page(login(found.people.atasan), found.penilaian_id)
    assert cells(html, "target") == [WORDS]
    assert cells(html, "realisasi-isi") == [DONE_IN_WORDS]
    assert cells(html, "capaian") == ["—"]


def test_the_rating_page_costs_the_same_statements_with_one_or_three_indikator(app, login, folder):
    costs = {}
    for indikator in (1, 3):
        found = evaluation(app, indikator=indikator)
        atasan = login(found.people.atasan)
        page(atasan, found.penilaian_id)  # warm up FAB's permission lookups
        with app.app_context(), statements(app) as seen:
            html = page(atasan, found.penilaian_id)
        assert html.count(f'href="{LINK}"') == indikator
        costs[indikator] = len(seen)
    assert costs[1] == costs[3], costs


# --- the kurva so far ----------------------------------------------------------------------


def panel_counts(html: str) -> dict[str, int]:
    panel = html[html.index('id="kurva-sejauh-ini"') :]
    rows = re.findall(r'<li data-predikat="(\w*)">[^<]*<strong>(\d+)</strong>', panel)
    return {key or "belum_dinilai": int(count) for key, count in rows}


def annual_of(app, nip: str, periode_id: int) -> int:  # noqa: ANN001
    from app.models.master import Pegawai
    from app.models.penilaian import Penilaian
    from app.models.skp import Skp

    with app.app_context():
        return db.session.execute(
            select(Penilaian.id)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(Pegawai, Skp.pegawai_id == Pegawai.id)
            .where(Pegawai.nip == nip, Penilaian.periode_id == periode_id)
        ).scalar_one()


@pytest.fixture(scope="module")
def rated(app):  # noqa: ANN001, ANN201
    """An OPD whose four staff were rated for the year (1 Sangat Baik, 2 Baik, 1 Butuh
    Perbaikan) by their atasan; its predikat organisasi not recorded yet."""
    return _rated_opd(app)


def viewer_by_nip(app, nip: str):  # noqa: ANN001, ANN201
    """The viewer the pages build for ``nip``: with the posts and OPDs that widen its scope."""
    from app.models.master import Pegawai
    from app.security.scope import viewer_for

    with app.app_context():
        user = db.session.execute(select(Pegawai.user_id).where(Pegawai.nip == nip)).scalar_one()
        return viewer_for(app.appbuilder.sm.get_user_by_id(user), db.session)


def rule_lines(html: str) -> dict[str, bool]:
    panel = html[html.index('id="kurva-sejauh-ini"') :]
    return {
        key: breached == "1"
        for key, breached in re.findall(
            r'<li data-rule-key="([^"]+)" data-breached="([01])"', panel
        )
    }


def test_the_kurva_panel_counts_as_the_kurva_service_does_for_the_opd_and_periode(
    app, login, rated
):
    from app.models.master import Periode, UnitKerja
    from app.services import kurva

    annual = annual_of(app, rated.staff[0], rated.tahunan)
    html = page(login(rated.atasan), annual)
    atasan = viewer_by_nip(app, rated.atasan)
    with app.test_request_context():
        opd, periode = db.session.get(UnitKerja, rated.id), db.session.get(Periode, rated.tahunan)
        members = kurva.anggota(db.session, atasan, opd, periode)
        mine = kurva.distribusi(None, (member.predikat for member in members))
        whole = kurva.kalibrasi(db.session, viewer_of_pimpinan(app, rated), opd.id, periode.id)
    assert panel_counts(html) == {**mine.counts, "belum_dinilai": mine.belum_dinilai}
    assert mine.counts == whole.distribusi.counts
    assert mine.counts == {
        "sangat_baik": 1,
        "baik": 2,
        "butuh_perbaikan": 1,
        "kurang": 0,
        "sangat_kurang": 0,
    }
    assert "kurva-sejauh-ini" not in page(login(rated.staff[0]), annual)


def test_the_kurva_panel_says_the_rule_is_kept(app, login, rated):
    set_predikat(app, rated, "baik")
    html = page(login(rated.atasan), annual_of(app, rated.staff[0], rated.tahunan))
    assert 'id="kurva-sejauh-ini" data-breached="0"' in html
    assert rule_lines(html) and not any(rule_lines(html).values())


def test_the_kurva_panel_says_which_rule_is_broken(app, login, rated):
    set_predikat(app, rated, "butuh_perbaikan")
    html = page(login(rated.pimpinan), annual_of(app, rated.staff[1], rated.tahunan))
    assert 'id="kurva-sejauh-ini" data-breached="1"' in html
    assert rule_lines(html) == {
        "butuh_perbaikan:butuh_perbaikan:at_least=60": True,  # 1 of 4 is 25 %
        "butuh_perbaikan:sangat_baik:at_most=10": True,  # 1 of 4 is 25 %
    }
    assert f'href="/kurva/?unit_kerja_id={rated.id}&amp;periode_id={rated.tahunan}"' in html
