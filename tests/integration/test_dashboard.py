"""The dashboard (`/`) per role: the parts each role sees, what waits on an atasan, completion
per OPD and the predikat distribution as offline SVG charts whose numbers are the tables'
numbers, the same filters and scope as the exports, and a constant number of statements.

Other modules create SKPs in the same database, so numbers are checked against a recount
and as the change caused by what is created here."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.reports.charts import number
from app.security.scope import is_opd_path
from tests.conftest import statements
from tests.factories import (
    chain_with_submitted_skps,
    fill_realisasi,
    new_chain,
    skp_with_rhk,
    viewer_of,
)

ALL_PARTS = {"dash-pegawai", "dash-atasan", "dash-opd"}


# --- reading the page --------------------------------------------------------------------


def parts(html: str) -> set[str]:
    return set(re.findall(r'<section id="(dash-[a-z]+)"', html))


def count_of(html: str, element_id: str) -> int:
    return int(re.search(rf'id="{element_id}" data-count="(\d+)"', html).group(1))


def svg(html: str, chart: str) -> str:
    return html.split(f'data-chart="{chart}"', 1)[1].split("</svg>", 1)[0]


def bar_values(html: str) -> dict[str, list[str]]:
    """{category: [SKP approved %, evaluated %]} as drawn (data-value of each bar)."""
    body = svg(html, "grafik-penyelesaian")
    return {
        category: re.findall(r'<rect [^>]*data-series="[^"]*" data-value="([^"]*)"', group)
        for category, group in re.findall(
            r'<g class="category" data-category="([^"]*)">(.*?)</g>', body, re.S
        )
    }


def stacked_values(html: str) -> dict[str, list[str]]:
    """{category: [count per predikat, best first]} as drawn in the stacked bars."""
    body = svg(html, "grafik-predikat-unit")
    return {
        category: re.findall(r'<rect [^>]*data-series="[^"]*" data-value="([^"]*)"', group)
        for category, group in re.findall(
            r'<g class="category" data-category="([^"]*)">(.*?)</g>', body, re.S
        )
    }


def predikat_unit_table(html: str) -> dict[str, list[str]]:
    table = html.split('id="tabel-predikat-unit"', 1)[1].split("</table>", 1)[0]
    return {
        category: re.findall(r'data-predikat="(?!total)\w+">(\d+)<', cells)
        for category, cells in re.findall(r'<tr data-category="([^"]*)">(.*?)</tr>', table, re.S)
    }


def completion_table(html: str) -> dict[str, dict[str, str]]:
    """{category: {column: value}} of the completion table (data-value where it has one)."""
    table = html.split('id="tabel-penyelesaian"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for unit_id, category, cells in re.findall(
        r'<tr data-unit-id="(\d*)" data-category="([^"]*)">(.*?)</tr>', body, re.S
    ):
        row = {"unit_id": unit_id}
        for column, attrs, text in re.findall(
            r'data-col="([\w-]+)"([^>]*)>([^<]*)</td>', cells, re.S
        ):
            value = re.search(r'data-value="([^"]*)"', attrs)
            row[column] = value.group(1) if value else text.strip()
        rows[category] = row
    return rows


def completion_total(html: str) -> dict[str, str]:
    row = html.split('id="penyelesaian-total"', 1)[1].split("</tr>", 1)[0]
    return dict(re.findall(r'data-col="([\w-]+)">([^<]*)</th>', row))


def donut_values(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'<circle [^>]*data-label="([^"]*)" data-value="([^"]*)"', svg(html, "grafik-predikat")
        )
    )


def predikat_table(html: str) -> dict[str, tuple[str, str]]:
    """{predikat key: (label, count)}."""
    table = html.split('id="tabel-predikat"', 1)[1].split("</table>", 1)[0]
    return {
        key: (label, count)
        for key, label, count in re.findall(
            r'<tr data-predikat="(\w+)" data-label="([^"]*)">.*?data-value="(\d+)"', table, re.S
        )
    }


# --- data --------------------------------------------------------------------------------


def _periode(jenis: str) -> Periode:
    year = db.session.execute(
        select(Periode.tahun).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
    ).scalar_one()
    return db.session.execute(
        select(Periode).where(Periode.tahun == year, Periode.jenis == jenis)
    ).scalar_one()


def opd_of(app, nip: str) -> UnitKerja:
    with app.app_context():
        unit = db.session.execute(
            select(UnitKerja)
            .join(Pegawai, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(Pegawai.nip == nip)
        ).scalar_one()
        opd_id = int(unit.path.strip("/").split("/")[1])
        opd = db.session.get(UnitKerja, opd_id)
        db.session.expunge(opd)
        return opd


@pytest.fixture(scope="module")
def world(app, cast) -> dict:
    """A fresh chain inside the cast pimpinan's OPD whose staff's SKP is approved and whose
    first quarter is rated Sangat Baik (the periode the page is asked for)."""
    from app.services import penilaian as penilaian_service
    from app.services import skp as skp_service

    opd = opd_of(app, cast.pimpinan)
    people = new_chain(app, opd.kode)
    _, boss_rhk = skp_with_rhk(
        app, people.boss, "Program OPD", penugasan_dari="Wali Kota", submit=True
    )
    _, atasan_rhk = skp_with_rhk(
        app, people.atasan, "Layanan bidang", intervensi_id=boss_rhk, submit=True
    )
    skp_id, _ = skp_with_rhk(
        app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk, submit=True
    )
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
        tw1 = _periode("tw1")
        penilaian_id = db.session.execute(
            select(Penilaian.id).where(Penilaian.skp_id == skp_id, Penilaian.periode_id == tw1.id)
        ).scalar_one()
        tw1_id = tw1.id
    fill_realisasi(app, penilaian_id)
    with app.test_request_context():
        penilaian_service.submit(db.session, penilaian_id, viewer_of(app, people.staff))
        penilaian_service.rate(
            db.session, penilaian_id, viewer_of(app, people.atasan), "di_atas", "di_atas"
        )
        db.session.commit()
        unit_id = db.session.execute(
            select(Pegawai.unit_kerja_id).where(Pegawai.nip == people.staff)
        ).scalar_one()
    return {"people": people, "opd": opd, "tw1": tw1_id, "unit": unit_id}


# --- who sees what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {"dash-opd"}),
        ("pimpinan", {"dash-pegawai", "dash-atasan", "dash-opd"}),
        ("atasan", {"dash-pegawai", "dash-atasan"}),
        ("staff", {"dash-pegawai"}),
    ],
)
def test_each_role_sees_its_parts(login, cast, who, expected):
    response = login(getattr(cast, who)).get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert parts(html) == expected
    assert 'id="dash-tenggat"' in html
    if who != "admin":
        # What others link to stays: the profile and the "Kinerja Saya" button.
        assert 'id="link-kinerja-saya"' in html and cast.__dict__[who] in html


def test_anonymous_visitor_is_sent_to_login(app):
    response = app.test_client().get("/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


@pytest.mark.parametrize("who", ["admin", "pimpinan", "atasan", "staff"])
def test_page_loads_nothing_from_outside(login, cast, world, who):
    """Intranets are offline: no CDN, no external font or script, charts drawn inline."""
    html = login(getattr(cast, who)).get(f"/?periode_id={world['tw1']}").get_data(as_text=True)
    for url in re.findall(r"https?://[^\s\"'<>)]+", html, re.I):
        assert urlsplit(url).hostname in ("localhost", "127.0.0.1"), url
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']//""", html)
    assert '<script src="http' not in html.lower()
    if who in ("admin", "pimpinan"):
        assert html.count("<svg ") == 3


