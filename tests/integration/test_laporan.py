"""The reports (CONTRACT.md, Reports): every export opened with openpyxl — headers, rows,
title block and print set-up, NIP as text, a formula typed as a name kept as text — scoped
like everything else, filtered by unit subtree and periode, the SIASN layout, and a constant
number of SQL statements whatever the number of rows.

The data is an OPD of our own (other modules add pegawai to the demo OPDs):

    Dinas Uji Laporan (head: pimpinan)
    ├── Bidang A (atasan; staf_1 rated and accepted, named like a formula; staf_2 no SKP)
    │   └── Seksi A1 (staf_3: SKP submitted, waiting on the atasan)
    └── Bidang B (lain: inactive, reports to the head)
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

import openpyxl
import pytest
from flask_babel import gettext
from sqlalchemy import select

from app.domain import scoring
from app.extensions import db
from app.models.master import Jabatan, Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.reports import siasn
from app.security.scope import Viewer
from tests.conftest import statements
from tests.factories import fill_realisasi, person, skp_with_rhk, viewer_of

API = "/api/v1/laporan"
PAGE = "/laporan/"
HEADER_ROW = 8  # 1-based: six lines of title block, a free line, the column headers
FORMULA_NAME = '=HYPERLINK("http://x","klik")'
_serial = itertools.count(1)


@dataclass(frozen=True)
class World:
    opd: int
    opd_nama: str
    bidang_a: int
    seksi: int
    bidang_b: int
    tahunan: int
    tw1: int
    tahun: int
    pimpinan: str
    atasan: str
    staf: list[str]  # staf_1, staf_2, staf_3
    lain: str

    @property
    def everyone(self) -> set[str]:
        return {self.pimpinan, self.atasan, *self.staf, self.lain}


def _build(app) -> World:
    """The OPD, its units and people, committed; SKPs and ratings come after."""
    from app.services import org

    with app.app_context():
        session = db.session
        n = next(_serial)
        root = session.execute(select(UnitKerja.id).where(UnitKerja.parent_id.is_(None))).scalar()
        sekda = session.execute(
            select(UnitKerja.kepala_id).where(UnitKerja.kode == "SETDA")
        ).scalar_one()

        def unit(kode: str, nama: str, jenis: str, parent_id: int) -> UnitKerja:
            made = UnitKerja(kode=f"LAP-{n}-{kode}", nama=nama, jenis=jenis, parent_id=parent_id)
            session.add(made)
            session.flush()
            org.refresh_unit_paths(session, made)
            return made

        opd = unit("OPD", f"Dinas Uji Laporan {n}", "dinas", root)
        bidang_a = unit("A", "Bidang A", "bidang", opd.id)
        seksi = unit("A1", "Seksi A1", "seksi", bidang_a.id)
        bidang_b = unit("B", "Bidang B", "bidang", opd.id)
        kepala = Jabatan(nama=f"Kepala Dinas Laporan {n}", jenis="jpt")
        kabid = Jabatan(nama=f"Kepala Bidang Laporan {n}", jenis="administrator")
        analis = Jabatan(nama=f"Analis Laporan {n}", jenis="pelaksana")
        session.add_all([kepala, kabid, analis])

        head = person(session, "Kepala Laporan", opd.id, jabatan=kepala, atasan_id=sekda)
        opd.kepala_id = head.id
        atasan = person(
            session,
            "Kabid Laporan",
            bidang_a.id,
            jabatan=kabid,
            atasan_id=head.id,
            gelar_belakang="S.E.",
        )
        staf = [
            person(session, FORMULA_NAME, bidang_a.id, jabatan=analis, atasan_id=atasan.id),
            person(session, "Staf Tanpa SKP", bidang_a.id, jabatan=analis, atasan_id=atasan.id),
            person(session, "Staf Seksi", seksi.id, jabatan=analis, atasan_id=atasan.id),
        ]
        lain = person(
            session, "Pegawai Nonaktif", bidang_b.id, jabatan=analis, atasan_id=head.id, aktif=False
        )
        org.sync_roles(session, [head.id, atasan.id, lain.id] + [p.id for p in staf])
        year = session.execute(
            select(Periode).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        periods = dict(
            session.execute(
                select(Periode.jenis, Periode.id).where(Periode.tahun == year.tahun)
            ).all()
        )
        session.commit()
        return World(
            opd=opd.id,
            opd_nama=opd.nama,
            bidang_a=bidang_a.id,
            seksi=seksi.id,
            bidang_b=bidang_b.id,
            tahunan=periods["tahunan"],
            tw1=periods["tw1"],
            tahun=year.tahun,
            pimpinan=head.nip,
            atasan=atasan.nip,
            staf=[p.nip for p in staf],
            lain=lain.nip,
        )


def _evaluate(app, world: World, nip: str, periode_id: int, ratings: tuple[str, str]) -> None:
    """Realisasi → submit → rate → accept, through the services."""
    from app.services import penilaian as penilaian_service

    with app.app_context():
        penilaian_id = db.session.execute(
            select(Penilaian.id)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(Pegawai, Skp.pegawai_id == Pegawai.id)
            .where(Pegawai.nip == nip, Penilaian.periode_id == periode_id)
        ).scalar_one()
    fill_realisasi(app, penilaian_id)
    with app.test_request_context():
        penilaian_service.submit(db.session, penilaian_id, viewer_of(app, nip))
        penilaian_service.rate(db.session, penilaian_id, viewer_of(app, world.atasan), *ratings)
        penilaian_service.accept(db.session, penilaian_id, viewer_of(app, nip))
        db.session.commit()


@pytest.fixture(scope="module")
def world(app) -> World:
    """staf_1's SKP approved, tw1 rated Sangat Baik and the year Baik (both accepted);
    staf_3's SKP submitted; the OPD's predikat organisasi for the year set to Baik."""
    from app.services import kurva
    from app.services import skp as skp_service

    built = _build(app)
    _, top = skp_with_rhk(
        app, built.pimpinan, "Urusan dinas", penugasan_dari="Wali Kota", submit=True
    )
    _, middle = skp_with_rhk(app, built.atasan, "Layanan bidang", intervensi_id=top, submit=True)
    skp_id, _ = skp_with_rhk(app, built.staf[0], "Berkas tertata", intervensi_id=middle)
    with app.test_request_context():
        skp_service.submit(db.session, skp_id, viewer_of(app, built.staf[0]))
        skp_service.approve(db.session, skp_id, viewer_of(app, built.atasan))
        db.session.commit()
    skp_with_rhk(app, built.staf[2], "Arsip seksi", intervensi_id=middle, submit=True)
    _evaluate(app, built, built.staf[0], built.tw1, ("di_atas", "di_atas"))
    _evaluate(app, built, built.staf[0], built.tahunan, ("sesuai", "di_atas"))
    with app.test_request_context():
        admin = Viewer(user_id=None, is_admin=True)
        kurva.tetapkan(db.session, admin, built.opd, built.tahunan, "baik", "800/BKPSDM/2026/001")
        db.session.commit()
    return built


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture()
def get(api):
    """get(username, jenis, **args) → the API response for a report (default .xlsx)."""

    def _get(username: str, jenis: str, ext: str = "xlsx", **args):
        client, headers = api(username)
        query = "&".join(f"{key}={value}" for key, value in args.items())
        return client.get(f"{API}/{jenis}.{ext}?{query}", headers=headers)

    return _get


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[HEADER_ROW]]


def data(sheet, total_row: bool = False) -> list[tuple]:
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    return rows[:-1] if total_row else rows


def nips(sheet) -> set[str]:
    return {row[1] for row in data(sheet)}


def translated(app, msgid: str, **params) -> str:
    with app.test_request_context():
        return gettext(msgid, **params)


# --- every workbook: title block, header, print set-up --------------------------------------

EXPECTED_HEADERS = {
    "pegawai": ["No.", "NIP", "Name", "Rank/grade", "Position", "Work unit"],
    "status_skp": ["No.", "NIP", "Name", "Position", "Work unit", "SKP status"],
    "predikat": ["No.", "NIP", "Name", "Position", "Work unit", "Work result rating"],
    "kepatuhan": ["Ranking", "Work unit", "Active employees", "SKP approved"],
}


@pytest.mark.parametrize("jenis", sorted(EXPECTED_HEADERS))
def test_every_report_has_title_block_frozen_header_filter_and_print_setup(app, get, world, jenis):
    book = workbook(get("admin", jenis, unit_kerja_id=world.opd))
    sheet = book.worksheets[0]
    title = [sheet.cell(row, 1).value for row in range(1, 7)]
    assert title[0] == "PEMERINTAH KOTA DUMAI"
    assert title[1] == "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA"
    assert str(world.tahun) in title[3]
    assert title[4].endswith(f"› {world.opd_nama}")
    printed = translated(app, "Printed on %(when)s by %(who)s", when="@", who="admin")
    assert title[5].startswith(printed.split("@")[0]) and title[5].endswith("admin")
    expected = [translated(app, label) for label in EXPECTED_HEADERS[jenis]]
    assert header(sheet)[: len(expected)] == expected
    rows = len(data(sheet, total_row=jenis == "kepatuhan"))
    last = openpyxl.utils.get_column_letter(len(header(sheet)))
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:{last}{HEADER_ROW + rows}"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (1 is the OOXML default, which xlsxwriter leaves out), any number high.
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows.endswith(f"${HEADER_ROW}")
    assert all(sheet.column_dimensions[letter].width >= 6 for letter in "ABC")


def test_roster_lists_the_opd_with_nip_as_text_and_every_column(app, get, world):
    sheet = workbook(get("admin", "pegawai", unit_kerja_id=world.opd)).active
    rows = {row[1]: row for row in data(sheet)}
    assert set(rows) == world.everyone
    for cells in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=2, max_col=2):
        assert cells[0].data_type == "s" and re.fullmatch(r"\d{18}", cells[0].value)
    atasan = rows[world.atasan]
    assert atasan[2] == "Kabid Laporan, S.E."
    assert atasan[5].endswith("› Bidang A")
    assert (atasan[6], atasan[7]) == ("Kepala Laporan", world.pimpinan)
    assert atasan[8] == translated(app, "PNS")
    assert atasan[9] == translated(app, "Active")
    assert rows[world.lain][9] == translated(app, "Inactive")
    assert [row[0] for row in data(sheet)] == list(range(1, len(rows) + 1))


def test_a_name_typed_as_a_formula_stays_text(get, world):
    response = get("admin", "pegawai", unit_kerja_id=world.opd)
    sheet = workbook(response).active
    cell = next(
        row[2] for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[1].value == world.staf[0]
    )
    assert cell.value == FORMULA_NAME
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


# --- scope ---------------------------------------------------------------------------------


def test_pimpinan_gets_exactly_their_opd(get, world):
    for jenis in ("pegawai", "status_skp", "predikat"):
        sheet = workbook(get(world.pimpinan, jenis)).active
        expected = world.everyone if jenis == "pegawai" else world.everyone - {world.lain}
        assert nips(sheet) == expected, jenis


def test_atasan_gets_only_themselves_and_their_staff(get, world):
    sheet = workbook(get(world.atasan, "pegawai")).active
    assert nips(sheet) == {world.atasan, *world.staf}


def test_kepatuhan_of_a_pimpinan_counts_only_their_opd(get, world):
    sheet = workbook(get(world.pimpinan, "kepatuhan")).active
    rows = data(sheet, total_row=True)
    assert len(rows) == 1 and rows[0][1].startswith("Dinas Uji Laporan")
    assert rows[0][2] == 5  # active pegawai: everyone but the inactive one


def test_a_unit_outside_the_scope_answers_404(app, get, cast, world):
    with app.app_context():
        setda = db.session.execute(select(UnitKerja.id).where(UnitKerja.kode == "SETDA")).scalar()
    for who, unit_id in ((world.pimpinan, setda), (world.atasan, world.bidang_b)):
        response = get(who, "pegawai", unit_kerja_id=unit_id)
        assert response.status_code == 404
        assert response.get_json()["message"] == translated(app, "Work unit not found.")


def test_a_pegawai_without_the_role_is_refused(get, world, login):
    assert get(world.staf[1], "pegawai").status_code == 403
    response = login(world.staf[1]).get(PAGE)
    assert response.status_code in (302, 403)


# --- filters -------------------------------------------------------------------------------


def test_unit_filter_takes_the_whole_subtree(get, world):
    bidang = workbook(get("admin", "pegawai", unit_kerja_id=world.bidang_a)).active
    assert nips(bidang) == {world.atasan, *world.staf}  # staf_3 sits in Seksi A1 below it
    seksi = workbook(get("admin", "pegawai", unit_kerja_id=world.seksi)).active
    assert nips(seksi) == {world.staf[2]}


def test_status_skp_shows_status_dates_and_who_it_waits_on(app, get, world):
    sheet = workbook(get("admin", "status_skp", unit_kerja_id=world.bidang_a)).active
    rows = {row[1]: row for row in data(sheet)}
    approved, missing, submitted = (rows[nip] for nip in world.staf)
    assert approved[5] == translated(app, "Approved")
    assert approved[7] is not None and approved[8] is not None and approved[9] is None
    assert missing[5] == translated(app, "Not yet created") and missing[6] is None
    assert missing[9] == translated(app, "The employee")
    assert submitted[5] == translated(app, "Submitted") and submitted[8] is None
    assert (submitted[9], submitted[10]) == ("Kabid Laporan, S.E.", world.atasan)
    assert submitted[12] == 0
    date_cell = sheet.cell(HEADER_ROW + 1 + list(rows).index(world.staf[0]), 8)
    assert date_cell.is_date and "mmmm" in date_cell.number_format


def test_periode_filter_reads_the_chosen_year(app, get, world):
    with app.app_context():
        other = db.session.execute(
            select(Periode.id).where(Periode.jenis == "tahunan", Periode.tahun != world.tahun)
        ).scalar()
    if other is None:
        pytest.skip("the demo data has a single year")
    sheet = workbook(get("admin", "status_skp", unit_kerja_id=world.opd, periode_id=other)).active
    assert {row[5] for row in data(sheet)} == {translated(app, "Not yet created")}
    ratings = workbook(get("admin", "predikat", unit_kerja_id=world.opd, periode_id=other)).active
    assert all(value is None for row in data(ratings) for value in row[5:])


def test_predikat_per_periode_and_the_annual_summary_against_the_kurva(app, get, world):
    book = workbook(get("admin", "predikat", unit_kerja_id=world.opd))
    detail, summary = book.worksheets
    groups = [cell.value for cell in detail[HEADER_ROW - 1] if cell.value]
    assert groups == [
        translated(app, label)
        for label in ("Quarter I", "Quarter II", "Quarter III", "Quarter IV", "Annual")
    ]
    rated = next(row for row in data(detail) if row[1] == world.staf[0])
    assert rated[5:8] == tuple(
        translated(app, label)
        for label in ("Above expectations", "Above expectations", "Very Good")
    )
    assert rated[17:20] == tuple(
        translated(app, label) for label in ("Meets expectations", "Above expectations", "Good")
    )
    rows = data(summary, total_row=True)
    assert len(rows) == 1
    opd = rows[0]
    assert opd[2] == translated(app, "Good")  # the predikat organisasi set for the year
    assert opd[3:5] == (5, 4)  # listed, not rated
    baik = 5 + 2 * list(scoring.PREDIKAT).index("baik")
    assert opd[baik : baik + 2] == (1, 1)
    assert translated(app, "At most 70 percent Good.") in opd[-1]
    assert translated(app, "At least one Needs Improvement or Poor.") in opd[-1]


def test_predikat_summary_follows_a_quarter_when_one_is_chosen(app, get, world):
    book = workbook(get("admin", "predikat", unit_kerja_id=world.opd, periode_id=world.tw1))
    opd = data(book.worksheets[1], total_row=True)[0]
    sangat_baik = 5 + 2 * list(scoring.PREDIKAT).index("sangat_baik")
    assert opd[sangat_baik : sangat_baik + 2] == (1, 1)
    assert opd[2] is None and opd[-1] == translated(app, "Organisation performance rating not set")


def test_kepatuhan_per_unit_is_ranked_with_shares(get, world):
    sheet = workbook(get("admin", "kepatuhan", unit_kerja_id=world.opd)).active
    rows = data(sheet, total_row=True)
    by_name = {row[1]: row for row in rows}
    bidang = by_name["Bidang A"]
    # atasan (submitted), staf_1 (approved), staf_2 (none), staf_3 (submitted)
    assert bidang[2:6] == (4, 1, 0.25, 3)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    total = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))[-1]
    assert total[2] == sum(row[2] for row in rows) == 5


# --- SIASN ---------------------------------------------------------------------------------

SIASN_FIELDS = [
    "nipBaru",
    "nama",
    "tahun",
    "hasilKinerjaNilai",
    "perilakuKerjaNilai",
    "kuadranKinerjaNilai",
    "hasilKinerja",
    "perilakuKerja",
    "kuadranKinerja",
    "penilaiNipNrp",
    "penilaiNama",
    "penilaiJabatan",
    "penilaiUnorNama",
    "penilaiGolongan",
    "statusPenilai",
]


def test_siasn_xlsx_has_the_skp22_columns_and_settled_results_only(get, world):
    book = workbook(get("admin", "siasn", unit_kerja_id=world.opd))
    sheet = book["skp22"]
    assert [cell.value for cell in sheet[1]] == SIASN_FIELDS
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 1  # only staf_1's annual evaluation is settled
    values = [cell.value for cell in rows[0]]
    assert values[:6] == [world.staf[0], FORMULA_NAME, world.tahun, 2, 1, 2]
    assert values[6:9] == ["SESUAI EKSPEKTASI", "DIATAS EKSPEKTASI", "BAIK"]
    assert values[9:11] == [world.atasan, "Kabid Laporan, S.E."]
    assert values[12] == "Bidang A" and values[14] == "ASN"
    assert rows[0][0].data_type == "s" and rows[0][1].data_type == "s"
    assert [cell.value for cell in book.worksheets[1]["A"][HEADER_ROW:]] == SIASN_FIELDS


def test_siasn_csv_matches_and_defuses_formulas(get, world):
    response = get("admin", "siasn", "csv", unit_kerja_id=world.opd)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == SIASN_FIELDS
    assert len(rows) == 2
    assert rows[1][0] == world.staf[0] and rows[1][1] == "'" + FORMULA_NAME
    assert rows[1][3:6] == ["2", "1", "2"]


def test_the_closing_page_counts_as_ready_for_siasn_the_rows_the_export_takes(get, login, world):
    """Tutup Tahun's "ready for SIASN / active pegawai" of an OPD, read from the maintained
    counts, against the OPD's SIASN file: staf_1's settled year, of 5 active pegawai (the
    inactive one is not counted)."""
    export = get("admin", "siasn", "csv", unit_kerja_id=world.opd)
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    page = login("admin").get(f"/tutup-tahun/?tahun={world.tahun}").get_data(as_text=True)
    row = page[page.index(f'data-opd-id="{world.opd}"') :]
    row = row[: row.index("</tr>")]
    assert f'data-siasn="{len(rows) - 1}/5"' in row
    assert len(rows) - 1 == 1


def test_siasn_codes_cover_every_rating_and_predikat():
    assert set(siasn.RATING_CODES) == set(scoring.RATINGS)
    assert set(siasn.PREDIKAT_CODES) == set(scoring.PREDIKAT)


# --- bad requests --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("nope.xlsx", 404, "There is no such report."),
        ("pegawai.csv", 404, "There is no such report."),
        ("pegawai.xlsx?periode_id=abc", 400, "The period must be given by its number (id)."),
        ("pegawai.xlsx?periode_id=99999", 404, "Period not found."),
        ("pegawai.xlsx?unit_kerja_id=1.5", 400, "The work unit must be given by its number (id)."),
        ("pegawai.xlsx?unit_kerja_id=99999999999", 404, "Work unit not found."),
    ],
)
def test_bad_requests_answer_with_an_indonesian_message(app, api, path, status, message):
    client, headers = api("admin")
    response = client.get(f"{API}/{path}", headers=headers)
    assert response.status_code == status
    assert response.get_json()["message"] == translated(app, message)


def test_the_api_needs_a_token(app):
    assert app.test_client().get(f"{API}/pegawai.xlsx").status_code == 401


# --- the page ------------------------------------------------------------------------------


def test_page_offers_every_report_and_downloads_the_same_file(login, world):
    client = login(world.pimpinan)
    html = client.get(PAGE).get_data(as_text=True)
    for jenis in ("pegawai", "status_skp", "predikat", "kepatuhan", "siasn", "angka_kredit"):
        assert f'data-jenis="{jenis}"' in html
    assert "sikap-picker" in html and 'id="unit_kerja_id"' in html
    sheet = workbook(client.get(f"/laporan/pegawai.xlsx?unit_kerja_id={world.bidang_a}")).active
    assert nips(sheet) == {world.atasan, *world.staf}


def _units_offered(client) -> set[int]:
    """Every unit the page's picker offers, page after page."""
    offered, page, more = set(), 1, True
    while more:
        answer = client.get(f"{PAGE}unit?page={page}").get_json()
        offered |= {row["id"] for row in answer["results"]}
        more, page = answer["pagination"]["more"], page + 1
    return offered


