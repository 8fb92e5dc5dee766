"""Angka kredit of a jabatan fungsional (DOMAIN.md, Organisation realities → Angka kredit):
shown on Kinerja Saya and the annual evaluation page of a JF pegawai once the annual predikat
is settled, and exported as the ``angka_kredit`` report, scoped like every other report.

The data is an OPD of our own:

    Dinas Uji Angka Kredit (head: pimpinan)
    ├── Bidang A (atasan; guru: Ahli Muda, Baik; teknisi: Terampil from 1 April, Sangat Baik;
    │             staf: pelaksana, Baik; analis: Ahli Pertama, rated but not yet accepted)
    └── Bidang B (bidan: Mahir, reports to the head, Baik)
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.master import Jabatan, Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from tests.factories import fill_realisasi, person, skp_with_rhk, viewer_of

API = "/api/v1/laporan/angka_kredit.xlsx"
HEADER_ROW = 8  # 1-based: six lines of title block, a free line, the column headers
_serial = itertools.count(1)


@dataclass(frozen=True)
class World:
    opd: int
    tahun: int
    tahunan: int
    pimpinan: str
    atasan: str
    guru: str
    teknisi: str
    staf: str
    bidan: str
    analis: str
    annual: dict[str, int]  # penilaian id of the year by NIP


def _build(app) -> World:
    """The OPD, its people and the teknisi's move into the jenjang on 1 April, committed."""
    from app.models.riwayat_jabatan import RiwayatJabatan
    from app.services import org

    with app.app_context():
        session = db.session
        n = next(_serial)
        root = session.execute(select(UnitKerja.id).where(UnitKerja.parent_id.is_(None))).scalar()
        sekda = session.execute(
            select(UnitKerja.kepala_id).where(UnitKerja.kode == "SETDA")
        ).scalar_one()

        def unit(kode: str, nama: str, jenis: str, parent_id: int) -> UnitKerja:
            made = UnitKerja(kode=f"AK-{n}-{kode}", nama=nama, jenis=jenis, parent_id=parent_id)
            session.add(made)
            session.flush()
            org.refresh_unit_paths(session, made)
            return made

        def post(nama: str, jenis: str, jenjang: str | None = None) -> Jabatan:
            made = Jabatan(nama=f"{nama} {n}", jenis=jenis, jenjang=jenjang)
            session.add(made)
            return made

        opd = unit("OPD", f"Dinas Uji Angka Kredit {n}", "dinas", root)
        bidang_a = unit("A", "Bidang A", "bidang", opd.id)
        bidang_b = unit("B", "Bidang B", "bidang", opd.id)
        pelaksana = post("Pengadministrasi AK", "pelaksana")
        terampil = post("Pranata Komputer Terampil", "fungsional_keterampilan", "terampil")

        head = person(
            session, "Kepala AK", opd.id, jabatan=post("Kepala AK", "jpt"), atasan_id=sekda
        )
        opd.kepala_id = head.id
        atasan = person(
            session, "Kabid AK", bidang_a.id, jabatan=post("Kabid AK", "administrator"),
            atasan_id=head.id,
        )  # fmt: skip
        guru = person(
            session, "Guru AK", bidang_a.id,
            jabatan=post("Guru Ahli Muda", "fungsional_keahlian", "ahli_muda"), atasan_id=atasan.id,
        )  # fmt: skip
        teknisi = person(session, "Teknisi AK", bidang_a.id, jabatan=terampil, atasan_id=atasan.id)
        staf = person(session, "Staf AK", bidang_a.id, jabatan=pelaksana, atasan_id=atasan.id)
        analis = person(
            session, "Analis AK", bidang_a.id,
            jabatan=post("Analis Ahli Pertama", "fungsional_keahlian", "ahli_pertama"),
            atasan_id=atasan.id,
        )  # fmt: skip
        bidan = person(
            session, "Bidan AK", bidang_b.id,
            jabatan=post("Bidan Mahir", "fungsional_keterampilan", "mahir"), atasan_id=head.id,
        )  # fmt: skip
        org.sync_roles(
            session, [head.id, atasan.id, guru.id, teknisi.id, staf.id, bidan.id, analis.id]
        )
        year = session.execute(
            select(Periode).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        session.add(
            RiwayatJabatan(
                pegawai_id=teknisi.id,
                tanggal=dt.date(year.tahun, 4, 1),
                jabatan_lama_id=pelaksana.id,
                jabatan_id=terampil.id,
                snapshot={},
                dicatat_pada=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
        )
        session.commit()
        return World(
            opd=opd.id,
            tahun=year.tahun,
            tahunan=year.id,
            pimpinan=head.nip,
            atasan=atasan.nip,
            guru=guru.nip,
            teknisi=teknisi.nip,
            staf=staf.nip,
            bidan=bidan.nip,
            analis=analis.nip,
            annual={},
        )


def _approved_skp(app, nip: str, penilai: str, intervensi_id: int) -> None:
    from app.services import skp as skp_service

    skp_id, _ = skp_with_rhk(app, nip, f"Hasil kerja {nip}", intervensi_id=intervensi_id)
    with app.test_request_context():
        skp_service.submit(db.session, skp_id, viewer_of(app, nip))
        skp_service.approve(db.session, skp_id, viewer_of(app, penilai))
        db.session.commit()


def _annual_id(app, nip: str, periode_id: int) -> int:
    with app.app_context():
        return db.session.execute(
            select(Penilaian.id)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(Pegawai, Skp.pegawai_id == Pegawai.id)
            .where(Pegawai.nip == nip, Penilaian.periode_id == periode_id)
        ).scalar_one()


def _settle(
    app, nip: str, penilai: str, periode_id: int, ratings: tuple[str, str], accept: bool = True
) -> int:
    """Realisasi → submit → rate (→ accept) the annual evaluation, through the services."""
    from app.services import penilaian as penilaian_service

    penilaian_id = _annual_id(app, nip, periode_id)
    fill_realisasi(app, penilaian_id)
    with app.test_request_context():
        penilaian_service.submit(db.session, penilaian_id, viewer_of(app, nip))
        penilaian_service.rate(db.session, penilaian_id, viewer_of(app, penilai), *ratings)
        if accept:
            penilaian_service.accept(db.session, penilaian_id, viewer_of(app, nip))
        db.session.commit()
    return penilaian_id


@pytest.fixture(scope="module")
def world(app) -> World:
    built = _build(app)
    _, top = skp_with_rhk(
        app, built.pimpinan, "Urusan dinas", penugasan_dari="Wali Kota", submit=True
    )
    _, middle = skp_with_rhk(app, built.atasan, "Layanan bidang", intervensi_id=top, submit=True)
    for nip in (built.guru, built.teknisi, built.staf, built.analis):
        _approved_skp(app, nip, built.atasan, middle)
    _approved_skp(app, built.bidan, built.pimpinan, top)
    ratings = {
        built.guru: (built.atasan, ("sesuai", "sesuai")),  # Baik
        built.teknisi: (built.atasan, ("di_atas", "di_atas")),  # Sangat Baik
        built.staf: (built.atasan, ("sesuai", "sesuai")),  # Baik
        built.bidan: (built.pimpinan, ("sesuai", "sesuai")),  # Baik
    }
    for nip, (penilai, pair) in ratings.items():
        built.annual[nip] = _settle(app, nip, penilai, built.tahunan, pair)
    built.annual[built.analis] = _settle(
        app, built.analis, built.atasan, built.tahunan, ("sesuai", "sesuai"), accept=False
    )
    return built


def figure(html: str, element_id: str) -> dict[str, object] | None:
    """The jenjang and figures (data-*) of the angka kredit shown with this id, None when
    it is not shown."""
    match = re.search(rf'<span id="{element_id}" class="angka-kredit"([^>]*)>', html)
    if match is None:
        return None
    figures = dict(re.findall(r'data-(\w+)="([^"]*)"', match[1]))
    jenjang = figures.pop("jenjang")
    return {"jenjang": jenjang, **{key: Decimal(value) for key, value in figures.items()}}


def rows_of(response) -> dict[str, tuple[Decimal, ...]]:
    """The report's data rows by NIP: percentage, coefficient, months, angka kredit."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    return {
        row[1]: tuple(Decimal(str(value)) for value in row[7:11])
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if row[1] is not None
    }


# --- Kinerja Saya --------------------------------------------------------------------------


def test_kinerja_saya_shows_the_angka_kredit_of_a_jf_pegawai(login, world):
    html = login(world.guru).get("/kinerja-saya/").get_data(as_text=True)
    assert figure(html, f"angka-kredit-{world.tahun}") == {
        "jenjang": "ahli_muda",
        "nilai": Decimal("25"),
        "persentase": Decimal("100"),
        "koefisien": Decimal("25"),
        "bulan": Decimal("12"),
    }


def test_kinerja_saya_counts_only_the_months_in_the_jenjang(login, world):
    html = login(world.teknisi).get("/kinerja-saya/").get_data(as_text=True)
    # 150 % × 5 × 9/12: in the jenjang from 1 April.
    assert figure(html, f"angka-kredit-{world.tahun}") == {
        "jenjang": "terampil",
        "nilai": Decimal("5.625"),
        "persentase": Decimal("150"),
        "koefisien": Decimal("5"),
        "bulan": Decimal("9"),
    }


def test_kinerja_saya_shows_no_angka_kredit_to_a_pelaksana(login, world):
    html = login(world.staf).get("/kinerja-saya/").get_data(as_text=True)
    assert 'class="angka-kredit"' not in html


# --- the annual evaluation page ------------------------------------------------------------


def test_the_annual_evaluation_page_shows_the_angka_kredit(login, world):
    url = f"/penilaian/{world.annual[world.bidan]}"
    for nip in (world.bidan, world.pimpinan):
        html = login(nip).get(url).get_data(as_text=True)
        assert figure(html, "angka-kredit") == {
            "jenjang": "mahir",
            "nilai": Decimal("12.5"),
            "persentase": Decimal("100"),
            "koefisien": Decimal("12.5"),
            "bulan": Decimal("12"),
        }


def test_the_annual_evaluation_page_of_a_pelaksana_shows_none(login, world):
    html = login(world.staf).get(f"/penilaian/{world.annual[world.staf]}").get_data(as_text=True)
    assert 'id="angka-kredit"' not in html


def test_a_predikat_not_yet_accepted_earns_no_angka_kredit(login, world):
    client = login(world.analis)
    html = client.get(f"/penilaian/{world.annual[world.analis]}").get_data(as_text=True)
    assert 'id="predikat"' in html
    assert 'id="angka-kredit"' not in html
    assert 'class="angka-kredit"' not in client.get("/kinerja-saya/").get_data(as_text=True)


# --- the report ----------------------------------------------------------------------------

GURU = (Decimal("100"), Decimal("25"), Decimal("12"), Decimal("25"))
TEKNISI = (Decimal("150"), Decimal("5"), Decimal("9"), Decimal("5.625"))
BIDAN = (Decimal("100"), Decimal("12.5"), Decimal("12"), Decimal("12.5"))


def test_the_report_lists_every_jf_pegawai_with_the_figures(api, world):
    client, headers = api("admin")
    rows = rows_of(client.get(f"{API}?unit_kerja_id={world.opd}", headers=headers))
    assert rows == {world.guru: GURU, world.teknisi: TEKNISI, world.bidan: BIDAN}


@pytest.mark.parametrize(
    "who, expected",
    [
        ("atasan", {"guru": GURU, "teknisi": TEKNISI}),
        ("pimpinan", {"guru": GURU, "teknisi": TEKNISI, "bidan": BIDAN}),
    ],
)
def test_the_report_is_scoped(api, world, who, expected):
    client, headers = api(getattr(world, who))
    rows = rows_of(client.get(API, headers=headers))
    assert rows == {getattr(world, nip): row for nip, row in expected.items()}


def test_a_pegawai_reads_their_angka_kredit_on_kinerja_saya_not_in_reports(api, world):
    """Reports are for those who appraise others (app.security.roles), this one as well."""
    client, headers = api(world.guru)
    assert client.get(API, headers=headers).status_code == 403


def test_the_report_downloads_from_the_laporan_page(login, world):
    response = login(world.atasan).get("/laporan/angka_kredit.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert set(rows_of(response)) == {world.guru, world.teknisi}