def test_countdown_to_the_end_of_the_quarter_and_the_year(app, login, cast):
    html = login(cast.staff).get("/").get_data(as_text=True)
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    with app.app_context():
        year = _periode("tahunan")
        quarter = db.session.execute(
            select(Periode).where(
                Periode.tahun == year.tahun,
                Periode.jenis != "tahunan",
                Periode.tanggal_mulai <= today,
                Periode.tanggal_selesai >= today,
            )
        ).scalar()
        days_year = (year.tanggal_selesai - today).days
        days_quarter = (quarter.tanggal_selesai - today).days if quarter else ""
    match = re.search(r'data-sisa-tahun="(-?\d+)" data-sisa-periode="(-?\d*)"', html)
    assert match.groups() == (str(days_year), str(days_quarter))


# --- the pegawai's and the atasan's parts ------------------------------------------------


def test_pegawai_without_skp_is_asked_to_draw_it_up(app, login):
    people = new_chain(app)
    html = login(people.colleague).get("/").get_data(as_text=True)
    due = html.split('id="dash-tugas"', 1)[1].split("</ul>", 1)[0]
    assert "tugas-skp_belum_dibuat" in due
    assert 'id="dash-skp-status" data-status=""' in html


def test_atasan_sees_what_waits_on_them_with_links(app, login):
    from app.services import penilaian as penilaian_service
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    atasan = login(people.atasan)
    html = atasan.get("/").get_data(as_text=True)
    assert count_of(html, "menunggu-skp") == 1
    assert 'href="/skp/persetujuan/"' in html.split('id="menunggu-skp"', 1)[1].split(">", 1)[0]
    assert count_of(html, "menunggu-penilaian") == 0
    staff_row = html.split('id="dash-skp-bawahan"', 1)[1].split("</table>", 1)[0]
    assert 'data-status="diajukan">1<' in staff_row and 'data-status="total">2<' in staff_row

    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
        tw1 = _periode("tw1").id
        penilaian_id = db.session.execute(
            select(Penilaian.id).where(Penilaian.skp_id == skp_id, Penilaian.periode_id == tw1)
        ).scalar_one()
    fill_realisasi(app, penilaian_id)
    with app.test_request_context():
        penilaian_service.submit(db.session, penilaian_id, viewer_of(app, people.staff))
        db.session.commit()
    html = atasan.get("/").get_data(as_text=True)
    assert count_of(html, "menunggu-skp") == 0
    assert count_of(html, "menunggu-penilaian") == 1
    link = html.split('id="menunggu-penilaian"', 1)[1].split(">", 1)[0]
    assert 'href="/penilaian/"' in link

    with app.test_request_context():
        penilaian_service.rate(
            db.session, penilaian_id, viewer_of(app, people.atasan), "di_bawah", "sesuai"
        )
        penilaian_service.object_(
            db.session, penilaian_id, viewer_of(app, people.staff), "Bukti belum dibaca"
        )
        db.session.commit()
    html = atasan.get("/").get_data(as_text=True)
    row = re.search(rf'<tr data-periode-id="{tw1}">(.*?)</tr>', html, re.S).group(1)
    assert 'data-status="keberatan">1<' in row
    # The objection is decided one level up, by the atasan pejabat penilai.
    assert count_of(login(people.boss).get("/").get_data(as_text=True), "menunggu-keberatan") == 1