def test_the_unit_filter_offers_the_units_of_the_scope(app, login, world):
    """A pimpinan: every unit of their OPD, and the unit of anyone they rate outside it; an
    atasan: the units of themself and their staff."""
    opd_units = {world.opd, world.bidang_a, world.seksi, world.bidang_b}
    assert _units_offered(login(world.pimpinan)) == opd_units
    assert _units_offered(login(world.atasan)) == {world.bidang_a, world.seksi}
    with app.app_context():
        outside = db.session.execute(
            select(Pegawai)
            .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(UnitKerja.kode == "BAPPEDA", Pegawai.aktif.is_(True))
            .limit(1)
        ).scalar_one()
        head_id = db.session.execute(
            select(Pegawai.id).where(Pegawai.nip == world.pimpinan)
        ).scalar_one()
        outside_id, before, unit_id = outside.id, outside.pejabat_penilai_id, outside.unit_kerja_id
        outside.pejabat_penilai_id = head_id
        db.session.commit()
    try:
        assert _units_offered(login(world.pimpinan)) == opd_units | {unit_id}
    finally:
        with app.app_context():
            db.session.get(Pegawai, outside_id).pejabat_penilai_id = before
            db.session.commit()


def test_the_unit_picker_finds_by_name_and_keeps_the_chosen_unit(app, login, world):
    """The picker pages (20 a time) and searches the units' name paths; the page keeps the
    chosen unit as the picker's only option, and a unit outside the scope is not offered
    (downloading with it answers 404, as above)."""
    client = login(world.pimpinan)
    with app.app_context():
        seksi = db.session.get(UnitKerja, world.seksi)
        term = seksi.nama[2:-2].upper()
        outside = db.session.execute(
            select(UnitKerja.id).where(UnitKerja.kode == "BAPPEDA")
        ).scalar_one()
    found = client.get(f"{PAGE}unit?q={term}").get_json()
    assert world.seksi in {row["id"] for row in found["results"]}
    assert all(term.lower() in row["text"].lower() for row in found["results"])
    html = client.get(f"{PAGE}?unit_kerja_id={world.seksi}").get_data(as_text=True)
    select_html = html.split('id="unit_kerja_id"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="(\d*)"', select_html) == ["", str(world.seksi)]
    html = client.get(f"{PAGE}?unit_kerja_id={outside}").get_data(as_text=True)
    select_html = html.split('id="unit_kerja_id"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="(\d*)"', select_html) == [""]
    assert client.get(f"{PAGE}unit?q=zzzz-none").get_json() == {
        "results": [],
        "pagination": {"more": False},
    }


