"""One definition of each derived fact (ARCHITECTURE.md rule 9), asked by every page and
report that shows it:

* an evaluation is done once it is rated (app.domain.workflow): the Kepatuhan page, its
  workbook and the dashboard show the same figures for the same unit and periode;
* the pejabat penilai of a pegawai is ``Pegawai.penilai_id`` (the override, else the atasan):
  the approval inbox, the rating list and the compliance list find the same person;
* the periods to choose from are one list, in one order, on every page.

The evaluations are those of last year's SKPs, so that every periode of it has ended
whatever day the tests run.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.periode import urutan
from app.extensions import db
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.security.scope import Viewer
from app.services import kepatuhan, kurva
from app.services import periode as periode_service
from app.services.cakupan import Cakupan
from tests.factories import new_chain, viewer_of

HEADER_ROW = 8  # the workbook's column headers, under the title block

# The evaluations of last year, per person of the chain, by periode jenis. The atasan's SKP was
# revised after the first quarters: those stay on version 1, the rest moved to version 2.
BOSS = {"tw1": "final", "tw2": "diterima", "tw3": "keberatan", "tw4": "dinilai"}
BOSS_TAHUNAN = "diajukan"
ATASAN_V1 = {"tw1": "dinilai", "tw2": "diajukan"}
ATASAN_V2 = {"tw3": "belum_dinilai", "tw4": "belum_dinilai", "tahunan": "belum_dinilai"}


@dataclass(frozen=True)
class Unit:
    id: int
    tahunan: int  # last year's annual periode
    tw2: int


def _skp(pegawai: Pegawai, tahunan: Periode, status: str, versi: int = 1, **more) -> Skp:
    skp = Skp(
        pegawai_id=pegawai.id,
        periode_id=tahunan.id,
        status=status,
        versi=versi,
        penilai_id=pegawai.penilai_id,
        **more,
    )
    db.session.add(skp)
    db.session.flush()
    return skp


def _evaluations(skp: Skp, periods: dict[str, Periode], states: dict[str, str]) -> None:
    for jenis, status in states.items():
        rated = status not in ("belum_dinilai", "diajukan")
        db.session.add(
            Penilaian(
                skp_id=skp.id,
                periode_id=periods[jenis].id,
                status=status,
                penilai_id=skp.penilai_id,
                rating_hasil_kerja="sesuai" if rated else None,
                rating_perilaku_kerja="sesuai" if rated else None,
                predikat="baik" if rated else None,
            )
        )


@pytest.fixture(scope="module")
def unit(app) -> Unit:
    """A fresh bidang whose four pegawai stand at every point of last year's cycle: the boss
    approved with four evaluations rated and the annual one submitted; the atasan approved,
    revised, one evaluation rated, one submitted and three not started; the staff's SKP
    submitted, not approved; the colleague without one."""
    from app import audit

    people = new_chain(app)
    with app.app_context(), audit.attributed_to("tests:derived-facts"):
        session = db.session
        tahun = session.execute(
            select(Periode.tahun).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        periods = {
            p.jenis: p
            for p in session.execute(select(Periode).where(Periode.tahun == tahun - 1)).scalars()
        }
        tahunan = periods["tahunan"]
        by_nip = {
            p.nip: p
            for p in session.execute(
                select(Pegawai).where(
                    Pegawai.nip.in_([people.boss, people.atasan, people.staff, people.colleague])
                )
            ).scalars()
        }
        boss, atasan, staff = by_nip[people.boss], by_nip[people.atasan], by_nip[people.staff]
        _evaluations(_skp(boss, tahunan, "disetujui"), periods, {**BOSS, "tahunan": BOSS_TAHUNAN})
        first = _skp(atasan, tahunan, "disetujui")
        _evaluations(first, periods, ATASAN_V1)
        revised = _skp(atasan, tahunan, "disetujui", versi=2, revisi_dari_id=first.id)
        _evaluations(revised, periods, ATASAN_V2)
        _skp(staff, tahunan, "diajukan")
        session.commit()
        return Unit(staff.unit_kerja_id, tahunan.id, periods["tw2"].id)


# --- reading the three ---------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    pegawai: int
    skp_disetujui: int
    skp_belum_disetujui: int
    penilaian_jatuh_tempo: int | None  # the Kepatuhan page lists only the open ones
    penilaian_dinilai: int | None
    penilaian_belum_dinilai: int


def kepatuhan_page(client, unit: Unit, periode_id: int) -> Figures:
    html = client.get(f"/kepatuhan/?periode_id={periode_id}&unit_kerja_id={unit.id}")
    assert html.status_code == 200
    table = html.get_data(as_text=True).split('id="kepatuhan-unit"', 1)[1].split("</table>")[0]
    row = re.search(rf'<tr data-unit-id="{unit.id}">(.*?)</tr>', table, re.S).group(1)
    pegawai = int(re.findall(r'<td class="text-right">(\d+)</td>', row)[0])
    open_items = {k: int(v) for k, v in re.findall(r'data-kategori="(\w+)">(\d+)<', row)}
    skp_open = sum(open_items[k] for k in kepatuhan.KATEGORI if k != kepatuhan.BELUM_DINILAI)
    return Figures(
        pegawai,
        pegawai - skp_open,
        skp_open,
        None,
        None,
        open_items[kepatuhan.BELUM_DINILAI],
    )


def kepatuhan_workbook(client, unit: Unit, periode_id: int) -> Figures:
    response = client.get(
        f"/laporan/kepatuhan.xlsx?periode_id={periode_id}&unit_kerja_id={unit.id}"
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))[:-1]  # not the total
    assert len(rows) == 1  # everyone is placed in the bidang itself: its "directly" row
    _, _, pegawai, approved, _, not_approved, due, rated, _, not_rated, _ = rows[0]
    return Figures(pegawai, approved, not_approved, due, rated, not_rated)


def dashboard(client, unit: Unit, periode_id: int) -> Figures:
    html = client.get(f"/?periode_id={periode_id}&unit_kerja_id={unit.id}")
    assert html.status_code == 200
    table = html.get_data(as_text=True).split('id="tabel-penyelesaian"', 1)[1].split("</table>")[0]
    row = re.search(rf'<tr data-unit-id="{unit.id}"[^>]*>(.*?)</tr>', table, re.S).group(1)
    cells = dict(re.findall(r'data-col="([\w-]+)"[^>]*>([^<]*)</td>', row))
    rated, due = (int(part) for part in cells["dinilai"].split("/"))
    pegawai, approved = int(cells["pegawai"]), int(cells["skp"])
    return Figures(pegawai, approved, pegawai - approved, due, rated, due - rated)


# --- evaluation done -------------------------------------------------------------------------


def test_page_workbook_and_dashboard_agree_on_the_year(login, unit):
    client = login("admin")
    page = kepatuhan_page(client, unit, unit.tahunan)
    book = kepatuhan_workbook(client, unit, unit.tahunan)
    dash = dashboard(client, unit, unit.tahunan)
    # Every evaluation of every SKP version counts; rated is done, submitted is still open.
    rated = len(BOSS) + sum(s == "dinilai" for s in ATASAN_V1.values())
    due = len(BOSS) + 1 + len(ATASAN_V1) + len(ATASAN_V2)
    assert book == dash == Figures(4, 2, 2, due, rated, due - rated)
    assert page == Figures(4, 2, 2, None, None, due - rated)


def test_page_workbook_and_dashboard_agree_on_a_quarter(login, unit):
    client = login("admin")
    page = kepatuhan_page(client, unit, unit.tw2)
    book = kepatuhan_workbook(client, unit, unit.tw2)
    dash = dashboard(client, unit, unit.tw2)
    # The second quarter: the boss's accepted rating, the atasan's realisasi waiting on a rating.
    assert book == dash == Figures(4, 2, 2, 2, 1, 1)
    assert page == Figures(4, 2, 2, None, None, 1)


def test_a_submitted_evaluation_waits_on_the_penilai_and_is_not_done(app, unit):
    with app.test_request_context():
        periods = kepatuhan.periode_choices(db.session)
        chosen = next(p for p in periods if p.id == unit.tahunan)
        after = dt.date(chosen.tahun + 1, 1, 1)
        cakupan = Cakupan.of(periods, chosen, db.session.get(UnitKerja, unit.id))
        cover = kepatuhan.kewajiban_of(periods, cakupan, after)
        admin = Viewer(user_id=None, is_admin=True)
        page = kepatuhan.halaman(db.session, admin, cover, kepatuhan.BELUM_DINILAI, 1)
        jenis = {p.id: p.jenis for p in periods}
        waiting = sorted((jenis[row.periode_id], row.menunggu) for row in page.rows)
        counted = kepatuhan.penilaian_per_group(db.session, admin, cover)[None]
    assert waiting == sorted(
        [("tahunan", kepatuhan.ATASAN), ("tw2", kepatuhan.ATASAN)]
        + [(jenis, kepatuhan.PEGAWAI) for jenis in ATASAN_V2]
    )
    assert counted.belum_dinilai == len(waiting)


# --- the pejabat penilai ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def override(app):
    """A fresh chain whose colleague is appraised by the boss (an override of the atasan),
    both the staff's and the colleague's SKP submitted without a pejabat penilai fixed on
    it, each with a submitted evaluation that names none either."""
    from app import audit

    people = new_chain(app)
    with app.app_context(), audit.attributed_to("tests:derived-facts"):
        session = db.session
        year = session.execute(
            select(Periode).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        by_nip = {
            p.nip: p
            for p in session.execute(
                select(Pegawai).where(
                    Pegawai.nip.in_([people.boss, people.atasan, people.staff, people.colleague])
                )
            ).scalars()
        }
        colleague = by_nip[people.colleague]
        colleague.pejabat_penilai_id = by_nip[people.boss].id
        ids = {}
        for nip in (people.staff, people.colleague):
            skp = Skp(pegawai_id=by_nip[nip].id, periode_id=year.id, status="diajukan")
            session.add(skp)
            session.flush()
            penilaian = Penilaian(skp_id=skp.id, periode_id=year.id, status="diajukan")
            session.add(penilaian)
            session.flush()
            ids[nip] = (skp.id, penilaian.id)
        session.commit()
    return people, ids


def test_pegawai_penilai_id_is_the_same_in_python_and_sql(app, override):
    people, _ = override
    with app.app_context():
        for pegawai, in_sql in db.session.execute(
            select(Pegawai, Pegawai.penilai_id).where(
                Pegawai.nip.in_([people.staff, people.colleague])
            )
        ):
            assert pegawai.penilai_id == in_sql


def test_skp_without_a_fixed_penilai_goes_to_the_owner_s_pejabat_penilai(app, override):
    from app.services import skp as skp_service

    people, ids = override
    inbox = {}
    with app.app_context():
        for who in (people.boss, people.atasan):
            query = skp_service.in_inbox_of(select(Skp.id), viewer_of(app, who))
            inbox[who] = set(db.session.execute(query).scalars())
    staff_skp, colleague_skp = ids[people.staff][0], ids[people.colleague][0]
    assert staff_skp in inbox[people.atasan] and staff_skp not in inbox[people.boss]
    assert colleague_skp in inbox[people.boss] and colleague_skp not in inbox[people.atasan]


def test_evaluation_without_a_fixed_penilai_is_rated_by_the_owner_s_pejabat_penilai(app, override):
    from app.services import penilaian as penilaian_service

    people, ids = override
    with app.app_context():
        rated_by = {
            who: set(
                db.session.execute(
                    penilaian_service.rated_by(viewer_of(app, who).pegawai_id)
                ).scalars()
            )
            for who in (people.boss, people.atasan)
        }
        found = {
            nip: penilaian_service.penilai_of(db.session.get(Penilaian, penilaian_id))
            for nip, (_, penilaian_id) in ids.items()
        }
    staff_eval, colleague_eval = ids[people.staff][1], ids[people.colleague][1]
    assert staff_eval in rated_by[people.atasan] and staff_eval not in rated_by[people.boss]
    assert colleague_eval in rated_by[people.boss]
    assert colleague_eval not in rated_by[people.atasan]
    assert found[people.colleague] == viewer_of(app, people.boss).pegawai_id


def test_compliance_list_names_the_same_pejabat_penilai(app, override):
    people, _ = override
    with app.test_request_context():
        periods = kepatuhan.periode_choices(db.session)
        year = periode_service.active_annual(periods)
        unit_id = db.session.execute(
            select(Pegawai.unit_kerja_id).where(Pegawai.nip == people.colleague)
        ).scalar_one()
        unit = db.session.get(UnitKerja, unit_id)
        cover = kepatuhan.kewajiban_of(periods, Cakupan.of(periods, year, unit), year.tanggal_mulai)
        page = kepatuhan.halaman(
            db.session, Viewer(user_id=None, is_admin=True), cover, kepatuhan.BELUM_DISETUJUI, 1
        )
        penilai = {row.nip: row.penilai_nip for row in page.rows}
    assert penilai[people.colleague] == people.boss
    assert penilai[people.staff] == people.atasan


# --- the periods to choose from --------------------------------------------------------------


@pytest.fixture(scope="module")
def monthly_year(app) -> int:
    """A past year evaluated per month, made as BKPSDM makes one (its periods follow it)."""
    from app import audit

    tahun = 2003
    with app.app_context(), audit.attributed_to("tests:derived-facts"):
        annual = Periode(
            tahun=tahun,
            jenis="tahunan",
            tanggal_mulai=dt.date(tahun, 1, 1),
            tanggal_selesai=dt.date(tahun, 12, 31),
            ritme="bulanan",
        )
        db.session.add(annual)
        periode_service.follow_ritme(db.session, annual)
        db.session.commit()
    return tahun


def test_every_page_offers_the_same_periods_in_the_same_order(app, monthly_year):
    from app.reports import laporan

    with app.app_context():
        offered = [
            [p.id for p in choices(db.session)]
            for choices in (
                periode_service.choices,
                kepatuhan.periode_choices,
                kurva.periode_choices,
                laporan.periode_choices,
            )
        ]
        periods = periode_service.choices(db.session)
        monthly = [p.jenis for p in periods if p.tahun == monthly_year]
        years = [p.tahun for p in periods]
    assert offered[1:] == [offered[0]] * 3
    assert years == sorted(years, reverse=True)
    assert monthly == ["tahunan"] + [f"bulan_{month:02d}" for month in range(1, 13)]
    for tahun in set(years):
        jenis = [p.jenis for p in periods if p.tahun == tahun]
        assert jenis == sorted(jenis, key=urutan) and jenis[0] == "tahunan"