# --- the OPD part: charts equal tables, filters, scope -----------------------------------


@pytest.mark.parametrize("who", ["admin", "pimpinan"])
def test_charts_draw_the_numbers_of_their_tables(login, cast, world, who):
    html = login(getattr(cast, who)).get(f"/?periode_id={world['tw1']}").get_data(as_text=True)
    table = completion_table(html)
    bars = bar_values(html)
    assert table and set(bars) == set(table)
    for category, row in table.items():
        assert bars[category] == [row["skp-persen"], row["dinilai-persen"]]
        pegawai, approved = int(row["pegawai"]), int(row["skp"])
        assert row["skp-persen"] == (number(100 * approved / pegawai) if pegawai else "")
    donut = donut_values(html)
    counts = predikat_table(html)
    assert {label: count for label, count in counts.values()} == donut
    assert int(counts["sangat_baik"][1]) >= 1
    total = sum(int(count) for _, count in counts.values())
    assert f'id="predikat-total">{total}<' in html
    per_unit = predikat_unit_table(html)
    assert stacked_values(html) == per_unit and set(per_unit) == set(table)
    # The units' predikat add up to the distribution of the whole selection.
    keys = list(counts)
    for index, key in enumerate(keys):
        assert sum(int(values[index]) for values in per_unit.values()) == int(counts[key][1])