def test_page_answers_a_bad_id_with_400_and_the_reason(app, login, world):
    response = login(world.pimpinan).get("/laporan/pegawai.xlsx?periode_id=x")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert translated(app, "The period must be given by its number (id).") in html
    assert login(world.pimpinan).get("/laporan/pegawai.xlsx?unit_kerja_id=1").status_code == 404


# --- cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "jenis", ["pegawai", "status_skp", "predikat", "kepatuhan", "siasn", "angka_kredit"]
)
def test_an_export_costs_the_same_statements_for_few_or_many_rows(app, api, world, jenis):
    client, headers = api("admin")
    client.get(f"{API}/{jenis}.xlsx?unit_kerja_id={world.seksi}", headers=headers)  # warm up
    with app.app_context():
        paths = db.session.execute(
            select(UnitKerja.path).join(Pegawai, Pegawai.unit_kerja_id == UnitKerja.id)
        ).scalars()
        opd_sizes = Counter("/".join(path.split("/")[:3]) + "/" for path in paths)
        largest = int(opd_sizes.most_common(1)[0][0].strip("/").split("/")[1])
    costs, rows = {}, {}
    for name, unit_id in (("few", world.seksi), ("many", world.opd), ("more", largest)):
        with app.app_context(), statements(app) as seen:
            response = client.get(f"{API}/{jenis}.xlsx?unit_kerja_id={unit_id}", headers=headers)
        costs[name] = len(seen)
        rows[name] = workbook(response).worksheets[0].max_row
    assert costs["few"] == costs["many"] == costs["more"]
    if jenis == "pegawai":
        assert rows["few"] < rows["many"] < rows["more"]