def test_pimpinan_sees_only_their_opd(app, login, cast, world):
    opd = world["opd"]
    html = login(cast.pimpinan).get(f"/?periode_id={world['tw1']}").get_data(as_text=True)
    with app.app_context():
        inside = (
            select(Pegawai.id)
            .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(UnitKerja.path.startswith(opd.path), Pegawai.aktif.is_(True))
        )
        pegawai = db.session.execute(select(func.count()).select_from(inside.subquery())).scalar()
        rated = db.session.execute(
            select(func.count(Penilaian.id))
            .join(Skp, Penilaian.skp_id == Skp.id)
            .where(
                Penilaian.periode_id == world["tw1"],
                Penilaian.predikat.is_not(None),
                Skp.pegawai_id.in_(inside),
            )
        ).scalar()
        units = {
            str(unit_id)
            for unit_id in db.session.execute(
                select(UnitKerja.id).where(UnitKerja.path.startswith(opd.path))
            ).scalars()
        }
    rows = completion_table(html)
    assert {row["unit_id"] for row in rows.values()} <= units
    assert int(completion_total(html)["pegawai"]) == pegawai
    assert f'id="predikat-total">{rated}<' in html
    assert cast.outsider not in html


def test_admin_sees_every_opd_and_can_drill_into_one(app, login, cast, world):
    client = login("admin")
    html = client.get(f"/?periode_id={world['tw1']}").get_data(as_text=True)
    with app.app_context():
        opds = {
            str(unit_id)
            for unit_id, path in db.session.execute(select(UnitKerja.id, UnitKerja.path))
            if is_opd_path(path)
        }
    assert opds <= {row["unit_id"] for row in completion_table(html).values()}
    drilled = client.get(f"/?periode_id={world['tw1']}&unit_kerja_id={world['opd'].id}")
    assert drilled.status_code == 200
    rows = completion_table(drilled.get_data(as_text=True))
    assert str(world["unit"]) in {row["unit_id"] for row in rows.values()}


def test_unit_of_another_opd_or_unknown_periode_answers_404(app, login, cast):
    outsider_opd = opd_of(app, cast.outsider)
    with app.app_context():
        outsider_unit = db.session.execute(
            select(Pegawai.unit_kerja_id).where(Pegawai.nip == cast.outsider)
        ).scalar_one()
    client = login(cast.pimpinan)
    for query in (
        f"unit_kerja_id={outsider_opd.id}",
        f"unit_kerja_id={outsider_unit}",
        "periode_id=999999",
    ):
        assert client.get(f"/?{query}").status_code == 404, query
    assert login("admin").get(f"/?unit_kerja_id={outsider_opd.id}").status_code == 200


def test_filters_of_atasan_and_pegawai_are_ignored(login, cast):
    """They have no OPD part, so there is nothing for a unit filter to open."""
    response = login(cast.atasan).get("/?unit_kerja_id=1&periode_id=999999")
    assert response.status_code == 200
    assert "dash-opd" not in parts(response.get_data(as_text=True))


# --- cost --------------------------------------------------------------------------------


def test_statement_count_does_not_grow_with_the_unit(app, login, world):
    """The smallest and the largest OPD (same depth of the tree, so the same breadcrumbs)."""
    with app.app_context():
        opds = [
            unit
            for unit in db.session.execute(select(UnitKerja)).scalars()
            if is_opd_path(unit.path)
        ]
        sizes = sorted(
            (
                db.session.execute(
                    select(func.count(Pegawai.id))
                    .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
                    .where(UnitKerja.path.startswith(unit.path), Pegawai.aktif.is_(True))
                ).scalar(),
                unit.id,
            )
            for unit in opds
        )
    (small_size, small), (large_size, large) = next(s for s in sizes if s[0]), sizes[-1]
    assert small_size < large_size
    client = login("admin")
    client.get("/")  # warm up FAB's permission lookups
    costs = {}
    for name, unit_id in (("small", small), ("large", large)):
        with app.app_context(), statements(app) as seen:
            page = client.get(f"/?periode_id={world['tw1']}&unit_kerja_id={unit_id}")
        assert page.status_code == 200
        costs[name] = (len(seen), int(completion_total(page.get_data(as_text=True))["pegawai"]))
    assert (costs["small"][1], costs["large"][1]) == (small_size, large_size)
    assert costs["small"][0] == costs["large"][0]
